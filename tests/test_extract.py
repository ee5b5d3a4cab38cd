"""Unit tests for searchlib.extract, one table per extractor.

All texts here were written for these tests; people and places are fictional.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

import searchlib.extract as extract
from searchlib.errors import DecodeError, SourceError
from searchlib.extract import (
    decode_bytes,
    document_from_record,
    load_article,
    load_jsonl,
    parse_article,
    stable_id,
)
from searchlib.extract.topics import classify, taxonomy
from searchlib.normalize import clean

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "extract"
LEAD = "Toàn cảnh buổi làm việc tại trụ sở Tỉnh ủy với các sở, ngành và địa phương."


def article(*paragraphs: str, title: str = "Tin hoạt động của lãnh đạo tỉnh") -> str:
    return "\n\n".join([title, *paragraphs])


# --- the public API ---------------------------------------------------------


def test_public_api() -> None:
    assert sorted(extract.__all__) == sorted(set(extract.__all__))
    for name in extract.__all__:
        assert getattr(extract, name) is not None


def test_import_is_cheap() -> None:
    code = (
        "import sys, searchlib.extract as e\n"
        "from searchlib.extract import _lexicon\n"
        "assert _lexicon.rules.cache_info().currsize == 0, 'data read at import'\n"
        "assert not {'pyvi', 'whoosh', 'sklearn'} & set(sys.modules), 'heavy import'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- decoding ---------------------------------------------------------------

TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
TEXT = "Hội nghị Ban Chấp hành Đảng bộ tỉnh: Bí thư Tỉnh ủy kết luận; thủy lợi, khỏe mạnh."


def _cp1258(text: str) -> bytes:
    """Windows-1258 bytes, with tone marks as combining characters where needed."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
            out += (base + "".join(c for c in parts if c in TONE_MARKS)).encode("cp1258")
    return bytes(out)


@pytest.mark.parametrize(
    ("encode", "encoding"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "utf-8"),
        (lambda t: t.encode("utf-16"), "utf-16"),
        (lambda t: b"\xfe\xff" + t.encode("utf-16-be"), "utf-16"),
        (lambda t: t.encode("utf-32"), "utf-32"),
        (_cp1258, "cp1258"),
    ],
)
def test_decode_supported(encode: Any, encoding: str) -> None:
    decoded = decode_bytes(encode(TEXT))
    assert clean(decoded.text) == TEXT
    assert decoded.encoding == encoding


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (bytes(range(256)) * 4, "NUL"),
        (TEXT.encode("utf-16-le"), "NUL"),  # UTF-16 without a byte-order mark
        (TEXT.encode("utf-8").decode("latin-1").encode("utf-8"), "double-encoded"),
        (TEXT.encode("utf-8").decode("cp1258", errors="replace").encode("utf-8"), "double-encoded"),
        (TEXT.encode("utf-8")[:3] + TEXT.encode("utf-8")[4:], "mostly UTF-8"),
        ("Café, crème brûlée et naïveté à volonté".encode("cp1252"), "Vietnamese"),
        (b"\xff\xfe\x00\xd8", "utf-16"),  # BOM, then a lone surrogate
    ],
)
def test_decode_refuses(data: bytes, reason: str) -> None:
    with pytest.raises(DecodeError, match=reason):
        decode_bytes(data)


@pytest.mark.parametrize(
    "text",
    [
        "Nhóm của Thọ “đại tá” tấn công, rồi Thọ “đại tá” bỏ chạy.",  # an accented letter before a closing quote
        "Ông Á “già” và bà Â… đều là “bà cả” trong làng.",
    ],
)
def test_decode_accepts_real_text_that_looks_like_mojibake(text: str) -> None:
    assert decode_bytes(text.encode("utf-8")).text == text


def test_decode_plain_ascii_and_empty() -> None:
    assert decode_bytes(b"Plain ASCII text.").text == "Plain ASCII text."
    assert decode_bytes(b"").text == ""


def test_load_article_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="missing.txt"):
        load_article(tmp_path / "missing.txt")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    with pytest.raises(DecodeError, match="bad.txt"):
        load_article(bad)


# --- page furniture, title, source, author ----------------------------------


@pytest.fixture(scope="module")
def page() -> Any:
    return load_article(FIXTURES / "page_furniture.txt")


def test_page_title_and_kicker(page: Any) -> None:
    assert page.title == "Nông nghiệp: Mở rộng vùng trồng chè an toàn ở huyện Tân Lập"


@pytest.mark.parametrize(
    "furniture",
    [
        "Bỏ qua nội dung",
        "Đăng nhập",
        "Trang chủ",
        "Cập nhật ngày",
        "Nguồn:",
        "Hà Phương",
        "Tin liên quan",
        "Hội thi chè ngon",
        "Thống kê truy cập",
        "Đang truy cập",
        "Tổng truy cập",
        "Mở rộng vùng trồng chè",
    ],
)
def test_page_furniture_removed(page: Any, furniture: str) -> None:
    assert furniture not in page.body + "\n"


@pytest.mark.parametrize(
    "content",
    [
        "TNO - Sáng 18.3.2022",
        "Lương Minh\nQuân đã đi kiểm tra",
        "1.250 ha chè",
        "Ảnh: Hoàng Văn Nam",
        "gắn với xây dựng nông thôn mới.",
    ],
)
def test_page_content_kept(page: Any, content: str) -> None:
    assert content in page.body


def test_page_fields(page: Any) -> None:
    assert (page.date, page.date_precision) == (dt.date(2022, 3, 18), "day")
    assert page.leaders == ["Lương Minh Quân"]
    assert page.roles == {"Lương Minh Quân": ["Phó Chủ tịch UBND tỉnh"]}
    assert page.source == "tanlap.example.vn"
    assert page.author == "Hà Phương"
    assert page.topics[0] == "Nông nghiệp - Nông thôn"
    assert "\n\n" in page.body


def test_page_evidence(page: Any) -> None:
    keys = {"id", "title", "body", "date", "leaders", "topics", "source", "author"}
    assert set(page.evidence) == keys
    assert page.evidence["date"] == "line 10: 'Cập nhật ngày: 18/03/2022 - 09:40' (update line)"
    assert page.evidence["author"] == "line 25: trailing byline 'Hà Phương'"
    assert "breadcrumb (line 4)" in page.evidence["body"]


@pytest.mark.parametrize(
    ("last_lines", "source", "author"),
    [
        ("Minh Châu\nbaotinh.example.vn", "baotinh.example.vn", "Minh Châu"),
        ("Nguồn: Báo Tân Lập\n\nMinh Châu", "Báo Tân Lập", "Minh Châu"),
        ("Tin, ảnh: Minh Châu", None, "Minh Châu"),
        ("Theo TTXVN", "TTXVN", None),
        ("Hội nghị đã thành công tốt đẹp./.", None, None),
        # a name with its form of address ends a list in the text, it signs nothing
        ("Hội đồng gồm:\n\nÔng Nguyễn Văn Bình\n\nBà Trần Thị Hoa", None, None),
    ],
)
def test_trailing_source_and_byline(last_lines: str, source: str | None, author: str | None) -> None:
    doc = parse_article(article(LEAD, last_lines))
    assert (doc.source, doc.author) == (source, author)
    if author is None and source is None:
        assert last_lines.splitlines()[-1] in doc.body  # nothing of the text is lost


def test_outlet_tag_opens_the_lead() -> None:
    doc = parse_article(article("BTL - Sáng nay, tỉnh tổ chức hội nghị tổng kết năm 2023."))
    assert doc.source == "BTL"
    assert doc.body.startswith("BTL - Sáng nay")


def test_title_repeated_as_caption_is_dropped() -> None:
    title = "Khánh thành cầu treo bản Nà Pục"
    doc = parse_article(article(f"{title}.", LEAD, title, title=title))
    assert doc.body == LEAD


def test_title_containing_a_date() -> None:
    title = "Khai mạc Kỳ họp thứ 9, HĐND huyện khóa XX ngày 12/7/2023"
    doc = parse_article(article("Kỳ họp diễn ra trong hai ngày với nhiều nội dung.", title=title))
    assert doc.title == title
    assert (doc.date, doc.date_precision) == (dt.date(2023, 7, 12), "day")


# --- dates ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (article("Cập nhật ngày: 04/12/2020 - 20:06", LEAD), dt.date(2020, 12, 4)),
        (article("10-06-2021 07:20", LEAD), dt.date(2021, 6, 10)),
        (article("2024-03-15", LEAD), dt.date(2024, 3, 15)),
        (article("Thứ Hai, 08/01/2024 - 07:15", LEAD), dt.date(2024, 1, 8)),
        (
            article("Ngày 15 tháng 5 năm 2021, Ban Thường vụ Huyện ủy tổ chức hội nghị sơ kết."),
            dt.date(2021, 5, 15),
        ),
        (
            article("BTL - Đó là yêu cầu của lãnh đạo tỉnh tại hội nghị diễn ra chiều 4.12.2020."),
            dt.date(2020, 12, 4),
        ),
        (
            article("Ngày 04/6, huyện báo cáo kết quả 5 tháng đầu năm 2020 với Tỉnh ủy."),
            dt.date(2020, 6, 4),
        ),
        (
            article("Sáng 2/4, tỉnh tổng kết quý I năm 2022 với nhiều chỉ tiêu vượt kế hoạch."),
            dt.date(2022, 4, 2),
        ),
        # day and month, no year anywhere: unknown
        (article("Ngày 04/6, huyện tổ chức hội nghị bàn giải pháp phát triển chè an toàn."), None),
        # dates of cited documents
        (article("Thực hiện Chỉ thị số 35-CT/TW, ngày 30/5/2019 của Bộ Chính trị, xã họp."), None),
        (article("Theo Nghị quyết số 49/2016/NQ-HĐND ngày 08/12/2016, mức thu phí tăng."), None),
        # not a calendar date
        (article("Cập nhật ngày: 31/02/2021 - 08:00", LEAD), None),
        # dates deeper in the body are not the article's date
        (article(LEAD, LEAD, "Ngày 15/5, Ban Thường vụ duyệt văn kiện; ngày 20/5/2020 xong"), None),
        # an outlet tag, a clock time or "Vào" may open the dateline
        (article("(BTL)- Sáng 1-1-2006, hội Cựu chiến binh huyện trao kỷ niệm chương."), dt.date(2006, 1, 1)),
        (article("TT - Lúc 2g40 sáng 31-5-2004, tại thị trấn Gành Hào đã xảy ra cháy lớn."), dt.date(2004, 5, 31)),
        # mid-sentence dates of other events: a past event the story recalls,
        # a deadline, a birth, a start
        (article("Bị can bị truy nã vì liên quan đến vụ đánh bom hôm 4/9/1998 ở thị xã."), None),
        (article("Các xã phải thu hoạch xong lúa đông xuân trước ngày 25-2-2005."), None),
        (article("Cơ quan điều tra khởi tố ông Lâm Văn Tư, sinh ngày 6/1/1949, về tội tham ô."), None),
        (article("Từ ngày 1/1/2006, bảng giá đất mới được áp dụng trên địa bàn tỉnh."), None),
        (article("Ban quản lý cho biết công trình sẽ diễn ra vào chiều 15/12/2005 tại xã."), None),
        # the dateline opens the lead, not its second sentence
        (article("Phiên tòa xét xử vụ án tham ô. Sáng 19/12/2003, công an bắt quả tang các bị can."), None),
        # no article is published in the future
        (article("Ngày 31/12/2090, tuyến đường vành đai được hoàn thành theo quy hoạch."), None),
        # the same day and month with a year, but a cited document's or a remembered event's
        (article("Ngày 04/6, Ban Thường vụ sơ kết Nghị quyết số 12-NQ/TU ngày 04/6/2015 của Tỉnh ủy."), None),
        (article("Sáng 30/4, tỉnh mít tinh kỷ niệm Ngày giải phóng miền Nam 30/4/1975 tại quảng trường."), None),
        (
            article(
                "Sáng 6-9, thành phố khánh thành bia tưởng niệm nhân kỷ niệm lần thứ 74 ngày mất.",
                "Ông mất ngày 6-9-1931 tại Sài Gòn.",
            ),
            None,
        ),
        # ... but at the 55th anniversary of 1950, 20-4-2005 is this year's
        (
            article(
                "Chiều 20-4, nhân dịp kỷ niệm 55 năm ngày thành lập Hội (1950), tỉnh gắn biển di tích.",
                "Chiều 20-4-2005, hội trao giải báo chí.",
            ),
            dt.date(2005, 4, 20),
        ),
        # without the year remembered, either reading is possible: no date
        (
            article(
                "Sáng 20/11, trường kỷ niệm 5 năm thành lập và đón nhận bằng khen.",
                "Lễ ngày 20/11/2019 có nhiều thầy cô tham dự.",
            ),
            None,
        ),
        # a later year or "N năm sau" that is not the story looking back
        (
            article("Sáng 15/3/2019, Ban tổ chức họp báo. Năm 2021, Việt Nam đăng cai SEA Games 31."),
            dt.date(2019, 3, 15),
        ),
        (
            article("Sáng 15/3/2021, tỉnh khánh thành cầu mới, thiết kế phục vụ 50 năm sau khi đưa vào khai thác."),
            dt.date(2021, 3, 15),
        ),
        # a period compared with is not the period reported
        (article("Ngày 15/6, UBND tỉnh họp. Kết quả tăng 5% so với 6 tháng đầu năm 2019."), None),
        # a story that speaks of a later year, or looks back, recalls its date
        (
            article("Ngày 21/5/1904, FIFA ra đời tại Paris. Từ những ngày đầu năm 2004, người hâm mộ mừng sinh nhật."),
            None,
        ),
        (
            article(
                "Ngày 13/10/1945, Chủ tịch Hồ Chí Minh gửi thư giới công thương. 59 năm sau, doanh nhân có ngày riêng."
            ),
            None,
        ),
        # a year to come is not one spoken of as past
        (
            article(
                "Ngày 5/4/2006, hai Phó thủ tướng phát lệnh khởi công thủy điện. Dự kiến nhà máy sẽ hoàn thành trong năm 2009."
            ),
            dt.date(2006, 4, 5),
        ),
        # a date in brackets after a headline is a related link's, not a cited document's
        (
            article(
                "Chiều 28/7, các trường đại học phía Bắc đồng loạt công bố điểm thi tuyển sinh.",
                "9 đại học đã thông báo điểm thi(28/07/2005)",
            ),
            dt.date(2005, 7, 28),
        ),
        # an effective date or a completion to come is not a year spoken of as past
        (
            article("Ngày 10/3/2025, Chính phủ ban hành nghị định. Nghị định có hiệu lực thi hành ngày 1/1/2027."),
            dt.date(2025, 3, 10),
        ),
        (article("Ngày 30/4/1975 đất nước thống nhất. 30 năm sau đó, thành phố đã đổi thay."), None),
        # spelled-out publication lines keep their day; none is in the future
        (article("Cập nhật ngày 15 tháng 5 năm 2021", LEAD), dt.date(2021, 5, 15)),
        (article("Cập nhật ngày: 15 tháng 5, 2021", LEAD), dt.date(2021, 5, 15)),
        (article("Ngày 04 tháng 12 năm 2020", LEAD), dt.date(2020, 12, 4)),
        (article("Cập nhật ngày: 04/12/2090 - 20:06", LEAD), None),
        (article("Ngày 04/12, tỉnh báo cáo kết quả 11 tháng đầu năm 2090 với Trung ương."), None),
        # a date inside the title names its subject; one at its end dates it
        (article(LEAD, title="Sài Gòn ngày 30/4/1975 trong mắt một phóng viên"), None),
        (article(LEAD, title="Giá trái cây tại các chợ đầu mối ngày 4-4-2006"), dt.date(2006, 4, 4)),
    ],
)
def test_date(text: str, expected: dt.date | None) -> None:
    doc = parse_article(text)
    assert doc.date == expected, doc.evidence["date"]
    assert doc.date_precision == (None if expected is None else "day")


def test_a_bare_date_inside_the_article_is_content_not_its_date() -> None:
    table = "Lịch thi đấu vòng bảng của giải bóng đá thiếu niên toàn huyện năm nay như sau:"
    doc = parse_article(article(LEAD, table, "15/6/2005", "Xã Phú Xuân gặp xã Tân Đức.", LEAD))
    assert doc.date is None and "\n15/6/2005\n" in doc.body


def test_date_month_precision_and_year_end_inference() -> None:
    for line in ("Ngày đăng: tháng 6/2021", "Cập nhật: 06/2021"):
        doc = parse_article(article(line, LEAD))
        assert (doc.date, doc.date_precision) == (dt.date(2021, 6, 1), "month")
    title = "Hội nghị Ban Chấp hành Đảng bộ huyện lần thứ 8 (TS 18/12)"
    body = "Hội nghị đánh giá kết quả thực hiện nhiệm vụ năm 2021, quyết định nhiệm vụ năm 2022."
    text = article(body, title=title)
    assert parse_article(text).date == dt.date(2021, 12, 18)


# --- leaders ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "leaders"),
    [
        # a name split across a line break
        ("Chiều 5/3, Bí thư Huyện ủy Trần Văn\nKhải làm việc với xã Phú Xuân.", ["Trần Văn Khải"]),
        # the apposition may follow a dash
        ("Chiều 5/8, ông Nguyễn Văn Đẳng - Bí thư Tỉnh ủy Lâm Đồng đã gặp các hộ.", ["Nguyễn Văn Đẳng"]),
        # a business or hospital is named after the unit word; a person may follow
        ("Giám đốc Công ty TNHH Kim Long cho biết sẽ bồi thường.", []),
        ("Giám đốc BV Từ Dũ cho biết.", []),
        ("Giám đốc Công ty Netnam Trần Bá Thái cho biết.", ["Trần Bá Thái"]),
        ("Giám đốc Bệnh viện Bạch Mai Nguyễn Quốc Anh cho biết.", ["Nguyễn Quốc Anh"]),
        # a country is a place; a middle name does not end a name
        ("Jan Peter Balkenende, Thủ tướng Hà Lan, cho biết.", []),
        ("Giám đốc Sở Tư pháp Nguyễn Văn Được đã ký quyết định.", ["Nguyễn Văn Được"]),
        # romanised names keep their hyphens; a Vietnamese word after a lost dash is cut off
        ("Chủ tịch Bắc Triều Tiên Kim Jong-Il tuyên bố.", ["Kim Jong-Il"]),
        ("Bộ trưởng Bộ Xây dựng Nguyễn Hồng Quân-người đứng đầu ngành.", ["Nguyễn Hồng Quân"]),
        # a former province is a place, not a person
        ("Chủ tịch tỉnh Hà Tây giữ chức quyền Bí thư Tỉnh ủy Lạng Sơn.", []),
        ("Giám đốc Sở TDTT Hà Tây Cấn Văn Nghĩa cho biết.", ["Cấn Văn Nghĩa"]),
        # two leaders in one sentence, titles before or after the names
        (
            "Dự hội nghị có Bí thư Tỉnh ủy Nguyễn Văn An và Chủ tịch UBND tỉnh Lê Thị Bình.",
            ["Nguyễn Văn An", "Lê Thị Bình"],
        ),
        (
            "Dự có đồng chí Nguyễn Văn An, Bí thư Tỉnh ủy và đồng chí Lê Thị Bình, Chủ tịch tỉnh.",
            ["Nguyễn Văn An", "Lê Thị Bình"],
        ),
        # titles without names, photo credits, abbreviations, places
        ("Đồng chí Bí thư Tỉnh ủy chủ trì hội nghị; lãnh đạo UBND tỉnh cùng dự.", []),
        ("Chủ tịch UBND tỉnh phát biểu tại lễ khánh thành. Ảnh: Phạm Minh Đức", []),
        ("Chủ tịch UBND T.P Thái Nguyên làm việc với lãnh đạo T.P Thái Nguyên.", []),
        ("Bí thư Huyện ủy Hà Lâm dự lễ khai mạc hội chợ.", []),
        ("Quy chế làm việc của UBKT Tỉnh ủy và BCH Đảng bộ tỉnh được thông qua.", []),
        ("Bí thư Đoàn Thanh niên tỉnh phát động phong trào tình nguyện.", []),
        # old-style tone placement in name and title
        ("Phó Bí thư Tỉnh uỷ, Chủ tịch UBND tỉnh Hoàng Văn Thuỷ kiểm tra.", ["Hoàng Văn Thủy"]),
        # the same person twice is listed once
        (
            "Bí thư Tỉnh ủy Nguyễn Văn An phát biểu. Đồng chí Nguyễn Văn An, Bí thư, trao quà.",
            ["Nguyễn Văn An"],
        ),
        ("Tham dự có đồng chí Đỗ Văn Hùng, nguyên Phó Chủ tịch UBND tỉnh.", ["Đỗ Văn Hùng"]),
        ("Giám đốc Sở Kế hoạch và Đầu tư Phan Thị Thu Hà báo cáo tiến độ.", ["Phan Thị Thu Hà"]),
        ("Thủ tướng Chính phủ Trần Quang Minh làm việc với tỉnh.", ["Trần Quang Minh"]),
        # an organisation's name goes on in lower case, and the name after it is found
        ("Giám đốc Sở Thương mại Lê Văn Hòa cho biết giá xăng ổn định.", ["Lê Văn Hòa"]),
        ("Viện trưởng Viện Vệ sinh dịch tễ Trung ương Đặng Minh Tú báo cáo.", ["Đặng Minh Tú"]),
        ("Giám đốc Bến xe Mỹ Đình cho biết lượng khách tăng.", []),
        # "Phó" before a lower-case title, as some papers print it
        ("Chiều 2/4, Phó chủ tịch UBND tỉnh Đinh Văn Kha kiểm tra đê.", ["Đinh Văn Kha"]),
        # rarer family names; a given name that is also a sentence-opening word
        ("Bộ trưởng Tư pháp Uông Văn Lực ký văn bản.", ["Uông Văn Lực"]),
        ("Phó chủ tịch Quốc hội Trương Minh Được, Trưởng đoàn, dự lễ.", ["Trương Minh Được"]),
        ("Chủ tịch HĐQT Tổng công ty Phạm Quang Dự cho biết.", ["Phạm Quang Dự"]),
        # lower-case title words of two syllables; a full stop that lost its space
        ("Chủ tịch UBND thành phố Vĩnh Yên Hà Minh Đức cắt băng.", ["Hà Minh Đức"]),
        ("Phó chủ tịch thường trực UBND tỉnh Lý Thị Hạnh.Tại buổi làm việc, tỉnh giao.", ["Lý Thị Hạnh"]),
        # a title word that finishes the organisation's word ("Bưu chính"); words run together
        ("Thứ trưởng Bộ Bưu chính Viễn thông Lê Nam Hà dự.", ["Lê Nam Hà"]),
        ("Đào Duy Tân - Giám đốc Học viện Chính trị Quốc gia Hồ Chí MinhỦy ban Kiểm tra", ["Đào Duy Tân"]),
        # a common word capitalised after a title is not a two-word name
        ("Thứ trưởng thường trực Bộ Nông Nghiệp và Phát triển nông thôn về thăm.", []),
        # later words of a title in lower case, as older papers print them
        ("Tổng bí thư Hoàng Văn Sơn sáng nay đã rời Hà Nội.", ["Hoàng Văn Sơn"]),
        ("Chánh văn phòng UBND tỉnh Lò Văn Pha ký thông báo.", ["Lò Văn Pha"]),
        # a one-letter word that a lower-case one finishes ("Y tế"); "&" inside an abbreviation
        ("Giám đốc Sở Y tế Lê Văn Quý báo cáo tình hình dịch bệnh.", ["Lê Văn Quý"]),
        ("Bộ trưởng Bộ Y tế Trần Thị Trung Chiến làm việc với tỉnh.", ["Trần Thị Trung Chiến"]),
        ("Ông Lê Văn Quý, Giám đốc Sở Y tế, báo cáo tình hình dịch bệnh.", ["Lê Văn Quý"]),
        ("Giám đốc Sở GD&ĐT Phạm Việt Đức dự lễ khai giảng.", ["Phạm Việt Đức"]),
        ("Giám đốc Sở TN&MT Nguyễn Huy Trung kiểm tra mỏ cát.", ["Nguyễn Huy Trung"]),
        # a place that holds a dash, and opens with a form of address
        ("Chủ tịch UBND tỉnh Bà Rịa - Vũng Tàu Nguyễn Văn Thọ dự hội nghị.", ["Nguyễn Văn Thọ"]),
        ("Bí thư Tỉnh ủy Bà Rịa – Vũng Tàu Phạm Viết Thanh dự hội nghị.", ["Phạm Viết Thanh"]),
    ],
)
def test_leaders(text: str, leaders: list[str]) -> None:
    doc = parse_article(article(text))
    assert doc.leaders == leaders, doc.evidence["leaders"]


def test_leader_roles_are_canonical_and_collected() -> None:
    first = "Đồng chí Vũ Thị Lan, Ủy viên BTV Tỉnh uỷ, Trưởng Ban Dân vận Tỉnh ủy phát biểu."
    again = "Trưởng Ban Dân vận Tỉnh ủy Vũ Thị Lan đề nghị các huyện làm tốt công tác dân vận."
    doc = parse_article(article(first, again))
    assert doc.roles == {"Vũ Thị Lan": ["Ủy viên BTV Tỉnh ủy", "Trưởng Ban Dân vận Tỉnh ủy"]}


def test_leader_roles_complete_lower_case_names_and_are_listed_once_whatever_their_case() -> None:
    first = "Ông Lê Văn Hòa, Giám đốc Sở Thương mại, cho biết giá xăng ổn định."
    again = "Phó Thủ tướng Vũ Đức Minh làm việc với tỉnh; Phó thủ tướng Vũ Đức Minh đề nghị."
    doc = parse_article(article(first, again))
    assert doc.roles == {"Lê Văn Hòa": ["Giám đốc Sở Thương mại"], "Vũ Đức Minh": ["Phó Thủ tướng"]}
    doc = parse_article(article("Ông Lê Văn Quý, Giám đốc Sở Y tế, báo cáo.", "Giám đốc Sở GD&ĐT Phạm Việt Đức dự."))
    assert doc.roles == {"Lê Văn Quý": ["Giám đốc Sở Y tế"], "Phạm Việt Đức": ["Giám đốc Sở GD&ĐT"]}


def test_leader_in_title_and_byline_not_leader() -> None:
    title = "Chủ tịch UBND tỉnh Lê Thị Bình tiếp công dân"
    doc = parse_article(article(LEAD, "Trần Quốc Toản", title=title))
    assert doc.leaders == ["Lê Thị Bình"]
    assert doc.author == "Trần Quốc Toản"


# --- topics -----------------------------------------------------------------


def test_taxonomy_labels() -> None:
    assert taxonomy().labels == [
        "Xây dựng Đảng",
        "Tổ chức - Cán bộ",
        "Kinh tế - Xã hội",
        "Đầu tư công - Ngân sách",
        "Đất đai - Quy hoạch",
        "Công nghiệp - Thương mại",
        "Nông nghiệp - Nông thôn",
        "Tài nguyên - Môi trường",
        "Văn hóa - Giáo dục",
        "Y tế",
        "Chuyển đổi số",
        "Quốc phòng - An ninh",
        "Cải cách hành chính",
        "Kiểm tra - Giám sát",
    ]


@pytest.mark.parametrize(
    ("title", "body", "crumbs", "first"),
    [
        # both tone placements, any case, abbreviations
        ("Tin", "Phát triển văn hoá, thể thao, giáo dục.", [], "Văn hóa - Giáo dục"),
        ("Tin", "Phát triển văn hóa, thể thao, giáo dục.", [], "Văn hóa - Giáo dục"),
        ("Tin", "Tình hình KT-XH 6 tháng đầu năm ổn định.", [], "Kinh tế - Xã hội"),
        ("CHUYỂN ĐỔI SỐ TRONG CƠ QUAN NHÀ NƯỚC", "Hội nghị diễn ra sáng nay.", [], "Chuyển đổi số"),
        # the site's category
        ("Tin", "Nội dung ngắn.", ["Thời sự", "Y tế"], "Y tế"),
        ("Tin", "Nội dung.", ["Kinh tế", "Công nghiệp - Thương mại"], "Công nghiệp - Thương mại"),
    ],
)
def test_topics(title: str, body: str, crumbs: list[str], first: str) -> None:
    found = classify(title, body, crumbs)
    assert found.labels[0] == first
    assert 1 <= len(found.labels) <= 3


def test_topics_none_and_evidence() -> None:
    assert classify("Trời nắng", "Hôm nay trời nắng đẹp.").labels == []
    found = classify("Tin", "Đẩy nhanh giải ngân vốn đầu tư công, giải ngân đúng tiến độ.")
    assert found.labels[0] == "Đầu tư công - Ngân sách"
    assert "giải ngân ×2" in found.evidence


# --- ids --------------------------------------------------------------------


def test_stable_ids() -> None:
    assert stable_id("văn bản", "corpus/000_65f6d13e4b0be4c1.txt") == (
        "000_65f6d13e4b0be4c1",
        "file name stem '000_65f6d13e4b0be4c1'",
    )
    hashed, why = stable_id("văn bản", "corpus/bài viết mới.txt")
    assert hashed == stable_id("văn bản")[0] and hashed.startswith("h") and len(hashed) == 17
    assert "hash" in why
    assert stable_id("văn bản khác")[0] != hashed
    assert stable_id("x", "index.txt")[0] != "index"  # no digit: not an id
    # a counter restarted in every folder is qualified by its folder
    assert stable_id("x", "scraped/2021/001.txt")[0] == "scraped-2021-001"
    assert stable_id("x", "scraped/2022/001.txt")[0] == "scraped-2022-001"
    assert stable_id("x", "Bài viết đăng/001.txt")[0] == "bai_viet_dang-001"
    assert stable_id("x", "corpus/2021/01/001.txt")[0] == "corpus-2021-01-001"
    assert stable_id("x", "data/news/01/001.txt")[0] != stable_id("x", "data/sport/01/001.txt")[0]
    assert stable_id("x", "/srv/-_-/001.txt")[0] == "srv-001"
    assert stable_id("x", "a/b/../001.txt")[0] == "a-001"
    assert stable_id("x", "a/20210610123456.txt")[0] == "20210610123456"
    assert parse_article(TEXT).id == parse_article(TEXT).id


# --- JSON Lines records -----------------------------------------------------

RECORD: dict[str, Any] = {
    "id": "r-1",
    "title": "Hội nghị  tổng kết",
    "body": "Đoạn một.\n\n\n\nĐoạn hai.",
    "date": "2021-06-10",
    "leaders": ["Hoàng Văn Thuỷ", "Lê Thị Bình", "Hoàng Văn Thủy"],
    "topics": ["Kinh tế - Xã hội"],
    "source": "baotinh.example.vn",
    "author": None,
    "url": "https://baotinh.example.vn/a",
    "view_count": 12,
}


def test_record_fields() -> None:
    doc = document_from_record(RECORD, path="extra.jsonl", line=3)
    assert (doc.id, doc.title, doc.body) == ("r-1", "Hội nghị  tổng kết", "Đoạn một.\n\nĐoạn hai.")
    assert (doc.date, doc.date_precision) == (dt.date(2021, 6, 10), "day")
    assert doc.leaders == ["Hoàng Văn Thủy", "Lê Thị Bình"]
    assert doc.roles == {"Hoàng Văn Thủy": [], "Lê Thị Bình": []}
    assert (doc.topics, doc.author) == (["Kinh tế - Xã hội"], None)
    assert doc.source == "baotinh.example.vn"
    assert doc.url == "https://baotinh.example.vn/a"
    assert doc.path == "extra.jsonl"


@pytest.mark.parametrize(
    ("leaders", "expected"),
    [
        ("Lê Thị Bình", ["Lê Thị Bình"]),
        ("Lê Thị Bình; Trần Văn An", ["Lê Thị Bình", "Trần Văn An"]),
        ("Lê Thị Bình, Trần Văn An ,", ["Lê Thị Bình", "Trần Văn An"]),
        ([], []),
    ],
)
def test_record_leaders(leaders: Any, expected: list[str]) -> None:
    assert document_from_record({"title": "T", "leaders": leaders}).leaders == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021", (dt.date(2021, 1, 1), "year")),
        ("2021-06", (dt.date(2021, 6, 1), "month")),
        ("2021-06-10", (dt.date(2021, 6, 10), "day")),
        ("2021-06-10T08:30:00+07:00", (dt.date(2021, 6, 10), "day")),
    ],
)
def test_record_dates(value: str, expected: tuple[dt.date, str]) -> None:
    doc = document_from_record({"date": value})
    assert (doc.date, doc.date_precision) == expected


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"title": 5}, "'title' must be a string, got int"),
        ({"leaders": 5}, "'leaders' must be a list of strings or a string"),
        ({"leaders": ["An", 7]}, "'leaders' must hold strings"),
        ({"topics": {"a": 1}}, "'topics' must be a list"),
        ({"date": "2021-13-01"}, "not a calendar date"),
        ({"date": "10/06/2021"}, "not an ISO date"),
        ({"date": 20210610}, "'date' must be an ISO date string"),
        ({"id": True}, "'id' must be a string or an integer"),
        ({"title": "T", "noi_dung": "Bão."}, "no 'body' .* keys this reader does not know: 'noi_dung'"),
        ({"title": "T", "text": 5}, "'text' must be a string, got int"),
    ],
)
def test_record_type_errors(record: dict[str, Any], message: str) -> None:
    with pytest.raises(SourceError, match=message) as info:
        document_from_record(record, path="x.jsonl", line=7)
    assert str(info.value).startswith("x.jsonl:7: ")


def test_a_record_text_may_be_named_as_other_tools_name_it() -> None:
    for key in ("body", "text", "content"):
        assert document_from_record({"title": "T", key: "Bão  lũ."}).body == "Bão lũ."
    assert document_from_record({"title": "T", "body": "Thân.", "text": "Khác."}).body == "Thân."  # body first
    assert document_from_record({"title": "Chỉ có tiêu đề", "url": "https://x.vn/1"}).body == ""
    # null or "" under one name is no text there: the next name may hold it
    assert document_from_record({"title": "T", "body": None, "text": "Bão."}).body == "Bão."
    assert document_from_record({"title": "T", "body": "", "content": "Bão."}).body == "Bão."
    assert document_from_record({"title": "T", "body": None, "noi_dung": "x"}).body == ""  # a body key was given


def test_html_character_references_are_read_as_characters() -> None:
    text = article(
        "Công ty AT&amp;T mở văn phòng &gt; 20 người tại &#272;à Nẵng; R&D &amp c.", title="&gt;&gt; Tin mới"
    )
    doc = parse_article(text)
    assert doc.title == ">> Tin mới"
    assert doc.body == "Công ty AT&T mở văn phòng > 20 người tại Đà Nẵng; R&D &amp c."
    record = document_from_record({"id": "e", "title": "AT&amp;T", "body": "A &lt; B"}, path="x.jsonl", line=1)
    assert (record.title, record.body) == ("AT&T", "A < B")


def test_record_without_keys() -> None:
    doc = document_from_record({"title": "Tiêu đề", "body": "Nội dung."})
    assert doc.id == document_from_record({"title": "Tiêu đề", "body": "Nội dung."}).id
    assert (doc.date, doc.leaders, doc.topics, doc.source) == (None, [], [], None)
    assert document_from_record({"id": 42}).id == "42"
    with pytest.raises(SourceError, match="JSON object"):
        document_from_record(["not", "a", "dict"])  # type: ignore[arg-type]


def test_record_extract_missing() -> None:
    body = "Ngày 12/3/2022, Chủ tịch UBND tỉnh Lê Thị Bình kiểm tra công tác tiêm chủng."
    record = {"title": "Tiêu đề", "body": body}
    doc = document_from_record(record, extract_missing=True)
    assert doc.leaders == ["Lê Thị Bình"]
    assert doc.date == dt.date(2022, 3, 12)
    assert "Y tế" in doc.topics
    assert doc.evidence["leaders"].startswith("extracted: ")


def test_load_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps(RECORD, ensure_ascii=False) + "\n\n")
        handle.write(json.dumps({"id": "r-2", "title": "Hai"}, ensure_ascii=False) + "\n")
    assert [d.id for d in load_jsonl(path)] == ["r-1", "r-2"]
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "a"}\n{not json}\n', encoding="utf-8")
    with pytest.raises(SourceError, match="broken.jsonl:2: not valid JSON"):
        list(load_jsonl(broken))


def test_decode_keeps_articles_with_a_few_stray_control_characters() -> None:
    # VNTC has articles with \x14 where a dash was: text, not binary data.
    text = "Hội nghị Tỉnh ủy \x14 tổng kết năm. " * 3
    assert decode_bytes(text.encode()).text == text.replace("\x14", " ")
    with pytest.raises(DecodeError, match="control characters"):
        decode_bytes(("ab\x01\x02\x03\x04" * 20).encode())


def test_stray_byte_order_mark_bytes_before_utf8_are_refused_not_read_as_utf16() -> None:
    from searchlib.errors import DecodeError
    from searchlib.extract.decode import decode_bytes

    text = "Bí thư Tỉnh ủy chủ trì hội nghị tổng kết công tác năm 2021 của tỉnh."
    data = text.encode("utf-8")
    with pytest.raises(DecodeError, match="does not read as text"):
        decode_bytes(b"\xff\xfe" + data + b" " * (len(data) % 2))
    assert decode_bytes(b"\xff\xfe" + text.encode("utf-16-le")).text == text
