"""The query language: what users type, parsed into clauses.

Syntax::

    hội nghị               words: all required when the query is short
    "Nguyễn Thanh Hải"     a phrase: exact spelling when typed with diacritics
    -covid                 exclude a word, a phrase or a field clause
    NOT covid              the same, as other search engines write it
    tỉnh ủy OR thành ủy    either side (binds tighter than the implicit AND)
    bão AND lũ             AND is what words do already: ignored
    leader:"Thanh Hải"     words of a leader's name
    topic:"y tế"           a topic label, or labels containing these words
    title:bão              a word (or "phrase") of the title

Whoosh's QueryParser is not used: it splits on spaces before analysis, which
breaks words against a syllable index and gives user text a syntax of its
own (``*``, ``field:`` on any field). This parser never fails: an
unbalanced quote closes at the end, a lone ``-``, ``OR`` or ``NOT`` is
ignored, and what has no syllables is dropped. The operators are read in
capitals only: ``or``, ``and`` and ``not`` are words.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Literal

from searchlib.errors import QueryError
from searchlib.normalize import SYLLABLE, SYLLABLE_SHAPE, clean, exact_form, fold, narrow, stop_final

__all__ = ["Clause", "ParsedQuery", "Syllables", "parse_date", "parse_query"]

#: Longest query text considered; the rest is ignored, not an error.
MAX_QUERY_CHARS = 1000
#: At most this many clauses count; a pasted paragraph is not a query.
MAX_CLAUSES = 64

FIELDS = ("leader", "topic", "title")
_FIELD = re.compile(r"(leader|topic|title):(?=\S)", re.IGNORECASE)
_WORD = re.compile(r'[^\s"]+')
_BARE_FIELD = re.compile(r"(?:leader|topic|title):", re.IGNORECASE)


@dataclass(frozen=True)
class Syllables:
    """A run of syllables in exact form and folded form."""

    exact: tuple[str, ...]
    folded: tuple[str, ...]
    #: Part of a query typed with diacritics, where a syllable without marks
    #: is spelled so on purpose (``bao`` in ``tăng bao nhiêu``).
    in_spelled_query: bool = False

    @classmethod
    def of(cls, text: str) -> Syllables:
        exact = tuple(SYLLABLE.findall(exact_form(text)))
        return cls(exact, tuple(fold(s) for s in exact))

    @property
    def accented(self) -> bool:
        """Typed with any diacritic, or in a query typed so: the user knows the spelling."""
        return self.in_spelled_query or self.exact != self.folded

    @property
    def marked(self) -> int:
        """How many syllables carry a diacritic."""
        return sum(e != f for e, f in zip(self.exact, self.folded))

    def __len__(self) -> int:
        return len(self.exact)


@dataclass(frozen=True)
class Clause:
    """One unit of a query: a word, a phrase, or a field clause."""

    kind: Literal["word", "phrase"]
    text: str
    syllables: Syllables
    field: str | None = None
    negated: bool = False


@dataclass
class ParsedQuery:
    """A query as clauses: ``groups`` are ANDed, the clauses of a group ORed."""

    raw: str
    groups: list[list[Clause]] = field(default_factory=list)
    excluded: list[Clause] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def is_question(self) -> bool:
        """Typed as a question: natural language, not keywords."""
        return self.raw.rstrip().endswith("?")

    def runs(self) -> list[list[Clause]]:
        """Maximal runs of consecutive single-word groups.

        Words typed next to each other are probably one expression: runs get
        the adjacency boost and the word-segment candidates.
        """
        runs: list[list[Clause]] = [[]]
        for group in self.groups:
            if len(group) == 1 and group[0].kind == "word" and group[0].field is None:
                runs[-1].append(group[0])
            elif runs[-1]:
                runs.append([])
        return [r for r in runs if r]


def _tokens(text: str) -> list[Clause | str]:
    """Split *text* into clauses and ``"OR"`` markers."""
    out: list[Clause | str] = []
    i, n = 0, len(text)
    pending_not = False
    while i < n and len(out) < MAX_CLAUSES:
        if text[i].isspace():
            i += 1
            continue
        dash = text[i] == "-"
        if dash:
            i += 1
            if i >= n or text[i].isspace():
                continue
        negated, after_not, pending_not = dash or pending_not, pending_not, False
        name = None
        m = _FIELD.match(text, i)
        if m:
            name, i = m.group(1).lower(), m.end()
        if text[i] == '"':
            end = text.find('"', i + 1)
            end = n if end < 0 else end
            body, kind, i = text[i + 1 : end], "phrase", end + 1
        else:
            m = _WORD.match(text, i)
            assert m is not None
            body, kind, i = m.group(), "word", m.end()
            if name is None and not negated and (cut := _dot_before_name(body)):
                # "TP.Đà Nẵng", as newspapers print it: the abbreviation and the
                # name are two words (TP expands), not the phrase "TP Đà".
                body, i = body[:cut], m.start() + cut + 1
            if body in ("OR", "AND", "NOT") and not dash and name is None:
                if after_not:
                    pending_not = True  # NOT AND x, NOT NOT x: the operator is dropped, x still excluded
                elif body == "OR":
                    out.append("OR")
                else:
                    pending_not = body == "NOT"  # the next clause is excluded, as -word
                continue
            if _BARE_FIELD.fullmatch(body) and name is None:
                continue  # a field name with nothing after it ("leader:"): not the word "leader"
        syllables = Syllables.of(body)
        if len(syllables):
            # A word that holds several syllables ("KT-XH", "C-ThaiNguyen")
            # only makes sense as a phrase.
            if kind == "word" and len(syllables) > 1:
                kind = "phrase"
            out.append(Clause(kind, body, syllables, name, negated))  # type: ignore[arg-type]
    return out


def _dot_before_name(word: str) -> int:
    """Where a dot with no space after it ends an abbreviation and opens a word (``TP.Đà``, ``q.ba``), else 0.

    Before the dot, one to three letters; after it, a word in title case,
    or a Vietnamese syllable. ``TP.HCM``, ``T.P`` and ``vnexpress.net``
    stay one token.
    """
    for k in range(1, min(len(word) - 2, 4)):
        if word[k] != ".":
            continue
        head, tail = word[:k], SYLLABLE.match(word, k + 1)
        if not head.isalpha() or tail is None:
            return 0
        after = tail.group()
        if (after[0].isupper() and after[1:2].islower()) or SYLLABLE_SHAPE.fullmatch(fold(after.lower())):
            return k
        return 0
    return 0


def parse_query(text: str) -> ParsedQuery:
    """Parse what a user typed; never raises.

    >>> q = parse_query('bí thư "tỉnh uỷ" -covid OR x')
    >>> [[c.text for c in g] for g in q.groups], [c.text for c in q.excluded]
    ([['bí'], ['thư'], ['tỉnh uỷ'], ['x']], ['covid'])
    """
    parsed = ParsedQuery(raw=text)
    # OR joins the clause before it to the clause after it, when both are
    # positive clauses of the same kind; anywhere else it is ignored.
    pending_or = after_positive = False
    for token in _tokens(_plain_syntax(clean(narrow(text[:MAX_QUERY_CHARS])))):
        if token == "OR":
            pending_or = after_positive
            continue
        assert isinstance(token, Clause)
        if token.negated:
            parsed.excluded.append(token)
        elif pending_or and parsed.groups[-1][0].field == token.field:
            parsed.groups[-1].append(token)
        else:
            parsed.groups.append([token])
        pending_or, after_positive = False, not token.negated
    return _mark_spelled(parsed)


_QUOTES = str.maketrans(dict.fromkeys("“”„‟«»", '"'))
_DASH_BEFORE_WORD = re.compile(r"(^|\s)[–—−](?=\S)")


def _plain_syntax(text: str) -> str:
    """Typographic quotes as ``"``, and a dash before a word as ``-``.

    Word processors and phones type “Bí thư” and –covid; pasted, they are
    still a phrase and an exclusion. A dash between spaces (``Bà Rịa – Vũng
    Tàu``) separates words, as before.
    """
    return _DASH_BEFORE_WORD.sub(r"\1-", text.translate(_QUOTES))


#: Share of a query's syllables with diacritics above which it counts as typed with them.
SPELLED_SHARE = 0.5


def _mark_spelled(parsed: ParsedQuery) -> ParsedQuery:
    """Mark the words of a query typed with diacritics, so that its unmarked syllables count as spelled.

    One syllable in six of Vietnamese news carries no mark at all (``bao``,
    ``ban``, ``thanh``: 17% of 190,000 in VNTC); in a query that carries its
    marks elsewhere, such a syllable is the level-tone word, not ``bảo`` or
    ``bán`` typed lazily. A query with marks on half its syllables or fewer
    (``Nguyễn Tan Dung``, ``bí thư tinh uy``) is taken as typed in haste,
    word by word: wrongly taken as spelled, its unmarked words would rank
    the rare articles that spell them so above the rest.
    """
    clauses = [c for g in parsed.groups for c in g if c.field is None] + [c for c in parsed.excluded if c.field is None]
    words = [s for c in clauses for s in c.syllables.exact if not s.isdigit()]
    marked = sum(c.syllables.marked for c in clauses)
    if not words or marked <= SPELLED_SHARE * len(words):
        return parsed

    def spelled(clause: Clause) -> Clause:
        # Words only: they match on folded syllables whatever this says, so
        # only ranking and highlighting change. A phrase or an exclusion
        # typed without marks keeps matching every spelling.
        if clause.field is not None or clause.kind != "word":
            return clause
        if not clause.syllables.marked and all(stop_final(s) for s in clause.syllables.folded):
            return clause  # no Vietnamese word is spelled so (Viet, hoc): typed in haste
        return replace(clause, syllables=replace(clause.syllables, in_spelled_query=True))

    parsed.groups = [[spelled(c) for c in group] for group in parsed.groups]
    return parsed


_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def parse_date(value: dt.date | str, *, end: bool = False) -> dt.date:
    """A date bound from ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    A partial date is a range: as a lower bound it means its first day, as
    an upper bound (*end*) its last day, so ``until=2021`` includes December.

    >>> parse_date("2021-02", end=True)
    datetime.date(2021, 2, 28)
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = _DATE.fullmatch(str(value).strip())
    if not m:
        raise QueryError(f"Bad date {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD.")
    year, month, day = int(m[1]), m[2], m[3]
    try:
        if month is None:
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        if day is None:
            first = dt.date(year, int(month), 1)
            if not end:
                return first
            return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        return dt.date(year, int(month), int(day))
    except ValueError as exc:
        raise QueryError(f"Bad date {value!r}: {exc}.") from None
