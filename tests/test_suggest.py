from __future__ import annotations

import pytest

from searchlib.api import Index

from .conftest import doc


@pytest.fixture
def index(make_index) -> Index:  # type: ignore[no-untyped-def]
    return make_index(
        [
            doc("a", "Bí thư Tỉnh ủy Nguyễn Thanh Hải chủ trì hội nghị.", leaders=["Nguyễn Thanh Hải"]),
            doc("b", "Đồng chí Bí thư Tỉnh ủy làm việc với huyện về thủ tục hành chính."),
            doc("c", "Bí thư Tỉnh ủy kiểm tra công trình thủy lợi; lần thứ hai đến thăm."),
            doc("d", "Thu ngân sách năm nay vượt dự toán; thứ trưởng đến làm việc."),
        ]
    )


@pytest.mark.parametrize(
    ("query", "suggestion"),
    [
        ("nguyen thanh hai", "Nguyễn Thanh Hải"),  # diacritics restored, a leader's name as displayed
        ("tinh uy nguyen thanh hai", "tỉnh ủy Nguyễn Thanh Hải"),  # the name whole, though the words run on
        ("bi thu tinh uyy", "bí thư tỉnh ủy"),  # a typo fixed, then diacritics restored from the corpus
        ("bi thuu tinh uy", "bí thư tỉnh ủy"),
        ('"tinh uyy"', '"tỉnh ủy"'),
    ],
)
def test_did_you_mean(index: Index, query: str, suggestion: str) -> None:
    assert index.search(query).suggestion == suggestion


@pytest.mark.parametrize(
    "query",
    [
        "bí thư tỉnh ủy",
        "hội nghị",
        "xyzzy qwerty",
        # the other tone placement, or other punctuation, finds the same articles
        "thuỷ lợi",
        "Tỉnh uỷ, thủ tục",
        "a" * 300,
    ],
)
def test_no_suggestion_when_there_is_nothing_better(index: Index, query: str) -> None:
    assert index.search(query).suggestion is None


def test_a_rare_known_typo_is_corrected_where_the_context_says_so(make_index) -> None:  # type: ignore[no-untyped-def]
    # "Ngyễn" is in the index (one article misspells it), so it is not an
    # unknown word; 60 articles write "Nguyễn Tấn Dũng".
    # Each names him as a leader, as extraction lists him after "Thủ tướng".
    docs = [
        doc(f"n{i}", f"Thủ tướng Nguyễn Tấn Dũng làm việc với tỉnh, buổi {i}.", leaders=["Nguyễn Tấn Dũng"])
        for i in range(60)
    ]
    docs.append(doc("typo", "Nhà văn Ngyễn Ngọc Tư ra mắt sách mới."))
    index = make_index(docs)
    assert index.search("ngyen tan dung").suggestion == "Nguyễn Tấn Dũng"
    assert index.search("Ngyễn Tấn Dũng").suggestion == "Nguyễn Tấn Dũng"
    # Alone, the rare word has no context that calls for a change.
    assert index.search("ngyen").suggestion is None


def test_a_name_extraction_took_for_a_leader_once_is_not_one(make_index) -> None:  # type: ignore[no-untyped-def]
    # One article lists "Hồ Chí" as a leader; forty write "Hồ Chí Minh".
    docs = [doc(f"h{i}", f"Thành phố Hồ Chí Minh và Thủ đô Hà Nội, bài {i}.") for i in range(40)]
    docs.append(doc("list", "Danh sách: Hồ Chí, Lê Văn Minh, Trần Thị Mai.", leaders=["Hồ Chí"]))
    index = make_index(docs)
    assert index.search("ho chi minh").suggestion is None  # not "Hồ Chí mình"


def test_a_suggestion_keeps_the_capitals_typed(index: Index) -> None:
    assert index.search("Bi thu tinh uyy").suggestion == "Bí thư tỉnh ủy"
    assert index.search("BI THU TINH UYY").suggestion == "BÍ THƯ TỈNH ỦY"


@pytest.mark.parametrize(
    ("query", "suggestion"),
    [
        # fields, quotes and exclusions are written back as typed
        ('leader:"Nguyễn Thanh Hải" tinh uyy', 'leader:"Nguyễn Thanh Hải" tỉnh ủy'),
        ('bi thu tinh uyy -"hội nghị" -topic:x', 'bí thư tỉnh ủy -"hội nghị" -topic:x'),
        # nothing to correct: a query that found nothing because of what it excludes
        ('leader:"Nguyễn Thanh Hải" -hội', None),
        ('"bí thư" -"tỉnh ủy"', None),
    ],
)
def test_a_suggestion_is_a_query_that_means_what_was_typed(index: Index, query: str, suggestion: str | None) -> None:
    assert index.search(query).suggestion == suggestion


def test_no_suggestion_that_would_find_nothing_either(index: Index) -> None:
    assert index.search("bi thu tinh uyy").suggestion == "bí thư tỉnh ủy"
    assert index.search("bi thu tinh uyy", since="2090").suggestion is None


def test_a_guess_keeps_its_marks_and_its_neighbours_choose_among_several(make_index) -> None:  # type: ignore[no-untyped-def]
    docs = [
        *(doc(f"gd{i}", f"Ngành giáo dục tỉnh tổng kết năm học {i}.") for i in range(3)),
        *(doc(f"dc{i}", f"Dự án được giao, bài {i}. Hàng được giao đúng hẹn.") for i in range(8)),
        *(doc(f"nd{i}", f"Hội đồng nhân dân tỉnh họp kỳ {i}.") for i in range(3)),
        *(doc(f"dg{i}", f"Công việc đang làm, đang tiến hành {i}.") for i in range(9)),
        doc("danh", "Danh sách khen thưởng."),
    ]
    index = make_index(docs)
    assert index.search("giáo dụcc").suggestion == "giáo dục"  # not the commoner "được", one edit too
    results = index.search("hoi dong nhan dann")
    assert results.similar["dann"][0] == "dang" and results.suggestion == "hội đồng nhân dân"


def test_words_beside_a_name_are_spelled_as_written_beside_it(make_index) -> None:  # type: ignore[no-untyped-def]
    docs = [doc(f"beauty{i}", f"Viện thẩm mỹ số {i} khai trương; dịch vụ thẩm mỹ mới.") for i in range(10)]
    docs += [
        doc(f"visit{i}", f"Thủ tướng Phan Văn Khải thăm Mỹ, ngày {i}.", leaders=["Phan Văn Khải"]) for i in range(3)
    ]
    docs += [doc("back", "Sau chuyến thăm Mỹ, Thủ tướng Phan Văn Khải về nước.", leaders=["Phan Văn Khải"])]
    index = make_index(docs)
    assert index.search("phan van khai tham my").suggestion == "Phan Văn Khải thăm mỹ"  # not thẩm mỹ
    assert index.search("tham my thu tuong phan van khai").suggestion == "thăm mỹ thủ tướng Phan Văn Khải"
    assert index.search("vien tham my").suggestion is None  # no name: the commonest spelling, found as typed


def test_a_word_misspelt_as_another_that_sounds_alike_is_put_right(make_index) -> None:  # type: ignore[no-untyped-def]
    docs = [
        doc(f"ck{i}", f"Thị trường chứng khoán phiên {i} tăng điểm; nhà đầu tư xử lý danh mục.") for i in range(110)
    ]
    docs += [doc(f"water{i}", f"Nước khoáng thiên nhiên, chai số {i}.") for i in range(5)]
    docs += [doc(f"gov{i}", f"Chính phủ đã ban hành nghị định số {i} về phụ gia thực phẩm.") for i in range(25)]
    index = make_index(docs)
    # Plenty found (every article with both words), none meant: the -ng a southern accent adds.
    results = index.search("chứng khoáng")
    assert results.total > 5 and results.suggestion == "chứng khoán"
    assert index.search("chung khoang").suggestion == "chứng khoán"  # without marks: a hundred articles or more
    assert index.search("sử lý").suggestion == "xử lý"
    # Spelled right, or words that only stand side by side: nothing to say.
    for query in ("chứng khoán", "nước khoáng", "chính phủ đã", "xử lý"):
        assert index.search(query).suggestion is None, query


def test_a_hoi_written_for_a_nga_or_back_is_put_right(make_index) -> None:  # type: ignore[no-untyped-def]
    docs = [doc(f"exam{i}", f"Công bố kết quả kỳ thi số {i}; giải quyết khiếu nại.") for i in range(25)]
    docs += [doc(f"code{i}", f"Mã số thuế {i} của doanh nghiệp.") for i in range(25)]
    docs.append(doc("grave", "Chăm sóc mồ mả tổ tiên."))
    index = make_index(docs)
    assert index.search("kết quã").suggestion == "kết quả"
    assert index.search("giãi quyết khiếu nại").suggestion == "giải quyết khiếu nại"
    # Rare beside a common twin (mả, mã), but written so beside its neighbour: meant.
    assert index.search("mồ mả").suggestion is None
    assert index.search("kết quả").suggestion is None


def test_a_foreign_typo_a_few_articles_share_gets_the_common_spelling(make_index) -> None:  # type: ignore[no-untyped-def]
    docs = [doc(f"i{i}", f"Tổng thống Indonesia và Saddam Hussein, tin số {i}.") for i in range(45)]
    docs += [doc("typo1", "Đoàn Indonesa thăm Hà Nội."), doc("typo2", "Ông Sadam Hussein bị bắt.")]
    docs += [doc(f"o{i}", f"Osama xuất hiện trong băng hình số {i}.") for i in range(45)] + [
        doc("ob", "Obama phát biểu.")
    ]
    index = make_index(docs)
    assert index.search("Indonesa").suggestion == "Indonesia"
    assert index.search("Sadam Hussein").suggestion == "Saddam Hussein"
    assert index.search("Obama").suggestion is None  # not a slip of the fingers for Osama


@pytest.mark.parametrize(
    ("typed", "word", "slip"),
    [
        ("micheal", "michael", True),  # two letters swapped
        ("liverpol", "liverpool", True),  # one dropped
        ("willian", "william", True),  # a neighbouring key
        ("philipines", "philippines", True),
        ("indonesa", "indonesia", True),
        ("obama", "osama", False),  # keys far apart
        ("belly", "kelly", False),  # the first letter
    ],
)
def test_a_slip_of_the_fingers(typed: str, word: str, slip: bool) -> None:
    from searchlib.suggest import _slip

    assert _slip(typed, word) is slip


def test_an_unknown_syllable_is_corrected_as_its_neighbours_are_written_with(make_index) -> None:  # type: ignore[no-untyped-def]
    # "anh" is the commoner one-edit neighbour of "nnh"; beside "Quảng" the corpus writes "Ninh".
    docs = [doc(f"a{i}", f"Anh {i} và anh ấy đến.", title="Tin") for i in range(8)]
    docs += [doc(f"q{i}", f"Tỉnh Quảng Ninh số {i}.", title="Tin") for i in range(3)]
    index = make_index(docs)
    assert index.search("Quảng Nnh").suggestion == "Quảng Ninh"
    assert index.search("quang nnh").suggestion == "quảng ninh"


def test_a_leaders_name_with_a_syllable_slipped_is_put_right(make_index) -> None:  # type: ignore[no-untyped-def]
    # "phiu" is a word (phẳng phiu): only the name around it says Phiêu was meant.
    docs = [doc(f"p{i}", f"Tổng Bí thư Lê Khả Phiêu thăm tỉnh lần {i}.", leaders=["Lê Khả Phiêu"]) for i in range(12)]
    docs += [doc(f"f{i}", f"Mặt đường phẳng phiu số {i}.") for i in range(3)]
    index = make_index(docs)
    assert index.search("Lê Khả Phiu").suggestion == "Lê Khả Phiêu"
    assert index.search("le kha phiu").suggestion == "Lê Khả Phiêu"
    assert index.search("lw Khả Phiêu").suggestion == "Lê Khả Phiêu"  # two letters: the rest of the name vouches
    assert index.search("phẳng phiu").suggestion is None
