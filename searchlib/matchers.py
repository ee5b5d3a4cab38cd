"""Whoosh queries that Whoosh lacks.

* :class:`MinShouldMatch`: at least *k* of its subqueries. Whoosh's ``Or``
  accepts ``minmatch`` but does not implement it. Long queries (questions
  pasted into the box) need it: requiring every word empties the results,
  requiring any one floods them with documents sharing a common syllable.
* :class:`SpelledPhrase`: syllables at consecutive positions, optionally
  spelled exactly as typed, read from :class:`~searchlib.schema.SpelledPositions`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.matching import Matcher, NoQualityAvailable, NullMatcher
from whoosh.query import Term, qcore
from whoosh.query.compound import CompoundQuery

__all__ = ["MinShouldMatch", "SpelledPhrase"]


class MinShouldMatch(CompoundQuery):
    """Documents matching at least *k* subqueries, scored by the sum of those that match."""

    JOINT = " ~ "

    def __init__(self, subqueries: list[qcore.Query], k: int = 1, boost: float = 1.0) -> None:
        super().__init__(subqueries, boost=boost)
        self.k = max(1, min(k, len(subqueries))) if subqueries else 1

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and self.k == getattr(other, "k", None)

    def __hash__(self) -> int:
        return super().__hash__() ^ hash(self.k)

    def __repr__(self) -> str:
        return f"MinShouldMatch({self.subqueries!r}, k={self.k})"

    def apply(self, fn: Any) -> MinShouldMatch:
        return MinShouldMatch([fn(q) for q in self.subqueries], self.k, self.boost)

    def normalize(self) -> qcore.Query:
        subs = [q.normalize() for q in self.subqueries]
        subs = [q for q in subs if q is not qcore.NullQuery]
        if len(subs) < self.k:
            return qcore.NullQuery
        return MinShouldMatch(subs, self.k, self.boost)

    def estimate_min_size(self, ixreader: Any) -> int:
        return 0

    def matcher(self, searcher: Any, context: Any = None) -> Matcher:
        children = [q.matcher(searcher, context) for q in self.subqueries]
        children = [m for m in children if m.is_active()]
        if len(children) < self.k:
            return NullMatcher()
        return MinShouldMatchMatcher(children, self.k, self.boost)


class MinShouldMatchMatcher(Matcher):
    """Walks its children, stopping on documents where at least *k* of them agree."""

    def __init__(self, children: list[Matcher], k: int, boost: float = 1.0) -> None:
        self._children = children
        self._k = k
        self._boost = boost
        self._id: int | None = None
        self._find()

    def _active(self) -> list[Matcher]:
        return [c for c in self._children if c.is_active()]

    def _find(self) -> None:
        k = self._k
        while True:
            active = self._active()
            if len(active) < k:
                self._id = None
                return
            ids = sorted(c.id() for c in active)
            # No document before the k-th smallest current id can be matched
            # by k children, so every child behind it can jump there at once.
            target = ids[k - 1]
            if ids[0] == target:
                self._id = target
                return
            for child in active:
                if child.id() < target:
                    child.skip_to(target)

    def is_active(self) -> bool:
        return self._id is not None

    def id(self) -> int:
        assert self._id is not None
        return self._id

    def next(self) -> None:
        current = self._id
        for child in self._active():
            if child.id() == current:
                child.next()
        self._find()

    def skip_to(self, id: int) -> None:
        for child in self._active():
            if child.id() < id:
                child.skip_to(id)
        self._find()

    def _matching(self) -> Iterator[Matcher]:
        current = self._id
        return (c for c in self._children if c.is_active() and c.id() == current)

    def score(self) -> float:
        return self._boost * sum(c.score() for c in self._matching())

    def weight(self) -> float:
        return sum(c.weight() for c in self._matching())

    def supports(self, astype: str) -> bool:
        return False

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        # Whoosh's AndMaybe asks its required side for this even when block
        # quality is off; an upper bound keeps it from pruning wrongly.
        try:
            return self._boost * sum(c.max_quality() for c in self._active())
        except NoQualityAvailable:
            return float("inf")

    def children(self) -> Iterator[Matcher]:
        return iter(self._children)

    def copy(self) -> MinShouldMatchMatcher:
        return MinShouldMatchMatcher([c.copy() for c in self._children], self._k, self._boost)

    def reset(self) -> None:
        for child in self._children:
            child.reset()
        self._find()

    def replace(self, minquality: float = 0) -> Matcher:
        return self if self.is_active() else NullMatcher()


class SpelledPhrase(qcore.Query):
    """Folded *terms* at consecutive positions of *fieldname*.

    With *spellings*, each position must also be spelled exactly so: a
    phrase typed with diacritics means that spelling, so that
    ``"Nguyễn Thanh Hải"`` does not find Nguyễn Thành Hải.
    """

    def __init__(
        self, fieldname: str, terms: tuple[str, ...], spellings: tuple[str, ...] | None = None, boost: float = 1.0
    ) -> None:
        self.fieldname = fieldname
        self.words = tuple(terms)
        self.spellings = tuple(spellings) if spellings is not None else None
        self.boost = boost

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SpelledPhrase) and (self.fieldname, self.words, self.spellings, self.boost) == (
            other.fieldname,
            other.words,
            other.spellings,
            other.boost,
        )

    def __hash__(self) -> int:
        return hash((self.fieldname, self.words, self.spellings, self.boost))

    def __repr__(self) -> str:
        return f"SpelledPhrase({self.fieldname!r}, {self.words!r}, {self.spellings!r})"

    def __unicode__(self) -> str:
        return f'{self.fieldname}:"{" ".join(self.spellings or self.words)}"'

    __str__ = __unicode__

    def has_terms(self) -> bool:
        return True

    def terms(self, phrases: bool = True) -> Iterator[tuple[str, str]]:
        for word in self.words:
            yield self.fieldname, word

    def field(self) -> str:
        return self.fieldname

    def normalize(self) -> qcore.Query:
        return self if self.words else qcore.NullQuery

    def estimate_size(self, ixreader: Any) -> int:
        return min(ixreader.doc_frequency(self.fieldname, w) for w in self.words)

    def matcher(self, searcher: Any, context: Any = None) -> Matcher:
        children = [Term(self.fieldname, w).matcher(searcher, context) for w in self.words]
        if not children or not all(c.is_active() for c in children):
            return NullMatcher()
        fmt = searcher.schema[self.fieldname].format
        return PhraseMatcher(children, self.spellings, fmt.decode_spelled, self.boost)


class PhraseMatcher(Matcher):
    """Intersects term matchers, keeping documents where the terms line up."""

    def __init__(self, children: list[Matcher], spellings: tuple[str, ...] | None, decode: Any, boost: float) -> None:
        self._children = children
        self._spellings = spellings
        self._decode = decode
        self._boost = boost
        self._id: int | None = None
        self._find()

    def _find(self) -> None:
        children = self._children
        while all(c.is_active() for c in children):
            target = max(c.id() for c in children)
            behind = [c for c in children if c.id() < target]
            if behind:
                for child in behind:
                    child.skip_to(target)
                continue
            if self._lines_up():
                self._id = target
                return
            children[0].next()
        self._id = None

    def _lines_up(self) -> bool:
        """Whether some start position has term i at start + i, spelled right."""
        wanted = self._spellings
        allowed: list[set[int]] = []
        for i, child in enumerate(self._children):
            positions, spellings = self._decode(child.value())
            if wanted is not None and spellings is not None:
                positions = [p for p, s in zip(positions, spellings) if s == wanted[i]]
            elif wanted is not None and wanted[i] != child.term()[1].decode("utf-8"):
                positions = []
            allowed.append({p - i for p in positions})
        return bool(set.intersection(*allowed))

    def is_active(self) -> bool:
        return self._id is not None

    def id(self) -> int:
        assert self._id is not None
        return self._id

    def next(self) -> None:
        self._children[0].next()
        self._find()

    def skip_to(self, id: int) -> None:
        for child in self._children:
            if child.is_active() and child.id() < id:
                child.skip_to(id)
        self._find()

    def score(self) -> float:
        return self._boost * sum(c.score() for c in self._children)

    def weight(self) -> float:
        return sum(c.weight() for c in self._children)

    def supports(self, astype: str) -> bool:
        return False

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        try:
            return self._boost * sum(c.max_quality() for c in self._children)
        except NoQualityAvailable:
            return float("inf")

    def children(self) -> Iterator[Matcher]:
        return iter(self._children)

    def copy(self) -> PhraseMatcher:
        return PhraseMatcher([c.copy() for c in self._children], self._spellings, self._decode, self._boost)

    def replace(self, minquality: float = 0) -> Matcher:
        return self if self.is_active() else NullMatcher()
