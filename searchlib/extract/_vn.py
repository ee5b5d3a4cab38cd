"""Vietnamese letter classes and tone-placement variants shared by the extractors.

Everything here is cheap to import: the character classes are short string
constants, and nothing is compiled until an extractor asks for it.
"""

from __future__ import annotations

import re
import unicodedata

from ._regex import LazyRegex

__all__ = ["LOWER", "UPPER", "key", "tone_variants", "variants_of_phrase"]

# Regex character-class bodies (without brackets). Vietnamese letters in the
# Latin Extended Additional block alternate upper (even) / lower (odd) from
# U+1EA0 to U+1EF9; the rest are in Latin-1 and Latin Extended-A/B.
UPPER = "A-ZÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯ" + "".join(chr(c) for c in range(0x1EA0, 0x1EFA, 2))
LOWER = "a-zàáâãèéêìíòóôõùúýăđĩũơư" + "".join(chr(c) for c in range(0x1EA1, 0x1EFA, 2))

_TONES = "\u0300\u0301\u0303\u0309\u0323"
# A syllable written in the traditional style ("hòa", "thủy"), open at the end:
# the tone may also be printed on the second vowel ("hoà", "thuỷ").
_OLD_STYLE = LazyRegex(r"(?<![qQ])([oOuU][\u0300\u0301\u0303\u0309\u0323])([aeAEyY])(?![^\W\d_])")
_NEW_STYLE = LazyRegex(r"(?<![qQ])([oOuU])([aeAEyY][\u0300\u0301\u0303\u0309\u0323])(?![^\W\d_])")
_PAIRS = {"o": "ae", "u": "y"}


def _swap(match: re.Match[str], *, to_new: bool) -> str:
    first, second = match.group(1), match.group(2)
    if to_new:
        base, mark = first[0], first[1]
        if second.lower() not in _PAIRS[base.lower()]:
            return match.group()
        return base + second + mark
    base2, mark = second[0], second[1]
    if base2.lower() not in _PAIRS[first.lower()]:
        return match.group()
    return first + mark + base2


def tone_variants(text: str) -> set[str]:
    """Both tone placements of *text*: ``{"hòa", "hoà"}``; NFC strings.

    >>> sorted(tone_variants("Tỉnh ủy"))
    ['Tỉnh uỷ', 'Tỉnh ủy']
    """
    nfd = unicodedata.normalize("NFD", text)
    old = _NEW_STYLE.rx.sub(lambda m: _swap(m, to_new=False), nfd)
    new = _OLD_STYLE.rx.sub(lambda m: _swap(m, to_new=True), old)
    return {unicodedata.normalize("NFC", s) for s in (text, old, new)}


def variants_of_phrase(phrase: str) -> set[str]:
    """Tone variants of *phrase*, with its first letter in both cases."""
    out: set[str] = set()
    for v in tone_variants(phrase):
        out.add(v)
        out.add(v[:1].upper() + v[1:])
        out.add(v[:1].lower() + v[1:])
    return out


def key(text: str) -> str:
    """A lookup key: lower case, traditional tone placement, single spaces."""
    nfd = unicodedata.normalize("NFD", text.lower())
    old = _NEW_STYLE.rx.sub(lambda m: _swap(m, to_new=False), nfd)
    return " ".join(unicodedata.normalize("NFC", old).split())
