"""How text becomes index terms.

Matching happens at the level of the syllable, the unit Vietnamese writes
between spaces. A syllable is indexed once, *folded* (lower case, no
diacritics, ``đ`` → ``d``), with its position; the posting also records how
the syllable was *spelled* at each position (lower case, canonical tone
placement). So:

* a query typed without diacritics, in capitals or with the other tone
  placement matches, because matching uses the folded term;
* a query typed with diacritics can still prefer, or demand, the exact
  spelling: the spellings ride along in the posting and are read only for
  the few documents being ranked or a phrase being checked;
* one posting per distinct syllable keeps Whoosh's pure-Python writer
  affordable (a separate exact term per syllable doubled the build time).

pyvi's word segmentation is a second, coarser layer: multi-syllable words,
folded and joined with ``_`` (``hoi_nghi``), feed a separate field that only
ranks. It never decides whether a document matches, because pyvi segments a
lowercase or unaccented query differently from the same words in a document.

The Whoosh classes at the bottom are pickled into every index's schema, so
their names and module must stay importable; bump ``SCHEMA_VERSION`` in
:mod:`searchlib.schema` when their output changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from whoosh.analysis import Composable, Filter, Token, Tokenizer

from searchlib.normalize import SYLLABLE, cached_syllable_forms, clean, exact_form, fold, syllable_forms

__all__ = [
    "SYLLABLE",
    "Analysis",
    "ExactFormFilter",
    "FoldingFilter",
    "Spelled",
    "SyllableTokenizer",
    "WordTokenizer",
    "analyze",
    "explain",
    "keyword_forms",
    "syllable_analyzer",
    "syllable_postings",
    "word_terms",
]

#: ``{folded term: ([positions], [spelling at each position])}``
Spelled = dict[str, tuple[list[int], list[str]]]


def _forms(text: str) -> tuple[list[str], list[str]]:
    """Exact and folded syllables of *text*, in order, equally many."""
    forms = [syllable_forms(s) for s in SYLLABLE.findall(text)]
    return [e for e, _ in forms], [f for _, f in forms]


def syllable_postings(text: str, postings: Spelled | None = None, start: int = 0) -> tuple[Spelled, int]:
    """Map each folded syllable of *text* to its positions and spellings.

    Positions start at *start*; pass *postings* to extend an existing map
    (title and body share one field). Returns the map and the next free
    position.
    """
    if postings is None:
        postings = {}
    # The writer runs this on every syllable of the corpus: the cache is read
    # inline, and each syllable's forms unpacked once (30% faster than
    # building the two lists of _forms() first).
    cached = cached_syllable_forms
    pos = start
    for syllable in SYLLABLE.findall(text):
        exact, folded = cached(syllable) or syllable_forms(syllable)
        entry = postings.get(folded)
        if entry is None:
            postings[folded] = ([pos], [exact])
        else:
            entry[0].append(pos)
            entry[1].append(exact)
        pos += 1
    return postings, pos


def word_terms(text: str, spans: list[tuple[int, int]]) -> dict[str, int]:
    """Folded multi-syllable words of *text* at the given segmenter spans, with counts."""
    counts: dict[str, int] = {}
    for start, end in spans:
        word = _joined(text, start, end)
        if word:
            counts[word] = counts.get(word, 0) + 1
    return counts


def _joined(text: str, start: int, end: int) -> str | None:
    """The folded syllables of ``text[start:end]`` joined with ``_``, if more than one."""
    syls = SYLLABLE.findall(text, start, end)
    return "_".join(syllable_forms(s)[1] for s in syls) if len(syls) > 1 else None


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

    #: ``(start, end, spelling, term)`` for each syllable, offsets into the text.
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
        from searchlib.segment import compounds

        found = [w for start, end in compounds(text) if (w := _joined(text, start, end))]
    return Analysis(syls, found)


def analyze(text: str) -> list[str]:
    """The terms the main text field gets for *text*, in position order.

    >>> analyze("Tỉnh uỷ Thái Nguyên")
    ['tinh', 'uy', 'thai', 'nguyen']
    """
    return [t.text for t in syllable_analyzer()(clean(text))]  # NFC first, as documents and queries get


# --- Whoosh analysis chain ---------------------------------------------------
#
# The indexer does not run these classes: it computes the same terms in bulk
# with syllable_postings(), which avoids a Token object per syllable. They are
# the schema's declared analyzers (Whoosh needs one per text field) and the
# reference that tests compare the fast path against.


class SyllableTokenizer(Tokenizer):
    """Yields one token per syllable, with positions and character offsets."""

    def __call__(
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

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = exact_form(t.text)
            yield t


class FoldingFilter(Filter):
    """Strips diacritics, keeping the spelling in ``token.spelling``."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            t.spelling = t.text
            t.text = fold(t.text)
            yield t


class WordTokenizer(Tokenizer):
    """Yields pyvi's multi-syllable words, folded and joined with ``_``.

    Only the indexer uses this field; the query layer builds candidate words
    from the query's own syllables and never runs the segmenter.
    """

    def __call__(
        self, value: str, positions: bool = False, chars: bool = False, mode: str = "", **kwargs: object
    ) -> Iterator[Token]:
        from searchlib.segment import compounds

        t = Token(positions, chars, mode=mode, **kwargs)
        for pos, (start, end) in enumerate(compounds(value)):
            word = _joined(value, start, end)
            if word:
                t.text, t.boost, t.stopped = word, 1.0, False
                if positions:
                    t.pos = pos
                if chars:
                    t.startchar, t.endchar = start, end
                yield t


def syllable_analyzer() -> Composable:
    """The analyzer declared on every syllable field."""
    return SyllableTokenizer() | ExactFormFilter() | FoldingFilter()
