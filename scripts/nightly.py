#!/usr/bin/env python3
"""The nightly job: bring the index up to date with the scrapers' folder.

    scripts/nightly.py /srv/articles --index /srv/searchlib/index
    scripts/nightly.py /srv/articles --mode rebuild --keep 5

Runs ``update --prune`` (new, changed and vanished articles; the default) or
a full ``rebuild`` (also what an update does when there is no index yet, or
when it was built by an older schema version), and prints exactly one JSON line, also appended to
``--log`` when given:

    {"status": "ok", "mode": "update", "added": 12, "updated": 3, "deleted": 1,
     "failed": 0, "duration": 41.2, "generation": 18, ...}

On failure the line has ``"status": "error"`` and the reason, the exit code
is non-zero (1 error, 3 another job holds the index, 4 validation failed,
143 stopped by SIGTERM), and the index keeps serving what was live before. When the new index went
live but some sources could not be read, the line has ``"status": "partial"``
with the failures, and the exit code is 5. Cron and systemd files
for it are in scripts/ (see the README).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from pathlib import Path
from typing import Any

from searchlib import (
    IndexCorruptError,
    IndexLockedError,
    IndexNotFoundError,
    IndexVersionError,
    SearchlibError,
    ValidationError,
)
from searchlib.indexer import build_index, update_index
from searchlib.layout import current_generation, default_path
from searchlib.sources import failure_records

EXIT_ERROR, EXIT_LOCKED, EXIT_INVALID, EXIT_PARTIAL = 1, 3, 4, 5


class Stopped(BaseException):
    """SIGTERM (systemd stopping the unit or its timeout, timeout(1)): the job ends with its line.

    A BaseException, as KeyboardInterrupt is: the library's handlers of
    ordinary errors must not take it for one of theirs.
    """


def _stop(signum: int, frame: Any) -> None:
    raise Stopped(f"stopped by {signal.Signals(signum).name}")


def _live(index: Path | None) -> int | None:
    """The live generation's number, None when there is none."""
    try:
        return current_generation(default_path(index)).number
    except SearchlibError:
        return None


def _stopped(exc: Stopped, before: int | None, index: Path | None) -> str:
    """What a stop left serving: the stop may come after the switch, while old generations are deleted."""
    after = _live(index)
    if after is not None and after != before:
        return f"{exc} after generation {after} went live; old generations may not all be deleted"
    return f"{exc}; {'the live index was kept' if before is not None else 'nothing went live (there was no index yet)'}"


def run(args: argparse.Namespace) -> tuple[dict[str, Any], int]:
    options: dict[str, Any] = {
        "max_failed": args.max_failed,
        "max_deleted": args.max_deleted,
        "keep": args.keep,
        "wait": args.wait or False,
    }
    started = time.monotonic()
    # The index the job writes, wherever it was named ($SEARCHLIB_INDEX too): the log says which.
    line: dict[str, Any] = {"event": "searchlib-nightly", "mode": args.mode, "index": str(default_path(args.index))}
    before = _live(args.index)
    try:
        if args.mode == "rebuild":
            report = build_index(args.sources, args.index, **options)
        else:
            try:
                report = update_index(args.sources, args.index, prune=True, **options)
            except (IndexNotFoundError, IndexVersionError, IndexCorruptError) as exc:
                # The first night, the night after an upgrade that changed
                # the schema, or a live generation that is damaged or gone:
                # nothing to update, so build it whole (validated as ever).
                line.update(mode="rebuild", reason=str(exc))
                report = build_index(args.sources, args.index, **options)
    except Stopped as exc:
        # As a shell reports a process killed by the signal, so the scheduler sees a stop, not a failure.
        error = _stopped(exc, before, args.index)
        return {**line, "status": "error", "error": error, "duration": _since(started)}, 128 + signal.SIGTERM
    except IndexLockedError as exc:
        return {**line, "status": "error", "error": str(exc), "duration": _since(started)}, EXIT_LOCKED
    except ValidationError as exc:
        failures = failure_records(exc.failed)
        return {
            **line,
            "status": "error",
            "error": str(exc),
            "failed": len(exc.failed),
            "failures": failures,
            "duration": _since(started),
        }, EXIT_INVALID
    except SearchlibError as exc:
        return {**line, "status": "error", "error": str(exc), "duration": _since(started)}, EXIT_ERROR
    except Exception as exc:  # a scheduler needs its line whatever went wrong
        error = f"{type(exc).__name__}: {exc}"
        return {**line, "status": "error", "error": error, "duration": _since(started)}, EXIT_ERROR
    if report.failed:
        # The good articles went live; the exit code still flags the files
        # the scrapers should look at (listed under "failures").
        return {**line, "status": "partial", **report.summary()}, EXIT_PARTIAL
    return {**line, "status": "ok", **report.summary()}, 0


def _share(value: str) -> float:
    share = float(value)
    if not 0 <= share <= 1:
        raise argparse.ArgumentTypeError(f"{value} is not a share between 0 and 1")
    return share


def _since(started: float) -> float:
    return round(time.monotonic() - started, 3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="+", help="folders or files of raw articles (.txt, .jsonl)")
    parser.add_argument("--index", type=Path, default=None, help="index directory [$SEARCHLIB_INDEX or ./index]")
    parser.add_argument("--mode", choices=["update", "rebuild"], default="update")
    parser.add_argument(
        "--max-failed", type=_share, default=0.2, help="largest share of failed sources that may go live (0 to 1)"
    )
    parser.add_argument(
        "--max-deleted",
        type=_share,
        default=0.5,
        help="largest share of the live articles the job may drop (0 to 1), by pruning or by rebuilding: a "
        "folder that did not mount, or mounted half, looks like its articles deleted",
    )
    parser.add_argument("--keep", type=int, default=3, help="generations kept for rollback")
    parser.add_argument("--wait", type=float, default=600, help="seconds to wait for another writer (0: fail at once)")
    parser.add_argument("--log", type=Path, help="also append the JSON line to this file")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _stop)
    line, code = run(args)
    text = json.dumps(line, ensure_ascii=False)
    print(text, flush=True)
    if args.log:
        try:
            args.log.parent.mkdir(parents=True, exist_ok=True)
            with open(args.log, "a", encoding="utf-8") as handle:
                handle.write(text + "\n")
        except OSError as exc:
            # The index is written either way; a log that cannot be kept is an error of its own.
            print(f"Error: cannot append to the log {args.log}: {exc.strerror or exc}", file=sys.stderr)
            return code or EXIT_ERROR
    return code


if __name__ == "__main__":
    sys.exit(main())
