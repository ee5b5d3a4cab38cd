"""The public surface: names, types, and what a search loads."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_snippet_renderers_are_reached_from_a_plain_import() -> None:
    code = "import searchlib; print(searchlib.snippets.render_html('<b>', [(1, 2)]), searchlib.SegmenterError.__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["&lt;<mark>b</mark>&gt;", "SegmenterError"]


def test_an_index_can_start_from_documents_and_odd_arguments_are_searchlib_errors(tmp_path: Path) -> None:
    report = searchlib.add_documents([searchlib.Document(id="a", title="Tin", body="Bão số 5.")], tmp_path / "ix")
    index = searchlib.open_index(tmp_path / "ix")
    assert report.documents == 1 and index.get("a") is not None and index.get("\ud800") is None
    with pytest.raises(searchlib.QueryError):
        index.get(123)  # type: ignore[arg-type]
    with pytest.raises(searchlib.QueryError):
        index.search("bão", leader=5)  # type: ignore[arg-type]
    with pytest.raises(searchlib.SourceError, match="empty"):
        index.add(searchlib.Document(id="x", title="", body=" "))


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


def test_one_path_or_one_id_is_one_item_not_its_characters(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    for n in (1, 2):
        (tmp_path / "src" / f"bai_00{n}.txt").write_text(f"Tin {n}\n\nHuyện khánh thành cầu {n}.\n", encoding="utf-8")
    report = searchlib.build_index(str(tmp_path / "src"), tmp_path / "ix")
    assert (report.added, report.failed) == (2, [])
    index = searchlib.open_index(tmp_path / "ix")
    assert index.delete("bai_001").deleted == 1 and index.search("").total == 1
    assert index.add(doc("x1", "Nội dung về cầu.")).added == 1


def test_documents_built_by_hand_are_coerced_or_refused(tmp_path: Path) -> None:
    import datetime as dt

    one = searchlib.Document(id="a1", title="T", body="B", leaders="Nguyễn Văn An", date="2024-01-02")  # type: ignore[arg-type]
    assert (one.leaders, one.date, one.date_precision) == (["Nguyễn Văn An"], dt.date(2024, 1, 2), "day")
    with pytest.raises(searchlib.SourceError, match="ISO date"):
        searchlib.Document(id="a2", title="T", body="B", date="02/01/2024")  # type: ignore[arg-type]
    # As a .jsonl source gives them: a year, a month; a datetime; None for no leaders.
    year = searchlib.Document(id="a3", title="T", body="B", date="2021", leaders=None)  # type: ignore[arg-type]
    assert (year.date, year.date_precision, year.leaders) == (dt.date(2021, 1, 1), "year", [])
    assert searchlib.Document(id="a4", title="T", body="B", date="2021-06").date_precision == "month"
    assert searchlib.Document(id="a9", title="T", body="B", date_precision="day").date_precision is None  # no date
    assert searchlib.Document(id="a5", title="T", body="B", date=dt.datetime(2021, 6, 10, 8)).date == dt.date(
        2021, 6, 10
    )
    with pytest.raises(searchlib.SourceError, match="date must be a datetime.date or an ISO string"):
        searchlib.Document(id="a6", title="T", body="B", date=2021)  # type: ignore[arg-type]
    with pytest.raises(searchlib.SourceError, match="date_precision must be 'day', 'month' or 'year'"):
        searchlib.Document(id="a7", title="T", body="B", date=dt.date(2021, 1, 1), date_precision="decade")  # type: ignore[arg-type]
    with pytest.raises(searchlib.SourceError, match="topics must be a list of strings"):
        searchlib.Document(id="a8", title="T", body="B", topics=[1, 2])  # type: ignore[list-item]
    with pytest.raises(searchlib.SourceError, match="non-empty id"):
        add_documents([doc("", "Nội dung")], tmp_path / "ix")
    with pytest.raises(searchlib.SourceError, match="ids are strings, not int"):
        add_documents([searchlib.Document(id=5, title="T", body="B")], tmp_path / "ix")  # type: ignore[arg-type]
    with pytest.raises(searchlib.SourceError, match="Document objects"):
        add_documents([{"id": "d1", "body": "x"}], tmp_path / "ix")  # type: ignore[list-item]
    with pytest.raises(searchlib.SourceError, match="Document objects, not a dict"):
        add_documents({"id": "d1", "body": "x"}, tmp_path / "ix")  # type: ignore[arg-type]
    for field in ("title", "body"):
        with pytest.raises(searchlib.SourceError, match=f"{field} must be a string"):
            add_documents([searchlib.Document(id="n", **{"title": "T", "body": "B", field: None})], tmp_path / "ix")  # type: ignore[arg-type]
    with pytest.raises(searchlib.SourceError, match="path of a file or folder, not int"):
        searchlib.build_index([123], tmp_path / "ix")  # type: ignore[list-item]
    assert not (tmp_path / "ix").exists()  # nothing written before the checks


def test_documents_added_by_hand_are_cleaned_as_files_are_and_the_last_of_an_id_wins(tmp_path: Path) -> None:
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Thành phố")
    add_documents(
        [
            searchlib.Document(id="x", title="Cũ", body="bản cũ"),
            searchlib.Document(id="y", title="Giá\u200bvàng", body=f"{nfd}\u00a0tăng\u00ad giá."),
            searchlib.Document(id="x", title="Mới", body="bản mới"),
        ],
        tmp_path / "ix",
    )
    index = searchlib.open_index(tmp_path / "ix")
    got = index.get("y")
    assert got is not None and (got.title, got.body) == ("Giá vàng", "Thành phố tăng giá.")
    assert [h.id for h in index.search("vàng").hits] == ["y"] and index.search('"thành phố tăng"').total == 1
    assert (index.get("x") or got).title == "Mới" and index.stats().documents == 2


def test_wrong_arguments_are_query_errors_and_a_file_is_no_index(tmp_path: Path) -> None:
    add_documents([doc("d1", "Nội dung về cầu.")], tmp_path / "ix")
    index = searchlib.open_index(tmp_path / "ix")
    for bad in ({"query": None}, {"query": "cầu", "limit": None}, {"query": "cầu", "offset": -1}):
        with pytest.raises(searchlib.QueryError):
            index.search(**bad)  # type: ignore[arg-type]
    import numpy as np

    assert index.search("cầu", limit=np.int64(5)).total == 1  # any integer type will do
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    with pytest.raises(searchlib.IndexNotFoundError):
        searchlib.open_index(tmp_path / "afile")


def test_nfd_input_is_the_same_text() -> None:
    import unicodedata

    assert searchlib.analyze(unicodedata.normalize("NFD", "Hòa Bình tỉnh")) == ["hoa", "binh", "tinh"]


def test_a_misspelt_build_option_names_the_right_one(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match=r"'max_fail' \(did you mean 'max_failed'\?\).*keep, max_failed"):
        searchlib.build_index(tmp_path, tmp_path / "index", max_fail=0.5)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="'kep'"):
        add_documents([doc("a", "nội dung")], tmp_path / "index", kep=2)  # type: ignore[call-arg]
    assert not (tmp_path / "index").exists()  # refused before anything was written


def test_build_options_type_lists_every_option() -> None:
    from dataclasses import fields

    from searchlib.indexer import _Options

    assert set(searchlib.BuildOptions.__annotations__) == {f.name for f in fields(_Options)}
