from __future__ import annotations

import pytest

from searchlib.analysis import (
    analyze,
    bigram_analyzer,
    bigram_counts,
    keyword_forms,
    syllable_analyzer,
    syllable_postings,
    word_terms,
)

TEXTS = [
    "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 2",
    "Bí thư Tỉnh uỷ, Chủ tịch HĐND tỉnh Nguyễn Thành Tâm phát biểu.",
    "kinh tế- xã hội (KT-XH) năm 2021: 15/25 chỉ tiêu đạt, hoà vốn",
    "",
    "!!! ... ---",
]


def test_analyze_gives_exact_then_folded_at_each_position() -> None:
    assert analyze("Tỉnh uỷ họp") == ["tỉnh", "tinh", "ủy", "uy", "họp", "hop"]


def test_analyze_splits_pyvi_style_words() -> None:
    assert analyze("hội_nghị") == ["hội", "hoi", "nghị", "nghi"]


@pytest.mark.parametrize("text", TEXTS)
def test_bulk_postings_equal_the_whoosh_analyzer(text: str) -> None:
    """The indexer's fast path must write exactly what the declared analyzer would."""
    expected: dict[str, list[int]] = {}
    for token in syllable_analyzer()(text, positions=True):
        expected.setdefault(token.text, []).append(token.pos)
    postings, end = syllable_postings(text)
    assert postings == expected
    assert end == len({p for ps in expected.values() for p in ps})


@pytest.mark.parametrize("text", TEXTS)
def test_bulk_bigrams_equal_the_whoosh_analyzer(text: str) -> None:
    expected: dict[str, int] = {}
    for token in bigram_analyzer()(text):
        expected[token.text] = expected.get(token.text, 0) + 1
    assert bigram_counts(text) == expected


def test_bigrams_cross_punctuation_like_phrases_do() -> None:
    assert bigram_counts("kinh tế- xã hội") == {"kinh te": 1, "te xa": 1, "xa hoi": 1}


def test_postings_continue_from_a_start_position() -> None:
    postings, end = syllable_postings("Hà Nội", start=10)
    assert postings == {"hà": [10], "ha": [10], "nội": [11], "noi": [11]} and end == 12


def test_word_terms_keep_only_multi_syllable_words() -> None:
    text = "Hội nghị tỉnh"
    assert word_terms(text, [(0, 8), (9, 13)]) == {"hoi_nghi": 1}


def test_keyword_forms_ignore_punctuation_and_case() -> None:
    assert keyword_forms("Kinh tế - Xã hội") == ("kinh tế xã hội", "kinh te xa hoi")
    assert keyword_forms("Nguyễn Thanh Hải") == ("nguyễn thanh hải", "nguyen thanh hai")
