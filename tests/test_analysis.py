from __future__ import annotations

import pytest

from searchlib.analysis import analyze, keyword_forms, syllable_postings, word_terms
from searchlib.schema import SpelledPositions, SyllableField

TEXTS = [
    "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 2",
    "Bí thư Tỉnh uỷ, Chủ tịch HĐND tỉnh Nguyễn Thành Tâm phát biểu.",
    "kinh tế- xã hội (KT-XH) năm 2021: 15/25 chỉ tiêu đạt, hoà vốn",
    "",
    "!!! ... ---",
]


def test_analyze_gives_folded_syllables() -> None:
    assert analyze("Tỉnh uỷ HỌP") == ["tinh", "uy", "hop"]


def test_analyze_splits_pyvi_style_words() -> None:
    assert analyze("hội_nghị") == ["hoi", "nghi"]


@pytest.mark.parametrize("text", TEXTS)
def test_bulk_postings_equal_the_whoosh_analyzer(text: str) -> None:
    """The indexer's fast path must write exactly what the declared analyzer would."""
    field = SyllableField()
    reference = sorted(field.format.word_values(text, field.analyzer))
    fast = sorted((t.decode("utf-8"), n, w, v) for t, n, w, v in field.index(text))
    assert fast == reference


def test_postings_keep_each_spelling() -> None:
    postings, end = syllable_postings("Tỉnh uỷ và tỉnh ủy, TINH")
    assert postings["tinh"] == ([0, 3, 5], ["tỉnh", "tỉnh", "tinh"])
    assert postings["uy"] == ([1, 4], ["ủy", "ủy"]) and end == 6


@pytest.mark.parametrize(
    ("term", "positions", "spellings"),
    [
        ("hoi", [0, 5, 300], ["hội", "hỏi", "hội"]),
        ("trong", [1, 2], ["trong", "trong"]),
        ("uy", [2, 90000], ["ủy", "ủy"]),
        ("a", [7], ["à"]),
    ],
)
def test_spelled_positions_round_trip(term: str, positions: list[int], spellings: list[str]) -> None:
    fmt = SpelledPositions()
    value = fmt.encode_spelled(term, positions, spellings)
    decoded_positions, decoded_spellings = fmt.decode_spelled(value)
    assert decoded_positions == positions and fmt.decode_frequency(value) == len(positions)
    assert (decoded_spellings or [term] * len(positions)) == spellings


def test_postings_continue_from_a_start_position() -> None:
    postings, end = syllable_postings("Hà Nội", start=10)
    assert postings == {"ha": ([10], ["hà"]), "noi": ([11], ["nội"])} and end == 12


def test_word_terms_keep_only_multi_syllable_words() -> None:
    text = "Hội nghị tỉnh"
    assert word_terms(text, [(0, 8), (9, 13)]) == {"hoi_nghi": 1}


def test_keyword_forms_ignore_punctuation_and_case() -> None:
    assert keyword_forms("Kinh tế - Xã hội") == ("kinh tế xã hội", "kinh te xa hoi")
    assert keyword_forms("Nguyễn Thanh Hải") == ("nguyễn thanh hải", "nguyen thanh hai")
