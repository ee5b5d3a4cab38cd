"""Named crash points, for the crash-safety tests.

With ``SEARCHLIB_CRASH_AT=<name>`` in its environment, a writer kills itself
with SIGKILL (the same as ``kill -9``: no cleanup, no atexit) when it
reaches that point. The tests use this to crash an update or a rebuild at a
precise moment and check that the index still opens with complete content.
Without the variable a checkpoint costs one dictionary lookup.

Points: ``segment`` (after a few documents were analysed), ``commit``
(inside Whoosh's commit, while posting blocks are being written),
``switch`` (the new generation is in place, the pointer not yet moved).
"""

from __future__ import annotations

import os
import signal

__all__ = ["CRASH_ENV", "checkpoint"]

CRASH_ENV = "SEARCHLIB_CRASH_AT"


def checkpoint(name: str) -> None:
    """Die here, as if killed with ``kill -9``, when the tests ask for *name*."""
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
