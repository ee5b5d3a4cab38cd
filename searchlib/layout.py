"""Where an index lives on disk, read-only helpers shared by readers and the writer.

An index is a directory holding *generations*, each a complete Whoosh index,
and a pointer to the live one::

    index/
      CURRENT          "gen-000007": replaced atomically with os.replace()
      gen-000007/      the live generation (Whoosh files + searchlib.json)
      gen-000006/      kept for rollback and for readers still on it
      .tmp-gen-000008-1234/   a build in progress (removed if its writer died)
      .lock            held by the one writer

Writers never modify a generation that is, or was, live: every change builds
a new generation and then moves the pointer. A reader therefore always opens
a complete index, whatever a writer is doing or however it died.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from searchlib.errors import IndexCorruptError, IndexNotFoundError, IndexVersionError
from searchlib.schema import SCHEMA_VERSION

__all__ = [
    "CURRENT",
    "META",
    "Generation",
    "check_files",
    "current_generation",
    "default_path",
    "generation_name",
    "list_generations",
    "pointer_signature",
    "read_meta",
    "whoosh_files",
]

CURRENT = "CURRENT"
META = "searchlib.json"
GEN_PREFIX = "gen-"
TMP_PREFIX = ".tmp-"
ENV_VAR = "SEARCHLIB_INDEX"


def default_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The index location: *path*, else ``$SEARCHLIB_INDEX``, else ``./index``."""
    if path is not None:
        return Path(path)
    return Path(os.environ.get(ENV_VAR) or "index")


def generation_name(number: int) -> str:
    return f"{GEN_PREFIX}{number:06d}"


def generation_number(name: str) -> int | None:
    if not name.startswith(GEN_PREFIX):
        return None
    digits = name[len(GEN_PREFIX) :]
    return int(digits) if digits.isdigit() else None


@dataclass(frozen=True)
class Generation:
    """One complete index inside the root directory."""

    number: int
    path: Path


def list_generations(root: Path) -> list[Generation]:
    """Every finished generation under *root*, oldest first."""
    found = []
    try:
        entries = list(os.scandir(root))
    except FileNotFoundError:
        return []
    for entry in entries:
        number = generation_number(entry.name)
        if number is not None and entry.is_dir():
            found.append(Generation(number, Path(entry.path)))
    return sorted(found, key=lambda g: g.number)


def pointer_signature(root: Path) -> tuple[int, int] | None:
    """A cheap fingerprint of the CURRENT pointer; changes when it is replaced."""
    try:
        st = os.stat(root / CURRENT)
    except (FileNotFoundError, NotADirectoryError):  # no index there: current_generation() says so
        return None
    return (st.st_ino, st.st_mtime_ns)


def _holds_articles(root: Path) -> bool:
    """Whether *root* looks like a folder of scraped articles (a few entries looked at, no more)."""
    try:
        with os.scandir(root) as entries:
            for _, entry in zip(range(50), entries):
                if entry.name.lower().endswith((".txt", ".jsonl")):
                    return True
    except OSError:
        return False
    return False


def current_generation(root: Path) -> Generation:
    """The live generation, or a clear error saying how to build one."""
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        if root.is_dir() and (root / META).exists():
            # A bare generation directory opened directly (read-only use).
            return Generation(0, root)
        if _holds_articles(root):
            folder = root.resolve()  # "." has no name to build on
            raise IndexNotFoundError(
                f"{root} holds articles, not an index. Index them into a folder of their own: "
                f"searchlib index {root} --index {folder.parent / (folder.name + '-index')}"
            ) from None
        raise IndexNotFoundError(
            f"No index at {root}. Build one with: searchlib index SOURCE... --index {root}"
        ) from None
    except OSError as exc:
        raise IndexCorruptError(f"Cannot read the index pointer {root / CURRENT}: {exc}") from exc
    number = generation_number(name)
    if number is None or not (root / name).is_dir():
        raise IndexCorruptError(
            f"The index at {root} points to a missing generation {name!r}. "
            f"Run: searchlib rollback --index {root}, or rebuild it."
        )
    return Generation(number, root / name)


def read_meta(generation: Path) -> dict[str, Any]:
    """The generation's metadata, checked against this version of the schema."""
    try:
        meta: dict[str, Any] = json.loads((generation / META).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexCorruptError(
            f"{generation} is not a searchlib index (no {META}). Rebuild it with: searchlib rebuild SOURCE..."
        ) from None
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(f"Cannot read {generation / META}: {exc}") from exc
    version = meta.get("schema_version")
    if version != SCHEMA_VERSION:
        raise IndexVersionError(
            f"The index at {generation.parent} was built with schema version {version}; "
            f"this searchlib uses version {SCHEMA_VERSION}. "
            f"Rebuild it with: searchlib rebuild SOURCE... --index {generation.parent}"
        )
    return meta


def whoosh_files(generation: Path) -> dict[str, int]:
    """The size of each of Whoosh's files in *generation*: written once, never changed after."""
    with os.scandir(generation) as entries:
        return {
            e.name: e.stat().st_size
            for e in entries
            if e.is_file()
            and e.name.startswith(("MAIN_", "_MAIN_"))
            and e.name != "MAIN_WRITELOCK"
            and not e.name.endswith(".tmp")
        }


def check_files(generation: Path, meta: dict[str, Any]) -> None:
    """Raise IndexCorruptError if a Whoosh file of *generation* is gone or has another size than when written.

    A truncated posting file makes Whoosh raise a bare ``Exception`` mid-search,
    and a truncated column reads as zeros: every date unknown, no error at all.
    A generation written before the sizes were recorded is not checked.
    """
    recorded = meta.get("files")
    if not isinstance(recorded, dict):
        return
    for name, size in sorted(recorded.items()):
        try:
            actual: int | None = (generation / name).stat().st_size
        except FileNotFoundError:
            actual = None
        except OSError as exc:
            raise IndexCorruptError(f"Cannot read {generation / name}: {exc}") from exc
        if actual != size:
            state = "is missing" if actual is None else f"is {actual:,} bytes, {size:,} when written"
            raise IndexCorruptError(
                f"The index at {generation.parent} is damaged: {name} in {generation.name} {state}. "
                f"Run: searchlib rollback --index {generation.parent}, or searchlib rebuild SOURCE..."
            )
