"""Abbreviations (``UBND``) and what they stand for (``Ủy ban nhân dân``).

Two sources: a built-in table kept as a data file
(``searchlib/data/abbreviations.json``), and pairs the writer learns from the
articles it indexes, where a name is followed by its abbreviation in
parentheses: ``Ban Chấp hành (BCH)``, ``Giáo dục và Đào tạo (GD&ĐT)``. The
writer saves the learned pairs with each generation; readers merge them with
the table. Everything is keyed by folded syllables, so ``ubnd``, ``UBND``
and ``Ủy ban nhân dân`` typed without diacritics all meet.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from searchlib.normalize import SYLLABLE, SYLLABLE_SHAPE, folded_form, has_tone_mark, syllable_forms

__all__ = ["LEARNED_FILE", "Abbreviations", "builtin_table", "learn", "load", "save_learned"]

LEARNED_FILE = "abbreviations.json"
#: Learned pairs kept per generation, most frequent first.
MAX_LEARNED = 5000
#: A learned abbreviation stands for an expansion written with it at least
#: this share of the times it was spelled out (``TT``: *tổng thống*, 99 of
#: 120 in the news corpus; not *thủ tướng*, once)...
LEARNED_SHARE = 0.1
#: ...and the expansion finds the abbreviation only when that is what it
#: mostly means (``doanh nghiệp`` finds ``DN``, 136 of 176; ``Đà Nẵng``, 38,
#: does not: it would match every article about companies)...
DOMINANT_SHARE = 2 / 3
#: ...and the abbreviation has this many letters: two letters stand for too
#: many names that are never spelled out (``TT``: tổng thống, trung tâm, Tuổi
#: Trẻ; ``BĐ``, folded with ``BD``: bưu điện, Bình Định, Bình Dương).
DOMINANT_LETTERS = 3

Key = tuple[str, ...]

# "(ABBR)": a capital first, then capitals, digits or & . - ; 2 to 12 characters.
_PARENTHESISED = re.compile(r"\(\s*([A-ZĐ][A-ZĐ0-9&.\-]{1,11})\s*\)")


def could_be_word(syllables: Key) -> bool:
    """Whether folded *syllables* also read as ordinary syllables (``da``, ``tu``), not only letters (``ubnd``)."""
    return all(SYLLABLE_SHAPE.fullmatch(s) for s in syllables)


def typed_as_abbreviation(typed: str, syllables: Key) -> bool:
    """``UBND``, ``DA``, ``Tp``, ``ubnd``, ``kt-xh``: yes. ``đá``, ``da``, ``Bóng``: no.

    Abbreviations carry no tone marks (``TƯ`` and ``ĐBQH`` do have other
    marks). Written in capitals they are abbreviations; in lower case, only
    when they cannot be ordinary syllables.
    """
    letters = [c for c in typed if c.isalpha()]
    if not letters or has_tone_mark(typed):
        return False
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return True
    return not could_be_word(syllables)


def key(text: str) -> Key:
    """The folded syllables of *text*: how abbreviations and names are compared."""
    # Folding the whole string, not syllable by syllable through the cache:
    # the same syllables (folding keeps lengths and letters), and a reader
    # keys thousands of learned pairs when it opens a generation.
    return tuple(SYLLABLE.findall(folded_form(text)))


@dataclass
class Abbreviations:
    """Both directions of the abbreviation table."""

    expansions: dict[Key, set[Key]] = field(default_factory=dict)
    abbreviations: dict[Key, set[Key]] = field(default_factory=dict)
    #: Syllables in the longest expansion: how far a query looks ahead for one.
    longest_expansion: int = 0
    #: Abbreviations in parts (``tp hcm``, ``gd dt``) by their letters run
    #: together (``tphcm``), as many papers write them: ``TPHCM``.
    joined: dict[str, Key] = field(default_factory=dict)

    def add(self, abbreviation: str, expansion: str) -> None:
        self.add_keys(key(abbreviation), key(expansion))

    def add_keys(self, short: Key, long: Key, *, both_ways: bool = True) -> None:
        """Let *short* find *long*, and *long* find *short* unless not *both_ways*."""
        if short and long and short != long:
            self.expansions.setdefault(short, set()).add(long)
            if len(short) > 1:
                self.joined.setdefault("".join(short), short)
            if both_ways:
                self.abbreviations.setdefault(long, set()).add(short)
                self.longest_expansion = max(self.longest_expansion, len(long))

    def for_query(self, typed: str, syllables: Key) -> set[Key]:
        """What a query's *typed* words may also match.

        Expansions only when the words were typed as an abbreviation
        (:func:`typed_as_abbreviation`), and abbreviations only when they
        cannot be read as ordinary syllables: the corpus teaches ``DA`` for
        ``dự án``, and ``bóng đá`` must not match ``bóng ... dự án``, nor
        ``dự án`` every ``đá``.
        """
        found = _run_together({a for a in self.abbreviations.get(syllables, set()) if not could_be_word(a)})
        if typed_as_abbreviation(typed, syllables):
            forms = {syllables}
            if len(typed.split()) == 1:
                # Written in parts or run together, one abbreviation: TP.HCM and TPHCM, GD&ĐT and GDĐT.
                forms.add(("".join(syllables),))
                if len(syllables) == 1 and syllables[0] in self.joined:
                    forms.add(self.joined[syllables[0]])
            found |= forms
            for form in forms:
                expansions = self.expansions.get(form, set())
                found |= expansions
                # Other ways to write the same abbreviation: TP and T.P, TNMT and TN&MT.
                for expansion in expansions:
                    found |= _run_together(
                        {a for a in self.abbreviations.get(expansion, set()) if not could_be_word(a)}
                    )
            found.discard(syllables)
        return found


def _run_together(abbreviations: set[Key]) -> set[Key]:
    """*abbreviations* in parts (``kt xh``) and also run together (``ktxh``), as papers write both."""
    return abbreviations | {("".join(a),) for a in abbreviations if len(a) > 1}


@cache
def builtin_table() -> dict[str, list[str]]:
    """The built-in table, from the package data file."""
    text = resources.files("searchlib").joinpath("data", "abbreviations.json").read_text(encoding="utf-8")
    data: dict[str, list[str]] = json.loads(text)
    return {k: v for k, v in data.items() if not k.startswith("_")}


def load(learned: Path | None = None) -> Abbreviations:
    """The built-in table, plus the pairs learned for one generation when given.

    One abbreviation is spelled out for several names across a corpus
    (``TT``: *tổng thống*, *trực tiếp*, *trọng tài*, *thủ tướng*). A learned
    pair counts only if the abbreviation stands for that name often enough
    (:data:`LEARNED_SHARE`), and the name finds the abbreviation only if it
    is what the abbreviation mostly stands for (:data:`DOMINANT_SHARE`) and
    the built-in table gives it no other meaning.
    """
    table = Abbreviations()
    for abbreviation, expansions in builtin_table().items():
        for expansion in expansions:
            table.add(abbreviation, expansion)
    builtin = {short: set(longs) for short, longs in table.expansions.items()}
    if learned is None or not learned.exists():
        return table
    try:
        rows = json.loads(learned.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        rows = []
    counts: Counter[tuple[Key, Key]] = Counter()
    for row in rows:
        # Rows carry their keys (see save_learned): folding thousands of
        # pairs was half of opening a generation. Older rows do not.
        short, long = (tuple(row[3].split()), tuple(row[4].split())) if len(row) >= 5 else (key(row[0]), key(row[1]))
        counts[short, long] += int(row[2])
    totals: Counter[Key] = Counter()
    for (short, _), n in counts.items():
        totals[short] += n
    for (short, long), n in counts.items():
        share = n / totals[short]
        if share >= LEARNED_SHARE:
            dominant = (
                share >= DOMINANT_SHARE
                and len("".join(short)) >= DOMINANT_LETTERS
                and builtin.get(short, {long}) <= {long}
            )
            table.add_keys(short, long, both_ways=dominant)
    return table


def learn(text: str) -> Counter[tuple[str, str]]:
    """``(ABBR, Full Name)`` pairs written as ``Full Name (ABBR)`` in *text*."""
    found: Counter[tuple[str, str]] = Counter()
    for match in _PARENTHESISED.finditer(text):
        abbreviation = match.group(1).strip(".-&")
        expansion = _expansion_before(text, match.start(), abbreviation)
        if expansion:
            found[(abbreviation, expansion)] += 1
    return found


def _expansion_before(text: str, end: int, abbreviation: str) -> str | None:
    """The syllables just before *end* whose initials spell *abbreviation*.

    Each letter must start one syllable, in order; ``&`` stands for "và".
    """
    wanted = [("va" if c == "&" else syllable_forms(c)[1]) for c in abbreviation if c.isalpha() or c == "&"]
    if len(wanted) < 2:
        return None
    before = list(SYLLABLE.finditer(text, max(0, end - 160), end))[-len(wanted) :]
    if len(before) != len(wanted):
        return None
    for syllable, want in zip(before, wanted):
        folded = syllable_forms(syllable.group())[1]
        if not (folded == want if want == "va" else folded.startswith(want) and len(want) == 1):
            return None
    # Only a separator (space, hyphen, comma) may stand between the name and "(".
    if text[before[-1].end() : end].strip(" -–,"):
        return None
    return text[before[0].start() : before[-1].end()]


def save_learned(pairs: Counter[tuple[str, str]], path: Path) -> None:
    """Write the most frequent learned pairs as ``[[abbr, expansion, count, abbr key, expansion key], ...]``.

    The keys are the folded syllables joined by spaces, so that readers do
    not fold every pair again.
    """
    rows = [[a, e, n, " ".join(key(a)), " ".join(key(e))] for (a, e), n in pairs.most_common(MAX_LEARNED)]
    from searchlib.generations import write_atomic  # the writer's; readers never load it

    write_atomic(path, json.dumps(rows, ensure_ascii=False).encode("utf-8"))


def read_learned(path: Path) -> Counter[tuple[str, str]]:
    """The pairs a generation saved, to carry them into the next one."""
    try:
        rows: Iterable[list[object]] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Counter()
    return Counter({(str(row[0]), str(row[1])): int(row[2]) for row in rows})  # type: ignore[call-overload]
