"""The only module that writes an index: full builds, updates, additions, deletions.

Every write follows the same path, under the writer lock:

1. start a new generation in a work directory, empty (build) or hard-linked
   from the live one (update, add, delete);
2. write and commit with Whoosh;
3. validate: every source accounted for, few enough failures, a smoke query;
4. publish: rename the work directory and swap the CURRENT pointer.

A crash at any point leaves the live generation untouched.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import json
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from whoosh import index as whoosh_index
from whoosh.query import Term
from whoosh.reading import TermNotFound

from searchlib import generations
from searchlib.abbreviations import LEARNED_FILE, learn, read_learned, save_learned
from searchlib.codec import SearchlibCodec
from searchlib.document import Document
from searchlib.errors import (
    IndexCorruptError,
    IndexVersionError,
    IndexWriteError,
    SearchlibError,
    SourceError,
    TooManyDeletionsError,
    ValidationError,
)
from searchlib.facets import FACET_FILE, save_facets
from searchlib.faults import checkpoint
from searchlib.layout import (
    META,
    check_files,
    current_generation,
    default_path,
    list_generations,
    read_meta,
    whoosh_files,
)
from searchlib.lock import WriterLock, describe_stale
from searchlib.normalize import clean
from searchlib.parallel import CountingMpWriter, collect_parts, prepare_text, worker_errors
from searchlib.pool import install as install_pool
from searchlib.postings import Postings
from searchlib.schema import SCHEMA_VERSION, build_schema, document_fields, values_postings
from searchlib.sources import (
    FAILURES_LISTED,
    NO_SUCH_SOURCE,
    RECORD_SUFFIXES,
    Failure,
    Loaded,
    Signature,
    Unchanged,
    count_scanned,
    failure_records,
    iter_scanned,
    key_file,
    scan,
)
from searchlib.spellings import SPELLINGS_FILE, load_spellings, save_spellings, spellings_of

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = [
    "BuildOptions",
    "BuildReport",
    "add_documents",
    "build_index",
    "delete_documents",
    "rollback",
    "update_index",
]

MANIFEST = "manifest.json"
#: Source key prefix of a document added through the library (Index.add), not from a file.
LIBRARY_KEY = "id:"
#: Generations kept on disk, the live one included: rollback and slow readers.
DEFAULT_KEEP = 3
#: A build with a larger share of failed sources does not go live.
DEFAULT_MAX_FAILED = 0.2
#: An update that would prune a larger share of the live articles does not go
#: live: a source folder that did not mount looks like every article deleted.
DEFAULT_MAX_DELETED = 0.5

Progress = Callable[[int], None]


@dataclass
class BuildReport:
    """What a build or update did. Serialisable with :func:`dataclasses.asdict`."""

    path: str
    generation: int
    documents: int
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    failed: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    messages: list[str] = field(default_factory=list)
    #: False when nothing changed and the live generation was kept (see :func:`update_index`).
    published: bool = True

    def summary(self, limit: int = FAILURES_LISTED) -> dict[str, Any]:
        """One flat record for a log line: counts, the first failures, timing."""
        return {
            "path": self.path,
            "generation": self.generation,
            "documents": self.documents,
            "added": self.added,
            "updated": self.updated,
            "deleted": self.deleted,
            "unchanged": self.unchanged,
            "failed": len(self.failed),
            "failures": failure_records(self.failed, limit),
            "duration": self.seconds,
            "published": self.published,
            "messages": self.messages,
        }


class BuildOptions(TypedDict, total=False):
    """The keyword options every write takes (``build_index(..., keep=5)``), all optional."""

    #: Generations kept on disk, the live one included (default 3).
    keep: int
    #: Largest share of failed sources that may still go live (default 0.2).
    max_failed: float
    #: Largest share of the live articles a write may drop (default 0.5): an
    #: update's prune (files gone), a rebuild (articles not in its sources).
    max_deleted: float
    #: Wait for another writer: False (fail at once), True, or seconds.
    wait: bool | float
    #: Called with the number of items processed so far.
    progress: Progress | None
    #: Megabytes of postings each writer process buffers before spilling to disk.
    limitmb: int
    #: Writer processes for a full build; None picks by the number of cores.
    procs: int | None


@dataclass
class _Options:
    keep: int = DEFAULT_KEEP
    max_failed: float = DEFAULT_MAX_FAILED
    max_deleted: float = DEFAULT_MAX_DELETED
    wait: bool | float = False
    progress: Progress | None = None
    limitmb: int = 256
    procs: int | None = None

    @classmethod
    def given(cls, options: BuildOptions) -> _Options:
        """The options: a TypeError names one misspelt and the ones there are, a ValueError a value out of range."""
        names = [f.name for f in fields(cls)]
        for name in options:
            if name not in names:
                near = difflib.get_close_matches(name, names, n=1)
                hint = f" (did you mean {near[0]!r}?)" if near else ""
                raise TypeError(f"Unknown option {name!r}{hint}; the options are {', '.join(names)}.")
        opts = cls(**options)
        opts._check()
        return opts

    def _check(self) -> None:
        """Refuse a value that would fail half-way through the job, or after it went live."""

        def whole(name: str, value: object, *, none: bool = False) -> None:
            if (value is None and none) or (type(value) is int and value >= 1):
                return
            raise ValueError(f"{name} takes a whole number of 1 or more, not {value!r}.")

        def share(name: str, value: object) -> None:
            if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1:
                return
            raise ValueError(f"{name} takes a share from 0 to 1 (0.2 is a fifth), not {value!r}.")

        whole("keep", self.keep)
        whole("limitmb", self.limitmb)
        whole("procs", self.procs, none=True)
        share("max_failed", self.max_failed)
        share("max_deleted", self.max_deleted)
        wait = self.wait
        if not isinstance(wait, bool) and not (isinstance(wait, (int, float)) and wait >= 0):
            raise ValueError(f"wait takes True, False or a number of seconds, not {wait!r}.")
        if self.progress is not None and not callable(self.progress):
            raise ValueError(f"progress takes a function called with the count so far, not {self.progress!r}.")


def build_index(
    sources: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    path: str | os.PathLike[str] | None = None,
    **options: Unpack[BuildOptions],
) -> BuildReport:
    """Index *sources* (files, folders, ``.jsonl``) into a new generation and make it live.

    The options are those of :class:`BuildOptions`. Over a live index, the
    report's ``deleted`` counts its articles the new one does not hold
    (articles added with :meth:`Index.add` among them: a rebuild reads the
    sources alone), and more than the ``max_deleted`` share of them (default
    a half) is refused, the live index kept: a folder half there (a share
    half mounted, an rsync under way) looks the same.
    """
    opts = _Options.given(options)
    root = default_path(path)
    files, failures = _scan(sources)
    lines: dict[Path, int] = {}
    expected = count_scanned(files, failures, lines)
    if opts.procs is None:
        opts.procs = _auto_procs(expected)
    with _Job(root, opts) as job:
        before = _live_ids(root)
        job.start(base=None)
        for item in iter_scanned(files, failures, lines=lines):
            job.apply(item, known={})
        if before and job.manifest:  # nothing at all is said as such by the validation
            job._check_sources(True, expected)  # failed files first: they say more than the count
            dropped = before - {doc_id for doc_id, _ in job.manifest.values()}
            _guard_deletions("The new index would drop", len(dropped), len(before), opts, job.failed)
            job.counts["deleted"] = len(dropped)
        return job.finish(check_failures=True, expected=expected)


def _guard_deletions(doing: str, count: int, live: int, opts: _Options, failed: list[Failure]) -> None:
    """Refuse a job that would drop more than the ``max_deleted`` share of the *live* articles."""
    if count > opts.max_deleted * live:
        raise TooManyDeletionsError(
            f"{doing} {count} of the {live} live articles, more than the allowed {opts.max_deleted:.0%}; "
            "the live index was kept. Check that every source folder is there and mounted, or allow it "
            "with --max-deleted 1.",
            failed,
        )


def _live_ids(root: Path) -> set[str]:
    """The ids of the live generation's articles; none when there is no index or it cannot be read."""
    if not list_generations(root):
        return set()
    try:
        manifest = _read_manifest(current_generation(root).path)
    except (SearchlibError, _DamagedManifest):
        return set()  # a damaged index is what a rebuild is for
    return {entry[0] for entry in manifest.values()}


def update_index(
    sources: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    path: str | os.PathLike[str] | None = None,
    *,
    prune: bool = False,
    **options: Unpack[BuildOptions],
) -> BuildReport:
    """Add new and re-index changed articles of *sources*; delete vanished ones with *prune*.

    When no article was added, changed or deleted, no generation is made:
    the live one stays, and the report says ``published=False``. A nightly
    job on a quiet folder would otherwise push the generation worth rolling
    back to out of the history, one identical copy a night.

    *prune* deletes the articles whose files are gone (see
    :func:`_vanished`), and refuses, keeping the live index, when that would
    be more than the ``max_deleted`` share of them (default a half): an
    archive folder that did not mount tonight looks the same.
    """
    opts = _Options.given(options)
    root = default_path(path)
    files, failures = _scan(sources)
    lines: dict[Path, int] = {}
    expected = count_scanned(files, failures, lines)
    with _Job(root, opts) as job:
        manifest = job.start(base=current_generation(root), from_sources=True)
        known = {key: entry[1] for key, entry in manifest.items()}
        seen: set[str] = set()
        # A snapshot: apply() records each item's new signature as it goes.
        for item in iter_scanned(files, failures, known, dict(job.signatures), lines):
            seen.add(item.key)
            job.apply(item, known=manifest)
        if prune:
            # From the manifest as it is now: an article that moved to another
            # file took its id along, and its old key is gone already.
            records = {os.path.realpath(f) for f in files if f.suffix.lower() in RECORD_SUFFIXES}
            vanished = _vanished(job.manifest, seen, job.failed, records)
            live = len({doc_id for doc_id, _ in manifest.values()})
            _guard_deletions("Pruning would delete", len(vanished), live, opts, job.failed)
            job.delete_keys(vanished)
        return job.finish(check_failures=True, expected=expected)


def _scan(sources: Iterable[str | os.PathLike[str]] | str | os.PathLike[str]) -> tuple[list[Path], list[Failure]]:
    """:func:`searchlib.sources.scan`, refusing sources that are all missing (a typo, not a night's failures)."""
    files, failures = scan(sources)
    if not files and failures and all(f.reason == NO_SUCH_SOURCE for f in failures):
        raise SourceError(
            f"No such file or folder: {', '.join(f.key for f in failures)}. Give the folders or files of the articles."
        )
    return files, failures


def _vanished(
    manifest: dict[str, tuple[str, str]], seen: set[str], failed: list[Failure], record_files: set[str]
) -> list[str]:
    """The source keys an update with prune deletes: articles whose files are gone.

    Not an article added through the library (``id:`` keys); not one whose
    file is still there but was not read tonight (unreadable, failed, or
    outside the sources given); not one under a source that is missing (a
    share that did not mount). A record of a ``.jsonl`` file goes when the
    file does, or when the file (one of *record_files*) was read whole and
    no longer holds it.
    """
    missing = [f.key for f in failed if f.reason == NO_SUCH_SOURCE]
    roots = tuple(os.path.join(os.path.realpath(m), "") for m in missing)
    read = record_files - {os.path.realpath(_failed_file(f.key)) for f in failed}
    out = []
    for key in manifest:
        if key in seen or key.startswith(LIBRARY_KEY):
            continue
        file = key_file(key)
        record = file != key
        if file.startswith(roots):
            continue
        if not _gone(file) and not (record and file in read):
            continue
        out.append(key)
    return out


def _gone(file: str) -> bool:
    """Whether *file* no longer exists; a file that cannot be looked at (permissions) is not gone."""
    try:
        os.stat(file)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
    return False


def _failed_file(key: str) -> str:
    """The file of a failure's key: a path, or ``path:line`` for a record."""
    head, _, line = key.rpartition(":")
    return head if head and line.isdigit() else key


def add_documents(
    documents: Iterable[Document] | Document,
    path: str | os.PathLike[str] | None = None,
    **options: Unpack[BuildOptions],
) -> BuildReport:
    """Add or replace *documents* (matched by id) in the index at *path*, creating it if needed.

    Their text is cleaned as a file's is (NFC, plain spaces; see
    :func:`searchlib.normalize.clean`). Of several with one id, the last wins.
    """
    opts = _Options.given(options)
    root = default_path(path)
    if isinstance(documents, Document):
        documents = [documents]
    if isinstance(documents, (str, bytes, Mapping)):
        raise SourceError(
            f"add() takes searchlib.Document objects, not a {type(documents).__name__}: "
            "Document(id=..., title=..., body=...)."
        )
    by_id: dict[str, Document] = {}
    for document in documents:
        document = _checked(document)
        by_id.pop(document.id, None)  # the last one, in its place
        by_id[document.id] = document
    with _Job(root, opts) as job:
        base = current_generation(root) if list_generations(root) else None
        job.start(base=base)
        for document in by_id.values():
            job.apply(Loaded(f"{LIBRARY_KEY}{document.id}", "", document), known=job.manifest)
        return job.finish(check_failures=False)


def _checked(document: object) -> Document:
    """*document* with its text cleaned, or a SourceError that says what is wrong with it."""
    if not isinstance(document, Document):
        raise SourceError(
            f"add() takes searchlib.Document objects, not {type(document).__name__}: Document(id=..., title=..., body=...)."
        )
    if not isinstance(document.id, str):
        raise SourceError(
            f"Document ids are strings, not {type(document.id).__name__}: id={str(document.id)!r} "
            f"(titled {document.title!r})."
        )
    if not document.id.strip():
        raise SourceError(f"Every document needs a non-empty id (titled {document.title!r}).")
    for name in ("title", "body"):
        value = getattr(document, name)
        if not isinstance(value, str):
            given = "None" if value is None else type(value).__name__
            raise SourceError(
                f"Document {document.id!r}: {name} must be a string ('' when there is none), not {given}."
            )
    if not document.title.strip() and not document.body.strip():
        # As a file with nothing to index is refused by a build.
        raise SourceError(f"Document {document.id!r} is empty: give it a title or a body.")
    return dataclasses.replace(document, title=clean(document.title), body=clean(document.body))


def delete_documents(
    ids: Iterable[str] | str, path: str | os.PathLike[str] | None = None, **options: Unpack[BuildOptions]
) -> BuildReport:
    """Delete the documents with these ids (one id alone may be given as a string)."""
    opts = _Options.given(options)
    root = default_path(path)
    if isinstance(ids, str):
        ids = [ids]
    with _Job(root, opts) as job:
        manifest = job.start(base=current_generation(root))
        wanted = set(ids)
        job.delete_keys({key for key, (doc_id, _) in manifest.items() if doc_id in wanted})
        return job.finish(check_failures=False)


def rollback(path: str | os.PathLike[str] | None = None, *, wait: bool | float = False) -> int:
    """Point the index back at the previous undamaged generation; returns its number.

    Generations share the files an update did not change (hard links), so a
    file cut short damages every generation that links it: those are passed
    over, newest first, for the first one whose files are whole.
    """
    root = default_path(path)
    try:
        with WriterLock(root, wait=wait):
            target = generations.previous(root)
            older = [g for g in list_generations(root) if g.number <= target.number]
            damaged: list[str] = []
            for candidate in sorted(older, key=lambda g: -g.number):
                try:
                    check_files(candidate.path, read_meta(candidate.path))
                except IndexVersionError:
                    raise
                except IndexCorruptError as exc:
                    damaged.append(str(exc))
                    continue
                generations.switch(root, candidate.path.name)
                return candidate.number
            raise IndexCorruptError(
                f"Every earlier generation in {root} is damaged ({damaged[0] if damaged else 'none is complete'}). "
                "Rebuild it: searchlib rebuild SOURCE..."
            )
    except OSError as exc:  # a read-only or full disk: the emergency tool still answers in words
        raise _write_error(root, exc) from exc


#: Below this many articles a build runs in one process: forking and one
#: segment per worker cost more than they save.
PARALLEL_FROM = 1000


def _auto_procs(items: int) -> int:
    if items < PARALLEL_FROM:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


class _Job:
    """One write: a work directory, a Whoosh writer and the bookkeeping around them."""

    def __init__(self, root: Path, opts: _Options) -> None:
        #: No generation this job writes is numbered below this (see __enter__).
        self.floor = 1
        self.root = root
        self.opts = opts
        self.lock = WriterLock(root, wait=opts.wait)
        self.started = time.monotonic()
        self.manifest: dict[str, tuple[str, str]] = {}
        #: Source key -> the file signature recorded with its checksum (see searchlib.sources).
        self.signatures: dict[str, Signature] = {}
        self.failed: list[Failure] = []
        self.counts = {"added": 0, "updated": 0, "deleted": 0, "unchanged": 0}
        self.messages: list[str] = []
        self.processed = 0
        #: Id -> the source key that holds it in this run, written or unchanged.
        self.holders: dict[str, str] = {}
        self.cloned = False
        self.learned: Counter[tuple[str, str]] = Counter()
        self.spellings: Counter[str] = Counter()
        self._ids: dict[str, set[str]] | None = None
        self._base: Any = None  # the generation an update starts from
        self._base_reader: Any = None
        self._base_signatures: dict[str, Signature] = {}
        #: Set once the new generation is live: an error after that must not say the old one was kept.
        self.went_live = False
        self._uncounted: set[str] = set()
        #: Whether the writer's worker processes count the spellings (see searchlib.parallel).
        self.workers_count = False

    def __enter__(self) -> _Job:
        try:
            self.lock.acquire()
            if self.lock.recovered:
                self.messages.append(describe_stale(self.lock.recovered))
            # A generation rolled back from is a leftover, but its number
            # was seen live: never give it to other content.
            self.floor = generations.next_number(self.root)
            # First thing, so that a job that failed for want of space
            # gives that space back before this one needs it.
            leftovers = generations.clean_leftovers(self.root)
        except OSError as exc:
            self.lock.release()
            raise _write_error(self.root, exc) from exc
        if leftovers:
            self.messages.append(f"Removed {len(leftovers)} leftover work file(s) of an interrupted job.")
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            self._close_base()
            if exc_type is not None:
                # Each step on its own: a full disk can make cancelling fail
                # too, and the work directory must still go.
                if getattr(self, "writer", None) is not None:
                    with contextlib.suppress(Exception):
                        self.writer.cancel()
                if getattr(self, "workdir", None) is not None:
                    with contextlib.suppress(OSError):  # else the next job removes it
                        generations.clean_leftovers(self.root)
        finally:
            self.lock.release()
        if isinstance(exc, OSError):
            raise _write_error(self.root, exc, went_live=self.went_live) from exc

    def start(self, base: Any, *, from_sources: bool = False) -> dict[str, tuple[str, str]]:
        """Open the work directory: empty, or cloned from *base*.

        *from_sources*: the job reads every source (an update), so a damaged
        manifest can be replaced by indexing them all afresh; otherwise
        (adding or deleting by id) it is an error that asks for a rebuild.
        """
        self.number = max(self.floor, generations.next_number(self.root))
        self._had_index = bool(list_generations(self.root))
        self.workdir: Path | None = generations.new_workdir(self.root, self.number)
        if base is not None:
            try:
                recorded = _read_manifest(base.path)
            except _DamagedManifest:
                if not from_sources:
                    raise IndexCorruptError(
                        f"The manifest of generation {base.number} in {self.root} is damaged. "
                        f"Rebuild the index: searchlib rebuild SOURCE... --index {self.root}"
                    ) from None
                # Without it the live documents cannot be matched to their
                # files: build afresh from the sources instead (what a rebuild
                # does; articles whose files are gone are not carried over).
                self.messages.append(
                    f"The manifest of generation {base.number} is damaged: indexing every source afresh."
                )
                base = None
        if base is None:
            ix = whoosh_index.create_in(str(self.workdir), build_schema())
        else:
            check_files(base.path, read_meta(base.path))  # a damaged file must not be linked into the next one
            skip = frozenset({META, MANIFEST, FACET_FILE, LEARNED_FILE, SPELLINGS_FILE})
            generations.clone(base.path, self.workdir, skip=skip)
            self.cloned = True
            self._base = base
            self.learned = read_learned(base.path / LEARNED_FILE)
            self.spellings = load_spellings(base.path / SPELLINGS_FILE)
            ix = whoosh_index.open_dir(str(self.workdir))
            for key, entry in recorded.items():
                self.manifest[key] = (entry[0], entry[1])
                if len(entry) > 2 and entry[2]:
                    self.signatures[key] = (entry[2][0], entry[2][1], entry[2][2])
            self._base_signatures = dict(self.signatures)
        procs = self.opts.procs or 1
        install_pool()
        self.writer: Any
        # Plain segment files, not one compound file: a reader opens the
        # compound file through mmap and Whoosh then copies every part it
        # reads into a BytesIO, so each searcher held its own copy of the
        # index in memory (385 MB for one CLI search of 20,000 articles, and
        # 150 ms of copying). Plain files are read in place.
        options: dict[str, Any] = {"limitmb": self.opts.limitmb, "codec": SearchlibCodec(), "compound": False}
        if base is None and procs > 1:
            from searchlib.segment import preload

            # Load the model before forking, so that the workers share it.
            preload()
            # Each worker process writes its own segment; merging them would
            # cost as much as the build itself and searchlib.engine reads
            # several segments as fast as one.
            self.writer = CountingMpWriter(ix, procs=procs, multisegment=True, **options)
            self.workers_count = True
        else:
            self.writer = ix.writer(**options)
        return dict(self.manifest)

    def apply(self, item: Loaded | Unchanged | Failure, known: dict[str, Any]) -> None:
        self.processed += 1
        if self.opts.progress is not None:
            self.opts.progress(self.processed)
        if isinstance(item, Failure):
            self.failed.append(item)
        elif isinstance(item, Unchanged):
            entry = self.manifest.get(item.key)
            if entry is None or entry[0] in self.holders:
                # A file read earlier in this run holds its id: one article in
                # two files. The first keeps it, as in a full build, and every
                # night agrees (the index no longer flips between the two).
                self._duplicate(item.key, known[item.key][0])
                self._forget(item.key)
                return
            self.holders[entry[0]] = item.key
            self.counts["unchanged"] += 1
            self._sign(item.key, item.signature)
        else:
            self._write(item, item.key in known)

    def _write(self, item: Loaded, replacing: bool) -> None:
        doc = item.document
        if doc.id in self.holders:
            self._duplicate(item.key, doc.id)
            return
        old = self.manifest.get(item.key)
        if old is not None:
            self._uncount(old[0])
            self.writer.delete_by_term("id", old[0])
        if self.cloned:
            # The id may already be indexed from another source key.
            self._uncount(doc.id)
            self.writer.delete_by_term("id", doc.id)
            for key in self._keys_of(doc.id) - {item.key}:
                self._forget(key)
        fields = document_fields(doc, checksum=item.checksum)
        if not self.workers_count:
            prepare_text(fields, self.spellings)
        self.writer.add_document(**fields)
        self.learned.update(learn(f"{doc.title}\n{doc.body}"))
        self._forget(item.key)
        self.manifest[item.key] = (doc.id, item.checksum)
        self._sign(item.key, item.signature)
        self._keys_of(doc.id).add(item.key)
        self.holders[doc.id] = item.key
        self.counts["updated" if replacing else "added"] += 1
        if self.counts["updated"] + self.counts["added"] == 3:
            checkpoint("segment")

    def _duplicate(self, key: str, doc_id: str) -> None:
        where = self.holders.get(doc_id, "another source")
        self.failed.append(Failure(key, f"duplicate id {doc_id!r}, first seen in {where}"))

    def delete_keys(self, keys: Iterable[str]) -> None:
        for key in keys:
            doc_id, _ = self.manifest[key]
            self._forget(key)
            self._uncount(doc_id)
            self.writer.delete_by_term("id", doc_id)
            self.counts["deleted"] += 1

    def _uncount(self, doc_id: str) -> None:
        """Take a document that the base generation holds out of the learned pairs and spelling counts.

        Without this, an abbreviation learned only from a deleted article
        would keep expanding queries, and replaced articles would skew the
        idf of their spellings, until the next rebuild. Only replaced and
        deleted articles are read back, so an update pays for what changed.
        """
        if self._base is None or doc_id in self._uncounted:
            return
        self._uncounted.add(doc_id)
        if self._base_reader is None:
            self._base_reader = whoosh_index.open_dir(str(self._base.path)).reader()
        try:
            stored = self._base_reader.stored_fields(self._base_reader.first_id("id", doc_id))
        except TermNotFound:  # not in the base generation (deleted ones are skipped)
            return
        title, body = stored.get("title") or "", stored.get("body") or ""
        _subtract(self.learned, learn(f"{title}\n{body}"))
        # The same analysis that counted them when the document was written.
        _subtract(self.spellings, Counter(spellings_of(values_postings([title, body]))))

    def _close_base(self) -> None:
        if self._base_reader is not None:
            self._base_reader.close()
            self._base_reader = None

    def _keys_of(self, doc_id: str) -> set[str]:
        """The source keys that hold *doc_id* (built on first use: most builds never ask)."""
        if self._ids is None:
            self._ids = {}
            for key, (known_id, _) in self.manifest.items():
                self._ids.setdefault(known_id, set()).add(key)
        return self._ids.setdefault(doc_id, set())

    def _sign(self, key: str, signature: Signature | None) -> None:
        if signature is None:
            self.signatures.pop(key, None)
        else:
            self.signatures[key] = signature

    def _forget(self, key: str) -> None:
        self.signatures.pop(key, None)
        entry = self.manifest.pop(key, None)
        if entry is not None and self._ids is not None:
            self._ids.get(entry[0], set()).discard(key)

    def finish(self, *, check_failures: bool, expected: int | None = None) -> BuildReport:
        self._close_base()
        if self._base is not None and not (self.counts["added"] or self.counts["updated"] or self.counts["deleted"]):
            return self._keep_live(check_failures, expected)
        self.writer.commit(mergetype=_merge_policy)
        self.writer = None
        workdir = self.workdir
        assert workdir is not None, "start() was not called"
        if self.workers_count:
            self.spellings.update(collect_parts(workdir))
        ix = whoosh_index.open_dir(str(workdir))
        documents = ix.doc_count()
        self._validate(ix, documents, check_failures, expected)
        with ix.reader() as reader:
            save_facets(reader, Postings(reader), workdir / FACET_FILE)
        save_learned(self.learned, workdir / LEARNED_FILE)
        save_spellings(self.spellings, workdir / SPELLINGS_FILE)
        self._write_manifest(workdir)
        _write_json(workdir / META, self._meta(documents))
        generation = generations.publish(self.root, workdir, self.number)
        self.workdir = None
        self.went_live = True
        self.messages.extend(generations.prune(self.root, self.opts.keep))
        return self._report(generation.number, documents, published=True)

    def _keep_live(self, check_failures: bool, expected: int | None) -> BuildReport:
        """Finish a job that changed no document: drop its work directory, keep the live generation."""
        self.writer.cancel()
        self.writer = None
        assert self.workdir is not None and self._base is not None
        shutil.rmtree(self.workdir, ignore_errors=True)
        self.workdir = None
        self._check_sources(check_failures, expected)
        base = self._base.path
        if self.signatures != self._base_signatures:
            # Only writers read the manifest, and a new file renamed over it
            # changes no other generation (clones never link it), so the
            # live generation may take the fresh signatures: files touched
            # but not changed are then not read again tomorrow.
            self._write_manifest(base, durable=True)
        # A lower --keep applies on a quiet night too.
        self.messages.extend(generations.prune(self.root, self.opts.keep))
        return self._report(self._base.number, int(read_meta(base).get("documents", 0)), published=False)

    def _report(self, generation: int, documents: int, *, published: bool) -> BuildReport:
        return BuildReport(
            path=str(self.root),
            generation=generation,
            documents=documents,
            added=self.counts["added"],
            updated=self.counts["updated"],
            deleted=self.counts["deleted"],
            unchanged=self.counts["unchanged"],
            failed=self.failed,
            seconds=round(time.monotonic() - self.started, 3),
            messages=self.messages,
            published=published,
        )

    def _write_manifest(self, directory: Path, *, durable: bool = False) -> None:
        _write_json(
            directory / MANIFEST,
            {
                key: [*entry, self.signatures[key]] if key in self.signatures else entry
                for key, entry in self.manifest.items()
            },
            durable=durable,
        )

    @property
    def _kept(self) -> str:
        """What a refused job left serving, for its message."""
        return "the live index was kept" if self._had_index else "nothing went live (there was no index yet)"

    def _check_sources(self, check_failures: bool, expected_items: int | None) -> None:
        if expected_items is not None and self.processed != expected_items:
            raise ValidationError(
                f"{expected_items} source items were found but {self.processed} were accounted for "
                f"(did files change during the run?); {self._kept}.",
                self.failed,
            )
        attempted = self.processed
        if check_failures and attempted and len(self.failed) / attempted > self.opts.max_failed:
            raise ValidationError(
                f"{len(self.failed)} of {attempted} sources failed, more than the allowed "
                f"{self.opts.max_failed:.0%}; {self._kept}. Fix or remove the failed files, "
                "or allow more with --max-failed.",
                self.failed,
            )

    def _validate(self, ix: Any, documents: int, check_failures: bool, expected_items: int | None) -> None:
        self._check_sources(check_failures, expected_items)
        expected = len({doc_id for doc_id, _ in self.manifest.values()})
        if documents != expected:
            said = worker_errors(self.workdir) if self.workers_count and self.workdir is not None else []
            why = (
                f": a writer process failed ({'; '.join(said)})"
                if said
                else ": a writer process may have been killed (out of memory?)"
                if self.workers_count
                else ""
            )
            raise ValidationError(
                f"The new index holds {documents} documents but {expected} were written{why}; {self._kept}."
            )
        if documents == 0:
            raise ValidationError(
                f"No documents were indexed; {self._kept}. Check that the sources hold .txt or .jsonl files.",
                self.failed,
            )
        _smoke_query(ix, self._kept)

    def _meta(self, documents: int) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "generation": self.number,
            "documents": documents,
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "failed": len(self.failed),
            # Checked by every reader that opens the generation (layout.check_files).
            "files": whoosh_files(self.workdir) if self.workdir is not None else {},
        }


def _write_error(root: Path, exc: OSError, *, went_live: bool = False) -> IndexWriteError:
    where = f" ({exc.filename})" if exc.filename else ""
    state = (
        "The new generation had gone live and serves; old generations may not have been pruned"
        if went_live
        else "The live index was kept"
    )
    return IndexWriteError(
        f"Could not write the index in {root}: {exc.strerror or exc}{where}. {state}; "
        "free some space or fix the permissions, then run the job again."
    )


def _smoke_query(ix: Any, kept: str) -> None:
    """Check that a term taken from the index finds a document."""
    with ix.searcher() as searcher:
        for term in _sample_terms(searcher.reader()):
            if searcher.search(Term("text", term), limit=1).scored_length():
                return
    raise ValidationError(f"The new index does not answer a smoke query; {kept}.")


def _sample_terms(reader: Any) -> Iterator[str]:
    for i, term in enumerate(reader.lexicon("text")):
        if i >= 5:
            return
        yield term.decode("utf-8")


def _read_manifest(generation: Path) -> dict[str, list[Any]]:
    """Source key -> ``[doc id, checksum]``, and the file's signature third when one was recorded."""
    try:
        data: dict[str, list[Any]] = json.loads((generation / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except ValueError:
        raise _DamagedManifest from None
    if not isinstance(data, dict):
        raise _DamagedManifest
    return data


class _DamagedManifest(Exception):
    """The live generation's manifest cannot be read (a disk fault)."""


#: A segment with more than this share of its documents deleted is rewritten.
MOSTLY_DELETED = 0.5


def _merge_policy(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh's MERGE_SMALL, after dropping the segments an update emptied and rewriting the mostly deleted.

    A deleted document stays in its segment until the segment is rewritten:
    an update that replaces every article (after an extraction change) would
    otherwise double the index, and every posting list read would filter the
    dead half. A segment with nothing live is dropped for free; one that is
    mostly dead is copied without its deleted documents (postings are copied,
    not re-analysed).
    """
    from whoosh.reading import SegmentReader
    from whoosh.writing import MERGE_SMALL

    kept = []
    for segment in segments:
        if segment.doc_count() == 0:
            continue
        if segment.deleted_count() > MOSTLY_DELETED * segment.doc_count_all():
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()
            continue
        kept.append(segment)
    return list(MERGE_SMALL(writer, kept))


def _subtract(counts: Counter[Any], gone: Counter[Any]) -> None:
    """Take *gone* out of *counts*, dropping keys that reach zero.

    Not ``Counter.__isub__``: it rescans the whole table (tens of thousands
    of spellings) on every call, and an update calls this per replaced article.
    """
    for k, n in gone.items():
        left = counts.get(k, 0) - n
        if left > 0:
            counts[k] = left
        else:
            counts.pop(k, None)


def _write_json(path: Path, data: Any, *, durable: bool = False) -> None:
    generations.write_atomic(path, json.dumps(data, ensure_ascii=False).encode("utf-8"), durable=durable)
