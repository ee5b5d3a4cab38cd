"""Text normalisation shared by documents and queries.

Two kinds of function live here:

* :func:`clean` may change the length of a string (NFC composition, CRLF,
  zero-width characters). It runs once, when a document or a query enters the
  system, and the cleaned text is what gets stored.
* Everything else (:func:`lower`, :func:`canonical_tones`, :func:`fold`,
  :func:`exact_form`) maps one character to one character. Applied to cleaned
  text, the result has the same length, so an offset into the normalised form
  is an offset into the stored text. Highlighting depends on this.

No Whoosh or pyvi imports: this module sits under everything else.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "SYLLABLE",
    "SYLLABLE_SHAPE",
    "cached_syllable_forms",
    "canonical_tones",
    "cased",
    "clean",
    "exact_form",
    "fold",
    "folded_form",
    "has_diacritics",
    "has_tone_mark",
    "iy_variant",
    "lower",
    "narrow",
    "number_variant",
    "stop_final",
    "syllable_forms",
    "tone_variants",
]

#: A syllable: a run of letters and digits. The underscore is excluded so
#: that pyvi-style ``hội_nghị`` input splits into its syllables.
SYLLABLE = re.compile(r"[^\W_]+")

# Characters that look like a space but are not ASCII space, and the
# zero-width ones that mark a break between words (a CMS puts U+200B where a
# long line may wrap: "giá\u200bvàng" is two words, not "giávàng").
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\u200b\u200c"
# Characters with no width inside a word (joiners, the soft hyphen, a stray
# byte-order mark), which break it apart when left in place.
_INVISIBLE = "\u200d\u2060\ufeff\u00ad"
# Line separators other than \n (\r is handled first, so that \r\n is one).
_NEWLINES = "\u2028\u2029\x85\x0b\x0c"
_NEEDS_CLEAN = re.compile(f"[\r{_NEWLINES}{_SPACES}{_INVISIBLE}]")


def clean(text: str) -> str:
    """Return *text* in NFC with plain spaces and ``\\n`` line ends.

    Only the characters actually present are replaced (``str.replace`` runs
    in C) and NFC runs only when needed: this is on the path of every
    document and query, and a translate table cost 0.1 ms per kilobyte.

    >>> clean("Ho\\u0300a\\u00a0bi\\u0300nh\\r\\n")
    'Hòa bình\\n'
    """
    found = set(_NEEDS_CLEAN.findall(text))
    if found:
        if "\r" in found:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        for ch in found - {"\r"}:
            text = text.replace(ch, "\n" if ch in _NEWLINES else " " if ch in _SPACES else "")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


#: Full-width ASCII (U+FF01–U+FF5E) and the ideographic space, as a CJK input method types them.
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")
_NARROW = {**{cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}, 0x3000: 0x20}


def narrow(text: str) -> str:
    """*text* with full-width letters, digits and signs as ASCII (``Ｈà Ｎội``: ``Hà Nội``); the length is kept."""
    return text.translate(_NARROW) if _FULL_WIDTH.search(text) else text


def cased(word: str, typed: str) -> str:
    """*word* in the case *typed* was written in (``TỈNH``, ``Tỉnh`` or ``tỉnh``)."""
    if len(typed) > 1 and typed.isupper():
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def lower(text: str) -> str:
    """Lower-case *text* without changing its length."""
    low = text.lower()
    if len(low) == len(text):
        return low
    # A few code points (such as U+0130) lower-case to two characters; keep
    # the first so that offsets still line up with the original.
    return "".join(c.lower()[:1] or c for c in text)


# --- tone placement --------------------------------------------------------
#
# Vietnamese has two conventions for where the tone mark sits in the open
# syllables oa, oe and uy: "hòa, khỏe, thủy" (the traditional placement, on
# the first vowel) and "hoà, khoẻ, thuỷ" (on the second vowel). Both occur in
# the same article. We rewrite the second form to the first, the same choice
# as underthesea's text_normalize. In "qu" the u is part of the consonant, so
# "quý" is left alone, and a closed syllable ("hoàng", "khuỷu") already has
# only one correct placement.

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def _toned(base: str) -> str:
    return "".join(unicodedata.normalize("NFC", base + m) for m in _TONE_MARKS)


_PAIRS = {"o": "aeAE", "O": "aeAE", "u": "yY", "U": "yY"}
_OLD_STYLE = re.compile(
    "|".join(f"(?<![qQ]){first}[{''.join(_toned(v) for v in seconds)}](?!\\w)" for first, seconds in _PAIRS.items())
)


def _move_tone(match: re.Match[str]) -> str:
    first, second = match.group()[0], match.group()[1]
    decomposed = unicodedata.normalize("NFD", second)
    mark = decomposed[-1]
    return unicodedata.normalize("NFC", first + mark) + decomposed[0]


_NEW_STYLE = re.compile("|".join(f"(?<![qQ])[{_toned(first)}][{seconds}](?!\\w)" for first, seconds in _PAIRS.items()))


def _move_tone_back(match: re.Match[str]) -> str:
    first, second = match.group()[0], match.group()[1]
    decomposed = unicodedata.normalize("NFD", first)
    return decomposed[0] + unicodedata.normalize("NFC", second + decomposed[-1])


def tone_variants(text: str) -> set[str]:
    """Every spelling of *text* that :func:`canonical_tones` maps to the same form.

    >>> sorted(tone_variants("hòa bình"))
    ['hoà bình', 'hòa bình']
    """
    canonical = canonical_tones(text)
    return {canonical, _NEW_STYLE.sub(_move_tone_back, canonical)}


def canonical_tones(text: str) -> str:
    """Move tone marks in oa/oe/uy to the traditional place (``hoà`` → ``hòa``).

    >>> canonical_tones("Tỉnh uỷ, hoà bình, khoẻ, quý, hoàng")
    'Tỉnh ủy, hòa bình, khỏe, quý, hoàng'
    """
    return _OLD_STYLE.sub(_move_tone, text)


#: An open syllable whose only vowel is i or y, after an initial with which
#: Vietnamese writes both (the 1980s spelling reform's kĩ thuật, lí do, qui
#: định beside kỹ thuật, lý do, quy định), and its tone mark if any.
_I_OR_Y = re.compile("^(qu|k|l|m|t|s|h)([iy])([\u0300\u0301\u0303\u0309\u0323]?)$")


def iy_variant(syllable: str) -> str | None:
    """The other spelling of a lower-case syllable written with i or y either way, or None.

    >>> iy_variant("kỹ"), iy_variant("qui"), iy_variant("lí"), iy_variant("tình"), iy_variant("vy")
    ('kĩ', 'quy', 'lý', None, None)
    """
    m = _I_OR_Y.match(unicodedata.normalize("NFD", syllable))
    if m is None:
        return None
    return unicodedata.normalize("NFC", m[1] + ("i" if m[2] == "y" else "y") + m[3])


#: A Vietnamese syllable folded: an initial, one to three vowels, a final.
#: Matching it is cheap, so a foreign word (``brooklyn``, ``planck``) or
#: a string of letters (``ubnd``) is told from a syllable before any lookup.
SYLLABLE_SHAPE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|nh|ng|[cmnpt])?"
)


def number_variant(syllable: str) -> str | None:
    """A day or month number written the other way, with or without its leading zero, or None.

    Dates are written both ways, often in one article (``30/4``, ``30/04``).

    >>> number_variant("4"), number_variant("04"), number_variant("30"), number_variant("2021")
    ('04', '4', None, None)
    """
    if not (syllable.isascii() and syllable.isdigit()):
        return None
    if len(syllable) == 1:
        return "0" + syllable
    if len(syllable) == 2 and syllable[0] == "0" and syllable != "00":
        return syllable[1]
    return None


# --- accent folding --------------------------------------------------------


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for start, end in ((0x00C0, 0x0250), (0x1E00, 0x1F00)):
        for cp in range(start, end):
            base = "".join(c for c in unicodedata.normalize("NFD", chr(cp)) if not unicodedata.combining(c))
            if len(base) == 1 and base != chr(cp):
                table[cp] = base
    # đ has no decomposition: Unicode treats the stroke as part of the letter.
    table[ord("đ")] = "d"
    table[ord("Đ")] = "D"
    return table


_FOLD_TABLE = _build_fold_table()


def fold(text: str) -> str:
    """Strip diacritics, with ``đ`` → ``d``, keeping the length unchanged.

    >>> fold("Đảng bộ tỉnh Thái Nguyên")
    'Dang bo tinh Thai Nguyen'
    """
    return text.translate(_FOLD_TABLE)


#: For each letter that folding produces, the lower-case letters that fold to it.
FOLDS_TO: dict[str, str] = {}
for _cp, _base in sorted(_FOLD_TABLE.items()):
    _ch = chr(_cp)
    if _ch == _ch.lower() and _base == _base.lower():
        FOLDS_TO[_base] = FOLDS_TO.get(_base, _base) + _ch


_SYLLABLE_FORMS: dict[str, tuple[str, str]] = {}
_SYLLABLE_CACHE_SIZE = 200_000


def syllable_forms(syllable: str) -> tuple[str, str]:
    """The exact and folded forms of one syllable, cached.

    Vietnamese has a few thousand syllables, so a dictionary lookup replaces
    ``str.translate``, whose per-character cost on Vietnamese text made
    folding the slowest step of analysis.
    """
    forms = _SYLLABLE_FORMS.get(syllable)
    if forms is None:
        exact = canonical_tones(lower(syllable))
        forms = (exact, fold(exact))
        if len(_SYLLABLE_FORMS) >= _SYLLABLE_CACHE_SIZE:
            _SYLLABLE_FORMS.clear()
        _SYLLABLE_FORMS[syllable] = forms
    return forms


#: The cache behind :func:`syllable_forms`, read directly by loops over every
#: syllable of a corpus; ``None`` means: call :func:`syllable_forms`.
cached_syllable_forms = _SYLLABLE_FORMS.get


def exact_form(text: str) -> str:
    """The form under which a syllable is indexed with its diacritics."""
    return canonical_tones(lower(text))


def folded_form(text: str) -> str:
    """The form under which a syllable is indexed without diacritics."""
    return fold(lower(text))


def has_diacritics(text: str) -> bool:
    """True when *text* carries any mark that :func:`fold` would strip."""
    return fold(text) != text


#: A syllable that ends in p, t, c or ch carries a sắc or a nặng: Vietnamese
#: has no such syllable in a level tone (no *viêt*, *quôc*, *hoc*).
_STOP_FINAL = re.compile(r"[aeiouy][a-z]*(?:[pt]|ch?)$")


def stop_final(folded: str) -> bool:
    """Whether the folded syllable ends in p, t, c or ch after a vowel, and so must carry a sắc or a nặng."""
    return bool(_STOP_FINAL.search(folded))


def has_tone_mark(text: str) -> bool:
    """True when *text* carries one of the five tone marks (``ĐBQH`` and ``TƯ`` carry none)."""
    return any(c in _TONE_MARKS for c in unicodedata.normalize("NFD", text))
