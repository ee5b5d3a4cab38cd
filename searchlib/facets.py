"""Facet counts (leaders, topics, years) over every document a query matches.

For each faceted field the counter keeps, per generation, a forward map from
document number to the field's terms, built on first use from the postings.
Counting a result set is then one pass over its document numbers.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

__all__ = ["FACET_LIMIT", "FacetCounter", "Facets"]

#: Values reported per facet, most frequent first (years: all, newest first).
FACET_LIMIT = 20


@dataclass(frozen=True)
class Facets:
    """Counts per value over the whole result set."""

    leaders: dict[str, int] = field(default_factory=dict)
    topics: dict[str, int] = field(default_factory=dict)
    years: dict[str, int] = field(default_factory=dict)


# (keyword field, stored list used for display names)
_FIELDS = {"leaders": ("leader", "leaders"), "topics": ("topic", "topics"), "years": ("year", None)}


class FacetCounter:
    """Counts facets for one generation of an index; safe to share between threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._maps: dict[str, tuple[list[str], list[tuple[int, ...]]]] = {}
        self._names: dict[tuple[str, str], str] = {}

    def count(self, searcher: Any, ids: Iterable[int]) -> Facets:
        ids = list(ids)
        out: dict[str, dict[str, int]] = {}
        for facet, (fieldname, stored) in _FIELDS.items():
            terms, forward = self._forward(searcher, fieldname)
            counts = Counter(chain.from_iterable(forward[d] for d in ids if d < len(forward)))
            if facet == "years":
                ranked = sorted(counts.items(), key=lambda kv: terms[kv[0]], reverse=True)
            else:
                ranked = sorted(counts.items(), key=lambda kv: (-kv[1], terms[kv[0]]))[:FACET_LIMIT]
            out[facet] = {self._name(searcher, fieldname, stored, terms[t]): n for t, n in ranked}
        return Facets(**out)

    def _forward(self, searcher: Any, fieldname: str) -> tuple[list[str], list[tuple[int, ...]]]:
        cached = self._maps.get(fieldname)
        if cached is None:
            with self._lock:
                cached = self._maps.get(fieldname)
                if cached is None:
                    cached = self._maps[fieldname] = _build(searcher.reader(), fieldname)
        return cached

    def _name(self, searcher: Any, fieldname: str, stored: str | None, key: str) -> str:
        """The display form of an indexed key, read from a document that has it."""
        if stored is None:
            return key
        name = self._names.get((fieldname, key))
        if name is None:
            name = key
            for docnum in searcher.reader().postings(fieldname, key).all_ids():
                keyfield = searcher.schema[fieldname]
                values = searcher.stored_fields(docnum).get(stored) or []
                name = next((v for v in values if keyfield.key(v) == key), key)
                break
            self._names[(fieldname, key)] = name
        return name


def _build(reader: Any, fieldname: str) -> tuple[list[str], list[tuple[int, ...]]]:
    size = reader.doc_count_all()
    lists: list[list[int]] = [[] for _ in range(size)]
    terms: list[str] = []
    for index, term in enumerate(reader.lexicon(fieldname)):
        terms.append(term.decode("utf-8"))
        for docnum in reader.postings(fieldname, term).all_ids():
            lists[docnum].append(index)
    return terms, [tuple(x) for x in lists]
