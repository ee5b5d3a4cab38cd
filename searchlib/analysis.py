"""How text becomes index terms.

Matching happens at the level of the syllable, the unit Vietnamese writes
between spaces. Every syllable is indexed twice at the same position: once in
its *exact* form (lower case, canonical tone placement) and once *folded*
(no diacritics, ``đ`` → ``d``). When the two are equal only one term is
written. Phrases therefore work in either form, a query typed without
diacritics matches every diacritic spelling, and a query typed with them can
prefer the exact spelling.

pyvi's word segmentation is a second, coarser layer: multi-syllable words,
folded and joined with ``_`` (``hoi_nghi``), feed a separate field that only
ranks. It never decides whether a document matches, because pyvi segments a
lowercase or unaccented query differently from the same words in a document.

The Whoosh classes at the bottom are pickled into every index's schema, so
their names and module must stay importable; bump ``SCHEMA_VERSION`` in
:mod:`searchlib.schema` when their output changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from whoosh.analysis import Composable, Filter, Token, Tokenizer

from searchlib.normalize import SYLLABLE, clean, exact_form, fold, lower

__all__ = [
    "SYLLABLE",
    "Analysis",
    "ExactFormFilter",
    "FoldingFilter",
    "PairFilter",
    "SyllableTokenizer",
    "WordTokenizer",
    "analyze",
    "bigram_analyzer",
    "bigram_counts",
    "explain",
    "keyword_forms",
    "syllable_analyzer",
    "syllable_postings",
    "word_terms",
]

def _forms(text: str) -> tuple[list[str], list[str]]:
    """Exact and folded syllables of *text*, in order, equally many."""
    exact = exact_form(text)
    exact_syls = SYLLABLE.findall(exact)
    folded_syls = SYLLABLE.findall(fold(exact))
    if len(folded_syls) != len(exact_syls):
        # Folding maps a letter to a letter, so this does not happen with
        # real text; stay correct if some exotic character proves otherwise.
        folded_syls = [fold(s) for s in exact_syls]
    return exact_syls, folded_syls


def syllable_postings(
    text: str, postings: dict[str, list[int]] | None = None, start: int = 0
) -> tuple[dict[str, list[int]], int]:
    """Map each term of *text* to its positions, starting at position *start*.

    Pass *postings* to extend an existing map (title and body share one field).
    Returns the map and the next free position.
    """
    if postings is None:
        postings = {}
    exact_syls, folded_syls = _forms(text)
    for pos, (ex, fo) in enumerate(zip(exact_syls, folded_syls), start):
        plist = postings.get(ex)
        if plist is None:
            postings[ex] = [pos]
        else:
            plist.append(pos)
        if fo != ex:
            plist = postings.get(fo)
            if plist is None:
                postings[fo] = [pos]
            else:
                plist.append(pos)
    return postings, start + len(exact_syls)


def bigram_counts(text: str, counts: dict[str, int] | None = None) -> dict[str, int]:
    """Folded pairs of adjacent syllables (``hoi nghi``) with their counts.

    Adjacent means adjacent positions, as in a phrase query: punctuation
    between two syllables does not break a pair. A pair term is far rarer
    than either syllable, so it answers "are these next to each other?"
    from a short posting list instead of from positions.
    """
    if counts is None:
        counts = {}
    folded = SYLLABLE.findall(fold(lower(text)))
    for pair in map(" ".join, zip(folded, folded[1:])):
        counts[pair] = counts.get(pair, 0) + 1
    return counts


def word_terms(text: str, spans: list[tuple[int, int]]) -> dict[str, int]:
    """Folded multi-syllable words of *text* at the given segmenter spans, with counts."""
    folded = fold(lower(text))
    counts: dict[str, int] = {}
    for start, end in spans:
        syls = SYLLABLE.findall(folded, start, end)
        if len(syls) > 1:
            word = "_".join(syls)
            counts[word] = counts.get(word, 0) + 1
    return counts


def keyword_forms(value: str) -> tuple[str, str]:
    """Exact and folded forms of a whole keyword value (a leader, a topic).

    Internal runs of spaces and punctuation collapse to one space so that
    ``Kinh tế - Xã hội`` and ``kinh tế xã hội`` are the same key.
    """
    exact_syls, folded_syls = _forms(value)
    return " ".join(exact_syls), " ".join(folded_syls)


# --- debugging view ---------------------------------------------------------


@dataclass(frozen=True)
class Analysis:
    """What the indexer makes of a text: its syllables and pyvi words."""

    #: ``(start, end, exact, folded)`` for each syllable, offsets into the text.
    syllables: list[tuple[int, int, str, str]]
    #: Folded multi-syllable words (``hoi_nghi``), in order.
    words: list[str]


def explain(text: str, *, words: bool = True) -> Analysis:
    """Analyse *text* as the indexer would, keeping offsets."""
    text = clean(text)
    exact = exact_form(text)
    folded = fold(exact)
    syls = [(m.start(), m.end(), m.group(), folded[m.start() : m.end()]) for m in SYLLABLE.finditer(exact)]
    found: list[str] = []
    if words:
        from searchlib.segment import segment

        for start, end in segment(text):
            found.extend(w for w in [_joined(folded, start, end)] if w)
    return Analysis(syls, found)


def _joined(folded: str, start: int, end: int) -> str | None:
    syls = SYLLABLE.findall(folded, start, end)
    return "_".join(syls) if len(syls) > 1 else None


def analyze(text: str) -> list[str]:
    """The terms the main text field gets for *text*, in position order.

    At each position the exact form comes first, then the folded form when
    it differs.

    >>> analyze("Tỉnh uỷ Thái Nguyên")
    ['tỉnh', 'tinh', 'ủy', 'uy', 'thái', 'thai', 'nguyên', 'nguyen']
    """
    return [t.text for t in syllable_analyzer()(text)]


# --- Whoosh analysis chain ---------------------------------------------------
#
# The indexer does not run these classes: it computes the same terms in bulk
# with syllable_postings(), which avoids a Token object per syllable. They are
# the schema's declared analyzers (Whoosh needs one per text field) and the
# reference that tests compare the fast path against.


class SyllableTokenizer(Tokenizer):
    """Yields one token per syllable, with positions and character offsets."""

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, match in enumerate(SYLLABLE.finditer(value), start_pos):
            t.text = match.group()
            t.boost = 1.0
            if keeporiginal:
                t.original = t.text
            t.stopped = False
            if positions:
                t.pos = pos
            if chars:
                t.startchar = start_char + match.start()
                t.endchar = start_char + match.end()
            yield t


class ExactFormFilter(Filter):
    """Lower-cases and moves tone marks to their canonical place."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:  # type: ignore[override]
        for t in tokens:
            t.text = exact_form(t.text)
            yield t


class FoldingFilter(Filter):
    """Adds a diacritic-free copy of each token at the same position.

    The original comes first, so that an exact match and a folded match of
    the same syllable share a position and phrases can mix them. With
    ``keep_original=False`` only the folded form is kept.
    """

    def __init__(self, keep_original: bool = True) -> None:
        self.keep_original = keep_original

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:  # type: ignore[override]
        for t in tokens:
            folded = fold(t.text)
            if self.keep_original:
                yield t
                if folded == t.text:
                    continue
            t.text = folded
            yield t


class PairFilter(Filter):
    """Replaces a token stream by its adjacent pairs, joined with a space."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:  # type: ignore[override]
        previous = None
        for t in tokens:
            text = t.text
            if previous is not None:
                t.text = f"{previous} {text}"
                yield t
            previous = text


class WordTokenizer(Tokenizer):
    """Yields pyvi's multi-syllable words, folded and joined with ``_``.

    Only the indexer uses this field; the query layer builds candidate words
    from the query's own syllables and never runs the segmenter.
    """

    def __call__(  # type: ignore[override]
        self, value: str, positions: bool = False, chars: bool = False, mode: str = "", **kwargs: object
    ) -> Iterator[Token]:
        from searchlib.segment import segment

        t = Token(positions, chars, mode=mode, **kwargs)
        folded = fold(lower(value))
        pos = 0
        for start, end in segment(value):
            word = _joined(folded, start, end)
            if word:
                t.text, t.boost, t.stopped = word, 1.0, False
                if positions:
                    t.pos = pos
                if chars:
                    t.startchar, t.endchar = start, end
                pos += 1
                yield t


def syllable_analyzer() -> Composable:
    """The analyzer declared on every syllable field."""
    return SyllableTokenizer() | ExactFormFilter() | FoldingFilter()


def bigram_analyzer() -> Composable:
    """The analyzer declared on the syllable-pair field."""
    return SyllableTokenizer() | ExactFormFilter() | FoldingFilter(keep_original=False) | PairFilter()
