"""Second-stage ranking: reward kept diacritics and adjacent query words.

Both signals come from the ``text`` postings of the query's own syllables,
which carry positions and spellings (:class:`~searchlib.schema.SpelledPositions`).
Only the first stage's best documents are rescored, each posting list is
walked once in document order, and nothing is re-analysed.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from searchlib.plan import Plan, Weights

__all__ = ["RESCORE_WINDOW", "rescore"]

#: How many first-stage results are rescored.
RESCORE_WINDOW = 200

Scored = list[tuple[int, float]]


def rescore(searcher: Any, scored: Scored, plan: Plan, weights: Weights) -> Scored:
    """Add the second-stage bonuses to ``(docnum, score)`` pairs and re-sort them."""
    terms = {f for f, _ in plan.spelled} | {t for run in plan.runs for t in run}
    if not scored or not terms:
        return scored
    postings = _postings(searcher, sorted(d for d, _ in scored), terms)
    idf = {t: searcher.idf("text", t) for t in terms}
    out = []
    for docnum, score in scored:
        found = postings.get(docnum, {})
        bonus = sum(weights.exact * idf[f] * _share(found.get(f), f, spelling) for f, spelling in plan.spelled)
        for run in plan.runs:
            for a, b in pairwise(run):
                if _adjacent(found.get(a), found.get(b)):
                    bonus += weights.adjacent * (idf[a] + idf[b]) / 2
        out.append((docnum, score + bonus))
    out.sort(key=lambda ds: (-ds[1], ds[0]))
    return out


Found = tuple[list[int], list[str] | None]


def _postings(searcher: Any, docnums: list[int], terms: set[str]) -> dict[int, dict[str, Found]]:
    """Positions and spellings of *terms* in each of *docnums* (sorted)."""
    decode = searcher.schema["text"].format.decode_spelled
    reader = searcher.reader()
    found: dict[int, dict[str, Found]] = {}
    for term in terms:
        if not reader.doc_frequency("text", term):
            continue
        matcher = reader.postings("text", term)
        for docnum in docnums:
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
                if not matcher.is_active():
                    break
            if matcher.id() == docnum:
                found.setdefault(docnum, {})[term] = decode(matcher.value())
    return found


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
