"""How many documents spell each syllable in each way, per generation.

The ``text`` postings are keyed by folded syllables, so the index alone
cannot say how rare a particular spelling is. The writer counts, for every
spelling (``hải``, ``hai``, ``hài``), the documents that use it, and saves
the table with the generation; the rescoring stage uses it to score a word
typed with diacritics by BM25 on that exact spelling. An update carries the
previous table forward: it adds the new documents, and takes out the ones it
replaces or deletes (read back from the previous generation's stored text);
a rebuild starts afresh.

The table is a sorted ``spelling<TAB>count`` file. A query needs the counts
of two or three spellings, so :class:`SpellingTable` binary-searches the
file's bytes, instead of parsing tens of thousands of entries on the first
query of every CLI call (JSON took 40 ms at 20,000 articles; even splitting
the 84,000-article table into lines took 13).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from searchlib.normalize import SYLLABLE, canonical_tones, cased, fold, has_tone_mark, stop_final

if TYPE_CHECKING:
    from searchlib.analysis import Spelled
    from searchlib.query import ParsedQuery

__all__ = [
    "SPELLINGS_FILE",
    "SpellingTable",
    "complete_marks",
    "complete_syllable",
    "load_spellings",
    "save_spellings",
    "spellings_of",
]

SPELLINGS_FILE = "spellings.tsv"
_LEGACY_FILE = "spellings.json"  # what earlier generations hold; read, never written


def spellings_of(postings: Spelled) -> set[str]:
    """The distinct spellings (lower case, canonical tones) in a document's postings.

    The writer analyses every syllable anyway, so reading the spellings back
    from its postings costs a set union per term instead of a second pass
    over the text (the second pass was a quarter of the parent process's
    time in a parallel build).
    """
    found: set[str] = set()
    for _, spelled in postings.values():
        found.update(spelled)
    return found


def save_spellings(counts: Counter[str], path: Path) -> None:
    from searchlib.generations import write_atomic  # the writer's; readers never load it

    lines = sorted(f"{spelling}\t{n}\n".encode() for spelling, n in counts.items() if n > 0 and _storable(spelling))
    write_atomic(path, b"".join(lines))


def load_spellings(path: Path) -> Counter[str]:
    """The whole table a generation saved (empty when there is none), for a writer to extend."""
    return Counter(SpellingTable(path).to_dict())


class SpellingTable(Mapping[str, int]):
    """Documents per spelling, looked up in the saved table without parsing all of it."""

    def __init__(self, path: Path) -> None:
        self._legacy: dict[str, int] | None = None
        try:
            self._data = path.read_bytes()
        except OSError:
            self._data = b""
            self._legacy = _read_legacy(path.with_name(_LEGACY_FILE))

    def __getitem__(self, spelling: str) -> int:
        if self._legacy is not None:
            return self._legacy[spelling]
        key = spelling.encode() + b"\t"
        line, _ = self._line(self._first_not_below(key))
        if line.startswith(key):
            return int(line[len(key) :])
        raise KeyError(spelling)

    def _first_not_below(self, key: bytes) -> int:
        """Where the first line that is not below *key* starts (bisect_left over lines)."""
        lo, hi = 0, len(self._data)  # both always at the start of a line (or the end)
        while lo < hi:
            start = self._data.rfind(b"\n", 0, (lo + hi) // 2) + 1
            line, end = self._line(start)
            if line < key:
                lo = end + 1
            else:
                hi = start
        return lo

    def _line(self, start: int) -> tuple[bytes, int]:
        """The line that starts at *start*, and where it ends."""
        end = self._data.find(b"\n", start)
        end = len(self._data) if end < 0 else end
        return self._data[start:end], end

    def starting_with(self, letters: str, shortest: int, longest: int) -> list[tuple[str, int]]:
        """Entries spelled with letters only, starting with one of *letters*, *shortest* to *longest* long.

        One regular-expression pass over the table (a few milliseconds at
        84,000 articles): fuzzy matching needs the candidates near one
        unknown word, never the whole table parsed.
        """
        if shortest > longest or not letters or longest < 1:
            return []
        if self._legacy is not None:
            return [
                (s, n)
                for s, n in self._legacy.items()
                if s[:1] in letters and shortest <= len(s) <= longest and s.isalpha()
            ]
        # Anchored on the newline before each line: far faster in Python's
        # re than ^ with MULTILINE, which tests every position.
        tail = f"[^\\W\\d_]{{{max(shortest - 1, 0)},{longest - 1}}}"
        pattern = re.compile(f"\\n([{re.escape(letters)}]{tail})\\t(\\d+)")
        return [(spelling, int(count)) for spelling, count in pattern.findall(self._text)]

    @cached_property
    def _text(self) -> str:
        """The table as text, after a newline: every entry then follows one."""
        return "\n" + self._data.decode("utf-8", errors="replace")

    def to_dict(self) -> dict[str, int]:
        """Every entry, read in one pass (``dict(self)`` would binary-search each key again)."""
        if self._legacy is not None:
            return dict(self._legacy)
        pairs = (line.partition(b"\t") for line in self._data.splitlines())
        return {key.decode(): int(count) for key, _, count in pairs}

    def __iter__(self) -> Iterator[str]:
        if self._legacy is not None:
            return iter(self._legacy)
        return (line.partition(b"\t")[0].decode() for line in self._data.splitlines())

    def __bool__(self) -> bool:
        # Mapping would count the lines: a query asks this once per word.
        return bool(self._data) or bool(self._legacy)

    def __len__(self) -> int:
        return len(self._legacy) if self._legacy is not None else len(self._data.splitlines())


def _storable(spelling: str) -> bool:
    # A tab or newline would break the line format; syllables (\w+) never have one.
    return "\t" not in spelling and "\n" not in spelling and "\r" not in spelling


def _read_legacy(path: Path) -> dict[str, int] | None:
    try:
        table = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return table if isinstance(table, dict) else None


_SAC, _NANG = "\u0301", "\u0323"
_VOWELS = set("aeiouy")


#: Articles pyvi must find a pair in as one word for a mark left out of it to be read.
PAIR_WORD_ARTICLES = 20
#: Share of a sample of the articles writing a pair that must spell it one way for a slip to be read so.
PAIR_SHARE = 0.5
#: Articles that, spelling the pair as typed, make it a phrase of its own: *con ngươi*
#: (the pupil of the eye) is in 40 of the news index, *cái nôi* in 92; the slips
#: *Hà Nôi*, *Đà Năng* and *Bộ trương* in 7, 1 and 0.
PAIR_KEPT_ARTICLES = 20


def complete_marks(
    parsed: ParsedQuery,
    spellings: Callable[[], Mapping[str, int]],
    *,
    word_articles: Callable[[str], int] | None = None,
    run_spellings: Callable[[tuple[str, ...]], Mapping[tuple[str, ...], int]] | None = None,
    phrase_articles: Callable[[tuple[str, ...], tuple[str, ...]], int] | None = None,
) -> tuple[ParsedQuery, dict[str, str]]:
    """*parsed* with each syllable typed with marks but not its tone, where it must have one, completed.

    ``Viêt Nam`` and ``Trung Quôc`` were typed with a mark left out: a
    syllable ending in p, t, c or ch always carries a sắc or a nặng. Scored
    on its spelling as typed, such a word ranks first the few articles that
    lost the same mark (61 in the news index hold *Viêt*, most of them with
    no marks at all elsewhere). It is read as the commoner of its two
    completions the index holds (*Việt*: 15,000 articles, *Viết*: 9,000).
    A syllable that ends otherwise has a level tone of its own (*nôi*, a
    cradle; *trương*, a surname), so one typed with marks but without a
    tone is read from the word it makes with a neighbour, in a short query:
    when pyvi finds the pair one word in :data:`PAIR_WORD_ARTICLES` articles
    (*word_articles* of ``ha_noi``), and a sample of the articles writing it
    (*run_spellings*) never spells it as typed but mostly one way that only
    adds marks (``Hà Nôi``: *Hà Nội*; ``Bộ trương``: *Bộ trưởng*; ``Đà
    Năng``: *Đà Nẵng*), unless :data:`PAIR_KEPT_ARTICLES` articles spell it
    as typed (*phrase_articles* of the folded pair, spelled so), which the
    sample may miss: *con ngươi* is in 40 articles, *con người* in 5,195.

    Returns the query and ``{typed: completed}`` for each word changed;
    *spellings* (the generation's table) is read only when a word may be.
    """
    changed: dict[str, str] = {}

    def clause(c: Any) -> Any:
        if c.field is not None:
            return c
        exact = list(c.syllables.exact)
        typed = SYLLABLE.findall(c.text)
        for i, syllable in enumerate(exact):
            if (better := complete_syllable(syllable, spellings)) is not None:
                exact[i] = better
                word = typed[i] if len(typed) == len(exact) else syllable
                changed[word] = cased(exact[i], word)
        if tuple(exact) == c.syllables.exact:
            return c
        return replace(c, syllables=replace(c.syllables, exact=tuple(exact)))

    parsed.groups = [[clause(c) for c in group] for group in parsed.groups]
    if word_articles is not None and run_spellings is not None:
        _complete_pairs(parsed, word_articles, run_spellings, phrase_articles, changed)
    return parsed, changed


def _complete_pairs(
    parsed: ParsedQuery,
    word_articles: Callable[[str], int],
    run_spellings: Callable[[tuple[str, ...]], Mapping[tuple[str, ...], int]],
    phrase_articles: Callable[[tuple[str, ...], tuple[str, ...]], int] | None,
    changed: dict[str, str],
) -> None:
    from searchlib.plan import SHORT_QUERY  # the planner imports this module, by way of fuzzy

    groups = parsed.groups
    if len(groups) > SHORT_QUERY or parsed.is_question:
        return
    plain = [len(g) == 1 and g[0].kind == "word" and g[0].field is None and len(g[0].syllables) == 1 for g in groups]
    for i in range(len(groups) - 1):
        if not (plain[i] and plain[i + 1]):
            continue
        pair = (groups[i][0], groups[i + 1][0])
        exact = tuple(c.syllables.exact[0] for c in pair)
        folded = tuple(c.syllables.folded[0] for c in pair)
        loose = [e != f and not has_tone_mark(e) for e, f in zip(exact, folded)]
        if not any(loose) or word_articles("_".join(folded)) < PAIR_WORD_ARTICLES:
            continue
        seen = run_spellings(folded)
        if seen.get(exact, 0):
            continue
        # Only a syllable typed with marks but no tone gains any: chung kiên is no chứng kiến.
        options = {
            run: n
            for run, n in seen.items()
            if all(_adds_marks(e, r) if free else e == r for e, r, free in zip(exact, run, loose))
        }
        best = max(sorted(options), key=options.__getitem__, default=None)
        if best is None or options[best] < PAIR_SHARE * sum(seen.values()):
            continue
        if phrase_articles is not None and phrase_articles(folded, exact) >= PAIR_KEPT_ARTICLES:
            continue  # a phrase of its own the sample missed (counted only now: a phrase costs)
        for j, (clause, was, now) in enumerate(zip(pair, exact, best)):
            if was != now:
                typed = SYLLABLE.findall(clause.text)
                word = typed[0] if len(typed) == 1 else was
                changed[word] = cased(now, word)
                groups[i + j] = [replace(clause, syllables=replace(clause.syllables, exact=(now,)))]


def _adds_marks(typed: str, spelled: str) -> bool:
    """Whether *spelled* is *typed* with marks added, none taken away or changed (ô: ộ, not ơ)."""
    if len(typed) != len(spelled):
        return False
    for a, b in zip(typed, spelled):
        (base_a, *marks_a), (base_b, *marks_b) = (_letter_marks(unicodedata.normalize("NFD", c)) for c in (a, b))
        if base_a != base_b or not set(marks_a) <= set(marks_b):
            return False
    return True


def _letter_marks(decomposed: str) -> list[str]:
    """The base letter then its marks; đ is d with a stroke."""
    if decomposed[:1] in ("đ", "Đ"):
        return ["d", "stroke", *decomposed[1:]]
    return list(decomposed)


def complete_syllable(syllable: str, spellings: Callable[[], Mapping[str, int]]) -> str | None:
    """*syllable* (lower case) with the sắc or nặng its stop final needs, if typed with marks but none.

    The commoner completion the index holds (*spellings*, read only for
    such a syllable), canonical tone placement; None when nothing is left
    out, or when no completion is commoner than the spelling typed.
    """
    folded = fold(syllable)
    if syllable == folded or has_tone_mark(syllable) or not stop_final(folded):
        return None
    table = spellings()
    counts = {c: table.get(c, 0) for c in _toned(syllable)}
    best = max(sorted(counts), key=counts.__getitem__, default=None)
    return canonical_tones(best) if best is not None and counts[best] > table.get(syllable, 0) else None


def _toned(syllable: str) -> set[str]:
    """*syllable* with a sắc or a nặng on each of its vowels: the completions to look up."""
    out = set()
    for i, ch in enumerate(syllable):
        base = unicodedata.normalize("NFD", ch)
        if base[0].lower() not in _VOWELS:
            continue
        for tone in (_SAC, _NANG):
            out.add(syllable[:i] + unicodedata.normalize("NFC", base + tone) + syllable[i + 1 :])
    return out
