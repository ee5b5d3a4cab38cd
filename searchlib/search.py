"""The read side: run a query against the live generation of an index.

Read-only by construction: nothing here imports the indexer. A
:class:`Reader` follows the index's CURRENT pointer, so a long-lived reader
picks up a rebuild or an update by itself, and gives every thread its own
Whoosh searcher (Whoosh searchers are not meant to be shared).
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import sorting

from searchlib.document import Document
from searchlib.errors import IndexCorruptError, QueryError
from searchlib.facets import FacetCounter, Facets
from searchlib.layout import Generation, current_generation, pointer_signature, read_meta
from searchlib.plan import Plan, Weights, make_plan
from searchlib.query import ParsedQuery, Syllables, parse_date, parse_query
from searchlib.rescore import RESCORE_WINDOW, rescore
from searchlib.schema import KeywordField
from searchlib.snippets import EXACT, FOLDED, PREFER_EXACT, Highlighter, Snippet

__all__ = ["Hit", "Reader", "SearchResults", "Sort"]

Sort = Literal["relevance", "date"]
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


class Reader:
    """Searches the live generation of the index at *root*."""

    def __init__(self, root: Path, weights: Weights | None = None) -> None:
        self.root = root
        self.weights = weights or Weights()
        self._lock = threading.Lock()
        self._local = threading.local()
        self._signature: object = None
        self._generation: Generation | None = None
        self._ix: Any = None
        self._facets: FacetCounter | None = None
        self._open()

    # --- following the live generation -----------------------------------

    def _open(self) -> None:
        with self._lock:
            signature = pointer_signature(self.root)
            if self._ix is not None and signature == self._signature:
                return
            generation = current_generation(self.root)
            self.meta = read_meta(generation.path)
            try:
                ix = whoosh_index.open_dir(str(generation.path))
            except Exception as exc:  # Whoosh raises bare Exceptions on bad files.
                raise IndexCorruptError(f"Cannot open the index at {generation.path}: {exc}") from exc
            self._ix, self._generation, self._signature = ix, generation, signature
            self._facets = FacetCounter()

    @property
    def generation(self) -> int:
        assert self._generation is not None
        return self._generation.number

    @property
    def generation_path(self) -> Path:
        assert self._generation is not None
        return self._generation.path

    def _searcher(self) -> Any:
        """This thread's searcher for the live generation."""
        if pointer_signature(self.root) != self._signature:
            self._open()
        local = self._local
        if getattr(local, "ix", None) is not self._ix:
            old = getattr(local, "searcher", None)
            if old is not None:
                old.close()
            local.searcher = self._ix.searcher()
            local.ix = self._ix
        return local.searcher

    def close(self) -> None:
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            searcher.close()
            self._local.searcher = None

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
    ) -> SearchResults:
        """Run *query*; see :meth:`searchlib.Index.search`."""
        if sort not in ("relevance", "date"):
            raise QueryError(f"Unknown sort {sort!r}: use 'relevance' or 'date'.")
        if limit < 0 or offset < 0:
            raise QueryError("limit and offset must not be negative.")
        searcher = self._searcher()
        parsed = parse_query(query)
        plan = make_plan(parsed, resolve=lambda f, s: _resolve(searcher, f, s), weights=self.weights)
        filters = self._filters(searcher, leader, topic, since, until)
        browsing = plan.required is None
        ids, relaxed = self._matching(searcher, plan, filters)
        order = "date" if browsing else sort
        hits = self._hits(searcher, plan, parsed, filters, order, limit, offset)
        assert self._facets is not None
        return SearchResults(
            query=query,
            total=len(ids),
            hits=hits,
            facets=self._facets.count(searcher, ids),
            offset=offset,
            limit=limit,
            sort=order,
            relaxed=relaxed,
        )

    def _matching(self, searcher: Any, plan: Plan, filters: list[wq.Query]) -> tuple[list[int], bool]:
        """Every matching document number, relaxing a short query that finds none."""
        ids = list(searcher.docs_for_query(_match_query(plan, plan.required, filters)))
        if not ids and plan.loose is not None:
            ids = list(searcher.docs_for_query(_match_query(plan, plan.loose, filters)))
            if ids:
                plan.required = plan.loose
                return ids, True
        return ids, False

    def _hits(
        self,
        searcher: Any,
        plan: Plan,
        parsed: ParsedQuery,
        filters: list[wq.Query],
        order: str,
        limit: int,
        offset: int,
    ) -> list[Hit]:
        if limit == 0:
            return []
        q = plan.query()
        if filters:
            q = wq.And([q] + [wq.ConstantScoreQuery(f, 0.0) for f in filters])
        if order == "date":
            results = searcher.search(q, limit=offset + limit, sortedby=sorting.FieldFacet("date", reverse=True))
            # Sorted results carry the sort key where a score would be.
            page = [(results.docnum(i), 0.0) for i in range(offset, results.scored_length())]
        else:
            results = searcher.search(q, limit=max(RESCORE_WINDOW, offset + limit))
            scored = [(results.docnum(i), results.score(i)) for i in range(results.scored_length())]
            page = rescore(searcher, scored, plan, self.weights)[offset : offset + limit]
        highlighter = _highlighter(plan, parsed)
        return [_hit(searcher, docnum, score, highlighter) for docnum, score in page]

    def _filters(
        self,
        searcher: Any,
        leader: str | list[str] | None,
        topic: str | list[str] | None,
        since: dt.date | str | None,
        until: dt.date | str | None,
    ) -> list[wq.Query]:
        filters: list[wq.Query] = []
        for name, values in (("leader", leader), ("topic", topic)):
            if values:
                values = [values] if isinstance(values, str) else list(values)
                filters.append(wq.Or([_keyword_filter(searcher, name, v) for v in values]))
        if since is not None or until is not None:
            low = _day_number(parse_date(since)) if since is not None else None
            high = _day_number(parse_date(until, end=True)) if until is not None else None
            filters.append(wq.NumericRange("date", low, high))
        return filters

    def get(self, doc_id: str) -> Document | None:
        """The stored article with this id, or None."""
        searcher = self._searcher()
        fields_ = searcher.document(id=doc_id)
        return None if fields_ is None else _document(fields_)

    def doc_count(self) -> int:
        return int(self._searcher().doc_count())

    def lexicon_size(self, fieldname: str) -> int:
        return sum(1 for _ in self._searcher().reader().lexicon(fieldname))


# --- helpers ----------------------------------------------------------------


def _match_query(plan: Plan, required: wq.Query | None, filters: list[wq.Query]) -> wq.Query:
    """The query deciding membership: required part, filters and exclusions, no boosts."""
    parts = ([required] if required is not None else []) + filters
    q: wq.Query = wq.And(parts) if len(parts) > 1 else parts[0] if parts else wq.Every()
    if plan.excluded:
        q = wq.AndNot(q, wq.Or(plan.excluded))
    return q


def _keyword_filter(searcher: Any, name: str, value: str) -> wq.Query:
    """Match a leader or topic as typed: exact spelling if it has diacritics, else folded.

    A value that is no known key falls back to the keys that contain its
    syllables in order, so ``--leader "Thanh Hải"`` still finds Nguyễn Thanh Hải.
    """
    syl = Syllables.of(value)
    fieldname = name if syl.accented else f"{name}_fold"
    field_: KeywordField = searcher.schema[fieldname]
    key = field_.key(value)
    if key and searcher.reader().doc_frequency(fieldname, key):
        return wq.Term(fieldname, key)
    keys = _containing(searcher, fieldname, syl.exact if syl.accented else syl.folded)
    return wq.Or([wq.Term(fieldname, k) for k in keys]) if keys else wq.NullQuery


def _resolve(searcher: Any, name: str, syl: Syllables) -> list[str]:
    """Keys of the folded keyword field *name* containing *syl* (for ``topic:``)."""
    return _containing(searcher, f"{name}_fold", syl.folded)


def _containing(searcher: Any, fieldname: str, syllables: tuple[str, ...]) -> list[str]:
    wanted = " ".join(syllables)
    if not wanted:
        return []
    keys = (t.decode("utf-8") for t in searcher.reader().lexicon(fieldname))
    return [k for k in keys if f" {wanted} " in f" {k} "]


def _day_number(day: dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def _highlighter(plan: Plan, parsed: ParsedQuery) -> Highlighter:
    sequences = []
    for target in plan.targets:
        syl = target.syllables
        mode = EXACT if target.exact else PREFER_EXACT if syl.accented else FOLDED
        sequences.append((syl.exact, syl.folded, mode))
    for run in parsed.runs():
        # Consecutive query words found together highlight as one span.
        for size in range(2, len(run) + 1):
            for i in range(len(run) - size + 1):
                part = run[i : i + size]
                exact = tuple(c.syllables.exact[0] for c in part)
                folded = tuple(c.syllables.folded[0] for c in part)
                sequences.append((exact, folded, PREFER_EXACT if exact != folded else FOLDED))
    return Highlighter(sequences)


def _hit(searcher: Any, docnum: int, score: float, highlighter: Highlighter) -> Hit:
    doc = _document(searcher.stored_fields(docnum))
    return Hit(
        id=doc.id,
        title=doc.title,
        date=doc.date,
        leaders=doc.leaders,
        topics=doc.topics,
        source=doc.source,
        author=doc.author,
        url=doc.url or doc.path,
        score=round(float(score), 4),
        snippet=highlighter.snippet(doc.body),
        date_precision=doc.date_precision,
        title_highlights=highlighter.spans(doc.title),
    )


def _document(stored: dict[str, Any]) -> Document:
    number = stored.get("date")
    date = dt.date(number // 10000, number // 100 % 100, number % 100) if number else None
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
