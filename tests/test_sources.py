"""Listing sources: what each article is keyed by."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchlib.sources import Loaded, iter_documents, scan

SAMPLE = Path(__file__).resolve().parents[1] / "searchlib" / "data" / "sample"


def test_articles_are_keyed_by_their_real_path_however_they_are_reached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tmp_path / "real"
    real.mkdir()
    article = next(SAMPLE.glob("*.txt"))
    (real / "a.txt").write_bytes(article.read_bytes())
    (tmp_path / "link.txt").symlink_to(real / "a.txt")
    (tmp_path / "folder").symlink_to(real)
    expected = str((real / "a.txt").resolve())
    monkeypatch.chdir(tmp_path)
    for source in ("real", "./real/../real", "folder", "link.txt", str(tmp_path / "real" / "a.txt")):
        items = list(iter_documents([source]))
        assert [i.key for i in items if isinstance(i, Loaded)] == [expected], source


def test_scan_lists_files_sorted_and_reports_missing_sources(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", ".hidden.txt", "notes.md"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    files, failures = scan([tmp_path, tmp_path / "missing"])
    assert [f.name for f in files] == [".hidden.txt", "a.txt", "b.txt"]
    assert [f.reason for f in failures] == ["no such file or folder"]
