"""Evaluate a query tree set-at-a-time over numpy posting arrays.

Every node evaluates to a :class:`Matches`: sorted document numbers and
their BM25 scores. Combining nodes is a handful of vectorised operations on
dense per-document accumulators, so the cost of a query grows with the
length of its posting lists at C speed, not at the speed of a Python matcher
object per document as in Whoosh's own searcher. This is what keeps common
syllables, which every Vietnamese query has, cheap.

Scores are BM25 per field (``K1 = 1.2``, ``B = 0.9``, Robertson idf), summed
over the clauses as Whoosh's BM25F does. ``B`` is above the textbook 0.75
because scripts/eval.py measured it better on all three test sets: long
articles repeat common syllables, and stronger length normalisation keeps
them from outranking a short article that is about the query.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from typing import Any

import numpy as np

from searchlib.plan import AtLeast, Node, Phrase, Term
from searchlib.postings import PostingList, Postings

__all__ = ["Matches", "bm25", "evaluate", "idf_of", "mask_of", "saturate"]

K1 = 1.2
B = 0.9


@dataclass(frozen=True)
class Matches:
    """Sorted document numbers and a score for each."""

    ids: np.ndarray
    scores: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


NONE = Matches(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))


def evaluate(node: Node, postings: Postings) -> Matches:
    """The documents matching *node*, deleted ones excluded."""
    if isinstance(node, Term):
        return _term(node, postings)
    if isinstance(node, Phrase):
        return _phrase(node, postings)
    return _at_least(node, postings)


def idf_of(documents: int, frequency: int) -> float:
    """Robertson-Sparck Jones idf, as in Lucene's BM25.

    Not Whoosh's ``log(N / (df + 1)) + 1``: its ``+ 1`` leaves the most
    common syllables (``có``, ``không``, ``của``) a sizeable weight, which
    drowns the informative words of a long question.
    """
    return math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5))


def bm25(postings: Postings, fieldname: str, plist: PostingList) -> np.ndarray:
    """BM25 of each posting of *plist*, as Whoosh's BM25F computes it."""
    if not len(plist.ids):
        return np.zeros(0, dtype=np.float32)
    idf = idf_of(postings.size, len(plist.ids))
    lengths = postings.lengths(fieldname)[plist.ids]
    scores: np.ndarray = saturate(idf, plist.tf, lengths, postings.average_length(fieldname)).astype(np.float32)
    return scores


def saturate(idf: float, tf: Any, length: Any, average: float) -> Any:
    """The BM25 formula, for one document (floats) or many (numpy arrays)."""
    return idf * tf * (K1 + 1) / (tf + K1 * ((1 - B) + B * length / average))


def _term(node: Term, postings: Postings) -> Matches:
    plist = postings.get(node.field, node.text)
    if not len(plist.ids):
        return NONE
    live = postings.live[plist.ids]
    scores = bm25(postings, node.field, plist) * np.float32(node.boost)
    if live.all():
        return Matches(plist.ids, scores)
    return Matches(plist.ids[live], scores[live])


def _at_least(node: AtLeast, postings: Postings) -> Matches:
    parts = [evaluate(child, postings) for child in node.children]
    if not parts or sum(1 for p in parts if len(p)) < node.k:
        return NONE
    if len(parts) == 1:
        return parts[0]
    counts = np.zeros(postings.size, dtype=np.int16)
    totals = np.zeros(postings.size, dtype=np.float32)
    for part in parts:
        counts[part.ids] += 1
        totals[part.ids] += part.scores
    ids = np.flatnonzero(counts >= node.k)
    return Matches(ids, totals[ids])


def _phrase(node: Phrase, postings: Postings) -> Matches:
    """Documents where the terms stand at consecutive positions (and are spelled so)."""
    terms = [Term(node.field, t) for t in node.terms]
    candidates = _at_least(AtLeast(tuple(terms), len(terms)), postings) if len(terms) > 1 else _term(terms[0], postings)
    if not len(candidates):
        return NONE
    lists = [postings.get(node.field, t) for t in node.terms]
    # Every candidate at once: a quoted phrase of common syllables ("của
    # các") has tens of thousands of candidates, and decoding them one by
    # one in Python took a second. Positions first; spellings, when asked,
    # only for the documents where the words do stand together.
    keep = _consecutive(node, lists, candidates.ids, spelled=False)
    if node.spellings is not None and keep.any():
        survivors = np.flatnonzero(keep)
        keep[survivors] = _consecutive(node, lists, candidates.ids[survivors], spelled=True)
    return Matches(candidates.ids[keep], candidates.scores[keep])


def _consecutive(node: Phrase, lists: list[PostingList], docs: np.ndarray, spelled: bool) -> np.ndarray:
    """A boolean per document of *docs* (each in every list): do the terms stand together?"""
    starts: np.ndarray | None = None
    for offset, (term, plist) in enumerate(zip(node.terms, lists)):
        rows = np.searchsorted(plist.ids, docs)
        wanted = node.spellings[offset] if spelled and node.spellings is not None else None
        owner, positions = _all_positions(plist, rows, term, wanted)
        valid = positions >= offset
        # Sorted and distinct already (documents in order, each posting's
        # positions ascending), which spares np.unique's hashing: 0.8 s on
        # "của các" over 84,000 articles.
        keys = owner[valid] * _STRIDE + (positions[valid] - offset)
        starts = keys if starts is None else _sorted_common(starts, keys)
        if not len(starts):
            break
    keep = np.zeros(len(docs), dtype=bool)
    if starts is not None:
        keep[starts // _STRIDE] = True
    return keep


#: Packs (candidate, start position) into one integer: positions stay below 2**32.
_STRIDE = 1 << 32


def _sorted_common(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The values in both sorted arrays of distinct values."""
    if not len(a) or not len(b):
        return a[:0]
    at = np.minimum(np.searchsorted(b, a), len(b) - 1)
    common: np.ndarray = a[b[at] == a]
    return common


def _all_positions(
    plist: PostingList, rows: np.ndarray, term: str, wanted: str | None
) -> tuple[np.ndarray, np.ndarray]:
    """``(index into rows, position)`` for the positions of the postings at *rows*.

    With *wanted*, only the positions spelled so. Reads
    :class:`~searchlib.schema.SpelledPositions` values in place: a big-endian
    count, a typecode (``H`` or ``I``), the positions in machine order, then
    nothing (every position spelled as the folded *term*), byte 1 and one
    spelling for all, or the number of spellings, the length of their
    tab-separated table (big-endian), the table, and one index into it per
    position: finding the wanted spelling in that table is the one step
    left to Python, per document.
    """
    data = np.frombuffer(plist.values, dtype=np.uint8)
    ends = plist.value_ends
    begin = np.where(rows > 0, ends[np.maximum(rows - 1, 0)], 0)
    counts = _uint(data, begin, 4, big_endian=True)
    width = np.where(data[begin + 4] == ord("H"), 2, 4)
    firsts = np.cumsum(counts) - counts
    owner = np.repeat(np.arange(len(rows), dtype=np.int64), counts)
    step = np.repeat(width, counts)
    at = np.repeat(begin + 5, counts) + (np.arange(len(owner), dtype=np.int64) - np.repeat(firsts, counts)) * step
    positions = _uint(data, at, 2, big_endian=sys.byteorder == "big")
    wide = step == 4
    if wide.any():
        positions[wide] = _uint(data, at[wide], 4, big_endian=sys.byteorder == "big")
    if wanted is None:
        return owner, positions
    tail, end = begin + 5 + counts * width, ends[rows]
    as_term = tail == end
    spelled = np.where(as_term, wanted == term, False)
    one = ~as_term & (data[np.minimum(tail, len(data) - 1)] == 1)
    target = wanted.encode("utf-8")
    same = one & (end - tail - 1 == len(target))
    for k, byte in enumerate(target):
        same &= data[np.minimum(tail + 1 + k, len(data) - 1)] == byte
    spelled |= same
    keep = np.repeat(spelled, counts)
    values = plist.values
    for i in np.flatnonzero(~as_term & ~one).tolist():  # several spellings in one document
        start, count = int(tail[i]) + 3, int(counts[i])
        length = int(data[start - 2]) << 8 | int(data[start - 1])
        table = values[start : start + length].split(b"\t")
        if target in table:
            indexes = data[start + length : start + length + count]
            keep[firsts[i] : firsts[i] + count] = indexes == table.index(target)
        else:
            keep[firsts[i] : firsts[i] + count] = False
    return owner[keep], positions[keep]


def _uint(data: np.ndarray, at: np.ndarray, size: int, *, big_endian: bool) -> np.ndarray:
    """The unsigned integers of *size* bytes that start at each of *at* in *data*."""
    parts = [data[at + k].astype(np.int64) for k in range(size)]
    value = np.zeros(len(at), dtype=np.int64)
    for part in parts if big_endian else reversed(parts):
        value = (value << 8) | part
    return value


def mask_of(matches: Matches, size: int) -> np.ndarray:
    """A boolean per document: does it match?"""
    mask = np.zeros(size, dtype=bool)
    mask[matches.ids] = True
    return mask
