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
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from searchlib.normalize import SYLLABLE, exact_form, fold

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
    """

    def __init__(self, sequences: Sequence[tuple[tuple[str, ...], tuple[str, ...], str]]) -> None:
        self._exact = tuple(sorted({e for e, _, mode in sequences if mode != FOLDED}))
        self._folded = tuple(sorted({f for _, f, mode in sequences if mode == FOLDED}))
        self._fallback = {f: e for e, f, mode in sequences if mode == PREFER_EXACT}

    def spans(self, text: str) -> list[Span]:
        """Non-overlapping match spans in *text*, in order."""
        exact = exact_form(text)
        folded = fold(exact)
        found: list[Span] = []
        pattern = _pattern(self._exact)
        if pattern is not None:
            found.extend(m.span() for m in pattern.finditer(exact))
        # A word typed with diacritics falls back to its folded form only in
        # a text that never spells it that way.
        spelled = {tuple(SYLLABLE.findall(folded, a, b)) for a, b in found}
        wanted = self._folded + tuple(f for f, e in self._fallback.items() if not _spelled(f, spelled))
        pattern = _pattern(tuple(sorted(set(wanted))))
        if pattern is not None:
            taken = found[:]
            found.extend(s for s in (m.span() for m in pattern.finditer(folded)) if not _overlaps(s, taken))
        return sorted(found)

    def snippet(self, text: str, *, max_fragments: int = MAX_FRAGMENTS) -> Snippet:
        """The best one to *max_fragments* fragments of *text* around the matches."""
        spans = self.spans(text)
        if not spans:
            return _join(text, [_window(text, 0, [])])
        return _join(text, _choose(text, spans, max_fragments))


def _spelled(folded: tuple[str, ...], found: set[tuple[str, ...]]) -> bool:
    return any(_contains(f, folded) for f in found)


def _contains(seq: tuple[str, ...], part: tuple[str, ...]) -> bool:
    n = len(part)
    return any(seq[i : i + n] == part for i in range(len(seq) - n + 1))


@lru_cache(maxsize=256)
def _pattern(sequences: tuple[tuple[str, ...], ...]) -> re.Pattern[str] | None:
    if not sequences:
        return None
    # Longest first: the regex takes the first alternative that matches.
    ordered = sorted(sequences, key=lambda s: (-len(s), s))
    alternatives = [r"[\W_]+".join(map(re.escape, seq)) for seq in ordered if seq]
    return re.compile(r"(?<![^\W_])(?:" + "|".join(alternatives) + r")(?![^\W_])")


def _overlaps(span: Span, others: list[Span]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in others)


def _window(text: str, anchor: int, spans: list[Span]) -> Fragment:
    """A fragment starting near *anchor*, cut at word boundaries."""
    start = _start_before(text, anchor)
    end = min(len(text), start + FRAGMENT_CHARS)
    if end < len(text):
        cut = text.rfind(" ", start + MIN_FRAGMENT_CHARS, end)
        if cut < 0:
            cut = text.find(" ", end, start + MAX_FRAGMENT_CHARS)
        end = cut if cut > 0 else min(len(text), start + MAX_FRAGMENT_CHARS)
    inside = [(a - start, b - start) for a, b in spans if a >= start and b <= end]
    return Fragment(text[start:end].replace("\n", " "), start, end, inside)


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


def _choose(text: str, spans: list[Span], limit: int) -> list[Fragment]:
    """Pick fragments greedily: most distinct matches first, then new matches only."""
    candidates = [_window(text, a, spans) for a, _ in spans]
    chosen: list[Fragment] = []
    seen: set[str] = set()
    while candidates and len(chosen) < limit:
        best = max(candidates, key=lambda f: _gain(f, seen))
        if chosen and _gain(best, seen)[0] == 0:
            break
        chosen.append(best)
        seen |= {_key(best.text, s) for s in best.highlights}
        candidates = [c for c in candidates if c.end <= best.start or c.start >= best.end]
    return sorted(chosen, key=lambda f: f.start)


def _gain(fragment: Fragment, seen: set[str]) -> tuple[int, int]:
    """New distinct matched words, then all matches, in *fragment*."""
    words = {_key(fragment.text, s) for s in fragment.highlights}
    return len(words - seen), len(fragment.highlights)


def _key(text: str, span: Span) -> str:
    return fold(text[span[0] : span[1]].lower())


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
