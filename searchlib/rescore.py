"""Second-stage ranking: reward kept diacritics and adjacent query words.

Both signals come from the ``text`` postings of the query's own syllables,
which carry positions and spellings (:class:`~searchlib.schema.SpelledPositions`).
Only the first stage's best documents are rescored, and nothing is
re-analysed: each posting is looked up by binary search in the cached list.
"""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np

from searchlib.plan import Plan, Weights
from searchlib.postings import Postings

__all__ = ["RESCORE_WINDOW", "rescore"]

#: How many first-stage results are rescored.
RESCORE_WINDOW = 200

Scored = list[tuple[int, float]]
Found = tuple[list[int], list[str] | None]


def rescore(postings: Postings, scored: Scored, plan: Plan, weights: Weights) -> Scored:
    """Add the second-stage bonuses to ``(docnum, score)`` pairs and re-sort them."""
    terms = {f for f, _ in plan.spelled} | {t for run in plan.runs for t in run}
    if not scored or not terms:
        return scored
    docnums = np.array([d for d, _ in scored], dtype=np.int64)
    found = {term: _lookup(postings, term, docnums) for term in terms}
    idf = {t: math.log(postings.size / (len(postings.get("text", t).ids) + 1)) + 1 for t in terms}
    out = []
    for i, (docnum, score) in enumerate(scored):
        bonus = sum(weights.exact * idf[f] * _share(found[f][i], f, spelling) for f, spelling in plan.spelled)
        for run in plan.runs:
            for a, b in pairwise(run):
                if _adjacent(found[a][i], found[b][i]):
                    bonus += weights.adjacent * (idf[a] + idf[b]) / 2
        out.append((docnum, score + bonus))
    out.sort(key=lambda ds: (-ds[1], ds[0]))
    return out


def _lookup(postings: Postings, term: str, docnums: np.ndarray) -> list[Found | None]:
    """Positions and spellings of *term* in each of *docnums*, or None where absent."""
    plist = postings.get("text", term)
    if not len(plist.ids):
        return [None] * len(docnums)
    decode = postings.schema["text"].format.decode_spelled
    rows = np.minimum(np.searchsorted(plist.ids, docnums), len(plist.ids) - 1)
    present = plist.ids[rows] == docnums
    return [decode(plist.value(int(r))) if ok else None for r, ok in zip(rows.tolist(), present.tolist())]


def _share(found: Found | None, folded: str, spelling: str) -> float:
    """The share of a term's occurrences spelled as the user typed it."""
    if found is None:
        return 0.0
    spellings = found[1]
    if spellings is None:
        return 1.0 if spelling == folded else 0.0
    return sum(1 for s in spellings if s == spelling) / len(spellings)


def _adjacent(a: Found | None, b: Found | None) -> bool:
    if a is None or b is None:
        return False
    following = {p + 1 for p in a[0]}
    return any(p in following for p in b[0])
