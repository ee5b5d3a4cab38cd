"""The writer lock: one job writes an index at a time.

The lock is an ``flock`` on ``<index>/.lock``. The kernel drops an flock
when its process dies, so a job killed with ``kill -9`` can never wedge the
index. The file's content (pid, start time, command) is informational: it
names the holder in the "locked" message, and a non-empty file found by a
new holder means the previous job died without cleaning up, which is
reported as a recovered stale lock.

A forked child shares its parent's lock (an flock belongs to the open file,
which fork duplicates), so the parallel writer's workers would keep the
index locked after their parent was killed. Children therefore close their
copy at fork, and on Linux ask to be killed with their parent.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import json
import os
import signal
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from searchlib.errors import IndexLockedError

__all__ = ["WriterLock"]

LOCK_NAME = ".lock"


_HELD: set[int] = set()  # file descriptors of the locks this process holds


def _after_fork_in_child() -> None:
    if not _HELD:
        return
    for fd in list(_HELD):
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()
    _die_with_parent()


def _die_with_parent() -> None:
    """Linux only: SIGKILL this process when its parent dies (prctl PR_SET_PDEATHSIG)."""
    if sys.platform != "linux":
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)


os.register_at_fork(after_in_child=_after_fork_in_child)


class WriterLock:
    """Exclusive writer lock on an index root.

    *wait* is False to fail at once, True to wait forever, or a number of
    seconds to wait before failing.
    """

    def __init__(self, root: Path, *, wait: bool | float = False) -> None:
        self.root = root
        self.wait = wait
        self.recovered: dict[str, Any] | None = None
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        # Held open until release(): the flock lives as long as this handle.
        handle = open(self.root / LOCK_NAME, "a+", encoding="utf-8")  # noqa: SIM115
        try:
            self._flock(handle)
            handle.seek(0)
            previous = handle.read().strip()
            if previous:
                self.recovered = _parse(previous)
            # Unbuffered, and allowed to fail: on a full disk the holder's
            # name cannot be written, but the flock is what locks, and this
            # job must go on to remove what a failed one left behind.
            fd = handle.fileno()
            os.ftruncate(fd, 0)
            with contextlib.suppress(OSError):
                os.pwrite(fd, json.dumps(_holder_info(), ensure_ascii=False).encode("utf-8"), 0)
        except BaseException:
            handle.close()
            raise
        self._file = handle
        _HELD.add(handle.fileno())

    def _flock(self, handle: IO[str]) -> None:
        deadline = None if self.wait is True else time.monotonic() + float(self.wait or 0)
        delay = 0.05
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if deadline is not None and time.monotonic() >= deadline:
                    handle.seek(0)
                    raise IndexLockedError(_locked_message(self.root, handle.read())) from None
                time.sleep(delay)
                delay = min(delay * 2, 1.0)

    def release(self) -> None:
        if self._file is None:
            return
        _HELD.discard(self._file.fileno())
        # Empty content marks a clean release; see the module docstring.
        os.ftruncate(self._file.fileno(), 0)
        fcntl.flock(self._file, fcntl.LOCK_UN)
        self._file.close()
        self._file = None

    def __enter__(self) -> WriterLock:
        self.acquire()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


def _holder_info() -> dict[str, Any]:
    # An argument that is not UTF-8 (a file name from an old share) is shown with its bytes escaped.
    command = " ".join(os.fsencode(arg).decode("utf-8", "backslashreplace") for arg in sys.argv)
    return {"pid": os.getpid(), "started": time.strftime("%Y-%m-%dT%H:%M:%S"), "command": command}


def _parse(content: str) -> dict[str, Any]:
    try:
        info = json.loads(content)
        return info if isinstance(info, dict) else {"raw": content}
    except ValueError:
        return {"raw": content}


def _locked_message(root: Path, content: str) -> str:
    info = _parse(content.strip()) if content.strip() else {}
    holder = f" (pid {info['pid']}, started {info.get('started', '?')})" if "pid" in info else ""
    return (
        f"Another searchlib job{holder} is writing the index at {root}. "
        "Wait for it to finish, or run again with --wait."
    )


def describe_stale(info: dict[str, Any]) -> str:
    """A one-line message about a lock recovered from a job that died."""
    pid = info.get("pid", "?")
    return f"Recovered a stale lock left by pid {pid} (started {info.get('started', '?')}), which died without releasing it."
