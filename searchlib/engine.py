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
from dataclasses import dataclass
from typing import Any

import numpy as np

from searchlib.plan import AtLeast, Node, Phrase, Term
from searchlib.postings import PostingList, Postings

__all__ = ["Matches", "bm25", "evaluate", "idf_of", "mask_of", "phrase_articles", "saturate"]

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


def phrase_articles(postings: Postings, run: tuple[str, ...], spelled: tuple[str, ...] | None = None) -> int:
    """Articles that hold the folded syllables of *run* side by side (spelled *spelled*, when given)."""
    return len(evaluate(Phrase("text", run, spelled), postings).ids)


def idf_of(documents: int, frequency: int) -> float:
    """Robertson-Sparck Jones idf, as in Lucene's BM25.

    Not Whoosh's ``log(N / (df + 1)) + 1``: its ``+ 1`` leaves the most
    common syllables (``có``, ``không``, ``của``) a sizeable weight, which
    drowns the informative words of a long question.
    """
    return math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5))


def bm25(postings: Postings, fieldname: str, plist: PostingList, like: str | None = None) -> np.ndarray:
    """BM25 of each posting of *plist*, as Whoosh's BM25F computes it; with the idf of term *like* if given."""
    if not len(plist.ids):
        return np.zeros(0, dtype=np.float32)
    idf = idf_of(postings.size, postings.doc_frequency(fieldname, like) if like else len(plist.ids))
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
    scores = bm25(postings, node.field, plist, node.like) * np.float32(node.boost)
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
    terms = [Term(node.field, t, like=like) for t, like in zip(node.terms, node.like or (None,) * len(node.terms))]
    candidates = _at_least(AtLeast(tuple(terms), len(terms)), postings) if len(terms) > 1 else _term(terms[0], postings)
    if not len(candidates):
        return NONE
    lists = [postings.get(node.field, t) for t in node.terms]
    # Every candidate at once: a quoted phrase of common syllables ("của
    # các") has tens of thousands of candidates, and decoding them one by
    # one in Python took a second. Positions first; spellings, when asked,
    # only for the documents where the words do stand together.
    keep = _consecutive(node, postings, lists, candidates.ids, spelled=False)
    if node.spellings is not None and keep.any():
        survivors = np.flatnonzero(keep)
        keep[survivors] = _consecutive(node, postings, lists, candidates.ids[survivors], spelled=True)
    return Matches(candidates.ids[keep], candidates.scores[keep])


def _consecutive(
    node: Phrase, postings: Postings, lists: list[PostingList], docs: np.ndarray, spelled: bool
) -> np.ndarray:
    """A boolean per document of *docs* (each in every list): do the terms stand together?"""
    fmt = postings.schema[node.field].format  # SpelledPositions
    starts: np.ndarray | None = None
    for offset, (term, plist) in enumerate(zip(node.terms, lists)):
        rows = np.searchsorted(plist.ids, docs)
        wanted = node.spellings[offset] if spelled and node.spellings is not None else None
        owner, positions = fmt.positions_at(plist.values, plist.value_ends, rows, term, wanted)
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
        owners = starts // _STRIDE
        if node.within is not None:
            # Whoosh keeps lengths to within a few syllables, rounded up;
            # the text field's gap after the title is wider than that.
            ends = starts % _STRIDE + len(node.terms)
            owners = owners[ends <= postings.lengths(node.within)[docs[owners]]]
        keep[owners] = True
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


def mask_of(matches: Matches, size: int) -> np.ndarray:
    """A boolean per document: does it match?"""
    mask = np.zeros(size, dtype=bool)
    mask[matches.ids] = True
    return mask
