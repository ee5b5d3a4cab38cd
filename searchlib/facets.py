"""Facet counts (leaders, topics, years) over every document a query matches.

For each faceted field a generation has two parallel arrays over all the
field's postings, the document and the value, and the list of values.
Counting a result set is then one ``bincount`` of the values whose document
matched. The writer saves the arrays with each generation (``facets.npz``),
because building them means reading one posting list per leader, which a
fresh CLI process would otherwise pay on every search.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from searchlib.analysis import keyword_forms
from searchlib.copies import NONE, Copies
from searchlib.postings import Postings

__all__ = ["FACET_FILE", "FACET_LIMIT", "FacetCounter", "Facets", "save_facets"]

FACET_FILE = "facets.npz"

#: Values reported per facet, most frequent first (years: all, newest first).
FACET_LIMIT = 20


@dataclass(frozen=True)
class Facets:
    """Counts per value over the whole result set."""

    leaders: dict[str, int] = field(default_factory=dict)
    topics: dict[str, int] = field(default_factory=dict)
    years: dict[str, int] = field(default_factory=dict)


# facet -> (keyword field, stored list that has the display names)
_FIELDS = {"leaders": ("leader", "leaders"), "topics": ("topic", "topics"), "years": ("year", None)}


@dataclass(frozen=True)
class _Field:
    terms: list[str]
    docs: np.ndarray
    values: np.ndarray
    #: Display forms of the terms, when known (saved by the writer).
    names: list[str] | None = None


def _build(reader: Any, postings: Postings, fieldname: str) -> _Field:
    terms = [t.decode("utf-8") for t in reader.lexicon(fieldname)]
    lists = [postings.get(fieldname, t).ids for t in terms]
    docs = np.concatenate(lists) if lists else np.zeros(0, dtype=np.int64)
    values = np.repeat(np.arange(len(terms)), [len(x) for x in lists]) if lists else docs
    return _Field(terms, docs, values)


def save_facets(reader: Any, postings: Postings, path: Path) -> None:
    """Write the facet arrays of the index *reader* reads to *path*."""
    arrays: dict[str, np.ndarray] = {}
    counter = FacetCounter(postings)
    for fieldname, stored in _FIELDS.values():
        data = _build(reader, postings, fieldname)
        names = [counter._name(reader, fieldname, stored, t) for t in data.terms]
        arrays[f"{fieldname}.terms"] = np.array(data.terms, dtype=str)
        arrays[f"{fieldname}.names"] = np.array(names, dtype=str)
        arrays[f"{fieldname}.docs"] = data.docs
        arrays[f"{fieldname}.values"] = data.values
    from searchlib.generations import write_atomic  # the writer's; readers never load it

    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]  # numpy's stub types **kwds as bool
    write_atomic(path, buffer.getvalue())


def _load(path: Path) -> dict[str, _Field]:
    try:
        with np.load(path, allow_pickle=False) as saved:
            return {
                fieldname: _Field(
                    saved[f"{fieldname}.terms"].tolist(),
                    saved[f"{fieldname}.docs"],
                    saved[f"{fieldname}.values"],
                    saved[f"{fieldname}.names"].tolist(),
                )
                for fieldname, _ in _FIELDS.values()
            }
    except (OSError, KeyError, ValueError):
        return {}


def _values(data: _Field, matched: np.ndarray, copies: Copies | None) -> np.ndarray:
    """The value of each matched posting, a group of copies' postings of one value once."""
    selected = matched[data.docs]
    values: np.ndarray = data.values[selected]
    if copies is None or not copies.extra:
        return values
    groups = copies.group[data.docs[selected]]
    grouped = groups != NONE
    if not grouped.any():
        return values
    # One (group, value) pair per group: the value's count takes the group once.
    pairs = np.unique(groups[grouped] * max(len(data.terms), 1) + values[grouped])
    out: np.ndarray = np.concatenate([values[~grouped], pairs % max(len(data.terms), 1)])
    return out


class FacetCounter:
    """Counts facets for one generation of an index; safe to share between threads."""

    def __init__(self, postings: Postings, saved: Path | None = None) -> None:
        self.postings = postings
        self._lock = threading.Lock()
        self._fields: dict[str, _Field] = _load(saved) if saved is not None and saved.exists() else {}
        self._names: dict[tuple[str, str], str] = {}

    def count(
        self, reader: Any, matched: np.ndarray, limit: int | None = FACET_LIMIT, copies: Copies | None = None
    ) -> Facets:
        """Facet counts over the documents flagged in the boolean array *matched*, the *limit* commonest values.

        With *copies*, copies of an article under one value count once there.
        """
        out: dict[str, dict[str, int]] = {}
        for facet, (fieldname, stored) in _FIELDS.items():
            data = self._field(reader, fieldname)
            counts = np.bincount(_values(data, matched, copies), minlength=len(data.terms))
            found = np.flatnonzero(counts)
            if facet == "years":
                ranked = sorted(found.tolist(), key=lambda i: data.terms[i], reverse=True)
            else:
                ranked = sorted(found.tolist(), key=lambda i: (-counts[i], data.terms[i]))[:limit]
            names = data.names
            out[facet] = {
                (names[i] if names is not None else self._name(reader, fieldname, stored, data.terms[i])): int(
                    counts[i]
                )
                for i in ranked
            }
        return Facets(**out)

    def names_by_folded(self, reader: Any, fieldname: str) -> dict[str, str]:
        """Display names of a faceted field's values, by their folded form: of several, the one most articles hold.

        ``ho cam dao`` is *Hồ Cẩm Đào* in 134 articles and *Hồ Cầm Đào* in 2:
        the first in alphabetical order was the misprint.
        """
        data = self._field(reader, fieldname)
        stored = next(s for f, s in _FIELDS.values() if f == fieldname)
        articles = np.bincount(data.values, minlength=len(data.terms))
        out: dict[str, str] = {}
        most: dict[str, int] = {}
        for i, term in enumerate(data.terms):
            name = data.names[i] if data.names is not None else self._name(reader, fieldname, stored, term)
            folded = keyword_forms(name)[1]
            if articles[i] > most.get(folded, -1):
                out[folded], most[folded] = name, int(articles[i])
        return out

    def _field(self, reader: Any, fieldname: str) -> _Field:
        with self._lock:
            data = self._fields.get(fieldname)
            if data is None:
                data = self._fields[fieldname] = _build(reader, self.postings, fieldname)
        return data

    def _name(self, reader: Any, fieldname: str, stored: str | None, key: str) -> str:
        """The display form of an indexed key, read from a document that has it."""
        if stored is None:
            return key
        name = self._names.get((fieldname, key))
        if name is None:
            ids = self.postings.get(fieldname, key).ids
            values = (reader.stored_fields(int(ids[0])).get(stored) or []) if len(ids) else []
            keyfield = reader.schema[fieldname]
            name = next((v for v in values if keyfield.key(v) == key), key)
            self._names[(fieldname, key)] = name
        return name
