"""Vietnamese typed with the input method off: Telex and VNI keystrokes read back."""

from __future__ import annotations

import pytest

from searchlib.keystrokes import ambiguous, decode, telex, vni
from searchlib.normalize import SYLLABLE, canonical_tones, fold

from .conftest import SAMPLE


@pytest.mark.parametrize(
    ("typed", "word"),
    [
        ("tinhr", "tỉnh"),  # tone key last
        ("tirnh", "tỉnh"),  # or right after the vowel
        ("uyr", "ủy"),  # no initial; the tone where the index puts it
        ("nguyeenx", "nguyễn"),  # ee: ê
        ("dduowngf", "đường"),  # dd: đ; uow: ươ
        ("dduwowngf", "đường"),  # uwow: the same
        ("truongwf", "trường"),  # w after the final consonant
        ("hoawcj", "hoặc"),  # aw: ă
        ("xuaw", "xưa"),  # ...but ua + w: ưa
        ("thuowr", "thuở"),  # uo + w: ươ, but uơ when nothing follows
        ("tw", "tư"),  # w alone: ư
        ("giuwax", "giữa"),  # gi is the initial
        ("gif", "gì"),  # ...unless no vowel follows
        ("quys", "quý"),  # qu is the initial
        ("khuyru", "khuỷu"),  # three vowels: the middle one
        ("hoaf", "hòa"),
        ("ngoaif", "ngoài"),
        ("tinh3", "tỉnh"),  # VNI
        ("nguye64n", "nguyễn"),
        ("d9u7o72ng", "đường"),
        ("hocj", "học"),  # a stop takes sắc or nặng
    ],
)
def test_keystrokes_spell_the_word(typed: str, word: str) -> None:
    assert decode(typed) == word


@pytest.mark.parametrize(
    "typed",
    [
        "trong",  # no key: already a word
        "books",  # k is no final consonant
        "news",  # w after e
        "hocf",  # huyền on a syllable closed by c
        "tinhrs",  # two tones
        "ddauaf",  # no syllable has aua
        "ssa",  # a tone key before any vowel
        "u23",  # two tones
        "Tinhr",  # the caller lower-cases
        "tỉnh",  # already spelled
        "",
    ],
)
def test_what_is_not_read(typed: str) -> None:
    assert decode(typed) is None


def test_every_word_of_the_sample_reads_back_from_its_keystrokes() -> None:
    words = {w.lower() for path in SAMPLE.glob("*.txt") for w in SYLLABLE.findall(path.read_text(encoding="utf-8"))}
    # Acronyms (HĐND, written hđnd here) have no vowel and spell no syllable.
    accented = {w for w in words if fold(w) != w and w.isalpha() and set(fold(w)) & set("aeiouy")}
    assert len(accented) > 300
    wrong = {w: (telex(w), vni(w)) for w in accented if {decode(telex(w)), decode(vni(w))} != {canonical_tones(w)}}
    assert not wrong, wrong


def test_short_words_with_a_digit_are_as_likely_codes() -> None:
    assert decode("co2") == "cò" and decode("uy3") == "ủy"  # read only among other keystrokes
    assert ambiguous("co2") and ambiguous("a4") and ambiguous("uy3")
    assert not ambiguous("tinh3") and not ambiguous("tinhr") and not ambiguous("uyr")


def test_keystrokes_of_a_word() -> None:
    assert telex("Nguyễn") == "Nguyeenx" and vni("Nguyễn") == "Nguye6n4"
    assert telex("đường") == "dduwowngf" and vni("đường") == "d9u7o7ng2"
    assert telex("trong") == "trong"
