from __future__ import annotations

import datetime as dt

import pytest

from searchlib.errors import QueryError
from searchlib.query import parse_date, parse_query


def shape(text: str) -> tuple[list[list[tuple[str, str, str | None]]], list[str]]:
    q = parse_query(text)
    groups = [[(c.kind, c.text, c.field) for c in g] for g in q.groups]
    return groups, [c.text for c in q.excluded]


@pytest.mark.parametrize(
    ("text", "groups", "excluded"),
    [
        ("hội nghị", [[("word", "hội", None)], [("word", "nghị", None)]], []),
        ('"Nguyễn Thanh Hải"', [[("phrase", "Nguyễn Thanh Hải", None)]], []),
        ("hội -covid", [[("word", "hội", None)]], ["covid"]),
        ('x -"ban chấp hành"', [[("word", "x", None)]], ["ban chấp hành"]),
        ("tỉnh OR thành", [[("word", "tỉnh", None), ("word", "thành", None)]], []),
        ('leader:"Thanh Hải" y', [[("phrase", "Thanh Hải", "leader")], [("word", "y", None)]], []),
        ("topic:ytế", [[("word", "ytế", "topic")]], []),
        ("KT-XH", [[("phrase", "KT-XH", None)]], []),
        ("hội_nghị", [[("phrase", "hội_nghị", None)]], []),
        ("bão leader: Title:", [[("word", "bão", None)]], []),  # a field with nothing to search
        ("title:bão", [[("word", "bão", "title")]], []),
        ("“Bí thư” –covid", [[("phrase", "Bí thư", None)]], ["covid"]),  # as a phone or word processor types them
        ("Rịa – Tàu", [[("word", "Rịa", None)], [("word", "Tàu", None)]], []),  # a dash between words separates
    ],
)
def test_syntax(text: str, groups: list[list[tuple[str, str, str | None]]], excluded: list[str]) -> None:
    assert shape(text) == (groups, excluded)


@pytest.mark.parametrize(
    "text",
    [
        '"unbalanced quote',
        " - ",
        "-",
        "OR",
        "OR OR a",
        "!!! ??? ...",
        "x" * 10_000,
        "a " * 5_000,
        '"""',
        "leader:",
        ":",
    ],
)
def test_malformed_input_never_raises(text: str) -> None:
    q = parse_query(text)
    assert isinstance(q.groups, list)


def test_unbalanced_quote_runs_to_the_end() -> None:
    assert shape('"hội nghị') == ([[("phrase", "hội nghị", None)]], [])


def test_punctuation_only_is_empty() -> None:
    assert parse_query("!!! ...").is_empty


def test_runs_are_consecutive_plain_words() -> None:
    q = parse_query('bí thư "tỉnh ủy" thái nguyên')
    assert [[c.text for c in run] for run in q.runs()] == [["bí", "thư"], ["thái", "nguyên"]]


def test_unmarked_syllables_of_a_query_typed_with_diacritics_count_as_spelled() -> None:
    def accented(text: str) -> list[bool]:
        return [c.syllables.accented for g in parse_query(text).groups for c in g]

    assert accented("tăng bao nhiêu") == [True, True, True]
    assert accented('tăng bao nhiêu leader:"Thanh"') == [True, True, True, False]  # field clauses decide alone
    assert accented("Nguyễn Tan Dung") == [True, False, False]  # marks on a third: typed in haste
    assert accented("bí thư tinh uy") == [True, True, False, False]  # on half: typed in haste too
    assert accented("bao nhieu 2006") == [False, False, False]
    # No Vietnamese syllable ends in p, t, c or ch without a tone: Viet is typed in haste.
    assert accented("Thủ tướng thăm Viet Nam") == [True, True, True, False, True]


def test_nfd_query_is_composed() -> None:
    import unicodedata

    q = parse_query(unicodedata.normalize("NFD", "tỉnh uỷ"))
    assert [c.syllables.exact for g in q.groups for c in g] == [("tỉnh",), ("ủy",)]


@pytest.mark.parametrize(
    ("value", "end", "expected"),
    [
        ("2021", False, dt.date(2021, 1, 1)),
        ("2021", True, dt.date(2021, 12, 31)),
        ("2020-02", True, dt.date(2020, 2, 29)),
        ("2021-12", True, dt.date(2021, 12, 31)),
        ("2021-06-10", False, dt.date(2021, 6, 10)),
        (dt.date(2020, 1, 2), True, dt.date(2020, 1, 2)),
    ],
)
def test_parse_date(value: str, end: bool, expected: dt.date) -> None:
    assert parse_date(value, end=end) == expected


@pytest.mark.parametrize("value", ["yesterday", "2021-13", "2021-02-30", "21", "2021/06/10"])
def test_parse_date_rejects(value: str) -> None:
    with pytest.raises(QueryError, match=r"YYYY|month|day"):
        parse_date(value)


@pytest.mark.parametrize(
    ("query", "groups"),
    [
        ("TP.Đà Nẵng", [["TP"], ["Đà"], ["Nẵng"]]),  # as "TP. Đà Nẵng": TP expands
        ("Q.Ba Đình", [["Q"], ["Ba"], ["Đình"]]),
        ("tp.đà nẵng", [["tp"], ["đà"], ["nẵng"]]),  # typed in lower case: a syllable after the dot
        ("TP.HCM", [["TP.HCM"]]),  # one abbreviation
        ("tp.hcm", [["tp.hcm"]]),
        ("vnexpress.net", [["vnexpress.net"]]),  # more than an abbreviation before the dot
        ("UBND.TP", [["UBND.TP"]]),
        ("T.P Hà Nội", [["T.P"], ["Hà"], ["Nội"]]),
    ],
)
def test_a_dot_before_a_capitalised_word_separates_words(query: str, groups: list[list[str]]) -> None:
    assert [[c.text for c in g] for g in parse_query(query).groups] == groups


@pytest.mark.parametrize(
    ("text", "groups", "excluded"),
    [
        ("bão NOT lũ", [["bão"]], ["lũ"]),
        ('bão NOT "lũ lụt" miền Trung', [["bão"], ["miền"], ["Trung"]], ["lũ lụt"]),
        ("tỉnh AND ủy", [["tỉnh"], ["ủy"]], []),
        ("bão not lũ and", [["bão"], ["not"], ["lũ"], ["and"]], []),  # in lower case they are words
        ("NOT", [], []),
        ("bão NOT AND lũ", [["bão"]], ["lũ"]),  # no operator becomes a word
        ("bão NOT OR lũ", [["bão"]], ["lũ"]),
        ("bão NOT NOT lũ", [["bão"]], ["lũ"]),
        ("bão NOT -lũ x", [["bão"], ["x"]], ["lũ"]),
        ('NOT topic:"y tế" bão', [["bão"]], ["y tế"]),
    ],
)
def test_and_and_not_in_capitals_are_operators(text: str, groups: list[list[str]], excluded: list[str]) -> None:
    parsed = parse_query(text)
    assert [[c.text for c in g] for g in parsed.groups] == groups
    assert [c.text for c in parsed.excluded] == excluded
