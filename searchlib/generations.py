"""Writer-side handling of generations: create, clone, publish, prune, roll back.

Only the indexer calls these, always under the writer lock. See
:mod:`searchlib.layout` for the directory layout and the reasoning.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from typing import Any

from searchlib.errors import IndexCorruptError, SearchlibError
from searchlib.faults import checkpoint
from searchlib.layout import (
    CURRENT,
    META,
    TMP_PREFIX,
    Generation,
    current_generation,
    generation_name,
    generation_number,
    list_generations,
)

__all__ = [
    "clean_leftovers",
    "clone",
    "fsync_dir",
    "new_workdir",
    "next_number",
    "previous",
    "prune",
    "publish",
    "switch",
    "write_atomic",
]

# Whoosh's own lock file: never carried into a clone.
_WHOOSH_LOCK = "MAIN_WRITELOCK"


def next_number(root: Path) -> int:
    numbers = [g.number for g in list_generations(root)]
    return max(numbers, default=0) + 1


def new_workdir(root: Path, number: int) -> Path:
    """A fresh, empty directory to build generation *number* in."""
    path = root / f"{TMP_PREFIX}{generation_name(number)}-{os.getpid()}"
    path.mkdir(parents=True)
    return path


def clone(source: Path, target: Path, skip: frozenset[str] = frozenset()) -> None:
    """Hard-link every Whoosh file of *source* into *target*.

    Whoosh never rewrites a file it has written: a commit adds new segment
    files and a new TOC and unlinks the old ones. Unlinking a hard link in
    the clone leaves the live generation's files untouched, so a clone costs
    a few links instead of a copy of the whole index. Files named in *skip*
    (our own metadata, which each generation writes afresh) are not linked:
    writing to a linked file would change the old generation too.
    """
    for entry in os.scandir(source):
        # Not a temporary file a killed job left: linked, it would be written through.
        if (
            entry.is_file()
            and entry.name != _WHOOSH_LOCK
            and entry.name not in skip
            and not entry.name.endswith(".tmp")
        ):
            try:
                os.link(entry.path, target / entry.name)
            except OSError:
                shutil.copy2(entry.path, target / entry.name)


def write_atomic(path: Path, data: bytes, *, durable: bool = False) -> None:
    """Write *data* to *path* through a new file and a rename, never in place.

    In place, a write would go through a hard link into an older generation
    (see :func:`clone`). The temporary file is always created afresh
    (O_EXCL, after unlinking a stray one a killed job left, which may itself
    be such a link), with mode 0o666 less the umask like any file: mkstemp's
    0o600 would lock out readers running as another user. *durable* flushes
    the file and the directory entry to disk, for a write into a live
    generation, which no later :func:`publish` will flush.
    """
    name = str(path.with_name(f".{path.name}.{os.getpid()}.tmp"))
    with contextlib.suppress(FileNotFoundError):
        os.unlink(name)
    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    if durable:
        _fsync(path.parent)


def fsync_dir(path: Path | str) -> None:
    """Flush a directory's entries (a rename into it) to disk."""
    _fsync(path)


def _fsync(path: Path | str) -> None:
    """Flush a file, or a directory's entries, to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(root: Path, workdir: Path, number: int) -> Generation:
    """Make the finished *workdir* generation *number* and point CURRENT at it."""
    for entry in os.scandir(workdir):
        if entry.is_file():
            _fsync(entry.path)
    _fsync(workdir)  # the names of those files, too
    final = root / generation_name(number)
    os.rename(workdir, final)
    _fsync(root)
    checkpoint("switch")
    switch(root, final.name)
    return Generation(number, final)


def switch(root: Path, name: str) -> None:
    """Atomically point CURRENT at generation *name*."""
    tmp = root / f"{TMP_PREFIX}{CURRENT}-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, root / CURRENT)
    _fsync(root)


def prune(root: Path, keep: int) -> list[str]:
    """Delete all but the *keep* newest generations, never the live one; what could not be deleted, and why.

    A generation another user wrote (one ``sudo searchlib rebuild``) cannot
    be deleted by the nightly job's user: said, or it would hold its disk
    space for ever while rollbacks drift back to it.
    """
    live = current_generation(root).number
    stuck = []
    for generation in list_generations(root)[: -max(keep, 1)]:
        if generation.number != live and (why := _remove(generation.path)):
            stuck.append(
                f"Could not delete the old generation {generation.path} ({why}); "
                "delete it as the user that wrote it, or fix its owner."
            )
    return stuck


def _remove(path: Path) -> str | None:
    """Delete the folder *path*; the first reason it could not be, if any."""
    errors: list[str] = []

    def said(_function: Any, _path: str, info: Any) -> None:
        exc = info[1]
        errors.append(exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc))

    shutil.rmtree(path, onerror=said)
    return errors[0] if errors else None


def _live_number(root: Path) -> int | None:
    try:
        return current_generation(root).number
    except SearchlibError:
        return None


def previous(root: Path) -> Generation:
    """The newest generation older than the live one.

    When the pointer names a generation that is gone, or cannot be read at
    all, the newest complete one below what it names (or at all): rollback is
    what the error of a missing generation tells the operator to run.
    """
    try:
        live: int | None = current_generation(root).number
        complete = list_generations(root)
    except IndexCorruptError:
        try:
            live = generation_number((root / CURRENT).read_text(encoding="utf-8").strip())
        except (OSError, UnicodeDecodeError):
            live = None
        complete = [g for g in list_generations(root) if (g.path / META).is_file()]
    older = [g for g in complete if live is None or g.number < live]
    if not older:
        raise SearchlibError(
            f"No earlier generation to roll back to in {root}. Rebuild it: searchlib rebuild SOURCE..."
        )
    return older[-1]


def clean_leftovers(root: Path) -> list[str]:
    """Remove what dead writers left: work directories, pointer temp files,
    and a finished generation that never went live (a crash between its
    rename and the pointer switch; nothing ever read it).

    Called under the writer lock, so nothing else can be using them.
    """
    removed = []
    live = _live_number(root)
    if live is not None:
        for generation in list_generations(root):
            if generation.number > live:
                shutil.rmtree(generation.path, ignore_errors=True)
                removed.append(generation.path.name)
    if live is not None:
        # A temporary file a job killed while writing into the live generation left.
        for entry in os.scandir(current_generation(root).path):
            if entry.name.endswith(".tmp") and entry.is_file():
                os.unlink(entry.path)
                removed.append(entry.name)
    for entry in os.scandir(root):
        if entry.name.startswith(TMP_PREFIX):
            if entry.is_dir():
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
            removed.append(entry.name)
    return removed
