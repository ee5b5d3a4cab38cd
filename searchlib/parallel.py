"""Whoosh's multi-process writer, with the workers also counting spellings.

A parallel build reads and extracts articles in the parent process and hands
them to :class:`whoosh.multiproc.MpWriter`'s worker processes, which analyse
and write one segment each. The spelling table (:mod:`searchlib.spellings`)
needs the distinct spellings of every document. Counting them in the parent
meant a second pass over every syllable of the corpus, a quarter of the
parent's time, while the workers already hold each document's spellings in
the postings they build. So each worker analyses the ``text`` field once,
counts the spellings from those postings, indexes the same postings, and
leaves its counts in a part file beside its segment for the parent to sum
after the commit (a queue could deadlock the join of a worker with a large
table still unsent).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
from collections import Counter
from pathlib import Path
from typing import Any

from whoosh.multiproc import MpWriter, SubWriterTask

from searchlib.schema import values_postings
from searchlib.spellings import SPELLINGS_FILE, load_spellings, save_spellings, spellings_of

__all__ = ["CountingMpWriter", "collect_parts", "prepare_text", "worker_errors"]

_PART_SUFFIX = ".part"


def prepare_text(fields: dict[str, Any], counts: Counter[str]) -> None:
    """Analyse *fields*' ``text`` value once: count its spellings and let the field index the postings."""
    postings = values_postings(fields["text"])
    counts.update(spellings_of(postings))
    fields["text"] = postings


_ERROR_SUFFIX = ".error"


class _CountingTask(SubWriterTask):
    def run(self) -> None:
        # Ctrl-C reaches the whole terminal's process group: the parent
        # handles it (and stops the workers, see CountingMpWriter.cancel),
        # not each worker with a traceback of its own. SIGTERM ends a worker
        # quietly, whatever handler the parent installed before the fork.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        self.counts: Counter[str] = Counter()
        folder = Path(self.storage.folder)
        try:
            super().run()
            if self.running:
                save_spellings(self.counts, folder / f"{SPELLINGS_FILE}.{os.getpid()}{_PART_SUFFIX}")
        except Exception as exc:
            # Said to the parent (worker_errors), not printed: a library
            # never writes to stderr, and a full disk is the parent's to report.
            with contextlib.suppress(OSError):
                (folder / f"worker.{os.getpid()}{_ERROR_SUFFIX}").write_text(f"{type(exc).__name__}: {exc}")
            raise SystemExit(1) from None

    def _process_file(self, filename: str, doc_count: int) -> None:
        # As SubWriterTask._process_file, with prepare_text() before each document.
        writer = self.writer
        tempstorage = writer.temp_storage()
        with tempstorage.open_file(filename).raw_file() as f:
            for _ in range(doc_count):
                code, args = pickle.load(f)
                assert code == 0, code
                prepare_text(args, self.counts)
                writer.add_document(**args)
        tempstorage.delete_file(filename)


class CountingMpWriter(MpWriter):
    """:class:`whoosh.multiproc.MpWriter` whose workers count spellings; see :func:`collect_parts`."""

    def _new_task(self) -> SubWriterTask:
        task = _CountingTask(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment
        )
        self.tasks.append(task)
        task.start()
        return task

    def cancel(self) -> None:
        # Whoosh's cancel only flags the parent's copies of the tasks: the
        # worker processes would wait on the job queue for ever, and Python
        # joins them at exit.
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
        for task in self.tasks:
            task.join(timeout=10)
        super().cancel()


def worker_errors(folder: Path) -> list[str]:
    """What the worker processes that failed in *folder* said (and remove it)."""
    said = []
    for note in sorted(folder.glob(f"worker.*{_ERROR_SUFFIX}")):
        with contextlib.suppress(OSError):
            said.append(note.read_text())
            note.unlink()
    return said


def collect_parts(folder: Path) -> Counter[str]:
    """Sum and remove the spelling counts the workers left in *folder*."""
    total: Counter[str] = Counter()
    for part in sorted(folder.glob(f"{SPELLINGS_FILE}.*{_PART_SUFFIX}")):
        total.update(load_spellings(part))
        part.unlink()
    return total
