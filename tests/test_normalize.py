from __future__ import annotations

import unicodedata

import pytest

from searchlib.normalize import (
    canonical_tones,
    clean,
    exact_form,
    fold,
    folded_form,
    has_diacritics,
    has_tone_mark,
    lower,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hoà", "hòa"),
        ("Hoà bình", "Hòa bình"),
        ("HOÀ", "HÒA"),
        ("Tỉnh uỷ", "Tỉnh ủy"),
        ("UỶ BAN", "ỦY BAN"),
        ("thuỷ lợi", "thủy lợi"),
        ("khoẻ", "khỏe"),
        ("Khoẻ", "Khỏe"),
        ("hoá", "hóa"),
        ("loạ", "lọa"),
        ("tuỳ", "tùy"),
        ("luỹ", "lũy"),
        ("huỷ", "hủy"),
        # "qu" is a consonant: the mark stays on y.
        ("quý", "quý"),
        ("Quỳ", "Quỳ"),
        # Closed syllables and triphthongs have one correct placement.
        ("hoàng", "hoàng"),
        ("hoạt", "hoạt"),
        ("khuỷu", "khuỷu"),
        ("ngoài", "ngoài"),
        ("huỳnh", "huỳnh"),
        ("hoà.", "hòa."),
        ("already hòa", "already hòa"),
    ],
)
def test_canonical_tones(text: str, expected: str) -> None:
    assert canonical_tones(text) == expected
    assert len(canonical_tones(text)) == len(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đảng bộ tỉnh", "Dang bo tinh"),
        ("đ", "d"),
        ("Nguyễn Thị Hảo", "Nguyen Thi Hao"),
        ("ƯƠ ươ Ơ", "UO uo O"),
        ("café", "cafe"),
        ("abc 123", "abc 123"),
    ],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_clean_composes_and_normalises_spaces_and_lines() -> None:
    nfd = unicodedata.normalize("NFD", "Tỉnh uỷ")
    assert clean(f"{nfd}\u00a0họp\u00ad\r\nxong\rhết\ufeff") == "Tỉnh uỷ họp\nxong\nhết"
    # A zero-width space is a break between words; a joiner or soft hyphen sits inside one.
    assert clean("giá\u200bvàng Thành\u200cphố x\u2060y ti\u00adết") == "giá vàng Thành phố xy tiết"


def test_exact_and_folded_forms() -> None:
    assert exact_form("Tỉnh Uỷ HOÀ") == "tỉnh ủy hòa"
    assert folded_form("Tỉnh Uỷ HOÀ") == "tinh uy hoa"


def test_lower_keeps_length_for_odd_code_points() -> None:
    assert len(lower("İstanbul")) == len("İstanbul")


def test_forms_keep_offsets_on_real_text() -> None:
    text = clean("Bí thư Tỉnh uỷ, Chủ tịch HĐND tỉnh Nguyễn Thành Tâm; hoà bình, khoẻ mạnh")
    assert len(exact_form(text)) == len(text)
    assert len(fold(exact_form(text))) == len(text)


@pytest.mark.parametrize(("text", "expected"), [("ha", False), ("hà", True), ("đi", True), ("DI", False)])
def test_has_diacritics(text: str, expected: bool) -> None:
    assert has_diacritics(text) is expected


def _reference_clean(text: str) -> str:
    """The obvious implementation of clean(), which the fast one must equal."""
    table = {
        ord(c): " "
        for c in "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
        "\u200b\u200c"
    }
    table |= {ord(c): None for c in "\u200d\u2060\ufeff\u00ad"}
    table |= {ord(c): "\n" for c in "\u2028\u2029\x85\x0b\x0c"}
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text.translate(table))


@pytest.mark.parametrize(
    "text",
    ["a\r\nb\rc", "x\u00a0y\u2009z", "zero\u200bwidth\u00ad", "Ho\u0300a", "\ufeffbom", "line\u2028sep", "plain", ""],
)
def test_clean_matches_the_reference(text: str) -> None:
    assert clean(text) == _reference_clean(text)


def test_clean_matches_the_reference_on_every_special_character() -> None:
    for cp in [*range(0x100), 0x1680, *range(0x2000, 0x2070), 0x3000, 0xFEFF]:
        text = f"a{chr(cp)}b{chr(cp)}\r"
        assert clean(text) == _reference_clean(text), hex(cp)


def test_tone_marks_are_told_from_other_diacritics() -> None:
    assert has_tone_mark("đá") and has_tone_mark(unicodedata.normalize("NFD", "Tỉnh")) and has_tone_mark("HOÀ")
    assert not has_tone_mark("ĐBQH") and not has_tone_mark("TƯ") and not has_tone_mark("hoa")


def test_number_variant() -> None:
    from searchlib.normalize import number_variant

    assert [number_variant(s) for s in ("4", "04", "30", "00", "2021", "٤", "a")] == [
        "04",
        "4",
        None,
        None,
        None,
        None,
        None,
    ]
