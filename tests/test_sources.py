"""Listing sources: what each article is keyed by."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from searchlib.sources import Loaded, count_scanned, iter_documents, iter_scanned, scan

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


def test_empty_files_fail_and_failures_name_the_file_once(tmp_path: Path) -> None:
    import codecs

    from searchlib.sources import Failure, iter_documents

    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\n \r\n")
    (tmp_path / "bom.txt").write_bytes(codecs.BOM_UTF16_LE)
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02 not text \xff\xfe\x00")
    failed = {Path(item.key).name: item.reason for item in iter_documents([tmp_path]) if isinstance(item, Failure)}
    assert set(failed) == {"empty.txt", "blank.txt", "bom.txt", "binary.txt"}
    assert all("empty" in failed[name] for name in ("empty.txt", "blank.txt", "bom.txt"))
    assert "binary.txt" not in failed["binary.txt"]


def test_a_feed_appended_to_during_the_run_is_read_as_counted(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    record = '{{"id": "r{0}", "title": "Tin {0}", "body": "Hội nghị tỉnh lần {0}."}}'
    feed.write_text("\n".join(record.format(n) for n in range(3)) + "\n", encoding="utf-8")
    files, failures = scan([feed])
    lines: dict[Path, int] = {}
    assert count_scanned(files, failures, lines) == 3
    with open(feed, "a", encoding="utf-8") as handle:  # the scraper, mid-run
        handle.write(record.format(3) + "\n")
    assert len(list(iter_scanned(files, failures, lines=lines))) == 3  # the fourth is the next run's
    assert len(list(iter_scanned(files, failures))) == 4


def test_a_document_keeps_the_absolute_path_of_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bai.txt").write_text("Tin\n\nHội nghị tỉnh.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    (item,) = iter_documents(["bai.txt"])
    assert isinstance(item, Loaded) and item.document.path == str(tmp_path / "bai.txt")


def test_a_folder_that_cannot_be_read_is_a_failure_not_silence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text("Tin\n\nHội nghị tỉnh.\n", encoding="utf-8")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text("Tin\n\nHội nghị huyện.\n", encoding="utf-8")
    real = os.scandir

    def scandir(path: object) -> object:  # what a folder of mode 000 does to a user who is not root
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    files, failures = scan([tmp_path])
    assert files == [tmp_path / "a.txt"]
    assert [(f.key, f.reason) for f in failures] == [
        (str(tmp_path / "locked"), "cannot read folder: Permission denied")
    ]


def test_a_file_whose_name_is_not_utf8_is_a_failure_that_names_it(tmp_path: Path) -> None:
    from searchlib.sources import Failure

    good = "Tỉnh ủy họp\n\nNội dung bài viết.\n"
    (tmp_path / "a.txt").write_text(good, encoding="utf-8")
    latin = os.path.join(os.fsencode(tmp_path), b"latin\xe9.txt")
    with open(latin, "wb") as handle:
        handle.write(good.encode("utf-8"))
    items = list(iter_documents([tmp_path]))
    failed = [item for item in items if isinstance(item, Failure)]
    assert [f.key for f in failed] == [f"{tmp_path}/latin\\xe9.txt"] and "not UTF-8" in failed[0].reason
    assert [Path(item.document.path or "").name for item in items if isinstance(item, Loaded)] == ["a.txt"]
    assert count_scanned(*scan([tmp_path])) == len(items)
    files, failures = scan([os.fsdecode(latin)])  # named alone
    assert files == [] and len(failures) == 1


def test_a_file_too_large_for_one_article_is_a_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from searchlib import sources
    from searchlib.sources import Failure

    monkeypatch.setattr(sources, "MAX_ARTICLE_BYTES", 200)
    (tmp_path / "small.txt").write_text("Tin ngắn\n\nMột bài báo ngắn.\n", encoding="utf-8")
    (tmp_path / "big.txt").write_text("Tin dài\n\n" + "Một câu rất dài. " * 40, encoding="utf-8")
    (tmp_path / "feed.jsonl").write_text(
        '{"id": "a", "title": "Ngắn", "body": "Ngắn."}\n{"id": "b", "title": "Dài", "body": "' + "x " * 200 + '"}\n',
        encoding="utf-8",
    )
    items = list(iter_documents([tmp_path]))
    failed = {Path(f.key).name: f.reason for f in items if isinstance(f, Failure)}
    assert set(failed) == {"big.txt", "feed.jsonl:2"} and all("too large" in r for r in failed.values())
    assert sum(isinstance(item, Loaded) for item in items) == 2


def test_a_source_named_alone_whose_name_is_not_utf8_still_lets_the_job_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json
    import sys

    from searchlib.lock import _holder_info

    monkeypatch.setattr(sys, "argv", ["searchlib", "index", os.fsdecode(b"caf\xe9.txt")])
    info = _holder_info()
    assert info["command"] == "searchlib index caf\\xe9.txt" and json.dumps(info, ensure_ascii=False).encode("utf-8")
