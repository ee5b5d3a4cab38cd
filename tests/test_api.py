"""The public surface: names, types, and what a search loads."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import searchlib
from searchlib.indexer import add_documents

from .conftest import ROOT, doc


def test_every_exported_name_resolves() -> None:
    for name in searchlib.__all__:
        assert getattr(searchlib, name) is not None, name


def test_the_fixed_api_names_exist() -> None:
    for name in ["open_index", "build_index", "analyze", "Index", "Hit", "SearchResults", "SearchlibError"]:
        assert name in searchlib.__all__
    for method in ["search", "add", "delete", "get", "stats"]:
        assert callable(getattr(searchlib.Index, method))


def test_errors_are_searchlib_errors() -> None:
    for name in searchlib.__all__:
        value = getattr(searchlib, name)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, searchlib.SearchlibError), name


def test_a_search_never_loads_scikit_learn_pyvi_or_the_segmenter(tmp_path: Path) -> None:
    # Nor Whoosh's searching module and query language: the read path needs
    # only readers, and they cost a cold CLI call 20 ms.
    add_documents([doc("a", "Bí thư Tỉnh ủy dự hội nghị.")], tmp_path / "ix")
    heavy = ("sklearn", "sklearn_crfsuite", "pyvi", "pycrfsuite", "scipy", "whoosh.searching", "whoosh.qparser")
    code = (
        "import sys, searchlib\n"
        f"r = searchlib.open_index({str(tmp_path / 'ix')!r}).search('\"bi thu\" tinh uy')\n"
        "assert r.total == 1 and r.hits[0].snippet.highlights\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_library_never_prints() -> None:
    """No print() outside the CLI (cli.py renders; everything else returns data)."""
    offenders = []
    for path in sorted((ROOT / "searchlib").rglob("*.py")):
        if path.name in {"cli.py", "__main__.py"}:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print":
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


def test_analyze_is_the_debug_hook() -> None:
    assert searchlib.analyze("Hội nghị Tỉnh uỷ") == ["hoi", "nghi", "tinh", "uy"]
