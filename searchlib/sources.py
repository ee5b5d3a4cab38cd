"""Turn source paths (files, folders, ``.jsonl``) into documents to index.

Each item a source yields carries a *key* (where it came from: a file path,
or ``path#line`` for a JSON Lines record) and a *checksum* of its raw
content. Updates compare checksums by key to skip unchanged articles before
paying for extraction and segmentation.

Reading and hashing every unchanged file was a fifth of a nightly update, so
a file also carries a *signature*, its size and modification time, as rsync
and git use them: when the signature matches the one recorded with the
checksum, the file is taken as unchanged without being read. A file modified
shortly before it was read gets no signature (it could change again within
the same timestamp), and the signature holds the extraction version, so
those files, and every file after an extraction change, are hashed as before.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from searchlib.document import Document
from searchlib.errors import SourceError

__all__ = [
    "ARTICLE_SUFFIXES",
    "Failure",
    "Loaded",
    "Signature",
    "Unchanged",
    "count_items",
    "count_scanned",
    "iter_documents",
    "iter_scanned",
    "key_file",
    "scan",
    "signature",
]

ARTICLE_SUFFIXES = {".txt"}
RECORD_SUFFIXES = {".jsonl"}
#: A record's key is its file's resolved path, this, and its id: ``/news/day.jsonl#a1``.
RECORD_MARK = ".jsonl#"


def key_file(key: str) -> str:
    """The resolved path of the file a source key comes from."""
    at = key.find(RECORD_MARK)
    return key if at < 0 else key[: at + len(RECORD_MARK) - 1]


#: The reason of a source path that does not exist.
NO_SUCH_SOURCE = "no such file or folder"


#: ``(extraction version, size, modification time in ns)`` of a file.
Signature = tuple[int, int, int]


@dataclass(frozen=True)
class Loaded:
    """A document ready to index."""

    key: str
    checksum: str
    document: Document
    #: What to record so that the next update can skip reading the file.
    signature: Signature | None = None


@dataclass(frozen=True)
class Unchanged:
    """A source item whose checksum matches the one already indexed."""

    key: str
    checksum: str
    signature: Signature | None = None


@dataclass(frozen=True)
class Failure:
    """A source item that could not be read; the rest of the build goes on."""

    key: str
    reason: str


#: Failures listed in a log or JSON line (stderr lists them all).
FAILURES_LISTED = 20


def failure_records(failed: list[Failure], limit: int = FAILURES_LISTED) -> list[dict[str, str]]:
    """The first *limit* failures as ``{"source", "reason"}`` records, for JSON lines."""
    return [{"source": f.key, "reason": f.reason} for f in failed[:limit]]


#: Bump when extraction changes what a raw article yields. The checksums
#: then all differ from the indexed ones, so the next ``update`` re-extracts
#: every article instead of keeping Documents the old rules made.
EXTRACTION_VERSION = 6


#: Largest article file (or ``.jsonl`` line) read. VNTC's largest article is
#: 100 KB and a saved page a few hundred: a larger one is articles run
#: together or not an article, and segmenting it as one would cost the build
#: a hundred times its size in memory and every search that touches it seconds.
MAX_ARTICLE_BYTES = 4 * 1024 * 1024

#: A file modified less than this long before it is read gets no signature.
SETTLED_NS = 2_000_000_000


def signature(stat: os.stat_result) -> Signature | None:
    """The signature of a file with this *stat*, or None while it may still change unseen."""
    if time.time_ns() - stat.st_mtime_ns < SETTLED_NS:
        return None
    return (EXTRACTION_VERSION, stat.st_size, stat.st_mtime_ns)


def checksum(data: bytes) -> str:
    """The checksum of *data* as this version of extraction reads it."""
    return hashlib.blake2b(data, digest_size=16, person=b"searchlib-x%d" % EXTRACTION_VERSION).hexdigest()


def scan(sources: Iterable[str | os.PathLike[str]] | str | os.PathLike[str]) -> tuple[list[Path], list[Failure]]:
    """Expand folders into the files they contain, sorted; report missing paths.

    One path alone is taken as one source, not as the characters of its name.
    """
    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    files: list[Path] = []
    failures: list[Failure] = []
    for source in sources:
        if not isinstance(source, (str, os.PathLike)):
            raise SourceError(f"A source is the path of a file or folder, not {type(source).__name__} ({source!r}).")
        path = Path(source)
        if path.is_dir():
            # By parts, which is Path's own order on POSIX, compared in C
            # rather than through Path.__lt__ (a third of the scan).
            files.extend(sorted(_walk(path, failures), key=lambda p: p.parts))
        elif path.is_file():
            if _undecodable(path):
                failures.append(Failure(_shown(path), UNDECODABLE_NAME))
            else:
                files.append(path)
        else:
            failures.append(Failure(str(path), NO_SUCH_SOURCE))
    return _distinct(files), failures


def _distinct(files: list[Path]) -> list[Path]:
    """*files* without the second path to one file: a link (``latest.txt``), or sources that overlap.

    Both would be the same source key with two ids (an id comes from the
    file's name), and the build would fail its own count. The file itself
    wins over a link to it.
    """
    real = _RealPaths()
    keys = [real(p) for p in files]
    if len(set(keys)) == len(keys):
        return files
    links = [os.path.islink(p) for p in files]
    plain = {k for k, link in zip(keys, links) if not link}
    out: list[Path] = []
    taken: set[str] = set()
    for path, key, link in zip(files, keys, links):
        if key in taken or (link and key in plain):
            continue
        taken.add(key)
        out.append(path)
    return out


def count_items(sources: Iterable[str | os.PathLike[str]] | str | os.PathLike[str]) -> int:
    """How many items :func:`iter_documents` will yield, for a progress bar."""
    return count_scanned(*scan(sources))


def count_scanned(files: list[Path], failures: list[Failure], lines: dict[Path, int] | None = None) -> int:
    """How many items :func:`iter_scanned` will yield for these scanned files.

    *lines*, when given, receives the records counted in each ``.jsonl``
    file: passed on to :func:`iter_scanned`, it reads no more than those, so
    that a feed a scraper appends to during the run does not make the count
    disagree (the new lines are read by the next run).
    """
    total = len(failures)
    for path in files:
        if path.suffix.lower() in RECORD_SUFFIXES:
            try:
                with open(path, "rb") as handle:  # split as _records splits: CR alone ends a line too
                    counted = sum(1 for line in handle.read().splitlines() if line.strip())
            except OSError:
                counted = 1  # one failure
            else:
                if lines is not None:
                    lines[path] = counted
            total += counted
        else:
            total += 1
    return total


def _walk(folder: Path, failures: list[Failure]) -> Iterator[Path]:
    # String operations, not a Path per name: a nightly update walks every
    # file of the archive, and Path(name).suffix cost more than the walk.
    wanted = ARTICLE_SUFFIXES | RECORD_SUFFIXES

    def unreadable(exc: OSError) -> None:
        # Said, not skipped in silence: its articles are not read tonight (nor pruned).
        failures.append(Failure(str(exc.filename or folder), f"cannot read folder: {exc.strerror or exc}"))

    for dirpath, dirnames, filenames in os.walk(folder, onerror=unreadable):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        base = Path(dirpath)
        for name in filenames:
            if os.path.splitext(name)[1].lower() in wanted:
                path = base / name
                if _undecodable(path):
                    failures.append(Failure(_shown(path), UNDECODABLE_NAME))
                    continue
                yield path


#: Why a file whose name is not UTF-8 is not read.
UNDECODABLE_NAME = "its name is not UTF-8 (an old share or scraper wrote it); rename it, e.g. with convmv"


def _undecodable(path: Path) -> bool:
    """Whether *path* holds bytes that are not UTF-8 (Python carries them as lone surrogates).

    Its id, its stored path and the manifest are text: such a file would
    stop the whole build at the first write, every night, without its name.
    """
    try:
        os.fspath(path).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _shown(path: Path) -> str:
    """*path* printable, its stray bytes as ``\\xe9``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def iter_documents(
    sources: Iterable[str | os.PathLike[str]], known: Mapping[str, str] | None = None
) -> Iterator[Loaded | Unchanged | Failure]:
    """Every item of *sources*, in a stable order.

    Items whose key maps to the same checksum in *known* come back as
    :class:`Unchanged` without being parsed.
    """
    yield from iter_scanned(*scan(sources), known=known)


def iter_scanned(
    files: list[Path],
    failures: list[Failure],
    known: Mapping[str, str] | None = None,
    signatures: Mapping[str, Signature] | None = None,
    lines: Mapping[Path, int] | None = None,
) -> Iterator[Loaded | Unchanged | Failure]:
    """The items of files already listed by :func:`scan`.

    An article whose key has the same checksum in *known* is
    :class:`Unchanged`; so is one whose signature equals its key's in
    *signatures*, without being read. A ``.jsonl`` file in *lines* yields at
    most that many records (see :func:`count_scanned`).
    """
    yield from failures
    real = _RealPaths()
    for path in files:
        if path.suffix.lower() in RECORD_SUFFIXES:
            yield from _records(path, known, (lines or {}).get(path))
        else:
            yield _article(path, known, real(path), signatures)


class _RealPaths:
    """``str(path.resolve())`` for the files of one scan, each folder resolved once.

    Resolving every file walked its whole path with a system call per
    component: a tenth of an update of 20,000 articles. A file that is not a
    symbolic link resolves to its resolved folder plus its name.
    """

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}

    def __call__(self, path: Path) -> str:
        # On strings: pathlib's is_symlink() and .parent cost as much as the system calls.
        text = os.fspath(path)
        if os.path.islink(text):
            return os.path.realpath(text)
        head, name = os.path.split(text)
        folder = self._folders.get(head)
        if folder is None:
            folder = self._folders[head] = os.path.realpath(head or ".")
        return os.path.join(folder, name)


def _read(path: Path) -> bytes | Failure:
    try:
        with open(path, "rb") as handle:  # a quarter cheaper than Path.read_bytes()
            return handle.read()
    except OSError as exc:
        return Failure(str(path), f"cannot read: {exc.strerror or exc}")


def _article(
    path: Path, known: Mapping[str, str] | None, key: str, signatures: Mapping[str, Signature] | None = None
) -> Loaded | Unchanged | Failure:
    from searchlib.extract import parse_bytes

    try:
        stat = os.stat(path)
    except OSError as exc:
        return Failure(str(path), f"cannot read: {exc.strerror or exc}")
    signed = signature(stat)
    if signed is not None and known is not None and signatures is not None and key in known:
        if signatures.get(key) == signed:
            return Unchanged(key, known[key], signed)
    if stat.st_size > MAX_ARTICLE_BYTES:
        return Failure(str(path), _too_large(stat.st_size))
    data = _read(path)
    if isinstance(data, Failure):
        return data
    digest = checksum(data)
    if known is not None and known.get(key) == digest:
        return Unchanged(key, digest, signed)
    where = os.path.abspath(path)  # stored: an app in another folder can open it
    try:
        document = parse_bytes(data, path=where)
    except SourceError as exc:
        return Failure(str(path), str(exc).removeprefix(f"{where}: "))  # the failure names the file already
    if not document.title.strip() and not document.body.strip():
        return Failure(str(path), "empty: no title or text to index")
    return Loaded(key, digest, document, signed)


def _too_large(size: int) -> str:
    return (
        f"too large for one article ({size / 1e6:.1f} MB, more than {MAX_ARTICLE_BYTES / 1e6:.1f}): "
        "several articles run together, or not an article? Split it"
    )


def _records(
    path: Path, known: Mapping[str, str] | None, most: int | None = None
) -> Iterator[Loaded | Unchanged | Failure]:
    from searchlib.extract import document_from_record

    data = _read(path)
    if isinstance(data, Failure):
        yield data
        return
    for number, raw in enumerate(data.splitlines(), 1):
        if not raw.strip():
            continue
        if most is not None:
            if most == 0:
                return  # appended since the count: the next run reads it
            most -= 1
        if len(raw) > MAX_ARTICLE_BYTES:
            yield Failure(f"{path}:{number}", _too_large(len(raw)))
            continue
        try:
            record = json.loads(raw)
            if not isinstance(record, dict):
                raise SourceError("a line must hold a JSON object")
        except (ValueError, SourceError) as exc:
            yield Failure(f"{path}:{number}", str(exc))
            continue
        # Keyed by id when there is one, so that inserting a line does not
        # make every later record look changed.
        key = f"{path.resolve()}#{record.get('id') or number}"
        digest = checksum(raw)
        if known is not None and known.get(key) == digest:
            yield Unchanged(key, digest)
            continue
        where, stored = f"{path}:{number}", os.path.abspath(path)
        try:
            yield Loaded(key, digest, document_from_record(record, path=stored, line=number))
        except SourceError as exc:
            yield Failure(where, str(exc).removeprefix(f"{stored}:{number}: "))  # the failure says where already
