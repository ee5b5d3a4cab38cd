"""The writer: builds, updates, generations, validation, locking and crash safety."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from searchlib.abbreviations import LEARNED_FILE
from searchlib.api import open_index
from searchlib.document import Document
from searchlib.errors import (
    IndexCorruptError,
    IndexLockedError,
    IndexVersionError,
    IndexWriteError,
    TooManyDeletionsError,
    ValidationError,
)
from searchlib.indexer import add_documents, build_index, rollback, update_index
from searchlib.layout import CURRENT, META, current_generation, list_generations
from searchlib.lock import LOCK_NAME, WriterLock
from searchlib.spellings import SPELLINGS_FILE, load_spellings

TOPICS = ["nông thôn mới", "chuyển đổi số", "y tế cơ sở", "đầu tư công", "cải cách hành chính"]


def article(number: int, extra: str = "") -> str:
    """A short raw article of our own, in the scraped format."""
    topic = TOPICS[number % len(TOPICS)]
    return (
        f"Huyện Bắc Thủy bàn về {topic} lần thứ {number}\n\n"
        f"Ngày 12/3/2021, Hội đồng nhân dân huyện họp bàn về {topic}. "
        f"Các đại biểu thống nhất nhiều giải pháp, bài số {number}. {extra}\n"
    )


def write_corpus(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"bai_{n:03d}.txt").write_text(article(n), encoding="utf-8")
    return folder


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "articles", 12)


@pytest.fixture
def index(tmp_path: Path, corpus: Path) -> Path:
    path = tmp_path / "index"
    build_index([corpus], path)
    return path


def count(index: Path, query: str = "") -> int:
    return open_index(index).search(query, limit=0).total


# --- builds and updates --------------------------------------------------------


def test_build_reports_and_publishes_a_generation(tmp_path: Path, corpus: Path) -> None:
    report = build_index([corpus], tmp_path / "ix")
    assert (report.added, report.documents, report.generation, report.failed) == (12, 12, 1, [])
    assert (tmp_path / "ix" / CURRENT).read_text() == "gen-000001\n"
    assert count(tmp_path / "ix", "bắc thủy") == 12


def test_update_adds_changes_and_keeps_vanished_without_prune(index: Path, corpus: Path) -> None:
    (corpus / "bai_000.txt").write_text(article(0, "Nội dung sửa đổi về thủy lợi."), encoding="utf-8")
    (corpus / "bai_100.txt").write_text(article(100), encoding="utf-8")
    (corpus / "bai_001.txt").unlink()
    report = update_index([corpus], index)
    assert (report.added, report.updated, report.deleted, report.unchanged) == (1, 1, 0, 10)
    assert count(index) == 13 and count(index, "thủy lợi") == 1


def test_update_with_prune_deletes_vanished_articles(index: Path, corpus: Path) -> None:
    (corpus / "bai_001.txt").unlink()
    (corpus / "bai_002.txt").unlink()
    report = update_index([corpus], index, prune=True)
    assert (report.added, report.updated, report.deleted) == (0, 0, 2)
    assert count(index) == 10


def test_an_article_moved_to_another_folder_is_re_keyed(tmp_path: Path, index: Path, corpus: Path) -> None:
    (corpus / "2021").mkdir()
    (corpus / "bai_003.txt").rename(corpus / "2021" / "bai_003.txt")
    report = update_index([corpus], index, prune=True)  # was a KeyError, every night
    assert (report.added, report.deleted, report.failed, report.documents) == (1, 0, [], 12)
    assert update_index([corpus], index, prune=True).published is False  # and the next night is quiet


def test_records_rotated_into_another_jsonl_file_are_re_keyed(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    feed.mkdir()
    records = [
        json.dumps({"id": f"r{n}", "title": f"Tin {n}", "body": article(n)}, ensure_ascii=False) for n in range(4)
    ]
    (feed / "today.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    build_index([feed], tmp_path / "ix")
    (feed / "archive.jsonl").write_text("\n".join(records[:3]) + "\n", encoding="utf-8")
    (feed / "today.jsonl").write_text(records[3] + "\n", encoding="utf-8")
    report = update_index([feed], tmp_path / "ix", prune=True)
    assert (report.deleted, report.failed, report.documents) == (0, [], 4)
    (feed / "today.jsonl").write_text("", encoding="utf-8")  # r3 gone from a file read whole
    assert update_index([feed], tmp_path / "ix", prune=True).deleted == 1


def test_prune_keeps_what_is_not_gone(tmp_path: Path, index: Path, corpus: Path) -> None:
    open_index(index).add(Document(id="breaking", title="Tin nóng", body="Bão số 5 đổ bộ."))
    (corpus / "bai_004.txt").write_bytes(b"")  # being rewritten by the scraper: fails tonight
    report = update_index([corpus], index, prune=True)
    assert report.deleted == 0 and [f.key for f in report.failed] == [str(corpus / "bai_004.txt")]
    assert open_index(index).get("breaking") is not None and open_index(index).get("bai_004") is not None
    # A source folder that is missing (a share that did not mount) prunes nothing under it.
    other = tmp_path / "other"
    other.mkdir()
    for n in range(3):
        (other / f"khac_{n}.txt").write_text(article(50 + n), encoding="utf-8")
    update_index([corpus, other], index)
    shutil.rmtree(other)
    report = update_index([corpus, other], index, prune=True)
    assert report.deleted == 0 and open_index(index).stats().documents == 16


def test_prune_refuses_to_delete_most_of_the_index(tmp_path: Path, index: Path, corpus: Path) -> None:
    for path in sorted(corpus.glob("*.txt"))[:7]:
        path.unlink()  # seven of twelve: an empty mount point looks the same
    with pytest.raises(TooManyDeletionsError, match="delete 7 of the 12 live articles"):
        update_index([corpus], index, prune=True)
    assert count(index) == 12
    assert update_index([corpus], index, prune=True, max_deleted=1).deleted == 7 and count(index) == 5


def test_one_id_in_two_files_is_indexed_from_the_first_every_night(tmp_path: Path, index: Path, corpus: Path) -> None:
    (corpus / "b").mkdir()
    (corpus / "b" / "bai_000.txt").write_text(article(0, "Bản sửa lỗi."), encoding="utf-8")
    for _ in range(3):  # b/ sorts first, as in a full build; the index does not flip between the two
        report = update_index([corpus], index, prune=True)
        assert [f.reason.split(",")[0] for f in report.failed] == ["duplicate id 'bai_000'"]
        assert count(index, "bản sửa lỗi") == 1 and count(index) == 12
    assert not report.published  # settled after the first night


def test_a_second_path_to_one_file_is_read_once(tmp_path: Path, corpus: Path) -> None:
    (corpus / "latest.txt").symlink_to(corpus / "bai_005.txt")
    report = build_index([corpus, corpus], tmp_path / "ix")  # overlapping sources too
    assert (report.documents, report.failed) == (12, []) and open_index(tmp_path / "ix").get("latest") is None


def test_a_jsonl_file_with_old_mac_line_ends_is_counted_as_read(tmp_path: Path) -> None:
    records = [
        json.dumps({"id": f"r{n}", "title": f"Tin {n}", "body": article(n)}, ensure_ascii=False) for n in range(3)
    ]
    (tmp_path / "mac.jsonl").write_bytes("\r".join(records).encode("utf-8"))
    assert build_index([tmp_path / "mac.jsonl"], tmp_path / "ix").documents == 3


def test_update_with_nothing_changed_keeps_the_live_generation(index: Path, corpus: Path) -> None:
    report = update_index([corpus], index)
    assert (report.added, report.updated, report.deleted, report.unchanged) == (0, 0, 0, 12)
    assert (report.generation, report.published, report.documents) == (1, False, 12)
    assert [g.number for g in list_generations(index)] == [1] and count(index) == 12
    assert not [p for p in os.listdir(index) if p.startswith(".tmp-")]


def test_quiet_nights_do_not_push_the_rollback_target_out(index: Path, corpus: Path) -> None:
    (corpus / "bai_200.txt").write_text(article(200), encoding="utf-8")
    assert update_index([corpus], index, keep=2).generation == 2
    for _ in range(3):
        assert not update_index([corpus], index, keep=2).published
    assert rollback(index) == 1 and count(index) == 12


def test_a_damaged_manifest_costs_a_re_read_not_a_broken_update(index: Path, corpus: Path) -> None:
    (current_generation(index).path / "manifest.json").write_text('{"truncat', encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="searchlib rebuild"):
        open_index(index).add([Document(id="moi", title="Tin", body="Nội dung.")])
    (corpus / "bai_200.txt").write_text(article(200), encoding="utf-8")
    (corpus / "bai_001.txt").unlink()
    report = update_index([corpus], index)
    assert any("damaged" in m for m in report.messages)
    assert report.added == 12 and count(index) == 12  # indexed afresh from the sources
    assert update_index([corpus], index).unchanged == 12


def test_a_stray_temporary_file_is_never_linked_into_a_new_generation(index: Path, corpus: Path) -> None:
    stray = current_generation(index).path / ".manifest.json.abc.tmp"
    stray.write_text("left by a killed job", encoding="utf-8")
    (corpus / "bai_200.txt").write_text(article(200), encoding="utf-8")
    update_index([corpus], index)
    assert not stray.exists()
    assert all(f.stat().st_nlink == 1 for f in current_generation(index).path.glob("*.json"))


def test_a_quiet_night_still_applies_a_lower_keep(index: Path, corpus: Path) -> None:
    for n in range(3):
        (corpus / f"bai_{200 + n}.txt").write_text(article(200 + n), encoding="utf-8")
        update_index([corpus], index, keep=5)
    assert len(list_generations(index)) == 4
    assert not update_index([corpus], index, keep=2).published
    assert [g.number for g in list_generations(index)] == [3, 4]


def test_a_touched_but_unchanged_file_is_signed_in_the_live_generation(
    index: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from searchlib import sources

    _settle(corpus)
    os.utime(corpus / "bai_001.txt", (time.time() - 30, time.time() - 30))
    real_read, read = sources._read, []
    monkeypatch.setattr(sources, "_read", lambda path: read.append(path.name) or real_read(path))
    assert not update_index([corpus], index).published
    assert len(read) == 12  # built seconds ago: no file had a settled signature yet
    read.clear()
    assert update_index([corpus], index).unchanged == 12
    assert read == []


def test_a_new_extraction_version_re_extracts_every_article(
    index: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from searchlib import sources

    monkeypatch.setattr(sources, "EXTRACTION_VERSION", sources.EXTRACTION_VERSION + 1)
    report = update_index([corpus], index)
    assert (report.added, report.updated, report.unchanged) == (0, 12, 0)
    assert update_index([corpus], index).unchanged == 12


def _settle(folder: Path, age: float = 60.0) -> None:
    """Give every article a modification time in the past, as a scraper's files have by night."""
    past = time.time() - age
    for path in folder.glob("*.txt"):
        os.utime(path, (past, past))


def test_settled_unchanged_files_are_not_read_again(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from searchlib import sources

    _settle(corpus)
    build_index([corpus], tmp_path / "ix")
    (corpus / "bai_003.txt").write_text(article(3, "Nội dung sửa đổi về thủy lợi."), encoding="utf-8")
    real_read, read = sources._read, []
    monkeypatch.setattr(sources, "_read", lambda path: read.append(path.name) or real_read(path))
    report = update_index([corpus], tmp_path / "ix")
    assert (report.updated, report.unchanged) == (1, 11)
    assert read == ["bai_003.txt"]  # the one file whose size and time changed
    assert count(tmp_path / "ix", "thủy lợi") == 1


def test_a_file_rewritten_in_the_same_second_is_hashed(tmp_path: Path, corpus: Path) -> None:
    # Modified around the time it is read (here: stamped a little ahead), a
    # file gets no signature, so an edit of the same size that keeps the
    # modification time is still found by its hash.
    target = corpus / "bai_004.txt"
    soon = time.time() + 30
    os.utime(target, (soon, soon))
    build_index([corpus], tmp_path / "ix")
    before = target.stat()
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("bài số 4", "bài số 9"), encoding="utf-8")
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert target.stat().st_size == before.st_size
    report = update_index([corpus], tmp_path / "ix")
    assert (report.updated, report.unchanged) == (1, 11)


def test_signatures_follow_the_extraction_version(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from searchlib import sources

    _settle(corpus)
    build_index([corpus], tmp_path / "ix")
    assert update_index([corpus], tmp_path / "ix").unchanged == 12
    monkeypatch.setattr(sources, "EXTRACTION_VERSION", sources.EXTRACTION_VERSION + 1)
    assert update_index([corpus], tmp_path / "ix").updated == 12


def test_pruned_and_replaced_keys_lose_their_signatures(tmp_path: Path, corpus: Path) -> None:
    _settle(corpus)
    build_index([corpus], tmp_path / "ix")
    (corpus / "bai_005.txt").unlink()
    update_index([corpus], tmp_path / "ix", prune=True)
    manifest = json.loads((current_generation(tmp_path / "ix").path / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest) == 11 and all(len(entry) == 3 for entry in manifest.values())
    # Brought back with the same content, size and time, it is indexed again.
    (corpus / "bai_005.txt").write_text(article(5), encoding="utf-8")
    _settle(corpus)
    assert update_index([corpus], tmp_path / "ix").added == 1


def _whoosh_counts(index: Path) -> tuple[int, int]:
    import whoosh.index as whoosh_index

    ix = whoosh_index.open_dir(str(current_generation(index).path))
    return ix.doc_count(), ix.doc_count_all()


def test_updates_do_not_keep_deleted_documents_around(index: Path, corpus: Path) -> None:
    # Most articles replaced: the old segment is rewritten without its dead documents.
    for n in range(7):
        (corpus / f"bai_{n:03d}.txt").write_text(article(n, "Kênh mương thủy lợi."), encoding="utf-8")
    update_index([corpus], index)
    assert _whoosh_counts(index) == (12, 12)
    results = open_index(index).search('"Bắc Thủy" thủy lợi')
    assert results.total == 7 and all(h.snippet.highlights for h in results.hits)
    assert open_index(index).search('"Bắc Thuỷ"').total == 12  # spellings survive the copy
    # Every article replaced: the emptied segments are dropped.
    for n in range(12):
        (corpus / f"bai_{n:03d}.txt").write_text(article(n, "Đê điều."), encoding="utf-8")
    update_index([corpus], index)
    assert _whoosh_counts(index) == (12, 12)
    assert count(index, "đê điều") == 12 and count(index, '"thủy lợi"') == 0


def test_add_and_delete_through_the_index_object(index: Path) -> None:
    from searchlib.document import Document

    ix = open_index(index)
    ix.add([Document(id="moi", title="Tin mới", body="Nội dung về thủy điện nhỏ.")])
    assert ix.search("thủy điện").total == 1
    ix.delete(["moi"])
    assert "moi" not in {h.id for h in ix.search("thủy điện").hits} and ix.get("moi") is None


def test_keep_limits_the_generations_on_disk(index: Path, corpus: Path) -> None:
    for n in range(4):
        (corpus / f"bai_{200 + n}.txt").write_text(article(200 + n), encoding="utf-8")
        update_index([corpus], index, keep=2)
    assert [g.number for g in list_generations(index)] == [4, 5]


def test_rollback_serves_the_previous_generation(index: Path, corpus: Path) -> None:
    (corpus / "bai_200.txt").write_text(article(200), encoding="utf-8")
    update_index([corpus], index)
    reader = open_index(index)
    assert reader.search("").total == 13
    assert rollback(index) == 1
    assert reader.search("").total == 12  # a long-lived reader follows the pointer


def test_a_generation_number_rolled_back_from_is_never_given_again(index: Path, corpus: Path) -> None:
    (corpus / "bai_200.txt").write_text(article(200), encoding="utf-8")
    assert update_index([corpus], index).generation == 2
    assert rollback(index) == 1
    (corpus / "bai_201.txt").write_text(article(201), encoding="utf-8")
    report = update_index([corpus], index)
    assert report.generation == 3 and [g.number for g in list_generations(index)] == [1, 3]  # 2 held other content


@pytest.mark.parametrize(
    ("option", "value"),
    [("keep", 0), ("keep", "2"), ("keep", None), ("max_failed", 1.5), ("wait", "yes"), ("progress", 5), ("procs", 0)],
)
def test_a_bad_option_value_is_refused_before_anything_is_written(
    index: Path, corpus: Path, option: str, value: object
) -> None:
    (corpus / "bai_200.txt").write_text(article(200), encoding="utf-8")  # something to write
    before = [g.number for g in list_generations(index)]
    with pytest.raises(ValueError, match=option):
        update_index([corpus], index, **{option: value})  # type: ignore[arg-type]
    assert [g.number for g in list_generations(index)] == before


def test_rollback_recovers_a_live_generation_that_is_gone(index: Path, corpus: Path) -> None:
    for n in (200, 201):
        (corpus / f"bai_{n}.txt").write_text(article(n), encoding="utf-8")
        update_index([corpus], index)
    shutil.rmtree(current_generation(index).path)  # gen 3
    with pytest.raises(IndexCorruptError, match="rollback"):
        open_index(index).search("")
    assert rollback(index) == 2 and count(index) == 13  # what the error said to run works
    (index / CURRENT).write_text("garbled\n")
    assert rollback(index) == 2


@pytest.mark.parametrize("suffix", [".trm", ".date.col", ".content.col"])
def test_a_truncated_file_is_a_damaged_index_not_a_wrong_answer(index: Path, corpus: Path, suffix: str) -> None:
    # A truncated column reads as zeros (no date known, no error) and a
    # truncated posting file raises Whoosh's bare Exception mid-search.
    (corpus / "bai_200.txt").write_text(article(200), encoding="utf-8")
    update_index([corpus], index)  # gen 2, its files partly linked from gen 1
    # A file of gen 2's own segment: gen 1's are linked, and truncating one would damage both.
    gen2 = current_generation(index).path.iterdir()
    [path] = [p for p in gen2 if p.name.endswith(suffix) and p.name.startswith("MAIN_") and p.stat().st_nlink == 1]
    with open(path, "r+b") as f:
        f.truncate(path.stat().st_size // 2)
    with pytest.raises(IndexCorruptError, match=f"damaged: .*{suffix} in gen-000002 is .* bytes, .* when written"):
        open_index(index).search("")
    with pytest.raises(IndexCorruptError, match="rollback"):
        update_index([corpus], index)  # nor is it linked into the next generation
    assert rollback(index) == 1 and count(index) == 12


def test_a_rollback_passes_over_generations_that_share_a_damaged_file(index: Path, corpus: Path) -> None:
    for n in (200, 201):  # gens 2 and 3 link gen 1's segment files
        (corpus / f"bai_{n}.txt").write_text(article(n), encoding="utf-8")
        update_index([corpus], index)
    # A segment file of gen 2, linked into gen 3: cut short, both are damaged.
    gen2 = {p.name for p in (index / "gen-000002").iterdir() if p.stat().st_nlink == 2}
    gen1 = {p.name for p in (index / "gen-000001").iterdir()}
    [name] = sorted(n for n in gen2 - gen1 if n.endswith(".trm"))[:1]
    path = index / "gen-000003" / name
    with open(path, "r+b") as f:
        f.truncate(path.stat().st_size // 2)
    assert rollback(index) == 1 and count(index) == 12  # gen 2 passed over


def test_a_truncated_posting_file_is_a_damaged_index(index: Path) -> None:
    [path] = current_generation(index).path.glob("MAIN_*.pst")
    with open(path, "r+b") as f:
        f.truncate(path.stat().st_size // 2)
    with pytest.raises(IndexCorruptError, match=r"\.pst in gen-000001 is"):
        open_index(index).search("hội đồng")


def test_a_rollback_the_disk_refuses_says_so(index: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(index / CURRENT))

    (corpus / "bai_200.txt").write_text(article(200), encoding="utf-8")
    update_index([corpus], index)
    monkeypatch.setattr("searchlib.generations.switch", refuse)
    with pytest.raises(IndexWriteError, match="Permission denied"):
        rollback(index)


def test_leftovers_of_an_interrupted_job_are_removed(index: Path, corpus: Path) -> None:
    (index / ".tmp-gen-000009-123").mkdir()
    (index / ".tmp-CURRENT-123").write_text("gen-000009\n")
    report = update_index([corpus], index)
    assert not [p for p in os.listdir(index) if p.startswith(".tmp-")]
    assert any("leftover" in m for m in report.messages)


# --- validation ----------------------------------------------------------------


def test_a_full_disk_keeps_the_live_index_and_the_next_job_recovers(
    index: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from searchlib import facets, indexer

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(index / "facets.npz"))

    (corpus / "bai_200.txt").write_text(article(200), encoding="utf-8")
    monkeypatch.setattr(indexer, "save_facets", full)
    with pytest.raises(IndexWriteError, match="No space left on device.*live index was kept"):
        update_index([corpus], index)
    assert not [p for p in os.listdir(index) if p.startswith(".tmp-")]
    assert current_generation(index).number == 1 and count(index) == 12
    # Not even the lock's holder line can be written: the job still runs.
    monkeypatch.setattr(indexer, "save_facets", facets.save_facets)
    real_pwrite = os.pwrite
    monkeypatch.setattr(os, "pwrite", lambda fd, data, offset: full())
    report = update_index([corpus], index)
    monkeypatch.setattr(os, "pwrite", real_pwrite)
    assert (report.added, report.generation) == (1, 2) and count(index) == 13


def test_an_index_path_that_is_a_file_is_a_searchlib_error(tmp_path: Path, corpus: Path) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    with pytest.raises(IndexWriteError, match="afile"):
        build_index([corpus], tmp_path / "afile")


def test_a_refused_build_carries_its_failures(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.txt").write_bytes(b"\x00\xff binary \x00" * 20)
    with pytest.raises(ValidationError, match="nothing went live \\(there was no index yet\\)") as caught:
        build_index([bad], tmp_path / "ix")
    assert [f.key for f in caught.value.failed] == [str(bad / "x.txt")]


def test_too_many_failures_keep_the_live_index(index: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    for n in range(5):
        (bad / f"x{n}.txt").write_bytes(b"\x00\xff binary \x00" * 20)
    with pytest.raises(ValidationError, match="5 of 5 sources failed"):
        build_index([bad], index)
    assert current_generation(index).number == 1 and count(index) == 12


def test_an_empty_source_never_replaces_the_index(index: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValidationError, match="No documents"):
        build_index([tmp_path / "empty"], index)
    assert count(index) == 12


def test_a_rebuild_from_a_folder_half_there_keeps_the_live_index(index: Path, corpus: Path, tmp_path: Path) -> None:
    half = tmp_path / "half"
    half.mkdir()
    for path in sorted(corpus.glob("*.txt"))[:5]:
        shutil.copy(path, half / path.name)
    with pytest.raises(TooManyDeletionsError, match="would drop 7 of the 12 live articles"):
        build_index([half], index)
    assert current_generation(index).number == 1 and count(index) == 12
    report = build_index([half], index, max_deleted=1)
    assert (report.documents, report.deleted) == (5, 7)
    report = build_index([corpus], index)
    assert (report.added, report.deleted) == (12, 0)


def test_a_rebuild_counts_the_articles_added_through_the_library_it_drops(index: Path, corpus: Path) -> None:
    add_documents([Document(id="app-1", title="Tin của ứng dụng", body="Nội dung riêng.")], index)
    assert count(index) == 13
    report = build_index([corpus], index)
    assert (report.documents, report.deleted) == (12, 1)


def test_failures_under_the_threshold_are_listed(tmp_path: Path, corpus: Path) -> None:
    (corpus / "hong.txt").write_bytes(b"\x00\xff\x00" * 30)
    report = build_index([corpus], tmp_path / "ix")
    assert report.documents == 12 and [f.key for f in report.failed] == [str(corpus / "hong.txt")]


def test_schema_version_mismatch_says_to_rebuild(index: Path) -> None:
    meta_path = current_generation(index).path / META
    meta = json.loads(meta_path.read_text())
    meta["schema_version"] = 0
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(IndexVersionError, match="schema version 0.*searchlib rebuild SOURCE"):
        open_index(index)


# --- locking ---------------------------------------------------------------------


def test_a_second_writer_fails_at_once(index: Path, corpus: Path) -> None:
    with WriterLock(index), pytest.raises(IndexLockedError, match=f"pid {os.getpid()}.*--wait"):
        update_index([corpus], index)


def test_a_second_writer_waits_when_asked(index: Path, corpus: Path) -> None:
    lock = WriterLock(index)
    lock.acquire()
    threading.Timer(0.5, lock.release).start()
    started = time.monotonic()
    report = build_index([corpus], index, wait=True)
    assert report.generation == 2 and time.monotonic() - started >= 0.4


def test_cli_lock_contention_has_its_own_exit_code(index: Path, corpus: Path) -> None:
    with WriterLock(index):
        result = subprocess.run(
            [sys.executable, "-m", "searchlib", "update", str(corpus), "--index", str(index)],
            capture_output=True,
            text=True,
        )
    assert result.returncode == 3 and "Another searchlib job" in result.stderr


def test_a_stale_lock_is_recovered_with_a_message(index: Path, corpus: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (index / LOCK_NAME).write_text(json.dumps({"pid": int(dead.stdout), "started": "2026-11-21T02:30:00"}))
    report = update_index([corpus], index)
    assert any(f"stale lock left by pid {int(dead.stdout)}" in m for m in report.messages)
    assert (index / LOCK_NAME).read_text() == ""


# --- crash safety ------------------------------------------------------------------


def crash(command: str, point: str, corpus: Path, index: Path, *extra: str) -> None:
    env = {**os.environ, "SEARCHLIB_CRASH_AT": point}
    result = subprocess.run(
        [sys.executable, "-m", "searchlib", command, str(corpus), "--index", str(index), *extra],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == -9, result.stderr


@pytest.mark.parametrize("command", ["update", "rebuild"])
@pytest.mark.parametrize("point", ["segment", "commit", "switch"])
def test_kill_9_leaves_a_complete_index(index: Path, corpus: Path, command: str, point: str) -> None:
    for n in range(100, 106):
        (corpus / f"bai_{n}.txt").write_text(article(n), encoding="utf-8")
    crash(command, point, corpus, index)
    assert count(index) == 12 and count(index, "bắc thủy") == 12  # the previous complete content
    report = update_index([corpus], index)  # the next run cleans up and succeeds
    assert not [p for p in os.listdir(index) if p.startswith(".tmp-")]
    assert report.documents == 18 and count(index, "bắc thủy") == 18


def test_kill_9_of_a_parallel_build_leaves_no_worker_holding_the_lock(index: Path, corpus: Path) -> None:
    crash("rebuild", "segment", corpus, index, "--procs", "2")
    assert count(index) == 12
    report = build_index([corpus], index)  # would raise IndexLockedError if an orphan kept the flock
    assert report.documents == 12


# --- readers during writes ------------------------------------------------------------


def test_a_reader_never_fails_through_rebuilds_and_updates(tmp_path: Path, corpus: Path) -> None:
    path = tmp_path / "ix"
    build_index([corpus], path, keep=2)
    reader = open_index(path)
    failures: list[BaseException] = []
    totals: list[int] = []
    stop = threading.Event()

    def search_forever() -> None:
        while not stop.is_set():
            try:
                results = reader.search("bắc thủy", limit=3)
                assert results.total >= 12 and len(results.hits) == 3
                totals.append(results.total)
            except BaseException as exc:  # collected, reported below
                failures.append(exc)
            # A breath between searches: a thread that never lets go of the
            # GIL starves the writer, and the test took minutes to no purpose.
            stop.wait(0.005)

    thread = threading.Thread(target=search_forever)
    thread.start()
    try:
        for _ in range(3):
            build_index([corpus], path, keep=2)
        for n in range(50):
            (corpus / f"moi_{n:02d}.txt").write_text(article(300 + n), encoding="utf-8")
            update_index([corpus], path, keep=2)
    finally:
        stop.set()
        thread.join()
    assert failures == []
    assert reader.search("bắc thủy").total == 62  # the new documents, once switched
    # Searches all through the 53 switches (how many depends on the machine's
    # load), each seeing no fewer documents than the last.
    assert totals == sorted(totals) and len(totals) > 50 and len(set(totals)) > 1


def test_spelling_counts_are_saved_per_generation_and_carried_by_updates(index: Path, corpus: Path) -> None:
    counts = load_spellings(current_generation(index).path / SPELLINGS_FILE)
    assert counts["thủy"] == 12 and counts["bắc"] == 12 and "thuy" not in counts
    (corpus / "bai_300.txt").write_text(article(300, "Thuy và Thủy."), encoding="utf-8")
    update_index([corpus], index)
    counts = load_spellings(current_generation(index).path / SPELLINGS_FILE)
    assert counts["thủy"] == 13 and counts["thuy"] == 1


def test_a_parallel_build_counts_the_same_spellings_as_one_process(tmp_path: Path, corpus: Path) -> None:
    # The workers count them there (searchlib.parallel) and leave no part file behind.
    (corpus / "bai_300.txt").write_text(article(300, "Thuy và Thủy, HOÀ hoà."), encoding="utf-8")
    build_index([corpus], tmp_path / "one", procs=1)
    build_index([corpus], tmp_path / "two", procs=2)
    one, two = (current_generation(tmp_path / name).path for name in ("one", "two"))
    assert load_spellings(two / SPELLINGS_FILE) == load_spellings(one / SPELLINGS_FILE)
    assert load_spellings(two / SPELLINGS_FILE)["hòa"] == 1
    assert not list(two.glob("*.part"))
    assert count(tmp_path / "two", "thuy") == count(tmp_path / "one", "thuy") == 13


def test_replaced_and_deleted_articles_leave_the_spelling_counts(index: Path, corpus: Path) -> None:
    (corpus / "bai_300.txt").write_text(article(300, "Thuy và Thủy."), encoding="utf-8")
    (corpus / "bai_301.txt").write_text(article(301, "Thuy."), encoding="utf-8")
    update_index([corpus], index)
    (corpus / "bai_300.txt").write_text(article(300, "Sửa đổi."), encoding="utf-8")
    (corpus / "bai_000.txt").unlink()
    update_index([corpus], index, prune=True)
    counts = load_spellings(current_generation(index).path / SPELLINGS_FILE)
    # 12 + 2 articles, bai_000 deleted: 13 spell "thủy"; bai_300 no longer spells "thuy"
    assert counts["thủy"] == 13 and counts["thuy"] == 1 and "sửa" in counts


def test_an_abbreviation_learned_from_deleted_articles_is_forgotten(index: Path, corpus: Path) -> None:
    def learned() -> set[str]:
        rows = json.loads((current_generation(index).path / LEARNED_FILE).read_text(encoding="utf-8"))
        return {row[0] for row in rows}

    extra = "Ban Quản lý dự án (BQLDA) đã báo cáo."
    (corpus / "bai_300.txt").write_text(article(300, extra), encoding="utf-8")
    (corpus / "bai_301.txt").write_text(article(301, extra), encoding="utf-8")
    update_index([corpus], index)
    assert "BQLDA" in learned() and count(index, "BQLDA") == 2
    (corpus / "bai_300.txt").unlink()
    update_index([corpus], index, prune=True)
    assert "BQLDA" in learned()
    (corpus / "bai_301.txt").write_text(article(301), encoding="utf-8")
    update_index([corpus], index)
    assert "BQLDA" not in learned()


def test_an_update_never_changes_the_previous_generation(index: Path, corpus: Path) -> None:
    first = current_generation(index).path
    before = {p.name: p.read_bytes() for p in first.iterdir() if p.is_file()}
    (corpus / "bai_300.txt").write_text(article(300), encoding="utf-8")
    update_index([corpus], index)
    after = {p.name: p.read_bytes() for p in first.iterdir() if p.is_file()}
    assert after == before


def test_metadata_files_get_the_usual_permissions(index: Path) -> None:
    mask = os.umask(0)
    os.umask(mask)
    for name in (META, "manifest.json"):
        mode = (current_generation(index).path / name).stat().st_mode & 0o777
        assert mode == 0o666 & ~mask, name  # readable by a reader running as another user, as the umask says


def test_a_failed_writer_process_is_named_and_quiet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    import searchlib.parallel as parallel

    corpus = write_corpus(tmp_path / "many", 40)
    real = parallel.prepare_text

    def failing(fields: dict[str, object], counts: object) -> None:
        if fields["id"] == "bai_007":  # in a worker process (forked: the patch is there too)
            raise RuntimeError("no space for postings")
        real(fields, counts)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "prepare_text", failing)
    with pytest.raises(ValidationError, match=r"a writer process failed \(RuntimeError: no space for postings\)"):
        build_index([corpus], tmp_path / "ix", procs=2)
    assert capfd.readouterr().err == ""  # the library prints nothing, workers included


def test_a_generation_that_cannot_be_deleted_is_reported(
    index: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from searchlib import generations

    real = shutil.rmtree

    def denied(path: Path, onerror: object = None, **kw: object) -> None:
        if Path(path).name == "gen-000001" and callable(onerror):
            onerror(os.unlink, str(path), (PermissionError, PermissionError(13, "Permission denied"), None))
            return
        real(path, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(generations.shutil, "rmtree", denied)
    report = build_index([corpus], index, keep=1)
    assert any("Could not delete the old generation" in m and "Permission denied" in m for m in report.messages)
