"""Second-stage ranking: reward kept diacritics and adjacent query words.

Both signals come from the ``text`` postings of the query's own syllables,
which carry positions and spellings (:class:`~searchlib.schema.SpelledPositions`).
Nothing is re-analysed: each posting is found by binary search in the cached
list. Documents are visited in first-stage order, and the walk stops as soon
as no later document could reach the requested page even with every bonus,
so the result is the same as rescoring the whole window, for less work.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from itertools import pairwise

import numpy as np

from searchlib import engine
from searchlib.engine import idf_of, saturate
from searchlib.plan import Plan, Weights
from searchlib.postings import PostingList, Postings

__all__ = ["RESCORE_WINDOW", "rescore"]

#: How many first-stage results may be rescored.
RESCORE_WINDOW = 200

Scored = list[tuple[int, float]]
Found = tuple[list[int], list[str] | None]


def rescore(
    postings: Postings,
    scored: Scored,
    plan: Plan,
    weights: Weights,
    needed: int,
    spellings: Mapping[str, int] | None = None,
) -> Scored:
    """Add the second-stage bonuses to ``(docnum, score)`` pairs (best first) and re-sort.

    A word typed with diacritics adds BM25 on its exact spelling, its idf
    from *spellings* (documents per spelling); adjacent query words add the
    mean idf of the pair. Only the *needed* best results are guaranteed to
    be in their final order.
    """
    terms = {f for f, _ in plan.spelled} | {t for run in plan.runs for t in run}
    if not scored or not terms:
        return scored
    lists = {t: postings.get("text", t) for t in terms}
    idf = {t: idf_of(postings.size, len(p.ids)) for t, p in lists.items()}
    exact = [(f, s, _spelling_idf(postings.size, s, idf[f], spellings)) for f, s in plan.spelled]
    blend = weights.exact
    pairs = [(a, b, weights.adjacent * (idf[a] + idf[b]) / 2) for run in plan.runs for a, b in pairwise(run)]
    # BM25 never exceeds idf * (K1 + 1): the bound that lets the walk stop early.
    ceiling = blend * sum(w for _, _, w in exact) * (engine.K1 + 1) + sum(w for _, _, w in pairs)
    lengths, average = postings.lengths("text"), postings.average_length("text")
    decode = postings.schema["text"].format.decode_spelled
    docnums = np.array([d for d, _ in scored], dtype=np.int64)
    rows = {t: _rows(lists[t], docnums) for t in terms}
    # The first stage boosted titles holding a word's folded form; the title
    # opens the text field, so its spellings are known here. A title that
    # holds the word only spelled otherwise loses that boost: "tăng bao
    # nhiêu" does not rank "Quà tặng: Bao nhiêu..." first. (Whoosh keeps
    # lengths to within a few positions, rounded up; the gap between title
    # and body is wider, so no body position passes for the title's.)
    boosts = {t.text: t.boost for t in plan.optional if t.field == "title"}
    titled = {f: postings.get("title", f) for f, _, _ in exact if f in boosts}
    title_bm25 = {f: engine.bm25(postings, "title", plist) for f, plist in titled.items()}
    title_rows = {f: _rows(plist, docnums) for f, plist in titled.items()}
    title_lengths = postings.lengths("title")
    # Words typed with diacritics stand together only where spelled so: the
    # title "Quà tặng bao nhiêu" does not hold "tăng bao nhiêu".
    as_typed = {f: s for f, s, _ in exact}
    paired = {t for a, b, _ in pairs for t in (a, b)}
    best: list[tuple[float, int]] = []  # min-heap of the *needed* best (score, -docnum)
    out = []
    for i, (docnum, score) in enumerate(scored):
        if len(best) >= needed and best[0][0] > score + ceiling:
            break
        found = {t: decode(lists[t].value(rows[t][i])) if rows[t][i] >= 0 else None for t in terms}
        length = float(lengths[docnum])
        bonus = 0.0
        for f, s, spelled_idf in exact:
            # Move this word's share of the score from its folded form to
            # the spelling typed: BM25 on the exact spelling, minus (blended)
            # the folded BM25 that the first stage gave it.
            here = found[f]
            tf, folded_tf = _spelled(here, f, s), len(here[0]) if here is not None else 0
            exact_bm25 = saturate(spelled_idf, tf, length, average)
            folded_bm25 = saturate(idf[f], folded_tf, length, average)
            bonus += blend * (exact_bm25 - folded_bm25)
            if (
                f in titled
                and (row := title_rows[f][i]) >= 0
                and here is not None  # nothing known against the boost
                and not any(p < title_lengths[docnum] for p in _placed(here, f, s))
            ):
                bonus -= boosts[f] * float(title_bm25[f][row])
        placed = {t: _placed(found[t], t, as_typed.get(t)) for t in paired}
        bonus += sum(w for a, b, w in pairs if _follows(placed[a], placed[b]))
        out.append((docnum, score + bonus))
        heapq.heappush(best, (score + bonus, -docnum))
        if len(best) > needed:
            heapq.heappop(best)
    out.sort(key=lambda ds: (-ds[1], ds[0]))
    return out


def _rows(plist: PostingList, docnums: np.ndarray) -> list[int]:
    """For each of *docnums*, its row in *plist*, or -1 where the term is absent."""
    if not len(plist.ids):
        return [-1] * len(docnums)
    rows = np.minimum(np.searchsorted(plist.ids, docnums), len(plist.ids) - 1)
    return np.where(plist.ids[rows] == docnums, rows, -1).tolist()  # type: ignore[no-any-return]


def _spelling_idf(documents: int, spelling: str, folded_idf: float, spellings: Mapping[str, int] | None) -> float:
    """The idf of an exact spelling; the folded term's when the index has no table."""
    if not spellings:
        return folded_idf
    return idf_of(documents, spellings.get(spelling, 0))


def _spelled(found: Found | None, folded: str, spelling: str) -> int:
    """How many times a document spells the term as the user typed it."""
    if found is None:
        return 0
    positions, spellings = found
    if spellings is None:
        return len(positions) if spelling == folded else 0
    return sum(1 for s in spellings if s == spelling)


def _placed(found: Found | None, folded: str, spelling: str | None) -> list[int]:
    """The positions of a term in a document, only those spelled *spelling* when given."""
    if found is None:
        return []
    positions, spellings = found
    if spelling is None:
        return positions
    if spellings is None:  # every position spelled as the folded term
        return positions if spelling == folded else []
    return [p for p, s in zip(positions, spellings) if s == spelling]


def _follows(a: list[int], b: list[int]) -> bool:
    """Whether some position of *b* comes right after one of *a*."""
    following = {p + 1 for p in a}
    return any(p in following for p in b)
