"""scripts/nightly.py: one JSON line per run, and exit codes a scheduler can act on."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from searchlib import open_index
from searchlib.lock import WriterLock

from .conftest import SAMPLE

NIGHTLY = Path(__file__).resolve().parents[1] / "scripts" / "nightly.py"


def nightly(*args: str) -> tuple[int, dict[str, object], str]:
    done = subprocess.run(
        [sys.executable, str(NIGHTLY), *args], capture_output=True, text=True, timeout=120, env={**os.environ}
    )
    lines = done.stdout.splitlines()
    assert len(lines) == 1, done.stdout + done.stderr
    return done.returncode, json.loads(lines[0]), done.stderr


def test_update_then_nothing_to_do_then_a_bad_file_then_locked(tmp_path: Path) -> None:
    articles, index, log = tmp_path / "articles", tmp_path / "ix", tmp_path / "nightly.jsonl"
    shutil.copytree(SAMPLE, articles, ignore=shutil.ignore_patterns("*.jsonl"))
    count = len(list(articles.glob("*.txt")))

    code, line, _ = nightly(str(articles), "--index", str(index), "--log", str(log))
    assert code == 0 and line["status"] == "ok" and line["mode"] == "rebuild"  # no index yet
    assert line["added"] == count and line["failed"] == 0 and line["generation"] == 1
    assert {"updated", "deleted", "duration"} <= line.keys()

    code, line, _ = nightly(str(articles), "--index", str(index), "--log", str(log))
    assert code == 0 and line["added"] == 0 and line["unchanged"] == count
    assert (line["generation"], line["published"]) == (1, False)  # nothing changed: no new generation

    (articles / "broken.txt").write_bytes(b"\x00\x01\x02\xff\xfe\x00 binary")
    (articles / "01_hoi_nghi_bch_tong_ket_nam.txt").unlink()
    code, line, _ = nightly(str(articles), "--index", str(index), "--log", str(log))
    assert code == 5 and line["status"] == "partial"
    assert line["failed"] == 1 and line["deleted"] == 1  # --prune is the nightly default
    assert open_index(index).stats().documents == count - 1

    with WriterLock(index):
        code, line, _ = nightly(str(articles), "--index", str(index), "--wait", "0")
    assert code == 3 and line["status"] == "error" and "--wait" in str(line["error"])

    logged = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
    assert [x["status"] for x in logged] == ["ok", "ok", "partial"]


def test_a_failed_rebuild_keeps_the_old_index_serving(tmp_path: Path) -> None:
    articles, index = tmp_path / "articles", tmp_path / "ix"
    shutil.copytree(SAMPLE, articles, ignore=shutil.ignore_patterns("*.jsonl"))
    assert nightly(str(articles), "--index", str(index))[0] == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "only.txt").write_bytes(b"\x00\x01 binary only")
    code, line, _ = nightly(str(empty), "--index", str(index), "--mode", "rebuild")
    assert code == 4 and line["status"] == "error"
    hits = open_index(index).search("hội nghị").hits
    assert hits, "the previous generation must still answer"


def test_any_failure_still_logs_one_line(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    shutil.copytree(SAMPLE, articles, ignore=shutil.ignore_patterns("*.jsonl"))
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    code, line, _ = nightly(str(articles), "--index", str(tmp_path / "afile"))
    assert code == 1 and line["status"] == "error" and "afile" in str(line["error"])


def test_a_refused_rebuild_names_its_failures(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.txt").write_bytes(b"\x00\xff binary \x00" * 20)
    code, line, _ = nightly(str(bad), "--index", str(tmp_path / "ix"))
    assert code == 4 and line["failed"] == 1 and line["failures"][0]["source"] == str(bad / "x.txt")


def test_the_log_folder_is_made_and_the_line_names_the_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    articles, log = tmp_path / "articles", tmp_path / "var" / "log" / "searchlib" / "nightly.jsonl"
    shutil.copytree(SAMPLE, articles, ignore=shutil.ignore_patterns("*.jsonl"))
    monkeypatch.setenv("SEARCHLIB_INDEX", str(tmp_path / "ix"))  # as the shipped cron line and unit set it
    code, line, _ = nightly(str(articles), "--log", str(log))
    assert code == 0 and line["index"] == str(tmp_path / "ix")
    assert json.loads(log.read_text(encoding="utf-8"))["status"] == "ok"


def test_a_source_folder_that_did_not_mount_deletes_nothing(tmp_path: Path) -> None:
    current, archive, index = tmp_path / "current", tmp_path / "archive", str(tmp_path / "ix")
    shutil.copytree(SAMPLE, archive, ignore=shutil.ignore_patterns("*.jsonl"))
    current.mkdir()
    for n in range(5):
        (current / f"tin_moi_{n}.txt").write_text(f"Tin mới {n}\n\nHội nghị tỉnh bàn về nông thôn mới.\n", "utf-8")
    assert nightly(str(current), str(archive), "--index", index)[0] == 0
    shutil.rmtree(archive)
    code, line, _ = nightly(str(current), str(archive), "--index", index)  # missing: kept, and said
    assert code == 5 and line["deleted"] == 0 and "no such file" in str(line["failures"])
    archive.mkdir()  # an empty mount point: every article looks deleted
    code, line, _ = nightly(str(current), str(archive), "--index", index)
    assert code == 4 and "--max-deleted" in str(line["error"])
    assert open_index(index).stats().documents > 1


def test_stopped_by_sigterm_it_still_writes_its_line(tmp_path: Path) -> None:
    import signal
    import time

    articles, log = tmp_path / "articles", tmp_path / "nightly.jsonl"
    shutil.copytree(SAMPLE, articles, ignore=shutil.ignore_patterns("*.jsonl"))
    os.mkfifo(articles / "feed.jsonl")  # a feed nobody writes: the job waits on it, as on a slow share
    job = subprocess.Popen(
        [sys.executable, str(NIGHTLY), str(articles), "--index", str(tmp_path / "ix"), "--log", str(log)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(3)  # past the imports, into the scan
    job.send_signal(signal.SIGTERM)
    out, err = job.communicate(timeout=60)
    line = json.loads(out)
    assert job.returncode == 128 + signal.SIGTERM and err == ""
    assert line["status"] == "error" and "SIGTERM" in str(line["error"])
    assert json.loads(log.read_text(encoding="utf-8")) == line


def test_a_stop_after_the_switch_says_the_new_generation_serves(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("nightly_script", NIGHTLY)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    index = tmp_path / "ix"
    stop = script.Stopped("stopped by SIGTERM")
    assert script._stopped(stop, None, index).endswith("nothing went live (there was no index yet)")
    code, _, _ = nightly(str(SAMPLE), "--index", str(index))
    assert code == 0
    assert script._stopped(stop, 1, index).endswith("the live index was kept")
    assert "after generation 1 went live" in script._stopped(stop, None, index)
    assert not isinstance(stop, Exception)  # past the library's handlers of ordinary errors
