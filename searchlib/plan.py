"""Turn a parsed query into a query tree and a rescoring recipe.

Ranking has two stages, as in Elasticsearch's ``rescore``:

1. BM25 over every matching document: the required clauses on folded
   syllables (so a query never fails for its case, diacritics or tone
   placement), plus optional title and pyvi-word clauses
   (:mod:`searchlib.engine` evaluates the tree set-at-a-time).
2. The best few hundred are rescored from the ``text`` postings: a bonus
   when the query's words keep the user's diacritics in the document, and
   when consecutive query words stand next to each other.

Short queries require all their clauses, and relax to any of them when that
finds nothing; long ones and questions (ending with "?") require a quarter
of them, so that one missing word does not empty the results.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from searchlib import keystrokes
from searchlib.abbreviations import Abbreviations, Key
from searchlib.fuzzy import Guess
from searchlib.normalize import SYLLABLE, SYLLABLE_SHAPE, fold, iy_variant, number_variant
from searchlib.query import Clause, ParsedQuery, Syllables

__all__ = ["AtLeast", "Node", "Phrase", "Plan", "Target", "Term", "Weights", "in_foreign_names", "make_plan"]

#: Queries with more units (words, phrases, abbreviations) than this are "long".
SHORT_QUERY = 4
#: Share of a long query's clauses a document must match.
LONG_QUERY_SHARE = 0.25
#: Words typed in capitals up to this long are taken for acronyms, never matched fuzzily.
ACRONYM_LETTERS = 5


@dataclass(frozen=True)
class Weights:
    """Weights of the ranking signals, relative to a folded-term BM25 score."""

    #: Optional title clauses (first stage).
    title: float = 1.5
    #: Optional pyvi-word clauses (first stage).
    word: float = 0.5
    #: The same in a short query (a few keywords, not a question): typed
    #: ``thổ cẩm``, the word is meant, not *Thổ Nhĩ Kỳ* in a title beside
    #: *cam kết* in the text. At 0.5 a page-one share of 0.67 of the
    #: articles holding such a word (``scripts/eval_words.py``); questions
    #: ranked best at 0.5, and their words are not one term.
    short_word: float = 2.0
    #: Rescoring: how much of a word typed with diacritics is scored on its
    #: exact spelling (BM25 with that spelling's idf) rather than folded.
    exact: float = 1.0
    #: Rescoring: per adjacent pair of query words, times their mean idf.
    adjacent: float = 2.0
    #: Optional clauses: consecutive query words that spell a leader's name
    #: (first stage), on the articles that name that leader.
    leader: float = 2.0


@dataclass(frozen=True)
class Term:
    """Documents holding *text* in *field*, scored by BM25 (times *boost*)."""

    field: str
    text: str
    boost: float = 1.0
    #: Scored with this term's document frequency: another spelling of the
    #: word typed counts as much as it (a rare ``qui`` no more than ``quy``).
    like: str | None = None


@dataclass(frozen=True)
class Phrase:
    """Folded *terms* at consecutive positions; with *spellings*, spelled so.

    With *within*, only where the phrase ends inside the length of that
    field: the title, which opens the ``text`` field.
    """

    field: str
    terms: tuple[str, ...]
    spellings: tuple[str, ...] | None = None
    within: str | None = None
    #: Scored as these terms (see :attr:`Term.like`).
    like: tuple[str, ...] | None = None


@dataclass(frozen=True)
class AtLeast:
    """Documents matching at least *k* children, scored by the sum of those.

    ``k == len(children)`` is AND, ``k == 1`` is OR.
    """

    children: tuple[Node, ...]
    k: int

    @classmethod
    def all(cls, children: Sequence[Node]) -> Node:
        return children[0] if len(children) == 1 else cls(tuple(children), len(children))

    @classmethod
    def any(cls, children: Sequence[Node]) -> Node:
        return children[0] if len(children) == 1 else cls(tuple(children), 1)


Node = Term | Phrase | AtLeast


@dataclass(frozen=True)
class Target:
    """A syllable sequence to highlight; *exact* means diacritics must agree."""

    syllables: Syllables
    exact: bool = False


@dataclass
class Plan:
    """The query tree for one search, and what the rescoring stage needs."""

    #: What a document must match; None lists everything (browsing).
    required: Node | None
    #: Scored only on documents that match ``required``.
    optional: list[Term] = field(default_factory=list)
    excluded: list[Node] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    #: A looser version of ``required``, tried when a short query finds nothing.
    loose: Node | None = None
    #: For each of ``loose``'s children, whether it matches only through
    #: words searched in place of an unknown one (see ``similar``).
    guessed: list[bool] = field(default_factory=list)
    #: ``(folded, spelling)`` of each query word typed with diacritics.
    spelled: list[tuple[str, str]] = field(default_factory=list)
    #: Folded syllables of each run of consecutive query words.
    runs: list[tuple[str, ...]] = field(default_factory=list)
    #: Query words no document holds (as typed, once each), with the known
    #: spellings searched in their place (see :mod:`searchlib.fuzzy`).
    similar: dict[str, list[str]] = field(default_factory=dict)
    #: Query words read as Telex or VNI keystrokes (as typed, once each),
    #: with the word they spell, searched as well (:mod:`searchlib.keystrokes`).
    keystrokes: dict[str, str] = field(default_factory=dict)
    #: Query words read as several typed without spaces (as typed, once
    #: each), with those words, searched as well: ``{"chutich": "chu tich"}``.
    joined: dict[str, str] = field(default_factory=dict)
    #: What was searched in place of query words, by their exact form (lower
    #: case), for "did you mean" to agree with.
    guesses: dict[str, Guess] = field(default_factory=dict)


#: Maps (field, syllables) to the label terms that contain them (topics).
Resolver = Callable[[str, Syllables], list[str]]


class Similar(Protocol):
    """What some of a query's lower-case words were meant to be (:meth:`searchlib.fuzzy.Neighbours.guess`)."""

    def __call__(
        self,
        words: Sequence[str],
        *,
        only_read: Collection[str] = (),
        capitals: Collection[str] = (),
        pairs: Collection[tuple[str, str]] = (),
        foreign: Collection[str] = (),
    ) -> dict[str, Guess]: ...


def make_plan(
    parsed: ParsedQuery,
    *,
    resolve: Resolver,
    weights: Weights = Weights(),
    abbreviations: Abbreviations | None = None,
    similar: Similar | None = None,
    leaders: Callable[[str], bool] | None = None,
) -> Plan:
    """Build the query tree for *parsed*.

    A unit is one group of the query, or consecutive words that spell a
    known expansion (``ủy ban nhân dân``); a unit that has an abbreviation or
    an expansion also matches those (``UBND``). A plain word that *similar*
    finds unknown also matches the known words it returns. Words that spell
    a name *leaders* knows (folded: ``nguyen tan dung``) rank the articles
    that name that leader higher: typed without diacritics, the name's
    syllables also stand together in *tận dụng*.
    """
    plan = Plan(required=None)
    clauses: list[Node] = []
    guessed: list[bool] = []
    table = abbreviations or Abbreviations()
    found = _guesses(plan, parsed, similar, table) if similar is not None else {}
    guesses = {folded: guess.words for folded, guess in found.items()}
    # Keystrokes spell a word for certain; fuzzy matches are a guess.
    unsure = {folded for folded, guess in found.items() if not guess.keystrokes and not guess.joined}
    # Keystrokes are read for certain: in exclusions and abbreviations too (-uyr, uyr ban nhaan daan).
    read = {folded: guess.words for folded, guess in found.items() if guess.keystrokes}
    # Highlighted as spelled, like a word typed with its marks (tinhr: tỉnh, not tình).
    spelled = {fold(g.words[0]): g.words[0] for g in found.values() if fold(g.words[0]) != g.words[0]}
    for groups, alternatives in _units(parsed.groups, table, guesses, read):
        subs = [
            AtLeast.any(
                [
                    _with_alternatives(plan, c, resolve, table, guesses, read)
                    if len(group) > 1
                    else _with_guesses(c, resolve, guesses)
                    if len(groups) > 1
                    else _clause(c, resolve, read)  # its guesses are among the unit's alternatives
                    for c in group
                ]
            )
            for group in groups
        ]
        typed = AtLeast.all(subs)
        clauses.append(AtLeast.any([typed, *_alternative_nodes(alternatives)]) if alternatives else typed)
        guessed.append(all(c.syllables.folded[0] in unsure for group in groups for c in group))
        for clause in (c for group in groups for c in group):
            _signals(plan, clause, weights, guesses.get(clause.syllables.folded[0]))
            if (respelled := _read_field(clause, read)) is not None:
                _signals(plan, respelled, weights)
        plan.targets.extend(_target(k, spelled) for k in alternatives)
    short = len(clauses) <= SHORT_QUERY and not parsed.is_question
    for run in parsed.runs():
        # An unknown word stands next to the others in its likeliest known
        # form, a word typed without spaces as its pieces (chutich: chu tich).
        folded = tuple(s for c in run for s in _key(guesses.get(c.syllables.folded[0], c.syllables.folded)[0]))
        if len(folded) > 1:
            plan.runs.append(folded)
            if len(folded) > len(run):
                # As typed, too: Vietnam Airlines stands together as well as Việt Nam Airlines.
                plan.runs.append(tuple(c.syllables.folded[0] for c in run))
            # Written with i and y the other way, the words stand together too
            # (qui định), each way of mixing them (quy lí, qui lý): the pairs
            # that change, once each, so that no other pair counts twice.
            forms = [(f, fold(v)) if (v := iy_variant(f)) else (f,) for f in folded]
            plan.runs.extend(
                pair
                for i in range(len(folded) - 1)
                for pair in itertools.product(forms[i], forms[i + 1])
                if pair != (folded[i], folded[i + 1])
            )
        plan.optional.extend(_word_boosts(folded, weights.short_word if short else weights.word))
        if leaders is not None:
            plan.optional.extend(_leader_boosts(folded, leaders, weights))
    # -UBND leaves out "Ủy ban nhân dân" too, and -"ủy ban nhân dân" UBND.
    plan.excluded = [
        AtLeast.any([_clause(c, resolve, read), *_alternative_nodes(_alternatives(c, table, read, read))])
        for c in parsed.excluded
    ]
    if clauses:
        if not short:
            plan.required = AtLeast(tuple(clauses), math.ceil(len(clauses) * LONG_QUERY_SHARE))
        else:
            plan.required = AtLeast.all(clauses)
            if len(clauses) > 1:
                # Any word: BM25, adjacency and the rarity of each word then
                # rank the documents that share most of the query. Requiring
                # all but one instead favours documents that keep the common
                # words and drop the name that mattered.
                plan.loose = AtLeast(tuple(clauses), 1)
                plan.guessed = guessed
    return plan


#: Matches nothing (a topic that no document has).
NOTHING = AtLeast((), 1)


def _units(
    groups: list[list[Clause]], table: Abbreviations, guesses: dict[str, list[str]], read: dict[str, list[str]]
) -> list[tuple[list[list[Clause]], set[Key]]]:
    """Groups, with runs of plain words that spell an expansion merged, and their alternatives."""
    units: list[tuple[list[list[Clause]], set[Key]]] = []
    i = 0
    while i < len(groups):
        size, alternatives = _expansion_at(groups, i, table, read)
        if not size:
            size = 1
            group = groups[i]
            if len(group) == 1:
                alternatives = _alternatives(group[0], table, guesses, read)
        units.append((groups[i : i + size], alternatives))
        i += size
    return units


def _alternatives(
    clause: Clause,
    table: Abbreviations,
    guesses: dict[str, list[str]] | None = None,
    read: dict[str, list[str]] | None = None,
) -> set[Key]:
    """What one plain word or phrase also stands for: its abbreviation or expansion, known words near it.

    Exclusions pass only keystrokes read as *guesses*: leaving out articles
    for a word that is only near the one typed would be a guess the user
    cannot see. A phrase is never guessed at, but its keystrokes are read
    (``"tinhr uyr"``: *tỉnh ủy*).
    """
    if clause.field is not None:
        return set()
    folded = clause.syllables.folded
    near: set[Key] = {_key(w) for w in (guesses or {}).get(folded[0], [])} if _plain_word(clause) else set()
    if clause.kind == "phrase" and read:
        spelled = tuple(fold(read[f][0]) if f in read else f for f in folded)
        if spelled != folded:
            near.add(spelled)
    inside = _respelled_inside(clause.text, folded, table) if clause.kind == "phrase" else set()
    return table.for_query(clause.text, folded) | near | _letters_and_digits(clause.text, folded, table) | inside


def _respelled_inside(typed: str, folded: Key, table: Abbreviations) -> set[Key]:
    """A phrase with an abbreviation or what it stands for inside, the other way: ``"UBND tỉnh"``, ``"Ủy ban nhân dân tỉnh"``.

    One part at a time; the whole phrase is the table's (``"UBND"``).
    """
    parts = SYLLABLE.findall(typed)
    if len(folded) < 2 or len(parts) != len(folded):
        return set()
    out: set[Key] = set()
    for i in range(len(folded)):
        for j in range(i + 1, min(len(folded), i + max(table.longest_expansion, 1)) + 1):
            if (i, j) != (0, len(folded)):
                out |= {folded[:i] + other + folded[j:] for other in table.for_query(" ".join(parts[i:j]), folded[i:j])}
    return out


#: A code of letters then a number (``u23``, ``pmu18``, ``ql1a``), long enough to mean something.
_CODE = re.compile(r"([a-z]+)(\d+[a-z]?)")


def _letters_and_digits(typed: str, folded: Key, table: Abbreviations) -> set[Key]:
    """A code written whole or apart: ``U23`` also finds ``U.23``, ``U-23`` and ``U 23``, and back.

    Papers write both (VNTC: ``U23`` in 854 articles, ``U.23`` or ``U-23`` in
    over a hundred; ``PMU18`` 114, ``PMU 18`` 216), and letters that abbreviate
    say it in full as well (``QL1A``: *Quốc lộ 1A*). A code of two characters
    (``A1``, ``F1``) is left alone: apart, it is a letter and a number.
    """
    if len(folded) == 1 and (m := _CODE.fullmatch(folded[0])) and len(folded[0]) > 2:
        letters, number = m.group(1), m.group(2)
        head = re.match(r"\D+", typed)  # the letters as typed: QL, in capitals, abbreviates
        said = table.for_query(head.group(), (letters,)) if head else set()
        return {(letters, number)} | {(*words, number) for words in said}
    if len(folded) == 2 and len(typed.split()) == 1 and _CODE.fullmatch("".join(folded)):
        letters, number = folded
        if letters.isalpha() and number[:1].isdigit() and len(letters) + len(number) > 2:
            return {(letters + number,)}
    return set()


def _with_guesses(clause: Clause, resolve: Resolver, guesses: dict[str, list[str]]) -> Node:
    """A word of an expansion typed out (``uyr ban nhaan daan``), or the words searched in its place."""
    near = guesses.get(clause.syllables.folded[0], []) if _plain_word(clause) else []
    return AtLeast.any([_clause(clause, resolve), *_alternative_nodes({_key(w) for w in near})])


def _key(guess: str) -> Key:
    """The folded syllables of a word searched in place of another (two for ``chủ tịch``, typed ``chủtịch``)."""
    return tuple(fold(guess).split())


def _target(key: Key, spelled: dict[str, str]) -> Target:
    """What to highlight for one alternative: a guess with marks as spelled, anything else folded."""
    exact = spelled.get(" ".join(key))
    return Target(Syllables(tuple(exact.split()), key) if exact else Syllables(key, key))


def _alternative_nodes(alternatives: set[Key]) -> list[Node]:
    return [Term("text", k[0]) if len(k) == 1 else Phrase("text", k) for k in sorted(alternatives)]


def _with_alternatives(
    plan: Plan,
    clause: Clause,
    resolve: Resolver,
    table: Abbreviations,
    guesses: dict[str, list[str]],
    read: dict[str, list[str]],
) -> Node:
    """One clause of an OR group, or what it stands for (``UBND OR HĐND``).

    A group of one clause gets its alternatives from :func:`_units` instead,
    which also finds expansions typed as several words.
    """
    alternatives = _alternatives(clause, table, guesses, read)
    plan.targets.extend(Target(Syllables(k, k)) for k in alternatives)
    return AtLeast.any([_clause(clause, resolve, read), *_alternative_nodes(alternatives)])


def _expansion_at(
    groups: list[list[Clause]], start: int, table: Abbreviations, read: dict[str, list[str]]
) -> tuple[int, set[Key]]:
    """The longest run of plain words from *start* that has an abbreviation, keystrokes read as what they type."""
    for size in range(min(table.longest_expansion, len(groups) - start), 1, -1):
        run = groups[start : start + size]
        if all(len(g) == 1 and g[0].kind == "word" and g[0].field is None for g in run):
            readings = [read.get(g[0].syllables.folded[0]) for g in run]
            typed = " ".join(r[0] if r else g[0].text for r, g in zip(readings, run))
            folded = tuple(fold(r[0]) if r else g[0].syllables.folded[0] for r, g in zip(readings, run))
            alternatives = table.for_query(typed, folded)
            if alternatives:
                return size, alternatives
    return 0, set()


def _guesses(plan: Plan, parsed: ParsedQuery, similar: Similar, table: Abbreviations) -> dict[str, Guess]:
    """Spellings to search in place of some words, by their folded form; fills the plan's reports.

    A word typed twice (``Obamma obamma``) is guessed at once. A guess typed
    with diacritics ranks its own spelling first, as the word typed right
    would (``Hưngg``: *Hưng* before *Hùng*); so does a word typed as
    keystrokes (``tinhr``: *tỉnh*), and in a query typed so, a word typed
    without keys is spelled without marks on purpose (``Minh``, not *Mình*).
    Acronyms, excluded words, phrases and field clauses are only ever read
    as keystrokes.
    """
    words = [c for group in parsed.groups for c in group if _plain_word(c)]
    excluded = [c for c in parsed.excluded if _plain_word(c)]
    # Phrases and field clauses (title:tinhr) are read, never guessed at.
    spans = [
        c for c in (*(c for g in parsed.groups for c in g), *parsed.excluded) if _plain_phrase(c) or c.field is not None
    ]
    # (syllable as typed, exact, folded, clause) for every syllable that may be read.
    syllables = [(c.text, c.syllables.exact[0], c.syllables.folded[0], c) for c in words + excluded] + [
        (typed, exact, folded, c)
        for c in spans
        if len(typed_syllables := SYLLABLE.findall(c.text)) == len(c.syllables)
        for typed, exact, folded in zip(typed_syllables, c.syllables.exact, c.syllables.folded)
    ]
    capitals = {c.syllables.exact[0] for c in words + spans if len(c.syllables) == 1 and _acronym(c)}
    # An abbreviation the table knows, typed in lower case (ktxh), is no typo.
    known = {c.syllables.exact[0] for c in words if table.for_query(c.text, c.syllables.folded)}
    only_read = capitals | known | {e for _, e, _, c in syllables if c not in words}
    # Words typed side by side: consecutive words, and the syllables of a phrase.
    pairs = {(a.syllables.exact[0], b.syllables.exact[0]) for run in parsed.runs() for a, b in zip(run, run[1:])} | {
        pair for c in spans for pair in zip(c.syllables.exact, c.syllables.exact[1:])
    }
    found = similar(
        [e for _, e, _, _ in syllables],
        only_read=only_read,
        capitals=capitals,
        pairs=pairs,
        foreign=in_foreign_names(parsed),
    )
    guesses: dict[str, Guess] = {}
    for text, exact, folded, clause in syllables:
        guess = found.get(exact)
        if guess is None or folded in guesses:
            continue
        guesses[folded] = guess
        plan.guesses[exact] = guess
        typed_match = SYLLABLE.search(text)
        typed = typed_match.group() if typed_match else text
        if guess.keystrokes:
            plan.keystrokes[typed] = guess.words[0]
        elif guess.joined:
            plan.joined[typed] = guess.words[0]
        else:
            plan.similar[typed] = guess.words
        if clause in words:
            plan.spelled.extend((f, w) for f, w in zip(_key(guess.words[0]), guess.words[0].split()) if f != w)
    if plan.keystrokes:
        plan.spelled.extend(
            (c.syllables.folded[0], c.syllables.exact[0])
            for c in words
            if c.syllables.folded[0] not in guesses and not c.syllables.accented
        )
    return guesses


def in_foreign_names(parsed: ParsedQuery, apart: Collection[str] = ()) -> set[str]:
    """Capitalised words typed beside a capitalised word no Vietnamese syllable spells (``Brooklyn Nets``).

    They are part of a foreign name, not keystrokes: ``Nets`` is not *Nét*.
    """
    out: set[str] = set()
    for run in parsed.runs():
        for a, b in itertools.pairwise(run):
            if a.text[:1].isupper() and b.text[:1].isupper():
                for word, other in ((a, b), (b, a)):
                    if _foreign(other.text) and other.syllables.exact[0] not in apart:
                        out.add(word.syllables.exact[0])
    return out


def _foreign(word: str) -> bool:
    """Not a Vietnamese syllable, nor one typed as keystrokes: ``Brooklyn``, ``Planck``, not ``Tinhr``."""
    lower = word.lower()
    return word.isascii() and not SYLLABLE_SHAPE.fullmatch(lower) and keystrokes.decode(lower) is None


def _plain_word(clause: Clause) -> bool:
    """One syllable, typed as a plain word: not a phrase or a field clause."""
    return clause.kind == "word" and clause.field is None and len(clause.syllables) == 1


def _plain_phrase(clause: Clause) -> bool:
    return clause.kind == "phrase" and clause.field is None


def _acronym(clause: Clause) -> bool:
    """Typed in capitals, five letters or fewer.

    An unknown acronym is rarely a misspelled known one: one letter apart
    names another body (``HĐND``, ``HĐNN``).
    """
    return clause.text.isupper() and len(clause.text) <= ACRONYM_LETTERS


def _clause(clause: Clause, resolve: Resolver, read: dict[str, list[str]] | None = None) -> Node:
    """The required node for one clause, or the same written the other way.

    A field clause typed as keystrokes also matches what they type; a word
    written with i or y either way (``quy``/``qui``, ``kỹ``/``kĩ``), both.
    """
    nodes = [_field_node(clause, resolve)]
    if (respelled := _read_field(clause, read or {})) is not None:
        nodes.append(_field_node(respelled, resolve))
    for other in _respellings(clause):
        nodes.append(_scored_as(_field_node(other, resolve), clause.syllables.folded))
    return AtLeast.any(nodes)


def _scored_as(node: Node, folded: tuple[str, ...]) -> Node:
    """*node* (the other spelling of a text clause) scored with the idf of the syllables typed.

    A title clause's node keeps its own: it filters more than it ranks.
    """
    if isinstance(node, Term) and node.field == "text":
        return replace(node, like=folded[0])
    if isinstance(node, Phrase) and node.field == "text":
        return replace(node, like=folded)
    return node


#: A date typed as one token, whose day and month are respelled in every
#: combination: 2/9/1945 is also 02/9, 2/09 and 02/09.
_DATE = re.compile(r"\d{1,2}[/-]\d{1,2}(?:[/-]\d{2,4})?")


def _respellings(clause: Clause) -> list[Clause]:
    """*clause* as Vietnamese may also write it: i and y swapped, days and months with or without a zero."""
    out = []
    if (other := _other_i_y(clause)) is not None:
        out.append(other)
    syl = clause.syllables
    # A date typed as one token (30/4, 2-9-1945): numbers alone are counts
    # ("5 năm"), and 0,5 or 1.05 are decimals.
    if clause.field in (None, "title") and _DATE.fullmatch(clause.text.strip('"')):
        options = [(e, v) if (v := number_variant(e)) else (e,) for e in syl.exact]
        for exact in itertools.product(*options):
            if exact != syl.exact:
                out.append(replace(clause, syllables=Syllables(exact, exact, syl.in_spelled_query)))
    return out


def _other_i_y(clause: Clause) -> Clause | None:
    """*clause* with i and y swapped where Vietnamese writes either (:func:`iy_variant`), or None.

    Typed with marks, it stands for that other spelling only (``kỹ``: *kĩ*,
    not *kì*); a name's field is left as typed (``Ly`` and ``Li`` are two).
    """
    if clause.field not in (None, "title"):
        return None
    syl = clause.syllables
    exact = tuple(iy_variant(e) or e for e in syl.exact)
    if exact == syl.exact:
        return None
    other = Syllables(exact, tuple(fold(e) for e in exact), syl.in_spelled_query)
    return replace(clause, kind="phrase" if other.accented else clause.kind, syllables=other)


def _read_field(clause: Clause, read: dict[str, list[str]]) -> Clause | None:
    """A field clause with its keystrokes read (``title:tinhr``: *tỉnh*), or None if it has none."""
    syl = clause.syllables
    if clause.field is None or not any(f in read for f in syl.folded):
        return None
    return replace(
        clause, syllables=Syllables.of(" ".join(read[f][0] if f in read else e for e, f in zip(syl.exact, syl.folded)))
    )


def _field_node(clause: Clause, resolve: Resolver) -> Node:
    syl = clause.syllables
    if clause.field == "topic":
        keys = resolve("topic", syl)
        return AtLeast.any([Term("topic_fold", k) for k in keys]) if keys else NOTHING
    if clause.field == "title":
        # A filter on titles: typed with diacritics, it keeps titles spelled
        # so (title:bão, not Báo chí). The title field has no positions, but
        # the title opens the text field: a title phrase is a phrase there.
        terms = [Term("title", f) for f in syl.folded]
        if clause.kind == "word" and not syl.accented:
            return AtLeast.all(terms)
        phrase = Phrase("text", syl.folded, syl.exact if syl.accented else None, within="title")
        return AtLeast.all([*terms, phrase])
    fieldname = "leader_text" if clause.field == "leader" else "text"
    if clause.negated and fieldname == "text" and syl.accented:
        # Left out as spelled: "bão -báo" keeps the storms. Matching every
        # spelling serves what is looked for, not what is left out.
        return Phrase(fieldname, syl.folded, syl.exact)
    if clause.kind == "word":
        return AtLeast.all([Term(fieldname, f) for f in syl.folded])
    return Phrase(fieldname, syl.folded, syl.exact if syl.accented else None)


def _signals(plan: Plan, clause: Clause, weights: Weights, guessed: list[str] | None = None) -> None:
    """Title boosts, highlight targets and rescoring inputs of one clause.

    A word searched in place of an unknown one counts in titles too, in its
    likeliest form, as it does next to the others (``Nguyeenx Taans``).
    """
    syl = clause.syllables
    if clause.field in (None, "leader", "title"):
        plan.targets.append(Target(syl, exact=clause.kind == "phrase" and syl.accented))
        for other in _respellings(clause):
            plan.targets.append(Target(other.syllables, exact=clause.kind == "phrase" and other.syllables.accented))
    if clause.field is not None:
        return
    folded = _key(guessed[0]) if guessed else syl.folded
    plan.optional.extend(Term("title", f, weights.title) for f in folded)
    if clause.kind == "word" and syl.accented:
        plan.spelled.append((syl.folded[0], syl.exact[0]))


#: Syllables in the longest leader's name looked for among a query's words.
LONGEST_NAME = 5


def _leader_boosts(folded: Sequence[str], leaders: Callable[[str], bool], weights: Weights) -> list[Term]:
    """The leaders' names that consecutive query syllables spell, longest first, each word in one name."""
    out: list[Term] = []
    i = 0
    while i < len(folded) - 1:
        for size in range(min(LONGEST_NAME, len(folded) - i), 1, -1):
            name = " ".join(folded[i : i + size])
            if leaders(name):
                out.append(Term("leader_fold", name, weights.leader))
                i += size
                break
        else:
            i += 1
    return out


def _word_boosts(folded: Sequence[str], weight: float) -> list[Term]:
    """pyvi words the query's consecutive syllables may form in a document."""
    out: list[Term] = []
    for size in range(2, 5):
        for i in range(len(folded) - size + 1):
            out.append(Term("words", "_".join(folded[i : i + size]), weight))
    return out
