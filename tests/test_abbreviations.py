from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from searchlib.abbreviations import key, learn, load, read_learned, save_learned, typed_as_abbreviation
from searchlib.api import Index

from .conftest import doc


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ("chuẩn y Ban Chấp hành (BCH) Đảng bộ tỉnh", {("BCH", "Ban Chấp hành")}),
        ("Ủy ban Kiểm tra (UBKT) tỉnh", {("UBKT", "Ủy ban Kiểm tra")}),
        ("phát triển kinh tế- xã hội (KT-XH) năm 2021", {("KT-XH", "kinh tế- xã hội")}),
        ("Sở Giáo dục và Đào tạo (GD&ĐT) tỉnh", {("GD&ĐT", "Giáo dục và Đào tạo")}),
        ("Chương trình mục tiêu quốc gia (MTQG)", {("MTQG", "mục tiêu quốc gia")}),
        ("ông Nguyễn Văn A (TP) phát biểu", set()),  # initials do not spell it
        ("nhiệm kỳ (2020-2025)", set()),
        ("thành phố Lạc Giang (Hòa Sơn)", set()),
    ],
)
def test_learn_full_name_then_abbreviation(text: str, pairs: set[tuple[str, str]]) -> None:
    assert set(learn(text)) == pairs


def test_builtin_table_covers_the_required_abbreviations() -> None:
    table = load()
    for abbreviation in [
        "UBND",
        "HĐND",
        "BCH",
        "BTV",
        "UBKT",
        "KT-XH",
        "NTM",
        "ĐBQH",
        "MTTQ",
        "TW",
        "TP",
        "T.P",
        "CCHC",
        "CĐS",
    ]:
        assert table.for_query(abbreviation, key(abbreviation)), abbreviation
    assert key("Ủy ban nhân dân") in table.for_query("ubnd", key("ubnd"))
    assert key("UBND") in table.for_query("uy ban nhan dan", key("uy ban nhan dan"))


@pytest.fixture
def index(make_index) -> Index:  # type: ignore[no-untyped-def]
    return make_index(
        [
            doc("full", "Ủy ban nhân dân tỉnh họp phiên thường kỳ tháng 5."),
            doc("short", "UBND tỉnh chỉ đạo các sở ngành triển khai kế hoạch."),
            doc("ktxh", "Tình hình KT-XH sáu tháng đầu năm chuyển biến tích cực."),
            doc("cds", "Tỉnh đẩy mạnh chuyển đổi số trong cơ quan nhà nước."),
            doc("learned", "Hội Nông dân (HND) tỉnh tổng kết năm. Các cấp HND tích cực."),
            doc("other", "Hội nghị bàn về xây dựng nông thôn mới."),
            doc("learn-da", "Ban quản lý dự án (DA) tỉnh họp."),
            doc("project", "Dự án sân bóng rổ của tỉnh được phê duyệt."),
            doc("football", "Giải bóng đá thiếu niên của tỉnh khai mạc."),
            doc("hdnd", "HĐND tỉnh khai mạc kỳ họp."),
            doc("city-tp", "TP Lạc Giang mở rộng địa giới."),
            doc("city-t.p", "T.P Lạc Giang lập quy hoạch chung."),
            doc("joined", "Tình hình KTXH của tỉnh ổn định; Sở GDĐT tổng kết năm học."),
            doc("gd-dt", "Sở GD&ĐT tỉnh khai giảng năm học mới."),
        ]
    )


def ids(index: Index, query: str) -> set[str]:
    return {h.id for h in index.search(query).hits}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("UBND", {"full", "short"}),
        ("ubnd tỉnh", {"full", "short"}),
        ("Ủy ban nhân dân", {"full", "short"}),
        ("uy ban nhan dan tinh", {"full", "short"}),
        ("kinh tế xã hội", {"ktxh"}),
        ("KT-XH", {"ktxh"}),
        ("CĐS", {"cds"}),
        ("hội nông dân", {"learned"}),  # learned from "Hội Nông dân (HND)"
    ],
)
def test_abbreviations_match_both_ways(index: Index, query: str, expected: set[str]) -> None:
    assert ids(index, query) >= expected
    assert "other" not in ids(index, query)


def test_abbreviations_expand_inside_or_groups(index: Index) -> None:
    assert ids(index, "UBND OR HĐND") == {"full", "short", "hdnd"}
    assert ids(index, '"ủy ban nhân dân" OR HĐND') == {"full", "short", "hdnd"}


def test_excluding_an_abbreviation_excludes_what_it_stands_for(index: Index) -> None:
    assert ids(index, "tỉnh -UBND") & {"full", "short"} == set()
    assert ids(index, 'tỉnh -"ủy ban nhân dân"') & {"full", "short"} == set()
    assert "ktxh" in ids(index, "tỉnh -UBND")


def test_spellings_of_one_abbreviation_find_each_other(index: Index) -> None:
    assert {"city-tp", "city-t.p"} <= ids(index, "TP Lạc Giang")
    assert {"city-tp", "city-t.p"} <= ids(index, "T.P Lạc Giang")


def test_an_abbreviation_run_together_is_the_same_abbreviation(index: Index) -> None:
    for query in ("KT-XH", "KTXH", "ktxh", "kinh tế xã hội"):
        assert {"ktxh", "joined"} <= ids(index, query), query
    for query in ("GD&ĐT", "GDĐT", "GD-ĐT"):
        assert {"joined", "gd-dt"} <= ids(index, query), query
    assert not index.search("ktxh").similar  # a known abbreviation in lower case is no typo
    assert index.search("năm xyzzy").relaxed  # words side by side are not one abbreviation run together


def test_an_abbreviation_inside_a_quoted_phrase_matches_either_way(index: Index) -> None:
    for query in ('"UBND tỉnh"', '"Ủy ban nhân dân tỉnh"', '"uy ban nhan dan tinh"', '-"UBND tỉnh" tỉnh'):
        found = ids(index, query)
        assert (found >= {"full", "short"}) if not query.startswith("-") else not found & {"full", "short"}, query
    assert ids(index, '"UBND tỉnh chỉ đạo"') == {"short"}  # the rest of the phrase still has to stand there


def test_expansions_are_highlighted(index: Index) -> None:
    hit = next(h for h in index.search("UBND").hits if h.id == "full")
    assert [hit.snippet.text[a:b] for a, b in hit.snippet.highlights] == ["Ủy ban nhân dân"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        *[(a, True) for a in ["UBND", "ubnd", "DA", "Tp", "T.P", "KT-XH", "kt-xh", "ĐBQH", "đbqh", "TƯ", "GD&ĐT"]],
        *[(w, False) for w in ["da", "đá", "ĐÁ", "tư", "tu", "Bóng", "hội"]],
    ],
)
def test_typed_as_abbreviation(typed: str, expected: bool) -> None:
    assert typed_as_abbreviation(typed, key(typed)) is expected


def test_an_abbreviation_that_is_also_a_syllable_expands_only_when_typed_as_one(index: Index) -> None:
    # "DA" is learned for "dự án", but "đá" is a word: "bóng đá" must not
    # match "bóng rổ ... dự án", nor "dự án" every "đá".
    assert ids(index, "bóng đá") == {"football"}
    assert ids(index, "dự án") == {"project", "learn-da"}
    assert ids(index, "DA") >= {"project", "learn-da"}  # "project" only says "dự án"


def test_saved_keys_load_as_the_pairs_would(tmp_path: Path) -> None:
    pairs = Counter(
        {("HND", "Hội Nông dân"): 3, ("GD&ĐT", "Giáo dục và Đào tạo"): 2, ("TP.HCM", "Thành phố Hồ Chí Minh"): 1}
    )
    save_learned(pairs, tmp_path / "new.json")
    (tmp_path / "old.json").write_text(json.dumps([[a, e, n] for (a, e), n in pairs.items()]), encoding="utf-8")
    new, old = load(tmp_path / "new.json"), load(tmp_path / "old.json")
    assert new == old and ("hnd",) in new.expansions and ("gd", "dt") in new.expansions
    assert read_learned(tmp_path / "new.json") == read_learned(tmp_path / "old.json") == pairs


def test_a_learned_abbreviation_stands_for_what_it_is_mostly_spelled_out_as(tmp_path: Path) -> None:
    pairs = Counter(
        {
            ("TT", "Tổng thống"): 8,
            ("TT", "tổng thống"): 2,  # one name, however it is written
            ("TT", "trọng tài"): 2,
            ("TT", "Thủ tướng"): 1,  # once in 13
            ("DN", "doanh nghiệp"): 7,
            ("DN", "Đà Nẵng"): 3,
            ("TP", "Tiền Phong"): 5,  # the built-in table says thành phố
            ("HLV", "huấn luyện viên"): 8,
            ("HLV", "Hội Liên hiệp Việt"): 2,
        }
    )
    save_learned(pairs, tmp_path / "learned.json")
    table = load(tmp_path / "learned.json")
    assert table.for_query("TT", key("TT")) == {key("tổng thống"), key("trọng tài")}
    assert table.for_query("thủ tướng", key("thủ tướng")) == set()  # once in 13
    assert table.for_query("DN", key("DN")) == {key("doanh nghiệp"), key("Đà Nẵng")}
    assert table.for_query("Đà Nẵng", key("Đà Nẵng")) == set()
    # Two letters stand for too much to be found from a name, even the main one.
    assert table.for_query("tổng thống", key("tổng thống")) == set()
    assert table.for_query("doanh nghiệp", key("doanh nghiệp")) == set()
    assert table.for_query("huấn luyện viên", key("huấn luyện viên")) == {key("HLV")}  # 8 of 10
    assert table.for_query("Hội Liên hiệp Việt", key("Hội Liên hiệp Việt")) == set()
    assert key("Tiền Phong") in table.for_query("TP", key("TP"))
    assert table.for_query("Tiền Phong", key("Tiền Phong")) == set()
    assert table.for_query("thành phố", key("thành phố")) >= {key("TP")}
