"""Vietnamese typed with the input method off: ``tinhr``, ``nguyeenx``, ``tinh3``.

Vietnamese is typed through an input method that turns keystrokes into
letters: in Telex ``s f r x j`` add the five tones, ``aa ee oo`` the
circumflex, ``w`` the horn or breve and ``dd`` makes ``đ``; in VNI the
digits do the same (``1``–``5`` tones, ``6`` circumflex, ``7`` horn,
``8`` breve, ``9`` ``đ``). With the input method switched off, or on a
machine without one, the keystrokes themselves reach the search box:
``bis thuw tinhr uyr`` for *bí thư tỉnh ủy*.

:func:`decode` reads one word as such keystrokes. It is exact where fuzzy
matching (:mod:`searchlib.fuzzy`) can only guess: ``tinhr`` is one edit from
*tinh* but spells *tỉnh*, not *tình* or *tính*; ``uyr`` is too short to be
matched fuzzily at all. A word is read only if the result is a well-formed
Vietnamese syllable (initial, a vowel cluster Vietnamese has, final, and a
tone its final allows), so English words (``books``, ``news``) are not; the
caller also checks that some article spells the result, and reads codes
(``CO2``, ``A4``: :func:`ambiguous`) only in a query typed so throughout.
"""

from __future__ import annotations

import unicodedata

from searchlib.normalize import canonical_tones

__all__ = ["ambiguous", "decode", "telex", "toned", "vni"]

#: Words with a digit and fewer letters than this are codes (CO2, A4) as
#: often as VNI (cò, ã): see :func:`ambiguous`.
VNI_MIN_LETTERS = 3

# Combining marks, in the order of the tone keys: sắc, huyền, hỏi, ngã, nặng.
_TONE_MARKS = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
_TELEX_TONES = dict(zip("sfrxj", _TONE_MARKS))
_VNI_TONES = dict(zip("12345", _TONE_MARKS))

# Longest first: "ngh" before "ng" before "n".
_INITIALS = sorted(
    ["ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", *"bcdđghklmnprstvx"],
    key=len,
    reverse=True,
)
_FINALS = {"", "c", "ch", "m", "n", "ng", "nh", "p", "t"}
_VOWELS = set("aăâeêioôơuưy")
# The vowel clusters Vietnamese syllables have (toneless), and oo of loanwords (xoong).
_NUCLEI = {
    *["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"],
    *[
        "ai",
        "ao",
        "au",
        "ay",
        "âu",
        "ây",
        "eo",
        "êu",
        "ia",
        "iê",
        "iu",
        "oa",
        "oă",
        "oe",
        "oi",
        "oo",
        "ôi",
        "ơi",
        "ua",
        "uâ",
        "uê",
        "ui",
        "uô",
        "uơ",
        "uy",
        "ưa",
        "ưi",
        "ươ",
        "ưu",
        "yê",
    ],
    *["iêu", "oai", "oay", "oeo", "uây", "uôi", "uya", "uyê", "uyu", "ươi", "ươu", "yêu"],
}
_MARKED = set("ăâêôơư")
# A syllable closed by a stop takes only sắc or nặng (các, học).
_STOPS = {"c", "ch", "p", "t"}
_CIRCUMFLEX = {"a": "â", "e": "ê", "o": "ô"}
_HORN = {"o": "ơ", "u": "ư"}


def decode(word: str) -> str | None:
    """The Vietnamese syllable that lower-case *word* types in Telex or VNI, or None.

    The syllable is spelled as the index spells it: lower case, NFC, the
    tone of ``oa``, ``oe`` and ``uy`` in the traditional place (``hòa``).

    None also when *word* holds no keystroke that changes a letter (``trong``
    is already a word), or does not read as one syllable (``books``).

    >>> decode("nguyeenx"), decode("tinh3"), decode("dduowngf"), decode("books")
    ('nguyễn', 'tỉnh', 'đường', None)
    """
    if not word.isascii() or not word.isalnum() or word != word.lower():
        return None
    vni = any(ch.isdigit() for ch in word)
    stroke = "d9" if vni else "dd"
    changed = word.startswith(stroke)
    rest = "đ" + word[2:] if changed else word
    # Longest initial first, then shorter ones ("gif": gi + f fails, g + ì
    # does), then none ("uyr": ủy).
    for initial in (*_INITIALS, ""):
        if rest.startswith(initial) and initial != rest:
            spelled = _rime(rest[len(initial) :], vni)
            if spelled is not None:
                letters, tone, keyed = spelled
                syllable = _compose(initial, letters, tone)
                if syllable is not None and (keyed or changed):
                    return syllable
    return None


def ambiguous(word: str) -> bool:
    """Whether *word* is as likely a code as keystrokes: ``co2``, ``a4``, ``u2``, but not ``tinh3``.

    Such a word is read only in a query that other keystrokes show was
    typed with the input method off (``uy3 ban``: *ủy ban*).
    """
    return any(ch.isdigit() for ch in word) and sum(ch.isalpha() for ch in word) < VNI_MIN_LETTERS


def toned(syllable: str) -> bool:
    """Whether *syllable* carries a tone mark: ``tỉnh``, not ``tinh`` or ``lê``."""
    return any(mark in unicodedata.normalize("NFD", syllable) for mark in _TONE_MARKS)


def telex(word: str) -> str:
    """The Telex keystrokes that type *word*, tone key last: ``Nguyễn`` → ``Nguyeenx``; the inverse of :func:`decode`."""
    return _keys(word, {"\u0302": "", "\u0306": "w", "\u031b": "w"}, "dd", dict(zip(_TONE_MARKS, "sfrxj")))


def vni(word: str) -> str:
    """The VNI keystrokes that type *word*, tone digit last: ``Nguyễn`` → ``Nguye6n4``."""
    return _keys(word, {"\u0302": "6", "\u0306": "8", "\u031b": "7"}, "d9", dict(zip(_TONE_MARKS, "12345")))


def _keys(word: str, marks: dict[str, str], stroke: str, tones: dict[str, str]) -> str:
    out: list[str] = []
    tone = ""
    for ch in unicodedata.normalize("NFD", word):
        if ch in tones:
            tone = tones[ch]
        elif ch in marks:
            # Telex doubles the letter for a circumflex (ê: ee).
            out.append(marks[ch] or out[-1].lower())
        elif ch in "đĐ":
            out.append(stroke if ch == "đ" else stroke[0].upper() + stroke[1])
        else:
            out.append(ch)
    return "".join(out) + tone


def _rime(keys: str, vni: bool) -> tuple[list[str], str | None, bool] | None:
    """The letters after the initial, the tone mark, and whether any key changed a letter."""
    tones = _VNI_TONES if vni else _TELEX_TONES
    letters: list[str] = []
    tone: str | None = None
    keyed = False
    for key in keys:
        if key in tones:
            if tone is not None or not any(ch in _VOWELS for ch in letters):
                return None  # two tones, or a tone key before any vowel it could mark
            tone, keyed = tones[key], True
        elif key == ("7" if vni else "w"):
            if not _horn(letters, vni):
                return None
            keyed = True
        elif vni and key in "68":
            target = _CIRCUMFLEX if key == "6" else {"a": "ă"}
            at = _last(letters, target)
            if at is None:
                return None
            letters[at], keyed = target[letters[at]], True
        elif not vni and key in _CIRCUMFLEX and letters and letters[-1] == key:
            letters[-1], keyed = _CIRCUMFLEX[key], True
        elif key.isdigit() or key in "zfjw":
            return None  # VNI's 0 and 9 here, or a letter no Vietnamese syllable has
        else:
            letters.append(key)
    return letters, tone, keyed


def _horn(letters: list[str], vni: bool) -> bool:
    """Apply Telex ``w`` or VNI ``7`` to *letters*: ``uo`` → ``ươ``, else the last ``o``, ``u`` (or ``a``: ``ă``)."""
    for i in range(len(letters) - 1):
        if letters[i] in "uư" and letters[i + 1] == "o":
            letters[i : i + 2] = ["ư", "ơ"]  # thuở, with nothing after, is mended in _compose
            return True
        if letters[i] == "u" and letters[i + 1] == "a":
            letters[i] = "ư"  # xuaw: xưa; no syllable has uă (quăng's u is the initial's)
            return True
    targets = _HORN if vni else {**_HORN, "a": "ă"}
    at = _last(letters, targets)
    if at is not None:
        letters[at] = targets[letters[at]]
        return True
    if vni or any(ch in _VOWELS for ch in letters):
        return False
    letters.append("ư")  # Telex: w on its own is ư (tw: tư)
    return True


def _last(letters: list[str], targets: dict[str, str]) -> int | None:
    return next((i for i in range(len(letters) - 1, -1, -1) if letters[i] in targets), None)


def _compose(initial: str, letters: list[str], tone: str | None) -> str | None:
    """The syllable, with the tone mark on its vowel, or None if it is not one."""
    vowels = 0
    while vowels < len(letters) and letters[vowels] in _VOWELS:
        vowels += 1
    nucleus, final = letters[:vowels], "".join(letters[vowels:])
    if nucleus[-2:] == ["ư", "ơ"] and not final:
        nucleus[-2] = "u"  # ươ always has a final (ương, ười); open, it is uơ (thuở, huơ)
    if "".join(nucleus) not in _NUCLEI or final not in _FINALS:
        return None
    if final in _STOPS and tone not in (None, _TONE_MARKS[0], _TONE_MARKS[4]):
        return None
    if tone is not None:
        at = _tone_position(nucleus, bool(final))
        nucleus[at] = unicodedata.normalize("NFC", nucleus[at] + tone)
    return canonical_tones(initial + "".join(nucleus) + final)


def _tone_position(nucleus: list[str], closed: bool) -> int:
    marked = [i for i, v in enumerate(nucleus) if v in _MARKED]
    if marked:
        return marked[-1]  # ươ: the ơ; uyê: the ê
    if len(nucleus) == 3:
        return 1  # oai, uyu
    if len(nucleus) == 2 and (closed or "".join(nucleus) in ("oa", "oe", "uy")):
        return 1  # hoàn, toán; hoà, thuỷ, moved to where the index spells them (hòa, thủy)
    return 0  # ái, múa, gì
