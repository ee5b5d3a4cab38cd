"""Snippets: the best fragments of a body, with exact highlight spans.

Highlighting never runs the segmenter. Every normalisation the syllable
layer applies (lower case, tone placement, folding) maps one character to
one character, so the stored body, its exact form and its folded form have
the same length: a match found by a regular expression over the folded form
is a span of the stored text. Compound words, folded matches and the other
tone placement are all exact for free.

A :class:`Snippet` is data; the ``render_*`` functions turn it into text.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from searchlib.normalize import FOLDS_TO, lower, tone_variants

__all__ = [
    "EXACT",
    "FOLDED",
    "PREFER_EXACT",
    "Fragment",
    "Highlighter",
    "Snippet",
    "render_ansi",
    "render_html",
    "render_plain",
]

Span = tuple[int, int]
#: ``(start, end, folded syllables of the query sequence it matched)``
Match = tuple[int, int, tuple[str, ...]]

#: Fragment length, in characters: aim, and the hard bounds around it.
FRAGMENT_CHARS = 200
MIN_FRAGMENT_CHARS = 160
MAX_FRAGMENT_CHARS = 240
MAX_FRAGMENTS = 3
ELLIPSIS = "…"


@dataclass(frozen=True)
class Fragment:
    """A piece of the body: ``text`` is ``body[start:end]`` on one line."""

    text: str
    start: int
    end: int
    highlights: list[Span] = field(default_factory=list)


@dataclass(frozen=True)
class Snippet:
    """Fragments joined with ``…``; ``highlights`` are spans into ``text``."""

    text: str
    highlights: list[Span] = field(default_factory=list)
    fragments: list[Fragment] = field(default_factory=list)


#: How a sequence must match: with its diacritics, folded, or with its
#: diacritics when the text has that spelling and folded otherwise.
EXACT, FOLDED, PREFER_EXACT = "exact", "folded", "prefer_exact"


class Highlighter:
    """Finds query matches in a text.

    *sequences* are ``(exact syllables, folded syllables, mode)`` triples for
    each query word, phrase or run of words, *mode* being :data:`EXACT`,
    :data:`FOLDED` or :data:`PREFER_EXACT`. Longer sequences win over the
    words they contain.

    Both regular expressions run on the lower-cased text only: exact
    syllables as their tone-placement variants, folded ones as classes of
    every letter that folds to each of theirs. The text itself is never
    folded, which costs more than the matching. They are built once per query.
    """

    def __init__(
        self,
        sequences: Sequence[tuple[tuple[str, ...], tuple[str, ...], str]],
        runs: Sequence[tuple[str, ...]] = (),
    ) -> None:
        self._runs = tuple(runs)
        exact = {e: f for e, f, mode in sequences if mode != FOLDED}
        self._always = {f for _, f, mode in sequences if mode == FOLDED}
        self._fallback = {f for _, f, mode in sequences if mode == PREFER_EXACT} - self._always
        self._exact = _pattern(tuple(sorted(exact.items())), exact=True)
        folded = {f: f for f in self._always | self._fallback}
        self._folded = _pattern(tuple(sorted(folded.items())), exact=False)

    def spans(self, text: str) -> list[Span]:
        """Non-overlapping match spans in *text*, in order."""
        return [(a, b) for a, b, _ in self.matches(text)]

    def matches(self, text: str, spelled: set[tuple[str, ...]] | None = None) -> list[Match]:
        """``(start, end, folded syllables of the sequence)`` for each match, in order.

        *spelled* (see :meth:`spelled`) lets several texts of one document
        decide together whether a word was ever spelled as typed.
        """
        low = lower(text)
        found = self._exact_matches(low)
        if self._folded is not None:
            pattern, keys = self._folded
            # A word typed with diacritics falls back to its folded form only
            # in a document that never spells it that way.
            if spelled is None:
                spelled = {part for _, _, f in found for part in _parts(f)}
            taken = sorted((a, b) for a, b, _ in found)
            for m in pattern.finditer(low):
                key = keys[m.lastgroup or ""]
                if key in self._fallback and key in spelled:
                    continue
                if not _overlaps(m.span(), taken):
                    found.append((m.start(), m.end(), key))
        return _merge_runs(sorted(found), text, self._runs)

    def _exact_matches(self, low: str) -> list[Match]:
        if self._exact is None:
            return []
        pattern, keys = self._exact
        return [(m.start(), m.end(), keys[m.lastgroup or ""]) for m in pattern.finditer(low)]

    def spelled(self, *texts: str) -> set[tuple[str, ...]]:
        """The query words that *texts* spell exactly as typed."""
        return {part for text in texts for _, _, f in self._exact_matches(lower(text)) for part in _parts(f)}

    def snippet(
        self, text: str, *, max_fragments: int = MAX_FRAGMENTS, spelled: set[tuple[str, ...]] | None = None
    ) -> Snippet:
        """The best one to *max_fragments* fragments of *text* around the matches."""
        found = self.matches(text, spelled)
        if not found:
            return _join(text, [_window(text, 0, [])[0]])
        return _join(text, _choose(text, found, max_fragments))


def _merge_runs(
    found: list[tuple[int, int, tuple[str, ...]]], text: str, runs: tuple[tuple[str, ...], ...]
) -> list[tuple[int, int, tuple[str, ...]]]:
    """Join matches that stand next to each other, as they stood in the query.

    "Hội nghị" found for the query words hội nghị highlights as one span,
    which reads better than two, without a regex alternative per sub-run.
    """
    if not runs or len(found) < 2:
        return found
    merged = [found[0]]
    for start, end, words in found[1:]:
        prev_start, prev_end, prev_words = merged[-1]
        joined = prev_words + words
        if text[prev_end:start].isspace() and any(_contains(run, joined) for run in runs):
            merged[-1] = (prev_start, end, joined)
        else:
            merged.append((start, end, words))
    return merged


def _contains(seq: tuple[str, ...], part: tuple[str, ...]) -> bool:
    n = len(part)
    return any(seq[i : i + n] == part for i in range(len(seq) - n + 1))


_BOUNDED = r"(?<![^\W_])(?:{})(?![^\W_])"
_BETWEEN = r"[\W_]+"


def _syllable_regex(syllable: str, exact: bool) -> str:
    if exact:
        return "(?:" + "|".join(map(re.escape, sorted(tone_variants(syllable)))) + ")"
    return "".join(f"[{FOLDS_TO[c]}]" if c in FOLDS_TO else re.escape(c) for c in syllable)


@lru_cache(maxsize=256)
def _pattern(
    sequences: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...], *, exact: bool
) -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]] | None:
    """One regex for ``(syllables, folded key)`` pairs; its group names give the key."""
    if not sequences:
        return None
    # Longest first: the regex takes the first alternative that matches.
    ordered = sorted((s for s in sequences if s[0]), key=lambda s: (-len(s[0]), s[0]))
    groups = [
        f"(?P<s{i}>" + _BETWEEN.join(_syllable_regex(syl, exact) for syl in seq) + ")"
        for i, (seq, _) in enumerate(ordered)
    ]
    return re.compile(_BOUNDED.format("|".join(groups))), {f"s{i}": key for i, (_, key) in enumerate(ordered)}


def _overlaps(span: Span, taken: list[Span]) -> bool:
    """Whether *span* overlaps one of the sorted, non-overlapping spans *taken*."""
    i = bisect_left(taken, span)
    return any(span[0] < b and a < span[1] for a, b in taken[max(0, i - 1) : i + 1])


def _parts(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    """Every contiguous piece of *words*."""
    return {words[i:j] for i in range(len(words)) for j in range(i + 1, len(words) + 1)}


def _window(
    text: str, anchor: int, found: list[tuple[int, int, tuple[str, ...]]]
) -> tuple[Fragment, set[tuple[str, ...]]]:
    """A fragment starting near *anchor*, cut at word boundaries, and the keys it holds."""
    start = _start_before(text, anchor)
    end = min(len(text), start + FRAGMENT_CHARS)
    if end < len(text):
        cut = text.rfind(" ", start + MIN_FRAGMENT_CHARS, end)
        if cut < 0:
            cut = text.find(" ", end, start + MAX_FRAGMENT_CHARS)
        end = cut if cut > 0 else min(len(text), start + MAX_FRAGMENT_CHARS)
    lo = bisect_left(found, (start,))
    hi = bisect_left(found, (end,))
    inside = [(a, b, k) for a, b, k in found[lo:hi] if b <= end]
    fragment = Fragment(text[start:end].replace("\n", " "), start, end, [(a - start, b - start) for a, b, _ in inside])
    return fragment, {k for _, _, k in inside}


def _start_before(text: str, anchor: int) -> int:
    """Where to start a fragment so that *anchor* has some context before it."""
    if anchor <= 40:
        return 0
    lo = anchor - 60
    # Prefer the start of the sentence when it is close.
    sentence = max(text.rfind(". ", lo, anchor), text.rfind("\n", lo, anchor))
    if sentence >= 0:
        return sentence + 1 + (text[sentence + 1 : sentence + 2] == " ")
    space = text.find(" ", anchor - 40, anchor)
    return space + 1 if space >= 0 else anchor


def _choose(text: str, found: list[Match], limit: int) -> list[Fragment]:
    """Pick fragments greedily: the most query words not shown yet, complete phrases first."""
    windows: dict[int, tuple[Fragment, set[tuple[str, ...]]]] = {}
    for anchor, _, _ in found:
        fragment, keys = _window(text, anchor, found)
        windows.setdefault(fragment.start, (fragment, keys))
    candidates = list(windows.values())
    chosen: list[Fragment] = []
    seen: set[str] = set()

    def gain(candidate: tuple[Fragment, set[tuple[str, ...]]]) -> tuple[int, int, int]:
        fragment, keys = candidate
        words = {w for k in keys for w in k}
        return len(words - seen), max(map(len, keys), default=0), len(fragment.highlights)

    while candidates and len(chosen) < limit:
        best = max(candidates, key=gain)
        if chosen and not gain(best)[0]:
            break
        chosen.append(best[0])
        seen |= {w for k in best[1] for w in k}
        candidates = [c for c in candidates if c[0].end <= best[0].start or c[0].start >= best[0].end]
    return sorted(chosen, key=lambda f: f.start)


def _join(text: str, fragments: list[Fragment]) -> Snippet:
    parts: list[str] = []
    highlights: list[Span] = []
    offset = 0
    for i, frag in enumerate(fragments):
        prefix = ELLIPSIS if frag.start > 0 else ""
        if i:
            prefix = " " + ELLIPSIS + " " if frag.start > 0 else " "
        parts.append(prefix)
        offset += len(prefix)
        highlights.extend((a + offset, b + offset) for a, b in frag.highlights)
        parts.append(frag.text)
        offset += len(frag.text)
    if fragments and fragments[-1].end < len(text):
        parts.append(ELLIPSIS)
    return Snippet("".join(parts), highlights, fragments)


# --- renderers ---------------------------------------------------------------


def _render(text: str, highlights: Sequence[Span], before: str, after: str, escape: bool = False) -> str:
    out: list[str] = []
    pos = 0
    for start, end in highlights:
        piece, mark = text[pos:start], text[start:end]
        out.append(html.escape(piece) if escape else piece)
        out.append(before + (html.escape(mark) if escape else mark) + after)
        pos = end
    rest = text[pos:]
    out.append(html.escape(rest) if escape else rest)
    return "".join(out)


def render_plain(text: str, highlights: Sequence[Span], *, before: str = "[", after: str = "]") -> str:
    """Highlights as plain markers, for pipes and logs."""
    return _render(text, highlights, before, after)


def render_ansi(text: str, highlights: Sequence[Span]) -> str:
    """Highlights in bold yellow for a terminal."""
    return _render(text, highlights, "\x1b[1;33m", "\x1b[0m")


def render_html(text: str, highlights: Sequence[Span]) -> str:
    """Escaped HTML with ``<mark>`` around each highlight."""
    return _render(text, highlights, "<mark>", "</mark>", escape=True)
