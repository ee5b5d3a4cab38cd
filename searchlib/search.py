"""The read side: run a query against the live generation of an index.

Read-only by construction: nothing here imports the indexer. A
:class:`Reader` follows the index's CURRENT pointer, so a long-lived reader
picks up a rebuild or an update by itself. Posting lists are shared between
threads (decoded once, see :mod:`searchlib.postings`); each thread gets its
own Whoosh reader for stored fields and the term dictionary (a reader, not
a searcher: Whoosh's searching module and its query language cost a cold
CLI call 20 ms to import, for nothing this module uses).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import operator
import os
import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np
from whoosh import index as whoosh_index
from whoosh.reading import TermNotFound

from searchlib.abbreviations import LEARNED_FILE, Abbreviations
from searchlib.abbreviations import load as load_abbreviations
from searchlib.copies import Copies
from searchlib.document import Document
from searchlib.engine import Matches, bm25, evaluate, mask_of, phrase_articles
from searchlib.errors import IndexCorruptError, QueryError, SearchlibError
from searchlib.facets import FACET_FILE, FacetCounter, Facets
from searchlib.fuzzy import Neighbours, cut
from searchlib.layout import Generation, check_files, current_generation, pointer_signature, read_meta
from searchlib.normalize import clean, narrow
from searchlib.plan import AtLeast, Plan, Weights, make_plan
from searchlib.postings import Postings
from searchlib.query import ParsedQuery, Syllables, parse_date, parse_query
from searchlib.rescore import RESCORE_WINDOW, rescore
from searchlib.schema import KeywordField
from searchlib.snippets import EXACT, FOLDED, PREFER_EXACT, Highlighter, Snippet
from searchlib.spellings import SPELLINGS_FILE, SpellingTable, complete_marks
from searchlib.suggest import Suggester, cased

__all__ = ["Hit", "Reader", "SearchResults", "Sort"]

Sort = Literal["relevance", "date"]
_T = TypeVar("_T")
Span = tuple[int, int]


@dataclass(frozen=True)
class Hit:
    """One matching article."""

    id: str
    title: str
    date: dt.date | None
    leaders: list[str]
    topics: list[str]
    source: str | None
    author: str | None
    #: The article's URL when known, else the path of its source file.
    url: str | None
    score: float
    snippet: Snippet
    date_precision: str | None = None
    title_highlights: list[Span] = field(default_factory=list)


@dataclass(frozen=True)
class SearchResults:
    """A page of hits, the total count and the facets of the whole result set."""

    query: str
    #: Matching articles, an article and its copies once (see ``duplicates``):
    #: pages of ``limit`` reach ``total`` exactly.
    total: int
    hits: list[Hit]
    facets: Facets
    offset: int = 0
    limit: int = 10
    sort: str = "relevance"
    #: True when nothing matched every word and a looser match was used.
    relaxed: bool = False
    #: A corrected query when this one finds little or nothing.
    suggestion: str | None = None
    #: Query words no article holds, each with the similar words searched in
    #: its place, in the case typed: ``{"Ghandi": ["Gandhi"]}``. A word typed
    #: with diacritics is guessed and shown with them (``Hưngg``: ``Hưng``).
    similar: dict[str, list[str]] = field(default_factory=dict)
    #: Query words that read as Vietnamese typed with the input method off
    #: (Telex or VNI keystrokes), each with the word it spells, which was
    #: searched as well, in the case typed: ``{"tinhr": "tỉnh", "Trongj": "Trọng"}``.
    keystrokes: dict[str, str] = field(default_factory=dict)
    #: Query words read as several words typed without their spaces, each
    #: with those words, which were searched as well, cut where typed:
    #: ``{"chutich": "chu tich", "Danang": "Da nang"}``.
    joined: dict[str, str] = field(default_factory=dict)
    #: Query words typed with a mark left out, each with the spelling
    #: searched in its place: a syllable ending in p, t, c or ch always has a
    #: tone (``{"Viêt": "Việt"}``), and beside a neighbour pyvi joins it with,
    #: articles say which (``{"Nôi": "Nội"}`` in ``Hà Nôi``).
    completed: dict[str, str] = field(default_factory=dict)
    #: With a date filter: the articles that match everything else but carry
    #: no date, which the filter leaves out (most of a scraped archive can be
    #: undated).
    undated: int = 0
    #: Articles left out up to the end of this page as copies of one shown
    #: above them (the same title and text under another id). ``total`` and
    #: the facets count an article and its copies once; ``collapse=False``
    #: shows and counts every copy.
    duplicates: int = 0


#: Times a search starts again on the live generation when a writer deleted
#: the one it was reading (a writer per second with --keep 1 can do it twice).
RETRIES = 3


class _Owned:
    """A Whoosh reader, counted while searches use it, closed when none needs it any more.

    Segments are plain files (see searchlib.indexer), so a reader holds
    open file handles. A reader of a generation that has been switched
    away from is closed as soon as no search uses it (an idle thread's too,
    which would otherwise pin a deleted generation's disk space until that
    thread searched again); one of a thread that has ended is closed when
    it is dropped. :meth:`Reader.close` closes the rest, each once its
    searches finish.
    """

    def __init__(self, reader: Any, ix: Any) -> None:
        self.reader = reader
        #: The generation's index the reader reads.
        self.ix = ix
        #: Searches using the reader now; only Reader._lock changes it.
        self.users = 0
        #: Close when the last search using it lets go.
        self.retired = False
        self.close = weakref.finalize(self, reader.close)

    def retire(self) -> None:
        """Close now if unused, else when the last search using it lets go (under Reader._lock)."""
        if self.users:
            self.retired = True
        else:
            self.close()


@dataclass(frozen=True)
class _Request:
    """One search's arguments, checked: what a retry on the live generation runs again."""

    query: str
    leader: str | list[str] | None
    topic: str | list[str] | None
    since: dt.date | str | None
    until: dt.date | str | None
    sort: Sort
    limit: int
    offset: int
    snippets: bool
    collapse: bool


@dataclass
class _Live:
    """Everything a reader holds for one generation."""

    generation: Generation
    signature: object
    meta: dict[str, Any]
    ix: Any
    postings: Postings
    facets: FacetCounter
    abbreviations: Abbreviations
    #: The reader the shared posting lists read through.
    owner: _Owned
    #: Keys of the leader and topic fields by syllable, read on first use.
    _keys: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    _keys_lock: threading.Lock = field(default_factory=threading.Lock)

    @cached_property
    def _spelling_table(self) -> Callable[[], SpellingTable]:
        # Closes over the path only: a closure over self would make a cycle
        # through Neighbours, and a switched-away generation's files would
        # stay open until the cyclic garbage collector happened to run.
        return functools.cache(functools.partial(SpellingTable, self.generation.path / SPELLINGS_FILE))

    @property
    def spellings(self) -> SpellingTable:
        """Documents per spelling (see searchlib.spellings), read when a query first has diacritics."""
        return self._spelling_table()

    @cached_property
    def neighbours(self) -> Neighbours:
        """Known words near unknown query words (see searchlib.fuzzy)."""
        return Neighbours(self.postings, self._spelling_table, functools.partial(phrase_articles, self.postings))

    def containing(self, reader: Any, fieldname: str, syllables: tuple[str, ...]) -> list[str]:
        """The keys of a leader or topic field that hold *syllables* in order (``thanh hải``: Nguyễn Thanh Hải)."""
        if not syllables:
            return []
        with self._keys_lock:
            if fieldname not in self._keys:
                # Read once per generation: a scan of every key cost 14 ms a filter on the news index.
                by_syllable: dict[str, list[str]] = {}
                for term in reader.lexicon(fieldname):
                    key = term.decode("utf-8")
                    for syllable in dict.fromkeys(key.split()):
                        by_syllable.setdefault(syllable, []).append(key)
                self._keys[fieldname] = by_syllable
            keys = self._keys[fieldname].get(syllables[0], [])
        wanted = f" {' '.join(syllables)} "
        return [k for k in keys if wanted in f" {k} "]

    @cached_property
    def copies(self) -> Copies:
        """Which live articles copy another, read when a search first collapses copies."""
        return Copies(self.postings)

    @cached_property
    def suggester(self) -> Suggester:
        return Suggester(self.postings, self.facets, self._spelling_table)


class Reader:
    """Searches the live generation of the index at *root*."""

    def __init__(self, root: Path, weights: Weights | None = None) -> None:
        self.root = root
        self.weights = weights or Weights()
        self._lock = threading.Lock()
        self._local = threading.local()
        self._live: _Live | None = None
        self._owned: weakref.WeakSet[_Owned] = weakref.WeakSet()
        self._state()

    # --- following the live generation -----------------------------------

    def _state(self) -> _Live:
        """The live generation, reopened if the CURRENT pointer moved."""
        live = self._live
        signature = pointer_signature(self.root)
        if live is not None and signature == live.signature:
            return live
        with self._lock:
            if self._live is None or self._live.signature != signature:
                # Readers of the old generation close once the searches still
                # on it finish, in whichever thread they were opened.
                new = self._open(signature)
                for handle in list(self._owned):
                    if handle.ix is not new.ix:
                        handle.retire()
                self._live = new
                self._owned.add(new.owner)
            return self._live

    def _open(self, signature: object) -> _Live:
        """The generation CURRENT names, opened; again if a writer moved CURRENT and deleted it meanwhile."""
        for attempt in range(RETRIES + 1):
            try:
                return _open(self.root, signature)
            except IndexCorruptError:
                moved = pointer_signature(self.root)
                if attempt == RETRIES or moved == signature:
                    raise  # damaged, not replaced
                signature = moved
        raise AssertionError("unreachable")

    @contextlib.contextmanager
    def _reading(self) -> Iterator[tuple[_Live, Any]]:
        """The live generation and this thread's Whoosh reader of it, held open while in use."""
        live, handle = self._acquire()
        try:
            yield live, handle.reader
        finally:
            with self._lock:
                for used in (live.owner, handle):
                    used.users -= 1
                    if used.retired and not used.users:
                        used.close()

    def _acquire(self) -> tuple[_Live, _Owned]:
        while True:
            live = self._state()
            with self._lock:
                if not live.owner.close.alive:
                    continue  # closed by close() or a switch after _state() returned it: look again
                local = self._local
                handle: _Owned | None = getattr(local, "owned", None)
                if handle is None or handle.ix is not live.ix or not handle.close.alive:
                    try:
                        opened = _opened_whole(live.ix.reader())
                    except Exception as exc:
                        if pointer_signature(self.root) != live.signature:
                            continue  # deleted by a writer that switched away from it: the live one
                        raise _damaged(live, exc) from exc
                    if handle is not None:
                        handle.retire()
                    handle = local.owned = _Owned(opened, live.ix)
                    self._owned.add(handle)
                live.owner.users += 1
                handle.users += 1
                return live, handle

    def _stale(self, live: _Live) -> bool:
        """Whether *live* was switched away from and deleted since it was opened."""
        return not live.generation.path.is_dir() or pointer_signature(self.root) != live.signature

    @property
    def generation(self) -> int:
        return self._state().generation.number

    def follow(self) -> None:
        """Move to the live generation now, closing the readers of the old one no search is using.

        A write through this index calls it: with ``keep=1`` the old
        generation is deleted at once, and its files would stay open, their
        disk space held, until the next search.
        """
        self._state()

    def close(self) -> None:
        """Close every Whoosh reader this reader opened, in every thread; searching again reopens.

        Searches running in other threads meanwhile finish on their readers,
        which close when they do.
        """
        with self._lock:
            for handle in list(self._owned):
                handle.retire()
            self._owned.clear()
            self._live = None

    # --- searching ----------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        leader: str | list[str] | None = None,
        topic: str | list[str] | None = None,
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
        sort: Sort = "relevance",
        limit: int = 10,
        offset: int = 0,
        snippets: bool = True,
        collapse: bool = True,
    ) -> SearchResults:
        """Run *query*; see :meth:`searchlib.Index.search`."""
        if sort not in ("relevance", "date"):
            raise QueryError(f"Unknown sort {sort!r}: use 'relevance' or 'date'.")
        if not isinstance(query, str):
            raise QueryError(f"The query must be a string, not {type(query).__name__} (use '' to browse).")
        try:
            limit, offset = operator.index(limit), operator.index(offset)  # numpy integers too
        except TypeError:
            raise QueryError(f"limit and offset must be whole numbers (got {limit!r}, {offset!r}).") from None
        if limit < 0 or offset < 0:
            raise QueryError("limit and offset must not be negative.")
        request = _Request(query, leader, topic, since, until, sort, limit, offset, snippets, collapse)
        return self._retrying(functools.partial(self._search, request=request))

    def _retrying(self, work: Callable[[_Live, Any], _T]) -> _T:
        """``work(live, reader)`` on the live generation, again on the new one if a writer deleted it meanwhile.

        Whoosh opens some files of a generation on first use; a writer that
        switched away from it and deleted it meanwhile (--keep 1, a rollback)
        leaves the work with files gone. Anything else is not ours to hide.
        """
        for attempt in range(RETRIES + 1):
            with self._reading() as (live, reader):
                try:
                    return work(live, reader)
                except Exception as exc:
                    ours = isinstance(exc, SearchlibError) and not isinstance(exc, IndexCorruptError)
                    if ours or not self._stale(live):
                        raise
                    if attempt == RETRIES or pointer_signature(self.root) == live.signature:
                        raise _damaged(live, exc) from exc  # the live generation's own files are gone
        raise AssertionError("unreachable")

    def _search(self, live: _Live, reader: Any, request: _Request) -> SearchResults:
        query, sort, limit, offset = request.query, request.sort, request.limit, request.offset
        parsed, completed = complete_marks(
            parse_query(query),
            live._spelling_table,
            word_articles=functools.partial(live.postings.doc_frequency, "words"),
            run_spellings=live.suggester.spellings_as_word,
            phrase_articles=functools.partial(phrase_articles, live.postings),
        )
        plan = self._plan(live, reader, parsed)
        named = _named(reader, live, request.leader, request.topic)
        dated = _dated(live.postings, request.since, request.until)
        allowed = named if dated is None else _and(named, dated)
        matches, relaxed = _matching(live.postings, plan, allowed)
        copies = live.copies if request.collapse else None
        total = copies.count(matches.ids) if copies is not None else len(matches)
        undated = 0
        if dated is not None:
            without = (live.postings.dates() == 0) & live.postings.live
            left = _restrict(live.postings, plan, plan.loose if relaxed else plan.required, _and(named, without))
            undated = copies.count(left.ids) if copies is not None else len(left)
        order = "date" if plan.required is None else sort
        coverage = _coverage(live.postings, plan, matches) if relaxed else None
        page, left_out = _page(
            reader,
            functools.partial(_ranked, live, plan, matches, order, weights=self.weights, coverage=coverage),
            len(matches),
            limit,
            offset,
            copies,
        )
        highlighter = _highlighter(plan) if request.snippets else None
        # Words searched in place of unknown ones are a guess: say what was meant as well.
        unsure = relaxed or bool(plan.similar) or bool(plan.keystrokes) or bool(plan.joined) or bool(completed)
        suggestion = (
            live.suggester.suggest(reader, parsed, total, unsure, plan.guesses) if not parsed.is_empty else None
        )
        if suggestion is not None and not self._finds_any(live, reader, suggestion, allowed):
            suggestion = None  # e.g. a typo fixed, but nothing in these dates either: no point offering it
        return SearchResults(
            query=query,
            total=total,
            hits=[_hit(stored, score, highlighter) for _, score, stored in page],
            facets=live.facets.count(reader, mask_of(matches, live.postings.size), copies=copies),
            offset=offset,
            limit=limit,
            sort=order,
            relaxed=relaxed,
            suggestion=suggestion,
            similar={typed: [cased(w, typed) for w in near] for typed, near in plan.similar.items()},
            keystrokes={typed: cased(word, typed) for typed, word in plan.keystrokes.items()},
            joined={typed: _apart(words, typed) for typed, words in plan.joined.items()},
            completed=completed,
            undated=undated,
            duplicates=left_out,
        )

    def _plan(self, live: _Live, reader: Any, parsed: ParsedQuery) -> Plan:
        return make_plan(
            parsed,
            resolve=lambda f, s: live.containing(reader, f"{f}_fold", s.folded),
            weights=self.weights,
            abbreviations=live.abbreviations,
            similar=live.neighbours.guess,
            leaders=live.suggester.names_a_leader,
        )

    def _finds_any(self, live: _Live, reader: Any, query: str, allowed: np.ndarray | None) -> bool:
        """Whether *query* matches anything within the same filters."""
        plan = self._plan(live, reader, parse_query(query))
        return bool(len(_matching(live.postings, plan, allowed)[0]))

    def get(self, doc_id: str) -> Document | None:
        """The stored article with this id, or None."""
        if not isinstance(doc_id, str):
            raise QueryError(f"An article id is a string, not {type(doc_id).__name__}.")
        return self._retrying(lambda _, reader: _get(reader, doc_id))

    def values(self, facet: str) -> dict[str, int]:
        """Every leader, topic or year of the live generation, with its number of articles."""
        facets = self._retrying(
            lambda live, reader: live.facets.count(reader, live.postings.live, limit=None, copies=live.copies)
        )
        return dict(getattr(facets, facet))

    def summary(self) -> Summary:
        """Counts and sizes of the live generation, all read from that one generation."""
        return self._retrying(_summary)


@dataclass(frozen=True)
class Summary:
    """What :meth:`Reader.summary` reads; :class:`searchlib.IndexStats` adds the path."""

    generation: int
    documents: int
    meta: dict[str, Any]
    size_bytes: int
    leaders: int
    topics: int
    dated: int
    copies: int


def _summary(live: _Live, reader: Any) -> Summary:
    postings = live.postings
    return Summary(
        generation=live.generation.number,
        documents=int(reader.doc_count()),
        meta=live.meta,
        size_bytes=sum(e.stat().st_size for e in os.scandir(live.generation.path) if e.is_file()),
        leaders=sum(1 for _ in reader.lexicon("leader")),
        topics=sum(1 for _ in reader.lexicon("topic")),
        dated=int(((postings.dates() > 0) & postings.live).sum()),
        copies=live.copies.extra,
    )


def _damaged(live: _Live, exc: Exception) -> IndexCorruptError:
    return IndexCorruptError(
        f"Cannot read the index at {live.generation.path} ({type(exc).__name__}: {exc}); "
        "if its files are gone, run: searchlib rollback, or searchlib rebuild SOURCE..."
    )


def _opened_whole(reader: Any) -> Any:
    """*reader* with its stored-fields files open now rather than on first use.

    An open file outlives its deletion, so a writer that deletes this
    generation mid-search (--keep 1) no longer breaks reading the hits.
    """
    for leaf, _ in reader.leaf_readers():
        if leaf.doc_count_all():
            leaf.stored_fields(0)
    return reader


def _get(reader: Any, doc_id: str) -> Document | None:
    try:
        docnum = reader.first_id("id", doc_id)  # deleted documents are skipped
    except (TermNotFound, UnicodeEncodeError):  # a lone surrogate names no article either
        return None
    return _document(reader.stored_fields(docnum))


def _open(root: Path, signature: object) -> _Live:
    generation = current_generation(root)
    meta = read_meta(generation.path)
    check_files(generation.path, meta)
    try:
        ix = whoosh_index.open_dir(str(generation.path))
        owner = _Owned(ix.reader(), ix)
        postings = Postings(owner.reader)
    except Exception as exc:  # Whoosh raises bare Exceptions on damaged files.
        raise IndexCorruptError(f"Cannot open the index at {generation.path}: {exc}") from exc
    facets = FacetCounter(postings, generation.path / FACET_FILE)
    abbreviations = load_abbreviations(generation.path / LEARNED_FILE)
    return _Live(generation, signature, meta, ix, postings, facets, abbreviations, owner)


# --- matching -----------------------------------------------------------------


def _and(mask: np.ndarray | None, other: np.ndarray) -> np.ndarray:
    return other if mask is None else mask & other


def _matching(postings: Postings, plan: Plan, allowed: np.ndarray | None) -> tuple[Matches, bool]:
    """Every matching document, relaxing a short query that finds none."""
    matches = _restrict(postings, plan, plan.required, allowed)
    if not len(matches) and plan.loose is not None:
        loose = _restrict(postings, plan, plan.loose, allowed)
        if len(loose):
            return loose, True
    return matches, False


#: Above any BM25 score plus rescoring bonus: how far apart coverage levels are put.
_COVERAGE_STEP = 1e4
#: What a query unit matched only through a guess adds to an article's coverage.
GUESSED_UNIT = 0.5


def _coverage(postings: Postings, plan: Plan, matches: Matches) -> np.ndarray:
    """For relaxed matches, how many of the query's units each one holds (aligned with ``matches.ids``).

    A looser match ranks first by this, then by score: an article with two
    of the three words before one with a single word in its title. A word
    matched only through a guess at an unknown one counts half: ``Graham
    Twigg``, with no Graham in the index, lists the articles on Twigg
    before those on the *gram* it is one edit from.
    """
    assert isinstance(plan.loose, AtLeast)
    counts = np.zeros(postings.size, dtype=np.float32)
    for child, guessed in zip(plan.loose.children, plan.guessed, strict=True):
        counts[evaluate(child, postings).ids] += GUESSED_UNIT if guessed else 1.0
    covered: np.ndarray = counts[matches.ids]
    return covered


def _restrict(postings: Postings, plan: Plan, required: Any, allowed: np.ndarray | None) -> Matches:
    """*required* within the filters, minus the excluded documents."""
    if required is None:
        mask = postings.live if allowed is None else postings.live & allowed
        ids = np.flatnonzero(mask)
        matches = Matches(ids, np.zeros(len(ids), dtype=np.float32))
    else:
        matches = evaluate(required, postings)
        if allowed is not None:
            keep = allowed[matches.ids]
            matches = Matches(matches.ids[keep], matches.scores[keep])
    for node in plan.excluded:
        gone = mask_of(evaluate(node, postings), postings.size)[matches.ids]
        matches = Matches(matches.ids[~gone], matches.scores[~gone])
    return matches


Ranked = list[tuple[int, float]]


def _page(
    reader: Any,
    ranked: Callable[[int], Ranked],
    total: int,
    limit: int,
    offset: int,
    copies: Copies | None,
) -> tuple[list[tuple[int, float, dict[str, Any]]], int]:
    """The requested page as ``(docnum, score, stored fields)``, and the copies left out before its end.

    With *copies* (collapsing), an article whose title and text are those
    of one ranked above it is left out: the ranking is read on until the
    page is full. Every page leaves out the copies of every article before
    it, so paging neither repeats nor skips one, and the pages end where
    the distinct total says.
    """
    end = offset + limit
    if not total or offset >= total or limit == 0:
        return [], 0
    if copies is None or not copies.extra:
        return [(d, s, reader.stored_fields(d)) for d, s in ranked(end)[offset:]], 0
    # Some room for copies up front: every call ranks the matches anew, and
    # asking for more ranks costs less than a second call.
    wanted = min(total, end + max(end // 2, 10))
    while True:
        head = ranked(wanted)
        hidden = copies.hidden([d for d, _ in head])
        if len(head) - len(hidden) >= end or len(head) < wanted or wanted >= total:
            break
        wanted = min(total, max(2 * wanted, end + len(hidden)))  # a story copied a hundred times: few rounds
    gone = set(hidden)
    kept = [i for i in range(len(head)) if i not in gone]
    # Copies ranked past a full page are left out on the next one.
    last = kept[end - 1] if len(kept) >= end else len(head)
    left_out = sum(1 for i in hidden if i < last)
    return [(head[i][0], head[i][1], reader.stored_fields(head[i][0])) for i in kept[offset:end]], left_out


def _ranked(
    live: _Live,
    plan: Plan,
    matches: Matches,
    order: str,
    end: int,
    weights: Weights,
    coverage: np.ndarray | None = None,
) -> Ranked:
    """The ``(docnum, score)`` pairs of the *end* best matches, best first."""
    postings = live.postings
    if not len(matches) or end == 0:
        return []
    ids = matches.ids
    if order == "date":
        dates = postings.dates()[ids]
        top = np.lexsort((ids, -dates))[:end]
        return [(int(ids[i]), 0.0) for i in top]
    scores = _with_optional(postings, plan, matches)
    if coverage is not None:
        # Ranked by coverage first: the levels are set far apart before
        # rescoring, and the offsets taken back off the returned scores.
        # In float64: float32 keeps only 7 digits, too few beside the offsets.
        scores = scores.astype(np.float64) + coverage * _COVERAGE_STEP
        offsets = np.zeros(postings.size, dtype=np.float64)
        offsets[ids] = coverage * _COVERAGE_STEP
    # The same window for every page: one that grew with the page asked for
    # let rescoring move articles across page boundaries, shown twice on
    # one page and never on another. Past it, the first-stage order, as
    # Elasticsearch's rescore window does.
    window = min(len(ids), RESCORE_WINDOW)
    best = np.argpartition(-scores, window - 1)[:window] if window < len(ids) else np.arange(len(ids))
    best = best[np.lexsort((ids[best], -scores[best]))]
    scored = [(int(ids[i]), float(scores[i])) for i in best]
    spellings = live.spellings if plan.spelled else None
    ranked = rescore(postings, scored, plan, weights, min(end, window), spellings)
    if end > window:
        rest = np.setdiff1d(np.arange(len(ids)), best, assume_unique=True)
        rest = rest[np.lexsort((ids[rest], -scores[rest]))][: end - window]
        ranked = ranked[:window] + [(int(ids[i]), float(scores[i])) for i in rest]
    ranked = ranked[:end]
    if coverage is not None:
        ranked = [(d, s - float(offsets[d])) for d, s in ranked]
    return ranked


def _with_optional(postings: Postings, plan: Plan, matches: Matches) -> np.ndarray:
    """The matches' scores plus the optional clauses (title, pyvi words)."""
    if not plan.optional:
        return matches.scores
    totals = np.zeros(postings.size, dtype=np.float32)
    totals[matches.ids] = matches.scores
    matched = mask_of(matches, postings.size)
    for term in plan.optional:
        plist = postings.get(term.field, term.text)
        if len(plist.ids):
            hit = matched[plist.ids]
            totals[plist.ids[hit]] += bm25(postings, term.field, plist)[hit] * np.float32(term.boost)
    scores: np.ndarray = totals[matches.ids]
    return scores


# --- filters ------------------------------------------------------------------


def _named(
    reader: Any, live: _Live, leader: str | list[str] | None, topic: str | list[str] | None
) -> np.ndarray | None:
    """A boolean per document for the leader and topic filters, or None."""
    postings = live.postings
    mask: np.ndarray | None = None
    for name, values in (("leader", leader), ("topic", topic)):
        if values:
            listed = [values] if isinstance(values, str) else values
            if not isinstance(listed, (list, tuple)) or not all(isinstance(v, str) for v in listed):
                raise QueryError(f"{name} takes a name or a list of names, not {values!r}.")
            either = np.zeros(postings.size, dtype=bool)
            for value in listed:
                for fieldname, key in _keyword_keys(reader, live, name, value):
                    either[postings.get(fieldname, key).ids] = True
            mask = _and(mask, either)
    return mask


def _dated(postings: Postings, since: dt.date | str | None, until: dt.date | str | None) -> np.ndarray | None:
    """A boolean per document for the date filter, or None; articles without a date are out."""
    if since is None and until is None:
        return None
    dates = postings.dates()
    low = _day_number(parse_date(since)) if since is not None else 1
    high = _day_number(parse_date(until, end=True)) if until is not None else 99991231
    if low > high:
        raise QueryError(f"since {since} is after until {until}: no date is in that range. Swap them.")
    # A date the source gave as a month (YYYYMM00) or a year (YYYY0000)
    # spans it: "June 2023" may be on or after 15 June, and it is in
    # range when any of its days is.
    last = np.where(dates % 100 == 0, np.where(dates % 10000 == 0, dates + 1231, dates + 31), dates)
    in_range: np.ndarray = (dates > 0) & (last >= low) & (dates <= high)
    return in_range


def _keyword_keys(reader: Any, live: _Live, name: str, value: str) -> list[tuple[str, str]]:
    """The indexed keys a leader or topic filter value stands for.

    Typed with diacritics it means that spelling, without them any spelling.
    A topic is a label of the taxonomy: one that is no known key falls back
    to the keys containing its syllables in order. A leader's name always
    takes those too, so ``--leader "Thanh Hải"`` finds Nguyễn Thanh Hải,
    and ``--leader "Phạm Gia"`` finds Phạm Gia Khiêm though extraction also
    left a leader cut to "Phạm Gia" in one article.
    """
    value = clean(narrow(value))  # a value pasted as NFD (macOS) or full width is the same leader
    syl = Syllables.of(value)
    fieldname = name if syl.accented else f"{name}_fold"
    field_: KeywordField = reader.schema[fieldname]
    key = field_.key(value)
    exact = [key] if key and reader.doc_frequency(fieldname, key) else []
    if exact and name == "topic":
        return [(fieldname, key)]
    containing = live.containing(reader, fieldname, syl.exact if syl.accented else syl.folded)
    return [(fieldname, k) for k in dict.fromkeys([*exact, *containing])]


def _apart(words: str, typed: str) -> str:
    """*words*, read from *typed*, in the case of the part each was typed as: ``Viêtnam``, ``việt nam``: ``Việt nam``."""
    pieces = words.split()
    if len(typed) != sum(map(len, pieces)):
        return words
    return " ".join(cased(w, part) for w, part in zip(pieces, cut(typed, pieces).split()))


def _day_number(day: dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


# --- hits -----------------------------------------------------------------------


def _highlighter(plan: Plan) -> Highlighter:
    sequences = []
    for target in plan.targets:
        syl = target.syllables
        mode = EXACT if target.exact else PREFER_EXACT if syl.accented else FOLDED
        sequences.append((syl.exact, syl.folded, mode))
    return Highlighter(sequences, runs=plan.runs)


def _hit(stored: dict[str, Any], score: float, highlighter: Highlighter | None) -> Hit:
    doc = _document(stored)
    # Title and body decide together whether a word was spelled as typed.
    spelled = highlighter.spelled(doc.title, doc.body) if highlighter else None
    return Hit(
        id=doc.id,
        title=doc.title,
        date=doc.date,
        leaders=doc.leaders,
        topics=doc.topics,
        source=doc.source,
        author=doc.author,
        url=doc.url or doc.path,
        score=round(score, 4) + 0.0,  # never -0.0
        snippet=highlighter.snippet(doc.body, spelled=spelled) if highlighter else Snippet(""),
        date_precision=doc.date_precision,
        title_highlights=[(a, b) for a, b, _ in highlighter.matches(doc.title, spelled)] if highlighter else [],
    )


def _document(stored: dict[str, Any]) -> Document:
    number = stored.get("date")
    # 00 for a month or day the source did not give: shown as the first.
    date = dt.date(number // 10000, number // 100 % 100 or 1, number % 100 or 1) if number else None
    return Document(
        id=stored["id"],
        title=stored.get("title") or "",
        body=stored.get("body") or "",
        date=date,
        date_precision=stored.get("date_precision") if date else None,
        leaders=list(stored.get("leaders") or []),
        roles=dict(stored.get("roles") or {}),
        topics=list(stored.get("topics") or []),
        source=stored.get("source"),
        author=stored.get("author"),
        url=stored.get("url"),
        path=stored.get("path"),
    )
