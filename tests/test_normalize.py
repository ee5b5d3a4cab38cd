from __future__ import annotations

import unicodedata

import pytest

from searchlib.normalize import canonical_tones, clean, exact_form, fold, folded_form, has_diacritics, lower


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
    assert clean(f"{nfd}\u00a0họp\u200b\r\nxong\rhết\ufeff") == "Tỉnh uỷ họp\nxong\nhết"


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
