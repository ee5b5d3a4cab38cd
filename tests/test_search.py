from __future__ import annotations

import datetime as dt
import gc
import threading
import time
import unicodedata
import weakref
from collections.abc import Callable
from typing import Any

import pytest

from searchlib.analysis import SYLLABLE
from searchlib.api import Index, open_index
from searchlib.document import Document
from searchlib.errors import QueryError
from searchlib.indexer import add_documents
from searchlib.normalize import exact_form, fold
from searchlib.query import parse_query
from searchlib.search import Reader

from .conftest import doc

MakeIndex = Callable[[list[Document]], Index]

DOCS = [
    doc(
        "tam",
        "Bí thư Tỉnh uỷ Nguyễn Thành Tâm chủ trì hội nghị tổng kết công tác năm.",
        title="Tổng kết công tác xây dựng Đảng",
        date=dt.date(2020, 12, 4),
        leaders=["Nguyễn Thành Tâm"],
        topics=["Xây dựng Đảng"],
    ),
    doc(
        "hai",
        "Đồng chí Nguyễn Thanh Hải, Bí thư Tỉnh ủy, làm việc với huyện về chuyển đổi số.",
        title="Làm việc với huyện Phú Bình",
        date=dt.date(2021, 6, 10),
        leaders=["Nguyễn Thanh Hải"],
        topics=["Chuyển đổi số", "Xây dựng Đảng"],
    ),
    doc(
        "apart",
        "Ông Nguyễn Thanh cho biết, còn ông Hải thì vắng mặt tại đại hội, nghị quyết chưa thông qua.",
        title="Tin địa phương",
        date=dt.date(2019, 3, 1),
        topics=["Kinh tế - Xã hội"],
    ),
    doc("undated", "Bản tin không ghi ngày về nông thôn mới và y tế.", title="Nông thôn mới", topics=["Y tế"]),
]


@pytest.fixture
def index(make_index: MakeIndex) -> Index:
    return make_index(DOCS)


def ids(index: Index, query: str, **kw: object) -> list[str]:
    return [h.id for h in index.search(query, **kw).hits]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "query",
    [
        "bí thư tỉnh ủy",
        "BÍ THƯ TỈNH ỦY",
        "bi thu tinh uy",
        unicodedata.normalize("NFD", "bí thư tỉnh ủy"),
        "tỉnh uỷ",
        "Tỉnh Uỷ",
        "tinh uy",
    ],
)
def test_matching_matrix(index: Index, query: str) -> None:
    assert "tam" in ids(index, query)


def test_exact_phrase_needs_the_words_together(index: Index) -> None:
    assert ids(index, '"Nguyễn Thanh Hải"') == ["hai"]
    assert set(ids(index, "Nguyễn Thanh Hải")) == {"hai", "apart"}


def test_exact_phrase_with_diacritics_does_not_match_another_person(index: Index) -> None:
    assert ids(index, '"Nguyễn Thành Hải"') == []
    assert ids(index, '"nguyen thanh"') == ["tam", "hai", "apart"] or set(ids(index, '"nguyen thanh"')) == {
        "tam",
        "hai",
        "apart",
    }


def test_unquoted_compound_finds_the_word(index: Index) -> None:
    assert "tam" in ids(index, "hội nghị")


def test_adjacent_compound_ranks_above_scattered_syllables(index: Index) -> None:
    # "tam" has the word hội nghị; "apart" has "đại hội, nghị quyết".
    assert ids(index, "hội nghị")[0] == "tam"


def test_diacritics_rank_exact_spelling_first(make_index: MakeIndex) -> None:
    index = make_index([doc("hai", "Ông Hải về quê."), doc("hai2", "Ông Hai về quê.")])
    assert ids(index, "Hải") == ["hai", "hai2"]
    assert ids(index, "hai2") == [] and ids(index, "Hai") == ["hai", "hai2"]


def test_diacritics_rank_with_other_words_in_the_query(make_index: MakeIndex) -> None:
    index = make_index([doc("a", "Ông Hai ở Hà Nội."), doc("b", "Ông Hải ở Hà Nội.")])
    assert ids(index, "ông Hải hà nội") == ["b", "a"]


def test_a_level_tone_word_in_a_query_typed_with_diacritics_is_spelled_so(make_index: MakeIndex) -> None:
    # "ban" carries no mark, but in "người ban trả lời" it is not "bán" typed lazily.
    index = make_index([doc("a", "Người bán trả lời: thanh toán sau."), doc("b", "Người ban trả lời: thanh toán sau.")])
    assert ids(index, "người ban trả lời") == ["b", "a"]
    scores = {h.id: h.score for h in index.search("nguoi ban tra loi").hits}
    assert scores["a"] == scores["b"]
    # Marks on a third of the words: typed in haste, "con" and "bo" match any spelling alike.
    index = make_index([doc("a", "Tôi thấy con bò ăn cỏ."), doc("b", "Tôi thấy con bo ăn cỏ.")])
    scores = {h.id: h.score for h in index.search("con bo ăn").hits}
    assert scores["a"] == scores["b"]


def test_unaccented_query_treats_all_spellings_alike(make_index: MakeIndex) -> None:
    index = make_index([doc("a", "Ông Hải về quê."), doc("b", "Ông Hài về quê.")])
    scores = {h.id: h.score for h in index.search("hai").hits}
    assert scores["a"] == scores["b"]


def test_excluded_and_or(index: Index) -> None:
    assert set(ids(index, "bí thư -Tâm")) == {"hai"}
    assert set(ids(index, "Tâm OR Hải")) == {"tam", "hai", "apart"}


def test_an_exclusion_typed_with_diacritics_leaves_out_that_spelling_only(make_index: MakeIndex) -> None:
    index = make_index(
        [
            doc("storm", "Cơn bão số 5 đổ bộ.", title="Thời tiết"),
            doc("press", "Báo chí đưa tin về cơn bão.", title="Báo chí"),
            doc("Uy", "Thiếu úy Hải nhận nhiệm vụ.", title="Công an"),
            doc("ủy", "Tỉnh uỷ giao nhiệm vụ cho Hải.", title="Tỉnh ủy"),
        ]
    )
    assert ids(index, "bão -báo") == ["storm"]
    assert ids(index, "bão -bao") == []  # typed without marks: every spelling
    assert ids(index, "Hải -ủy") == ["Uy"]  # either tone placement, in any case
    assert ids(index, "Hải -Uỷ") == ["Uy"]


def test_i_and_y_written_either_way_find_each_other(make_index: MakeIndex) -> None:
    index = make_index(
        [
            doc("old", "Bộ ban hành quy định mới về kỹ thuật."),
            doc("new", "Bộ ban hành qui định mới về kĩ thuật."),
            doc("time", "Kì họp thứ năm của Quốc hội."),  # kì: not kĩ
            doc("name", "Bà Trần Thị Li phát biểu."),
        ]
    )
    for query in ("quy định", "qui định", '"quy định"', "qui dinh", "kỹ thuật", "kĩ thuật", "ky thuat"):
        assert set(ids(index, query)) == {"old", "new"}, query
    assert ids(index, "kỹ thuật")[0] == "old" and ids(index, "kĩ thuật")[0] == "new"  # the spelling typed first
    assert set(ids(index, "kỹ")) == {"old", "new"}  # kĩ as well, typed with marks: not kì
    assert ids(index, "ban hành -qui") == []  # left out either way
    hit = next(h for h in index.search("quy định").hits if h.id == "new")
    assert [hit.snippet.text[a:b] for a, b in hit.snippet.highlights] == ["qui định"]
    assert ids(index, 'leader:"Trần Thị Ly"') == []  # a name is as written


def test_days_and_months_written_with_or_without_a_zero_find_each_other(make_index: MakeIndex) -> None:
    index = make_index(
        [
            doc("short", "Lễ kỷ niệm ngày 30/4 và Quốc khánh 2/9/1945."),
            doc("padded", "Lễ kỷ niệm ngày 30/04 và Quốc khánh 02/09/1945."),
            doc("mixed", "Ngày 30-04, sau Quốc khánh 02/9."),
            doc("other", "Ngày 3/4 có 30 người, 4 xe."),
            doc("rate", "Lãi suất tăng 0,05% và 1.05 điểm."),
        ]
    )
    for query in ("30/4", "30/04", '"30-4"', "ngày 30/04"):
        assert set(ids(index, query)) == {"short", "padded", "mixed"}, query
    for query in ("2/9", "02/09", "quốc khánh 2/9"):
        assert set(ids(index, query)) == {"short", "padded", "mixed"}, query
    assert set(ids(index, "2/9/1945")) == {"short", "padded"}
    hit = next(h for h in index.search("30/4").hits if h.id == "padded")
    assert [hit.snippet.text[a:b] for a, b in hit.snippet.highlights] == ["30/04"]
    assert "other" not in ids(index, "30/4")  # 3/4 is another day, and 30 and 4 apart are no date
    assert "padded" not in ids(index, "4")  # a number alone is a count, not a day: no 04
    assert ids(index, "0,5") == [] and ids(index, '"1.5"') == []  # decimals: 0,05 is not 0,5


def test_title_clauses(make_index: MakeIndex) -> None:
    long_title = " ".join(["Tin"] * 40)  # Whoosh keeps long lengths approximately
    index = make_index(
        [
            doc("storm", "Cơn bão số 5 đổ bộ vào đất liền.", title="Bão số 5 đổ bộ"),
            doc("press", "Báo chí đưa tin về cơn bão số 5.", title="Báo chí đưa tin"),
            doc("body", "Hà Nội mưa lớn sau bão.", title="Thời tiết"),
            doc("apart", "Nhiều nơi mưa lớn.", title="Nội thành và ngoại thành Hà Đông"),
            doc("capital", "Thủ đô mưa lớn.", title="Mưa lớn ở Hà Nội"),
            doc("long", "Hà Nội ngập sâu.", title=f"{long_title} bão"),
        ]
    )
    # Typed with diacritics, titles spelled so; without, every spelling.
    assert set(ids(index, "title:bão")) == set(ids(index, 'title:"bão"')) == {"storm", "long"}
    assert set(ids(index, "title:bao")) == {"storm", "long", "press"}
    # Quoted, a phrase in the title.
    assert ids(index, 'title:"Hà Nội"') == ["capital"]  # not "body", nor "apart" (Nội ... Hà)
    assert set(ids(index, 'title:"ha noi"')) == {"capital"}
    assert ids(index, 'title:"đổ bộ vào"') == []  # the title ends before "vào"
    # Excluded with diacritics, only that spelling is left out.
    assert set(ids(index, "title:bao -title:báo")) == {"storm", "long"}
    hit = index.search("title:bão").hits[0]
    assert [hit.title[a:b].lower() for a, b in hit.title_highlights] == ["bão"]


def test_a_leader_named_without_diacritics_ranks_the_articles_naming_them(make_index: MakeIndex) -> None:
    pm = "Thủ tướng Nguyễn Tấn Dũng chủ trì phiên họp Chính phủ thường kỳ, bàn về tình hình kinh tế cả nước."
    index = make_index(
        [
            doc("pm", pm, title="Phiên họp Chính phủ", leaders=["Nguyễn Tấn Dũng"]),
            doc("use", "Nguyễn Văn Tân tận dụng thời gian.", title="Nguyễn Văn Tân tận dụng thời gian"),
            *(doc(f"x{i}", f"Tin số {i} về Chính phủ.", title="Tin") for i in range(30)),
        ]
    )
    assert ids(index, "nguyen tan dung") == ["pm", "use"]
    assert ids(index, "Nguyễn Tấn Dũng")[0] == "pm"
    # A name extraction listed as a leader where most articles writing it do
    # not (a street, a company) ranks nothing: Mai Linh is a taxi firm.
    taxi = [doc(f"taxi{i}", f"Hãng taxi Mai Linh tăng giá cước, bài {i}.", title="Taxi") for i in range(6)]
    firm = make_index([*taxi, doc("odd", "Ông Nguyễn Văn A, Chủ tịch Mai Linh, cho biết.", leaders=["Mai Linh"])])
    assert ids(firm, "mai linh")[0] != "odd"


def test_field_clauses(index: Index) -> None:
    assert ids(index, 'leader:"thanh hai"') == ["hai"]
    assert set(ids(index, 'topic:"xây dựng đảng"')) == {"tam", "hai"}
    assert ids(index, "topic:y") == ["undated"]


def highlighted_words(index: Index, query: str) -> list[tuple[str, ...]]:
    out = []
    for hit in index.search(query).hits:
        for a, b in hit.snippet.highlights:
            out.append(tuple(fold(s) for s in SYLLABLE.findall(exact_form(hit.snippet.text[a:b]))))
    return out


@pytest.mark.parametrize(
    "query", ["hội nghị", "tinh uy", "Tỉnh uỷ", '"Nguyễn Thanh Hải"', "chuyen doi so", "nguyen thanh hai"]
)
def test_every_highlight_is_a_query_term_or_part_of_a_phrase(index: Index, query: str) -> None:
    parsed = parse_query(query)
    sequences = [c.syllables.folded for g in parsed.groups for c in g]
    for run in parsed.runs():
        sequences.append(tuple(c.syllables.folded[0] for c in run))
    words = highlighted_words(index, query)
    assert words, "expected highlights"
    for word in words:
        assert any(word == s[i : i + len(word)] for s in sequences for i in range(len(s))), word


def test_highlights_are_exact_spans_of_the_snippet_text(index: Index) -> None:
    spans = {h.id: [h.snippet.text[a:b] for a, b in h.snippet.highlights] for h in index.search("bi thu tinh uy").hits}
    assert spans == {"tam": ["Bí thư Tỉnh uỷ"], "hai": ["Bí thư Tỉnh ủy"]}


def test_filters(index: Index) -> None:
    assert set(ids(index, "", leader="Nguyễn Thanh Hải")) == {"hai"}
    assert set(ids(index, "", leader="nguyen thanh hai")) == {"hai"}
    assert set(ids(index, "", topic="Xây dựng Đảng")) == {"tam", "hai"}
    assert set(ids(index, "", since="2020")) == {"tam", "hai"}
    assert set(ids(index, "", until="2020-12")) == {"tam", "apart"}
    assert set(ids(index, "", since="2020-12-05", until="2021-06-10")) == {"hai"}


def test_part_of_a_leaders_name_finds_every_name_that_holds_it(make_index: MakeIndex) -> None:
    # Extraction cut one name short ("Phạm Gia"): the part still finds the whole name.
    index = make_index(
        [
            doc("cut", "Ông Phạm Gia nói.", title="Tin", leaders=["Phạm Gia"]),
            doc("whole", "Phó Thủ tướng Phạm Gia Khiêm nói.", title="Tin", leaders=["Phạm Gia Khiêm"]),
            doc("topic", "Tin kinh tế.", title="Tin", topics=["Kinh tế - Xã hội"]),
            doc("label", "Tin kinh tế.", title="Tin", topics=["Kinh tế"]),
        ]
    )
    assert set(ids(index, "", leader="Phạm Gia")) == {"cut", "whole"}
    assert set(ids(index, "", leader="pham gia khiem")) == {"whole"}
    # A topic is a label: one that exists means itself only.
    assert set(ids(index, "", topic="Kinh tế")) == {"label"}


def test_full_width_letters_are_searched_as_ascii(index: Index) -> None:
    assert ids(index, "Ｐｈú Ｂình") == ids(index, "Phú Bình") != []


def test_a_month_or_a_year_is_in_range_when_any_of_its_days_is(make_index) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from searchlib.document import Document

    index = make_index(
        [
            Document("june", "", "Tin tháng sáu.", date=dt.date(2023, 6, 1), date_precision="month"),
            Document("2023", "", "Tin năm 2023.", date=dt.date(2023, 1, 1), date_precision="year"),
            Document("day", "", "Tin ngày mười.", date=dt.date(2023, 6, 10), date_precision="day"),
        ]
    )
    assert set(ids(index, "", since="2023-06-15")) == {"june", "2023"}
    assert set(ids(index, "", until="2023-06-09")) == {"june", "2023"}
    assert set(ids(index, "", since="2023-07-01")) == {"2023"}
    assert set(ids(index, "", until="2022-12-31")) == set()
    june = index.get("june")
    assert june is not None and (june.date, june.date_precision) == (dt.date(2023, 6, 1), "month")
    assert ids(index, "", sort="date") == ["day", "june", "2023"]  # the precise before the vague


def test_date_filter_excludes_undated(index: Index) -> None:
    assert "undated" not in ids(index, "", since="1900")
    # ...and says how many it left out for that alone.
    assert index.search("", since="1900").undated == 1
    assert index.search("nông thôn", since="2021").undated == 1 and index.search("nông thôn").undated == 0
    assert index.search("bí thư", since="2021").undated == 0


def test_browse_lists_newest_first_with_undated_last(index: Index) -> None:
    assert ids(index, "") == ["hai", "tam", "apart", "undated"]
    assert ids(index, "bi thu", sort="date") == ["hai", "tam"]


def test_pagination_and_total(index: Index) -> None:
    first = index.search("", limit=2)
    second = index.search("", limit=2, offset=2)
    assert first.total == second.total == 4
    assert [h.id for h in first.hits + second.hits] == ["hai", "tam", "apart", "undated"]
    assert index.search("", limit=2, offset=10).hits == []


def test_facets_count_the_whole_result_set(index: Index) -> None:
    facets = index.search("", limit=1).facets
    assert facets.topics == {"Xây dựng Đảng": 2, "Chuyển đổi số": 1, "Kinh tế - Xã hội": 1, "Y tế": 1}
    assert facets.leaders == {"Nguyễn Thanh Hải": 1, "Nguyễn Thành Tâm": 1}
    assert facets.years == {"2021": 1, "2020": 1, "2019": 1}


def test_short_query_relaxes_when_nothing_matches_every_word(index: Index) -> None:
    results = index.search("Tâm xyzzy")
    assert results.relaxed and [h.id for h in results.hits] == ["tam"]
    assert not index.search("Tâm").relaxed


def test_a_relaxed_query_ranks_articles_by_how_much_of_it_they_hold(make_index) -> None:  # type: ignore[no-untyped-def]
    index = make_index(
        [
            doc("both", "Ông Nguyễn Thanh Hải phát biểu tại họp báo.", title="Họp báo"),
            doc("apart", "Ông Nguyễn Thanh đi công tác. Ông Hải ở nhà.", title="Tin vắn"),
            doc("hai", "Đây là bài có chữ Hai thôi.", title="Hai"),
            doc("hải", "Đây là bài có chữ Hải thôi.", title="Hải"),
            doc("city", "Thành phố Huế cũng có Hội đồng nhân dân.", title="Thành phố"),
            doc("other", "Ủy ban nhân dân tỉnh họp về thủy lợi.", title="Thủy lợi"),
        ]
    )
    results = index.search("xyzq thanh hai")
    assert results.relaxed and [h.id for h in results.hits[:2]] == ["both", "apart"]
    assert all(0 < h.score < 1000 for h in results.hits)  # the ranking's offsets are not in the scores


@pytest.fixture
def names(make_index: MakeIndex) -> Index:
    return make_index(
        [
            doc("gandhi", "Hội thảo về tư tưởng bất bạo động của Mahatma Gandhi.", title="Hội thảo"),
            doc("ghana", "Đoàn công tác thăm Ghana và Kenya.", title="Đối ngoại"),
            doc("ubkt", "UBKT Tỉnh ủy họp kỳ thứ 12.", title="Kiểm tra"),
            doc("eu", "Hiệp ước Maastricht được ký năm 1992.", title="Liên minh châu Âu"),
        ]
    )


def test_an_unknown_word_also_matches_the_known_words_near_it(names: Index) -> None:
    results = names.search("tư tưởng Ghandi")
    assert [h.id for h in results.hits] == ["gandhi"] and not results.relaxed
    # Both two edits away, as the index spells them, in the case typed.
    assert results.similar == {"Ghandi": ["Gandhi", "Ghana"]}
    hit = results.hits[0]
    assert [hit.snippet.text[a:b] for a, b in hit.snippet.highlights] == ["tư tưởng", "Gandhi"]
    assert results.suggestion == "tư tưởng Gandhi"
    # A question: the guess adds to the score like the word itself would.
    assert names.search("Ghandi nói gì về bất bạo động?").hits[0].id == "gandhi"


def test_a_word_longer_than_a_syllable_is_corrected_too(names: Index) -> None:
    results = names.search("hiệp ước Maastrich")
    assert [h.id for h in results.hits] == ["eu"] and results.similar == {"Maastrich": ["Maastricht"]}
    assert results.suggestion == "hiệp ước Maastricht"


@pytest.mark.parametrize(
    "query",
    [
        "Gandhi",  # known
        '"Ghandi"',  # a phrase is spelled on purpose
        "leader:Ghandi",  # field clauses name what the index holds
        "UBKX",  # an acronym: one letter apart names another body
        "Gha",  # too short to guess
    ],
)
def test_what_is_not_matched_fuzzily(names: Index, query: str) -> None:
    assert names.search(query).similar == {}
    assert names.search("kenyas").similar == {"kenyas": ["kenya"]}


def test_a_word_typed_counts_more_than_a_guess_in_a_looser_match(make_index: MakeIndex) -> None:
    index = make_index(
        [
            doc("gram", "Vi khuẩn Gram âm có màng ngoài.", title="Vi khuẩn"),
            doc("twigg", "Nhà sử học Twigg đưa ra một giả thuyết khác.", title="Dịch hạch"),
        ]
    )
    results = index.search("Graham Twigg")
    assert results.relaxed and results.similar == {"Graham": ["Gram"]}
    assert [h.id for h in results.hits] == ["twigg", "gram"]


def test_a_guess_at_a_word_typed_with_diacritics_keeps_them(make_index: MakeIndex) -> None:
    heroes = [doc(f"hero{i}", f"Tuyên dương anh hùng lao động số {i}.", title="Anh hùng") for i in range(5)]
    index = make_index([*heroes, doc("hung", "Đồng chí Phạm Quốc Hưng dự lễ.", title="Dự lễ")])
    results = index.search("Hưngg")
    assert results.similar == {"Hưngg": ["Hưng"]} and results.hits[0].id == "hung"
    assert results.suggestion == "Hưng"  # the guess, not the commoner Hùng
    assert index.search("hungg").similar == {"hungg": ["hung"]}  # typed without marks: any spelling


def test_a_guess_counts_in_titles_as_the_word_would(make_index: MakeIndex) -> None:
    index = make_index(
        [
            doc(
                "title",
                "Ông nói về bất bạo động, hòa bình và Gandhi trong nhiều giờ liền tại hội thảo.",
                title="Gandhi",
            ),
            doc("body", "Ông nói về Gandhi.", title="Hội thảo"),
        ]
    )
    assert ids(index, "Gandhi") == ["title", "body"]
    assert ids(index, "Ghandi") == ["title", "body"]  # a fuzzy guess


def test_a_word_typed_twice_is_guessed_at_once(names: Index) -> None:
    results = names.search("Ghandi ghandi. GHANDI")
    assert results.similar == {"Ghandi": ["Gandhi", "Ghana"]}  # as first typed, without the full stop


def test_an_excluded_unknown_word_leaves_out_nothing_else(names: Index) -> None:
    results = names.search("hội -Ghandi")
    assert [h.id for h in results.hits] == ["gandhi"] and results.similar == {}


def test_a_guessed_word_comes_with_a_suggestion(index: Index) -> None:
    results = index.search("Nguyễn Thanh Hảii")
    assert results.similar == {"Hảii": ["Hải"]} and not results.relaxed
    assert results.hits[0].id == "hai" and results.suggestion == "Nguyễn Thanh Hải"
    # Typed without diacritics, the word searched matches every spelling, and is shown so.
    results = index.search("chuyen doii so")
    assert results.similar == {"doii": ["doi"]} and results.suggestion == "chuyển đổi số"


def test_a_query_typed_with_the_input_method_off_is_read_as_keystrokes(make_index: MakeIndex) -> None:
    index = make_index(
        [
            *DOCS,
            doc("tinh", "Tình cảm của nhân dân với Bí thư.", title="Tình cảm"),
            doc("bis", "Bis là tên một ban nhạc.", title="Âm nhạc"),
            doc("both", "Tình cảm của Tỉnh ủy với dân.", title="Dân vận"),
            *(doc(f"cell{i}", f"Bí thư chi bộ số {i} báo cáo.", title="Chi bộ") for i in range(10)),
        ]
    )
    results = index.search("Bis thuw tinhr uyr")
    # Every word, even "bis", which one article has: the whole query was
    # typed so, and more than ten times as many articles spell "bí".
    assert results.keystrokes == {"Bis": "Bí", "thuw": "thư", "tinhr": "tỉnh", "uyr": "ủy"}
    assert results.similar == {} and not results.relaxed
    assert [h.id for h in results.hits][:2] == ["hai", "tam"]  # the exact spelling first, not tình
    hit = results.hits[0]
    assert [hit.snippet.text[a:b] for a, b in hit.snippet.highlights][:1] == ["Bí thư Tỉnh ủy"]
    assert results.suggestion == "Bí thư tỉnh ủy"
    # Highlighted as spelled, as if typed with marks: not the tình beside it.
    both = next(h for h in index.search("tinhr uyr").hits if h.id == "both")
    assert [both.snippet.text[a:b] for a, b in both.snippet.highlights] == ["Tỉnh ủy"]
    # VNI, mixed with words typed right.
    assert index.search("Nguye64n Thanh Ha3i").keystrokes == {"Nguye64n": "Nguyễn", "Ha3i": "Hải"}
    assert ids(index, "Nguye64n Thanh Ha3i")[0] == "hai"
    # A known word alone is what it is.
    assert index.search("Bis").keystrokes == {} and ids(index, "Bis") == ["bis"]


@pytest.fixture
def typed_off(make_index: MakeIndex) -> Index:
    return make_index(
        [
            *DOCS,
            doc("ubnd", "UBND tỉnh họp phiên thường kỳ tháng 5.", title="Họp thường kỳ"),
            doc("dan", "Ý kiến của nhân dân được lắng nghe.", title="Dân vận"),
            doc("hcm", "Đoàn công tác thăm Thành phố Hồ Chí Minh.", title="Thăm thành phố"),
            doc("minh", "Chính mình phải làm gương, bí thư nói.", title="Làm gương"),
            doc("tees", "Tình hình kinh tees quý một.", title="Kinh tế"),  # a typo some article makes
            *(doc(f"tế{i}", f"Kinh tế tăng trưởng {i}.", title="Tăng trưởng") for i in range(12)),
        ]
    )


def test_keystrokes_for_an_expansion_find_its_abbreviation(typed_off: Index) -> None:
    results = typed_off.search("uyr ban nhaan daan")
    assert results.keystrokes == {"uyr": "ủy", "nhaan": "nhân", "daan": "dân"}
    assert [h.id for h in results.hits] == ["ubnd"]


def test_keystrokes_in_an_exclusion_leave_out_what_they_spell(typed_off: Index) -> None:
    results = typed_off.search("tinhr -uyr")
    assert "tam" not in [h.id for h in results.hits] and "ubnd" in [h.id for h in results.hits]
    assert results.keystrokes == {"tinhr": "tỉnh", "uyr": "ủy"} and results.suggestion == "tỉnh -ủy"


def test_keystrokes_in_capitals_are_read_but_a_code_is_not(typed_off: Index) -> None:
    assert typed_off.search("TINHR UYR").keystrokes == {"TINHR": "TỈNH", "UYR": "ỦY"}
    assert typed_off.search("TINHR CO2").keystrokes == {"TINHR": "TỈNH"}  # not cò, had there been one


def test_a_word_without_keys_in_a_query_typed_as_keystrokes_has_no_marks(typed_off: Index) -> None:
    results = typed_off.search("Thanhf phoos Hoof Chis Minh")
    assert results.hits[0].id == "hcm" and results.suggestion == "Thành phố Hồ Chí Minh"  # not Mình


def test_a_typo_some_article_makes_is_read_when_the_reading_is_far_more_common(typed_off: Index) -> None:
    # tees is in one article, tế in twelve: not a thousand times, so not read alone...
    assert typed_off.search("kinh tees").keystrokes == {}
    # ...but among other keystrokes, ten times is enough.
    assert typed_off.search("tinhf hinhf kinh tees").keystrokes["tees"] == "tế"


def test_keystrokes_in_a_phrase_are_read(typed_off: Index) -> None:
    results = typed_off.search('"tinhr uyr"')
    assert results.keystrokes == {"tinhr": "tỉnh", "uyr": "ủy"} and {"tam", "hai"} <= {h.id for h in results.hits}
    assert results.suggestion == '"tỉnh ủy"'
    # Excluded, a phrase leaves out what it spells.
    results = typed_off.search('bis thuw -"tinhr uyr"')
    assert [h.id for h in results.hits] == ["minh"] and results.suggestion == 'bí thư -"tỉnh ủy"'


def test_keystrokes_in_a_field_clause_are_read(typed_off: Index) -> None:
    results = typed_off.search("title:tees")  # title: Kinh tế, in thirteen articles
    assert results.keystrokes == {} and "tế0" not in [h.id for h in results.hits]
    results = typed_off.search("title:thanhf")
    assert results.keystrokes == {"thanhf": "thành"} and [h.id for h in results.hits] == ["hcm"]
    assert results.suggestion == "title:thành"
    hit = results.hits[0]
    assert [hit.title[a:b] for a, b in hit.title_highlights] == ["thành"]
    results = typed_off.search('leader:"Nguyeenx Thanhf Taam"')
    assert results.keystrokes == {"Nguyeenx": "Nguyễn", "Thanhf": "Thành", "Taam": "Tâm"}
    assert [h.id for h in results.hits] == ["tam"] and results.suggestion == 'leader:"Nguyễn Thành Tâm"'
    # Left out as read, and a code in capitals is still a code.
    assert "hcm" not in ids(typed_off, "-title:thanhf thăm")
    assert typed_off.search("title:CO2 tinhr").keystrokes == {"tinhr": "tỉnh"}


def test_a_foreign_name_among_keystrokes_is_kept_as_typed(make_index: MakeIndex) -> None:
    codes = [doc(f"mã{i}", f"Mã số thuế {i} của doanh nghiệp.", title="Mã số") for i in range(12)]
    index = make_index([*codes, doc("planck", "Viện Max Planck công bố nghiên cứu.", title="Nghiên cứu")])
    results = index.search("vieenj Max Planck")
    assert results.keystrokes == {"vieenj": "viện"} and results.suggestion in (None, "viện Max Planck")
    assert [h.id for h in results.hits] == ["planck"]
    # Beside a word it is never written with, it is read: the input method was off.
    assert index.search("Max soos").keystrokes == {"Max": "Mã", "soos": "số"}


def test_a_word_beside_a_capitalised_foreign_word_is_not_read_as_keystrokes(make_index: MakeIndex) -> None:
    nets = [doc(f"nét{i}", f"Nét vẽ {i} của họa sĩ.", title="Nét vẽ") for i in range(30)]
    index = make_index([*nets, doc("nba", "Đội bóng rổ Brooklyn thắng trận.", title="Bóng rổ")])
    results = index.search("Brooklyn Nets")
    assert results.keystrokes == {}  # a team's name, not "Brooklyn Nét" typed with the input method off
    assert results.suggestion is None or "Nét" not in results.suggestion
    # Beside a word Vietnamese spells, it is still read, and so it is once other words read as keystrokes.
    assert index.search("Nets Vex").keystrokes == {"Nets": "Nét", "Vex": "Vẽ"}
    assert index.search("Vex Nets Brooklyn").keystrokes == {"Vex": "Vẽ", "Nets": "Nét"}


def test_did_you_mean_keeps_the_marks_typed_and_read(make_index: MakeIndex) -> None:
    seized = [doc(f"seized{i}", "Tài sản bị thu giữ.", title="Thu giữ") for i in range(3)]
    index = make_index([*seized, doc("tam", "Bí thư Tỉnh ủy dự họp.", title="Dự họp")])
    # The corpus writes "bi thu" as bị thu more often; the query settled it.
    assert index.search("bis thuw").suggestion == "bí thư"
    assert index.search('"bí thư" tinhr').suggestion == '"bí thư" tỉnh'


def test_long_query_needs_only_most_words(index: Index) -> None:
    results = index.search("bí thư tỉnh ủy chủ trì hội nghị tổng kết công tác năm xyzzy")
    assert results.hits[0].id == "tam" and not results.relaxed


@pytest.mark.parametrize("query", ['"', "-", "!!!", "x" * 10_000, "OR", '"hội nghị', "leader:"])
def test_malformed_queries_answer(index: Index, query: str) -> None:
    results = index.search(query)
    assert results.total >= 0


def test_bad_arguments_raise_query_error(index: Index) -> None:
    with pytest.raises(QueryError):
        index.search("x", since="last year")
    with pytest.raises(QueryError):
        index.search("x", sort="random")  # type: ignore[arg-type]


def test_hit_fields(index: Index) -> None:
    hit = index.search("chuyển đổi số").hits[0]
    assert (hit.id, hit.title, hit.date, hit.leaders) == (
        "hai",
        "Làm việc với huyện Phú Bình",
        dt.date(2021, 6, 10),
        ["Nguyễn Thanh Hải"],
    )
    assert hit.topics == ["Chuyển đổi số", "Xây dựng Đảng"] and hit.score > 0


def test_url_falls_back_to_the_source_path(make_index: MakeIndex) -> None:
    index = make_index(
        [
            doc("p", "nội dung một", path="/data/p.txt"),
            doc("u", "nội dung hai", url="https://x.vn/u", path="/data/u.txt"),
        ]
    )
    assert {h.id: h.url for h in index.search("nội dung").hits} == {"p": "/data/p.txt", "u": "https://x.vn/u"}


def test_get(index: Index) -> None:
    document = index.get("hai")
    assert document is not None and document.leaders == ["Nguyễn Thanh Hải"]
    assert index.get("nope") is None


def test_concurrent_searches_from_threads(index: Index) -> None:
    queries = ["bí thư", "hội nghị", "tinh uy", "", "Hải"]
    expected = {q: ids(index, q) for q in queries}
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(20):
                for q in queries:
                    assert ids(index, q) == expected[q]
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_long_lived_index_sees_new_generations(tmp_path: object, make_index: MakeIndex) -> None:
    index = make_index(DOCS[:1])
    assert ids(index, "hai") == []
    add_documents([DOCS[1]], index.path)
    assert ids(index, "chuyen doi so") == ["hai"]
    assert open_index(index.path).search("").total == 2


def test_a_search_on_a_generation_deleted_under_it_answers_from_the_live_one(
    make_index: MakeIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = make_index(DOCS[:1])
    reader = index._reader
    stale = reader._state()
    index.search("x")  # this thread's reader of generation 1 is open
    add_documents([DOCS[1]], index.path, keep=1)  # generation 1 is deleted at once
    calls: list[int] = []
    search = Reader._search

    def on(self: Reader, live: object, *args: object, **kwargs: object) -> object:
        calls.append(live.generation.number)  # type: ignore[attr-defined]
        if live is stale:
            raise TypeError("'NoneType' object is not subscriptable")  # what Whoosh says without its files
        return search(self, live, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Reader, "_search", on)
    states = iter([stale])
    monkeypatch.setattr(reader, "_state", lambda: next(states, None) or Reader._state(reader))
    assert [h.id for h in index.search("chuyen doi so").hits] == ["hai"] and calls == [1, 2]


def test_stats_of_a_generation_deleted_under_them_come_from_the_live_one(make_index: MakeIndex) -> None:
    index = make_index(DOCS[:1])
    reader = index._reader
    stale = reader._state()
    index.search("x")
    add_documents([DOCS[1]], index.path, keep=1)  # generation 1 is deleted at once
    states = iter([stale])
    reader._state = lambda: next(states, None) or Reader._state(reader)  # type: ignore[method-assign]
    stats = index.stats()  # its folder is gone: counted again on generation 2, all of it
    assert (stats.generation, stats.documents) == (2, 2)


def test_a_live_generation_whose_folder_is_gone_says_how_to_recover(make_index: MakeIndex) -> None:
    import shutil

    from searchlib.errors import IndexCorruptError

    index = make_index(DOCS[:1])
    index.search("hội nghị")
    shutil.rmtree(index._reader._state().generation.path)  # CURRENT still names it
    errors: list[BaseException] = []

    def fresh_thread() -> None:  # a thread with no reader open yet
        try:
            index.search("hội nghị")
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=fresh_thread)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive()  # no retrying for ever on a generation that will not come back
    assert len(errors) == 1 and isinstance(errors[0], IndexCorruptError) and "searchlib rollback" in str(errors[0])


def test_a_switched_away_generation_is_let_go_without_the_cycle_collector(make_index: MakeIndex) -> None:
    index = make_index(DOCS[:1])
    gc.disable()
    try:
        index.search("Nguyễn Thanh Hảii")  # builds the generation's fuzzy matcher too
        old = weakref.ref(index._reader._state())
        add_documents([DOCS[1]], index.path)
        index.search("hai")
        assert old() is None  # its files close now, not whenever gc runs
    finally:
        gc.enable()


def test_an_idle_threads_reader_of_a_switched_away_generation_is_closed(make_index: MakeIndex) -> None:
    index = make_index(DOCS[:1])
    searched, finish = threading.Event(), threading.Event()
    handles: list[Any] = []

    def idle_worker() -> None:  # a pool thread that searched once and now waits
        index.search("hội nghị")
        handles.append(index._reader._local.owned)
        searched.set()
        finish.wait()

    worker = threading.Thread(target=idle_worker)
    worker.start()
    try:
        searched.wait()
        assert handles[0].close.alive
        add_documents([DOCS[1]], index.path)
        index.search("hai")  # this thread notices the new generation
        assert not handles[0].close.alive  # it would have pinned the old generation's files
    finally:
        finish.set()
        worker.join()


def test_a_write_through_the_index_lets_go_of_the_old_generation_at_once(make_index: MakeIndex) -> None:
    index = make_index(DOCS[:1])
    index.search("hội nghị")
    handle = index._reader._local.owned
    index.add(DOCS[1], keep=1)  # the old generation is deleted at once
    assert not handle.close.alive  # its files are not held until the next search


def test_close_while_other_threads_search(index: Index) -> None:
    expected = ids(index, "bí thư")
    errors: list[BaseException] = []
    stop = threading.Event()

    def worker() -> None:
        try:
            while not stop.is_set():
                assert ids(index, "bí thư") == expected
                index.get("hai")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for _ in range(100):
            index.close()  # searches in flight finish on their readers; the next ones reopen
            time.sleep(0.005)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert errors == []
    assert ids(index, "bí thư") == expected


def test_pages_past_the_rescoring_window_neither_repeat_nor_skip(
    make_index: MakeIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    import searchlib.search as search_module

    # Words together in some articles, apart in others: rescoring reorders.
    docs = [
        doc(
            f"d{i:02d}",
            ("Hội nghị bàn về kinh tế." if i % 3 else "Kinh tế tỉnh, hội nghị ngành.") + f" {i}" + " x" * (i % 7),
        )
        for i in range(30)
    ]
    index = make_index(docs)
    monkeypatch.setattr(search_module, "RESCORE_WINDOW", 5)
    pages = [h.id for page in range(6) for h in index.search("hội nghị kinh tế", limit=5, offset=page * 5).hits]
    assert sorted(pages) == sorted(d.id for d in docs)  # every article once
    assert pages == [h.id for h in index.search("hội nghị kinh tế", limit=30).hits]


def test_a_title_holding_a_word_only_spelled_otherwise_gets_no_title_boost(make_index: MakeIndex) -> None:
    body = "Giá cả tăng, hỏi bao nhiêu là đủ."  # the same in both: only the titles differ
    index = make_index(
        [
            doc("gift", body, title="Quà tặng bao nhiêu"),
            doc("gain", body, title="Hỏi bao nhiêu"),
            *(doc(f"x{i}", f"Tin tức số {i}.", title="Tin") for i in range(20)),
        ]
    )
    scores = {h.id: h.score for h in index.search("tăng bao nhiêu").hits}
    assert scores["gain"] >= scores["gift"]  # "tặng" in the gift's title is not the "tăng" typed
    scores = {h.id: h.score for h in index.search("tang bao nhieu").hits}
    assert scores["gift"] > scores["gain"]  # typed without marks, it is


COPIES = [
    doc("first", "Tỉnh ủy họp bàn về chuyển đổi số.", title="Họp Tỉnh ủy"),
    doc("again", "Tỉnh ủy họp bàn  về chuyển đổi số.\n", title="Họp Tỉnh ủy"),  # spacing aside, the same
    doc("third", "Tỉnh ủy họp bàn về chuyển đổi số.", title="Họp Tỉnh ủy", source="Báo khác"),
    doc("other", "Tỉnh ủy họp bàn về kinh tế và chuyển đổi số trong tỉnh.", title="Kinh tế"),
    doc("retitled", "Tỉnh ủy họp bàn về chuyển đổi số.", title="Một tiêu đề khác"),
]


def test_copies_of_an_article_are_left_out_and_counted(make_index: MakeIndex) -> None:
    index = make_index(COPIES)
    results = index.search("chuyển đổi số")
    shown = [h.id for h in results.hits]
    assert len(shown) == 3 and {"other", "retitled"} <= set(shown)  # another title is another article
    assert len({"first", "again", "third"} & set(shown)) == 1
    assert (results.total, results.duplicates) == (3, 2)  # the total counts stories
    everything = index.search("chuyển đổi số", collapse=False)
    assert sorted(h.id for h in everything.hits) == sorted(d.id for d in COPIES)
    assert (everything.total, everything.duplicates) == (5, 0)


def test_copies_stay_out_across_pages_and_date_order(make_index: MakeIndex) -> None:
    index = make_index(COPIES)
    for sort in ("relevance", "date"):
        whole = [h.id for h in index.search("chuyển đổi số", sort=sort).hits]  # type: ignore[arg-type]
        paged = [h.id for page in range(4) for h in index.search("chuyển đổi số", sort=sort, limit=1, offset=page).hits]  # type: ignore[arg-type]
        assert paged == whole and len(whole) == 3
    past = index.search("chuyển đổi số", limit=2, offset=2)
    assert len(past.hits) == 1 and past.duplicates == 2


def test_an_abbreviation_printed_against_a_name_still_expands(make_index: MakeIndex) -> None:
    index = make_index(
        [doc("spelled", "Thành phố Đà Nẵng khai mạc lễ hội."), doc("short", "TP. Đà Nẵng khai mạc lễ hội pháo hoa.")]
    )
    assert set(ids(index, "TP.Đà Nẵng")) == set(ids(index, "TP. Đà Nẵng")) == {"spelled", "short"}


def test_an_article_copied_many_times_shows_once(make_index: MakeIndex) -> None:
    copies = [doc(f"copy{i:03d}", "Bão số 5 đổ bộ vào miền Trung.", title="Bão số 5") for i in range(120)]
    index = make_index([*copies, doc("other", "Bão số 5 gây mưa lớn ở Hà Nội và miền Trung.", title="Mưa")])
    results = index.search("bão số 5", limit=5)
    assert sorted(h.id for h in results.hits) == ["copy000", "other"]
    assert (results.total, results.duplicates) == (2, 119)


def test_pages_of_stories_end_where_the_total_says(make_index: MakeIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    import searchlib.search as search_module

    docs = [doc(f"d{i:02d}", f"Bão số {i % 6} đổ bộ vào miền Trung.", title=f"Bão {i % 6}") for i in range(24)]
    index = make_index([*docs, doc("lone", "Bão đổ bộ.", title="Tin bão")])
    monkeypatch.setattr(search_module, "RESCORE_WINDOW", 4)  # copies both inside and past the rescored ranks
    whole = index.search("bão đổ bộ", limit=50)
    assert whole.total == len(whole.hits) == 7 and whole.duplicates == 18  # six stories and the lone one
    pages = [index.search("bão đổ bộ", limit=3, offset=page * 3) for page in range(3)]
    assert [len(p.hits) for p in pages] == [3, 3, 1] and {p.total for p in pages} == {7}
    assert [h.id for p in pages for h in p.hits] == [h.id for h in whole.hits]  # no repeats, no gaps
    assert not index.search("bão đổ bộ", limit=3, offset=9).hits
    assert index.search("bão đổ bộ", collapse=False).total == 25


def test_facets_count_an_article_and_its_copies_once(make_index: MakeIndex) -> None:
    story = "Tỉnh ủy họp bàn về chuyển đổi số."
    index = make_index(
        [
            doc("a", story, title="Họp", topics=["Xã hội"], leaders=["Nguyễn Văn A"], date=dt.date(2023, 5, 1)),
            doc("b", story, title="Họp", topics=["Xã hội"], leaders=["Nguyễn Văn A"], date=dt.date(2023, 5, 1)),
            doc("c", story, title="Họp", topics=["Kinh tế"], leaders=["Nguyễn Văn A"], date=dt.date(2023, 5, 1)),
            doc("d", "Chuyển đổi số ở xã.", title="Xã", topics=["Xã hội"], date=dt.date(2022, 1, 1)),
        ]
    )
    facets = index.search("chuyển đổi số").facets
    # Filed under two topics, the story counts under each, once.
    assert facets.topics == {"Xã hội": 2, "Kinh tế": 1}
    assert facets.leaders == {"Nguyễn Văn A": 1} and facets.years == {"2023": 1, "2022": 1}
    assert index.search("chuyển đổi số", collapse=False).facets.topics == {"Xã hội": 3, "Kinh tế": 1}
    assert index.values("topics") == {"Xã hội": 2, "Kinh tế": 1}


def test_copies_added_later_are_known(make_index: MakeIndex) -> None:
    index = make_index(COPIES[:1] + COPIES[3:])
    assert index.search("chuyển đổi số").total == 3
    index.add([COPIES[1]])
    results = index.search("chuyển đổi số")
    assert (results.total, results.duplicates) == (3, 1)
    index.delete(["first"])
    assert index.search("chuyển đổi số").duplicates == 0


def test_a_short_query_that_spells_a_word_ranks_the_articles_holding_it_first(make_index: MakeIndex) -> None:
    index = make_index(
        [
            doc(
                "weave", "Làng nghề dệt thổ cẩm của đồng bào Chăm được khôi phục, sản phẩm bán chạy.", title="Làng nghề"
            ),
            doc("turkey", "Hai bên cam kết thúc đẩy quan hệ thương mại.", title="Thổ Nhĩ Kỳ cam kết hợp tác"),
            doc("natives", "Ông cấm người lạ vào khu của thổ dân.", title="Thổ dân và lệnh cấm"),
            *(doc(f"x{i}", f"Tin tức số {i} về thời tiết.", title="Tin") for i in range(20)),
        ]
    )
    for query in ("thổ cẩm", "tho cam"):
        assert ids(index, query)[0] == "weave", query


def test_a_name_typed_without_marks_is_suggested_as_most_articles_spell_it(make_index: MakeIndex) -> None:
    index = make_index(
        [
            doc("a1", "Chủ tịch Hồ Cẩm Đào hội đàm.", title="Hội đàm", leaders=["Hồ Cẩm Đào"]),
            doc("a2", "Chủ tịch Hồ Cẩm Đào thăm Hà Nội.", title="Thăm", leaders=["Hồ Cẩm Đào"]),
            doc("a3", "Chủ tịch Hồ Cầm Đào phát biểu.", title="Phát biểu", leaders=["Hồ Cầm Đào"]),  # a misprint
        ]
    )
    assert index.search("ho cam dao").suggestion == "Hồ Cẩm Đào"


def test_a_code_of_letters_and_a_number_is_found_whole_or_apart(make_index: MakeIndex) -> None:
    index = make_index(
        [
            doc("whole", "Đội tuyển U23 Việt Nam tập trung.", title="U23"),
            doc("dot", "Đội tuyển U.23 Việt Nam thắng trận.", title="Bóng đá"),
            doc("dash", "U-23 Việt Nam lên đường dự giải.", title="Lên đường"),
            doc("road", "Sạt lở trên Quốc lộ 1A đoạn qua tỉnh.", title="Sạt lở"),
            doc("road-short", "Tai nạn trên QL1A làm ách tắc giao thông.", title="Tai nạn"),
            doc("other", "U Minh Thượng có 23 loài chim quý.", title="Vườn quốc gia"),  # a letter and a number apart
        ]
    )
    for query in ("U23 Việt Nam", "U.23 Việt Nam", "U-23 Việt Nam", "u23"):
        assert set(ids(index, query)) == {"whole", "dot", "dash"}, query
    assert set(ids(index, "QL1A")) == {"road", "road-short"}
    assert set(ids(index, "A1")) == set()  # two characters: not split into a letter and a number


def test_words_typed_without_spaces_are_read_apart(make_index: MakeIndex) -> None:
    index = make_index(
        [
            *DOCS,
            *(doc(f"city{i}", f"Chủ tịch UBND quận {i} làm việc tại Đà Nẵng.", title="Đà Nẵng") for i in range(6)),
            doc("tower", "Hanoi Tower là tên một tòa nhà ở Hà Nội.", title="Tòa nhà"),
        ]
    )
    results = index.search("chutich")
    assert results.joined == {"chutich": "chu tich"} and results.similar == {} and not results.relaxed
    assert results.total == 6 and results.suggestion == "chủ tịch"
    hit = results.hits[0]
    assert [hit.snippet.text[a:b] for a, b in hit.snippet.highlights] == ["Chủ tịch"]
    # A name typed capitalised without its spaces is suggested as a name.
    results = index.search("Danang")
    assert results.joined == {"Danang": "Da nang"} and results.suggestion == "Đà Nẵng" and results.total == 6
    # Next to other words, and typed with marks.
    assert index.search("chủtịch quận 3").hits[0].id == "city3"
    # A known word is read too when pyvi finds its pieces as a word in five times as many articles.
    assert index.search("hanoi").joined == {}  # Hà Nội: one article, as many as write Hanoi
    # ...and its own articles speak of what it is read as more often than articles at large.
    # (Ten articles or more hold it: fewer say too little, and need pyvi's word a hundred times as often.)
    more = make_index(
        [
            *(doc(f"tower{i}", f"Hanoi Tower {i} là tòa nhà ở Hà Nội.") for i in range(10)),
            *(doc(f"cole{i}", f"Hậu vệ Ashley Cole ghi bàn {i}.") for i in range(10)),
            *(doc(f"hn{i}", f"Hà Nội có {i} quận mới.") for i in range(40)),
            *(doc(f"cl{i}", f"Có lẽ trận {i} sẽ hoãn.") for i in range(50)),
            *(doc(f"x{i}", f"Bản tin thời tiết số {i}.") for i in range(100)),
        ]
    )
    results = more.search("hanoi", limit=100)
    assert results.joined == {"hanoi": "ha noi"} and results.suggestion == "hà nội"
    assert {h.id for h in results.hits} == {f"tower{i}" for i in range(10)} | {f"hn{i}" for i in range(40)}
    assert results.hits[0].id.startswith("tower")  # as typed first
    assert more.search("Cole").joined == {}  # no article about him says có lẽ


def test_a_phone_capitalised_first_word_typed_without_spaces_is_no_name(make_index: MakeIndex) -> None:
    index = make_index([*(doc(f"uy{i}", f"Bí thư Tỉnh ủy số {i} phát biểu.", title="Hội nghị") for i in range(3))])
    assert index.search("Bithu tinhuy").suggestion == "Bí thư tỉnh ủy"
    assert index.search("Bithu").suggestion == "Bí Thư"  # one word, capitalised: a name


def test_a_word_typed_without_the_tone_it_must_have_ranks_as_if_typed_right(make_index: MakeIndex) -> None:
    index = make_index(
        [
            # An article that lost its marks: spelled "Viêt" as typed, it ranked first before.
            doc("lost", "Toi yeu Viêt Nam, Viêt Nam que toi.", title="Que huong"),
            *(doc(f"vn{i}", f"Đội tuyển Việt Nam thắng trận thứ {i}.", title="Bóng đá Việt Nam") for i in range(3)),
        ]
    )
    results = index.search("Viêt Nam")
    assert results.completed == {"Viêt": "Việt"} and results.suggestion == "Việt Nam"
    assert results.hits[0].id.startswith("vn") and results.hits[-1].id == "lost"  # still found, last
    hit = results.hits[0]
    assert [hit.snippet.text[a:b] for a, b in hit.snippet.highlights] == ["Việt Nam"]
    assert index.search("Việt Nam").completed == {}


def test_a_mark_left_out_of_a_pair_ranks_as_if_typed_right(make_index: MakeIndex) -> None:
    index = make_index(
        [
            doc("lost", "Ha Nôi hôm nay mưa.", title="Thời tiết"),
            *(doc(f"hn{i}", f"Thủ đô Hà Nội có {i} quận mới.", title="Hà Nội") for i in range(20)),
        ]
    )
    results = index.search("Hà Nôi", limit=30)
    assert results.completed == {"Nôi": "Nội"} and results.suggestion == "Hà Nội"
    assert results.hits[0].id.startswith("hn") and results.hits[-1].id == "lost"


def test_words_typed_without_spaces_with_a_mark_left_out_or_beside_a_capital(make_index: MakeIndex) -> None:
    index = make_index(
        [
            *(doc(f"vn{i}", f"Đội tuyển Việt Nam thắng trận {i}.", title="Bóng đá") for i in range(3)),
            *(doc(f"ct{i}", f"Chủ tịch nước tiếp khách lần {i}.", title="Tin") for i in range(3)),
        ]
    )
    results = index.search("Viêtnam")
    assert results.joined == {"Viêtnam": "Việt nam"} and results.suggestion == "Việt Nam"
    # A word typed without spaces is no foreign name: its capitalised neighbour is Vietnamese too.
    assert index.search("Chutich Nuoc").suggestion == "Chủ Tịch Nước"


def test_full_width_letters_in_a_filter_are_read_as_ascii(index: Index) -> None:
    assert ids(index, "", leader="Ｎguyễn Thanh Hải") == ids(index, "", leader="Nguyễn Thanh Hải") == ["hai"]
