"""Turn a parsed query into Whoosh queries and a rescoring recipe.

Ranking has two stages, as in Elasticsearch's ``rescore``:

1. Whoosh ranks with BM25F: the required clauses on folded syllables (so a
   query never fails for its case, diacritics or tone placement), plus
   optional title and pyvi-word clauses. Plain term queries keep Whoosh's
   block-max pruning, so the first stage stays fast on common syllables.
2. The best few hundred are rescored from the ``text`` postings: a bonus
   when the query's words keep the user's diacritics in the document, and
   when consecutive query words stand next to each other.

Short queries require all their clauses; long ones (questions) require a
share of them, so that one missing word does not empty the results.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from whoosh import query as wq

from searchlib.matchers import MinShouldMatch, SpelledPhrase
from searchlib.query import Clause, ParsedQuery, Syllables

__all__ = ["Plan", "Target", "Weights", "make_plan"]

#: Queries with more syllables than this are "long".
SHORT_QUERY = 4
#: Share of a long query's clauses a document must match.
LONG_QUERY_SHARE = 0.5


@dataclass(frozen=True)
class Weights:
    """Weights of the ranking signals, relative to a folded-term BM25 score."""

    #: Optional title clauses (first stage).
    title: float = 1.5
    #: Optional pyvi-word clauses (first stage).
    word: float = 0.5
    #: Rescoring: per query word spelled as typed, times its idf.
    exact: float = 0.6
    #: Rescoring: per adjacent pair of query words, times their mean idf.
    adjacent: float = 1.0


@dataclass(frozen=True)
class Target:
    """A syllable sequence to highlight; *exact* means diacritics must agree."""

    syllables: Syllables
    exact: bool = False


@dataclass
class Plan:
    """The Whoosh queries for one search, and what the rescoring stage needs."""

    required: wq.Query | None
    optional: list[wq.Query] = field(default_factory=list)
    excluded: list[wq.Query] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    #: A looser version of ``required``, tried when a short query finds nothing.
    loose: wq.Query | None = None
    #: ``(folded, spelling)`` of each query word typed with diacritics.
    spelled: list[tuple[str, str]] = field(default_factory=list)
    #: Folded syllables of each run of consecutive query words.
    runs: list[tuple[str, ...]] = field(default_factory=list)

    def query(self, required: wq.Query | None = None) -> wq.Query:
        """The first-stage query, optionally with another required part."""
        base = required if required is not None else self.required
        if base is None:
            return wq.Every()
        q: wq.Query = wq.AndMaybe(base, wq.Or(self.optional)) if self.optional else base
        if self.excluded:
            q = wq.AndNot(q, wq.Or(self.excluded))
        return q


#: Maps (field, syllables) to the label terms that contain them (topics).
Resolver = Callable[[str, Syllables], list[str]]


def make_plan(parsed: ParsedQuery, *, resolve: Resolver, weights: Weights = Weights()) -> Plan:
    """Build the queries for *parsed*."""
    plan = Plan(required=None)
    clauses: list[wq.Query] = []
    for group in parsed.groups:
        subs = [_clause(c, resolve) for c in group]
        clauses.append(subs[0] if len(subs) == 1 else wq.Or(subs))
        for clause in group:
            _signals(plan, clause, weights)
    for run in parsed.runs():
        folded = tuple(c.syllables.folded[0] for c in run)
        if len(folded) > 1:
            plan.runs.append(folded)
        plan.optional.extend(_word_boosts(folded, weights))
    plan.excluded = [_clause(c, resolve) for c in parsed.excluded]
    if clauses:
        if parsed.syllable_count() > SHORT_QUERY and len(clauses) > 1:
            plan.required = MinShouldMatch(clauses, math.ceil(len(clauses) * LONG_QUERY_SHARE))
        else:
            plan.required = wq.And(clauses) if len(clauses) > 1 else clauses[0]
            if len(clauses) > 1:
                plan.loose = MinShouldMatch(clauses, max(1, len(clauses) - 1))
    return plan


def _clause(clause: Clause, resolve: Resolver) -> wq.Query:
    """The required query for one clause."""
    syl = clause.syllables
    if clause.field == "topic":
        keys = resolve("topic", syl)
        return wq.Or([wq.Term("topic_fold", k) for k in keys]) if keys else wq.NullQuery
    fieldname = {"leader": "leader_text", "title": "title"}.get(clause.field or "", "text")
    if clause.kind == "word" or fieldname == "title":
        # The title field has no positions: a title phrase is all of its syllables.
        terms = [wq.Term(fieldname, f) for f in syl.folded]
        return terms[0] if len(terms) == 1 else wq.And(terms)
    return SpelledPhrase(fieldname, syl.folded, syl.exact if syl.accented else None)


def _signals(plan: Plan, clause: Clause, weights: Weights) -> None:
    """Title boosts, highlight targets and rescoring inputs of one clause."""
    syl = clause.syllables
    if clause.field in (None, "leader", "title"):
        plan.targets.append(Target(syl, exact=clause.kind == "phrase" and syl.accented))
    if clause.field is not None:
        return
    plan.optional.extend(wq.Term("title", f, boost=weights.title) for f in syl.folded)
    if clause.kind == "word" and syl.accented:
        plan.spelled.append((syl.folded[0], syl.exact[0]))


def _word_boosts(folded: Sequence[str], weights: Weights) -> list[wq.Query]:
    """pyvi words the query's consecutive syllables may form in a document."""
    out: list[wq.Query] = []
    for size in range(2, 5):
        for i in range(len(folded) - size + 1):
            out.append(wq.Term("words", "_".join(folded[i : i + size]), boost=weights.word))
    return out
