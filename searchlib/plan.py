"""Turn a parsed query into Whoosh queries: what must match, and what only ranks.

Matching is decided on folded syllables, so a query never fails for being
typed in lower case, without diacritics or with the other tone placement.
Everything that makes a result *better* is an optional clause, scored by
BM25F on top of the required part:

* the exact spelling when the user typed diacritics (``Hải`` above ``Hai``);
* the title;
* adjacent query syllables found next to each other (the ``bigrams`` field);
* query syllables that pyvi joined into one word in the document (``words``).

Short queries require all their clauses; long ones (questions) require a
share of them, so that one missing word does not empty the results.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from whoosh import query as wq

from searchlib.matchers import MinShouldMatch
from searchlib.query import Clause, ParsedQuery, Syllables

__all__ = ["Plan", "Target", "Weights", "make_plan"]

#: Queries with more syllables than this are "long".
SHORT_QUERY = 4
#: Share of a long query's clauses a document must match.
LONG_QUERY_SHARE = 0.5


@dataclass(frozen=True)
class Weights:
    """Boosts of the optional clauses, relative to a required folded term."""

    exact: float = 0.6
    title: float = 1.5
    adjacent: float = 1.0
    word: float = 0.5


@dataclass(frozen=True)
class Target:
    """A syllable sequence to highlight; *exact* means diacritics must agree."""

    syllables: Syllables
    exact: bool = False


@dataclass
class Plan:
    """The Whoosh queries for one search."""

    required: wq.Query | None
    optional: list[wq.Query] = field(default_factory=list)
    excluded: list[wq.Query] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    #: A looser version of ``required``, tried when a short query finds nothing.
    loose: wq.Query | None = None

    def query(self, required: wq.Query | None = None) -> wq.Query:
        """The combined query, optionally with another required part."""
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
    """Build the Whoosh queries for *parsed*."""
    plan = Plan(required=None)
    clauses: list[wq.Query] = []
    for group in parsed.groups:
        subs = [_clause(c, resolve) for c in group]
        clauses.append(subs[0] if len(subs) == 1 else wq.Or(subs))
        for clause in group:
            plan.optional.extend(_boosts(clause, weights))
            if clause.field in (None, "leader", "title"):
                plan.targets.append(Target(clause.syllables, exact=clause.kind == "phrase" and clause.syllables.accented))
    for run in parsed.runs():
        plan.optional.extend(_run_boosts([c.syllables for c in run], weights))
    plan.excluded = [_clause(c, resolve) for c in parsed.excluded]
    if clauses:
        n = parsed.syllable_count()
        if n > SHORT_QUERY and len(clauses) > 1:
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
        # A plain word matches its folded form; the title field has no
        # positions, so a title phrase is all of its syllables.
        terms = [wq.Term(fieldname, f) for f in syl.folded]
        return terms[0] if len(terms) == 1 else wq.And(terms)
    return phrase(fieldname, syl, exact=syl.accented)


def phrase(fieldname: str, syl: Syllables, *, exact: bool) -> wq.Query:
    """An exact sequence of syllables.

    In the text field, the folded pairs of the phrase must all be present
    (a cheap filter from short posting lists) before positions are checked;
    a two-syllable folded phrase is its pair, with no position check at all.
    """
    forms = syl.exact if exact else syl.folded
    if len(forms) == 1:
        return wq.Term(fieldname, forms[0])
    positional = wq.Phrase(fieldname, list(forms))
    if fieldname != "text":
        return positional
    pairs: list[wq.Query] = [wq.Term("bigrams", p) for p in _pairs(syl.folded)]
    if len(forms) == 2 and not exact:
        return pairs[0]
    return wq.And(pairs + [positional])


def _pairs(folded: Sequence[str]) -> list[str]:
    return [f"{a} {b}" for a, b in zip(folded, folded[1:])]


def _boosts(clause: Clause, weights: Weights) -> list[wq.Query]:
    """Optional clauses that rank a clause's better matches higher."""
    if clause.field is not None:
        return []
    syl = clause.syllables
    out: list[wq.Query] = [wq.Term("title", f, boost=weights.title) for f in syl.folded]
    if syl.accented:
        if clause.kind == "word":
            out.append(wq.Term("text", syl.exact[0], boost=weights.exact))
        out.extend(wq.Term("title", e, boost=weights.title * weights.exact) for e, f in zip(syl.exact, syl.folded) if e != f)
    return out


def _run_boosts(run: list[Syllables], weights: Weights) -> list[wq.Query]:
    """Adjacency and word boosts for consecutive query words."""
    folded = [s.folded[0] for s in run]
    out: list[wq.Query] = [wq.Term("bigrams", p, boost=weights.adjacent) for p in _pairs(folded)]
    for size in range(2, 5):
        for i in range(len(folded) - size + 1):
            out.append(wq.Term("words", "_".join(folded[i : i + size]), boost=weights.word))
    return out
