"""The article's date, with its precision, or None when it is not stated safely.

A wrong date is worse than none, so only three places are trusted, in order:

1. a publication/update line or a line holding only a date
   (``Cập nhật ngày: 04/12/2020 - 20:06``, ``10-06-2021 07:20``);
2. the dateline of the lead: a date that opens a sentence (``Ngày 04/6,
   ...``, ``10h sáng 15/9, ...``) or follows the event it dates (``hội nghị
   diễn ra vào chiều 4.12.2020``), unless it belongs to a cited document
   (``Nghị quyết số 49/2016/NQ-HĐND ngày 08/12/2016``);
3. a date tag at the end of the title (``(TS 20/11)``), or a date that opens
   or ends the title (``Kỳ họp thứ 9 ... ngày 12/7/2023``).

Elsewhere in a sentence a date is usually another event's: a deadline
(``trước ngày 25-2``), an effective date (``từ ngày 1/1/2006``), a birth, an
anniversary (``Sài Gòn ngày 30/4/1975``), a crime the trial is about. Read
on 21,000 news articles, half of such dates were not the article's, so they
are not used. Nor is a date after today (no article is published in the
future), or one that the story itself recalls: older than a year it speaks
of as past (``Ngày 21/5/1904, FIFA ra đời ... đầu năm 2004``), or followed
by ``59 năm sau`` or ``20 năm nhìn lại``.

A day and month without a year get a year only when the text fixes it: the
same day/month printed with a year (not a cited document's, nor the one an
anniversary remembers), or a report on "the first K months of year Y" dated
in month K or K+1 (not a period it is compared with), or (for October to
December) a year-end meeting that reviews year Y and plans year Y+1. Dates
deeper in the body are never used.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property

from ..document import DatePrecision
from ..normalize import lower
from ._lexicon import rules
from ._regex import LazyRegex
from .boilerplate import Layout
from .lines import update_date_text

__all__ = ["DateFound", "find_date", "parse_date_text"]

_FULL = (
    # No (?<!\d) in front: a leading digit class lets re skip non-digits fast.
    (LazyRegex(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)"), "dmy"),
    (LazyRegex(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)"), "ymd"),
    # "ngày" may have gone with the label ("Cập nhật ngày 15 tháng 5 năm 2021").
    (LazyRegex(r"(?:ngày\s+|^)(\d{1,2})\s+tháng\s+(\d{1,2})(?:,\s*|,?\s+năm\s+)(\d{4})"), "dmy"),
)
_MONTH = LazyRegex(r"(?:tháng\s+|^)(\d{1,2})\s*(?:/|,?\s*năm)\s*(\d{4})$")
_LEAD = LazyRegex(
    r"(?:ngày|sáng|chiều|tối|trưa|đêm|hôm)\s+(?:nay\s+)?\(?\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})"
    r"(?:\s*[/.-]\s*(\d{4}))?(?![\d/.-]*\d)"
    r"|ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?:,?\s+năm\s+(\d{4}))?"
)
# Where a dateline may start; _LEAD is only tried there (a literal-led
# alternation lets re skip quickly to the candidates).
_LEAD_WORD = LazyRegex("ngày|sáng|chiều|tối|trưa|đêm|hôm")
_TITLE_TAG = LazyRegex(r"\((?:[^()\d]{1,12}\s)?(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?\)\s*$")
_LEAD_CHARS = 300
# The opening of a lead or title up to its dateline: an outlet tag ("TT - ",
# or "(NLĐ)- " after a headline printed on the same line), then clock times,
# "vào", "lúc", "khoảng" or a part of the day ("Tối ngày 8/4", "Lúc 20 giờ 30
# ngày 31-12").
_OPENING = LazyRegex(
    r"(?:[^\n\d:]{0,40}?\s[-–]|[^\n]{0,200}?\([^()\s]{2,8}\)\s?[-–])?"
    r"(?:\s|,|vào|lúc|khoảng|chỉ|sáng|chiều|tối|trưa|đêm|hôm|nay|\d{1,2}\s?(?:h|g|giờ)(?:\s?\d{1,2}(?:'|’|\s?phút)?)?)*"
)
# Words that make a date another event's: a start, an end, a deadline, a birth.
_RELATION = LazyRegex(r"(?:^|\s)(?:từ|đến|tới|tận|trước|sau|sinh|rạng|hạn|hết)\s$")
# A title longer than this is a paragraph the source printed as its first line.
_SHORT_TITLE = 120
# The event a mid-sentence date belongs to, just before it; not one to come.
_EVENT = LazyRegex(r"(?:diễn ra|tổ chức|khai mạc|bế mạc|họp)\s(?:vào\s)?$")
_TO_COME = LazyRegex(r"(?:^|\s)(?:sẽ|dự kiến|sắp)\s")
_SENTENCE_END = LazyRegex(r"[.!?]\s|\n")
_CLAUSE_END = LazyRegex(r"[.;:!?\n]")


@dataclass(frozen=True)
class DateFound:
    """The outcome of :func:`find_date`; ``evidence`` says why."""

    date: dt.date | None
    precision: DatePrecision | None
    evidence: str


def _valid(y: int, m: int, d: int) -> dt.date | None:
    if not 1900 <= y <= 2100:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def parse_date_text(s: str) -> tuple[dt.date, DatePrecision] | None:
    """A full date (or month) in *s*, e.g. from a publication line."""
    low = s.lower().strip()
    for rx, order in _FULL:
        for m in rx.rx.finditer(low):
            if low[m.start() - 1 : m.start()].isdigit():
                continue  # the tail of a longer number
            a, b, c = (int(g) for g in m.groups())
            date = _valid(a, b, c) if order == "ymd" else _valid(c, b, a)
            if date:
                return date, "day"
    m2 = _MONTH.rx.search(low.strip())
    if m2:
        date = _valid(int(m2.group(2)), int(m2.group(1)), 1)
        if date:
            return date, "month"
    return None


@cache
def _doc_reference() -> re.Pattern[str]:
    words = sorted((w.lower() for w in rules().strings("doc_reference_words")), key=len)[::-1]
    return re.compile(r"(?:^|[^\w])(?:" + "|".join(re.escape(w) for w in words) + r")(?:\s|$)")


def _cites_document(text: str, start: int, *, bare_number: bool = True) -> bool:
    """True when the clause before *start* names a document (so the date is the document's).

    With *bare_number* False, a lone "số" does not count: in related-link
    lists ("Bão số 8 gây mưa (31/10/2005)") it numbers a storm.
    """
    window = text[max(0, start - 60) : start]
    ends = list(_CLAUSE_END.rx.finditer(window))
    clause = (window[ends[-1].end() :] if ends else window).lower()
    return any(bare_number or m.group().strip() != "số" for m in _doc_reference().finditer(clause))


_K_MONTHS = LazyRegex(r"tháng (?:đầu )?năm (\d{4})")
# "compared with the first 6 months of 2019": last year's period, not this one's.
_COMPARED = LazyRegex(r"(?:so với|cùng kỳ)[^.;:\n]{0,12}$")
_ANNIVERSARY = LazyRegex(
    r"kỷ niệm|giải phóng|thành lập|ra đời|ngày sinh|ngày mất|qua đời|từ trần|hy sinh|lịch sử|năm xưa|cách đây"
)
# A year the text speaks of as past: "năm 2004", or one of a full date, unless
# a plan, a deadline or a range ("đến năm 2030", "trước ngày 31/12/2025").
_ANNIVERSARY_N = LazyRegex(r"kỷ niệm (?:lần thứ )?(\d{1,3})(?!\d)")
# "59 năm sau", "20 năm nhìn lại" near the top: the story looks back on its date.
# Not "cách đây 55 năm" or "55 năm trước": those count back from today, not from the date.
# Nor "50 năm sau khi đưa vào khai thác": a duration, not the story's "now".
_LOOKING_BACK = LazyRegex(r"(?<!\d)(\d{2,3}) năm (?:sau|nhìn lại)(?!\w)(?! khi)")
_LOOK_BACK_CHARS = 600
_YEAR_SAID = LazyRegex(r"năm (\d{4})(?!\d)|(?<!\d)\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*(\d{4})(?!\d)")
# How much later a year the text speaks of must be to make a date recalled: a
# full date (an event that happened, a related link's date) two years; a bare
# "năm 2021", which may be a plan written without a plan word, ten.
_LATER_DATE, _LATER_YEAR = 2, 10
_AHEAD = LazyRegex(
    r"(?:đến|tới|trước|hết|hạn|giai đoạn|nhiệm kỳ|vào|cuối|từ)(?:\s+(?:ngày|năm|tháng))?\s*$|[-–]\s*$"
    r"|(?:sẽ|dự kiến|kế hoạch|mục tiêu|tầm nhìn|phấn đấu|dự báo|định hướng)[^.;:!?\n]*$"
    # An effective date, a completion or a start: ahead of the story as often as not.
    r"|(?:hiệu lực|thi hành|áp dụng|hoàn thành|khánh thành|khởi công|đưa vào|bắt đầu)[^.;:!?\n]{0,30}$"
)
_NUMBER_BEFORE = LazyRegex(r"(?<!\d)(\d{1,2}) $")
_QUARTER = LazyRegex(r"quý (i{1,3}|iv|[1-4]) năm (\d{4})")
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _alternatives(words: str, rest: str) -> LazyRegex:
    # A top-level alternation of literal prefixes lets re skip ahead quickly;
    # a group around the words would make it try every position.
    return LazyRegex("|".join(w + rest for w in words.split("|")))


_REVIEW = _alternatives("kết quả|tổng kết|đánh giá|tình hình", r"[^.;:\n]{0,80}?năm (\d{4})")
_PLAN = _alternatives("phương hướng|kế hoạch|nhiệm vụ|dự toán|chỉ tiêu", r"[^.;:\n]{0,40}?năm (\d{4})")


def _months_reported(text: str, low: str, month: int) -> dict[int, str]:
    """Years Y of "the first K months (or quarter Q) of year Y", for a date in month K or K+1."""
    years: dict[int, str] = {}
    for m in _K_MONTHS.rx.finditer(low):
        k = _NUMBER_BEFORE.rx.search(low, max(0, m.start() - 4), m.start())
        if k and _COMPARED.rx.search(low, max(0, k.start() - 24), k.start()):
            continue
        if k and int(k.group(1)) <= month <= int(k.group(1)) + 1:
            years.setdefault(int(m.group(1)), repr(text[k.start() : m.end()]))
    for m in _QUARTER.rx.finditer(low):
        q = m.group(1)
        k_months = 3 * (_QUARTERS.get(q) or int(q))
        if k_months <= month <= k_months + 1:
            years.setdefault(int(m.group(2)), repr(text[m.start() : m.end()]))
    return years


def _same_day_printed(text: str, day: int, month: int) -> dict[int, str]:
    """Years printed with this day and month elsewhere (``12/7/2023`` for ``Sáng 12/7``)."""
    days, months = {str(day), f"{day:02d}"}, {str(month), f"{month:02d}"}
    # Cheap substring test first: most texts never print the full date.
    if not any(f"{d}{sep}{m}{sep}" in text for d in days for m in months for sep in "/.-"):
        return {}
    years: dict[int, str] = {}
    for m in _FULL[0][0].rx.finditer(text):
        if text[m.start() - 1 : m.start()].isdigit():
            continue
        if int(m.group(1)) == day and int(m.group(2)) == month and not _recalled(text, m.start()):
            years.setdefault(int(m.group(3)), repr(m.group()))
    return years


def _recalled(text: str, start: int) -> bool:
    """True when the date at *start* is a cited document's or an anniversary's, not today's event's.

    ``Sáng 30/4, tỉnh mít tinh kỷ niệm Ngày giải phóng 30/4/1975``: the same
    day and month, printed with the year of the event remembered.
    """
    # A headline's words before a date in brackets, the related-link form
    # ("... thông báo điểm thi(28/07/2005)"), cite nothing.
    linked = text[start - 1 : start] == "("
    if not linked and _cites_document(text, start, bare_number=False):
        return True
    window = text[max(0, start - 80) : start]
    ends = list(_SENTENCE_END.rx.finditer(window))
    return bool(_ANNIVERSARY.rx.search(lower(window[ends[-1].end() :] if ends else window)))


class _Years:
    """Year inference for one article, each day/month worked out once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._seen: dict[tuple[int, int], tuple[int, str] | None] = {}

    @cached_property
    def latest(self) -> tuple[tuple[int, str] | None, tuple[int, str] | None]:
        """The latest year of a full date and of a "năm YYYY" the text speaks of as past, and where.

        Not measured against today: the same article gives the same date in
        any year it is indexed.
        """
        best: list[tuple[int, str] | None] = [None, None]
        low = self.low
        for m in _YEAR_SAID.rx.finditer(low):
            kind = 0 if m.group(2) else 1
            year = int(m.group(2) or m.group(1))
            found = best[kind]
            if (found is None or year > found[0]) and not _AHEAD.rx.search(low, max(0, m.start() - 60), m.start()):
                best[kind] = (year, self.text[m.start() : m.end()])
        return best[0], best[1]

    @cached_property
    def low(self) -> str:
        return lower(self.text)  # same length, so offsets slice the original

    def infer(self, day: int, month: int) -> tuple[int, str] | None:
        """The year of ``day/month`` when the text fixes it, and why; else None.

        Evidence, in order: the same day/month printed with a year; a report
        on the first K months of year Y, dated in month K or K+1 (a report is
        written at the end of the period or just after); for October to
        December, a year-end meeting reviewing year Y and planning year Y+1.
        Conflicting years give None.
        """
        if (day, month) not in self._seen:
            self._seen[day, month] = self._infer(day, month)
        return self._seen[day, month]

    def _infer(self, day: int, month: int) -> tuple[int, str] | None:
        text = self.text
        years = _same_day_printed(text, day, month)
        # At an N-th anniversary, the same day and month printed with a year Y
        # may be the remembered event ("Sáng 6-9 ... kỷ niệm lần thứ 74 ngày
        # mất ... 6-9-1931") or this year's ("Chiều 20-4, kỷ niệm 55 năm ngày
        # thành lập ... 1950 ... Chiều 20-4-2005"). Y is taken only when the
        # text also prints Y - N, the year remembered.
        spans = [int(m.group(1)) for m in _ANNIVERSARY_N.rx.finditer(self.low)]
        if spans:
            years = {y: why for y, why in years.items() if all(_prints_year(self.low, y - n) for n in spans)}
        if not years:
            years = _months_reported(text, self.low, month)
        if not years and month >= 10:
            years = _year_end(text, self.low)
        if len(years) != 1:
            return None
        ((year, why),) = years.items()
        return year, why


def _prints_year(low: str, year: int) -> bool:
    return re.search(rf"(?<!\d){year}(?!\d)", low) is not None


def _last_int(m: re.Match[str]) -> int:
    return int(m.group(m.lastindex or 0))


def _year_end(text: str, low: str) -> dict[int, str]:
    """Year Y of a year-end meeting that reviews year Y and plans year Y+1."""
    reviews = {_last_int(m): text[m.start() : m.end()] for m in _REVIEW.rx.finditer(low)}
    plans = {_last_int(m): text[m.start() : m.end()] for m in _PLAN.rx.finditer(low)}
    return {y: f"a year-end review {why!r} and plan {plans[y + 1]!r}" for y, why in reviews.items() if y + 1 in plans}


def _complete(day: int, month: int, year: int | None, years: _Years, where: str) -> DateFound | None:
    """Turn a day/month (and maybe year) into a DateFound, inferring the year if safe."""
    if year is None:
        if _valid(2000, month, day) is None:
            return None
        inferred = years.infer(day, month)
        if inferred is None:
            why = f"{where} gives {day}/{month} without a year, and the text does not fix the year"
            return DateFound(None, None, why)
        year, where = inferred[0], f"{where}; year {inferred[0]} from {inferred[1]}"
    date = _valid(year, month, day)
    if date is None:
        return None
    if date > dt.date.today():
        return DateFound(None, None, f"{where} is in the future: a deadline or a plan, not the article's date")
    looking_back = _LOOKING_BACK.rx.search(years.low, 0, _LOOK_BACK_CHARS)
    if looking_back and int(looking_back.group(1)) >= 10:
        why = f"{where} is followed by {years.text[looking_back.start() : looking_back.end()]!r}: an event it recalls"
        return DateFound(None, None, why)
    full, bare = years.latest
    for later, gap in ((full, _LATER_DATE), (bare, _LATER_YEAR)):
        if later is not None and later[0] >= year + gap:
            # A story dated 21/5/1904 that speaks of 2004 recalls 1904.
            why = f"{where} is older than {later[1]!r}, which the text speaks of: an event it recalls"
            return DateFound(None, None, why)
    return DateFound(date, "day", where)


def _placed(low: str, start: int, end: int, title: bool) -> bool:
    """True when the date at ``low[start:end]`` is placed as the article's own (see the module notes).

    *low* is a lead or a title, lower-cased; only its first sentence counts.
    """
    before = low[:start]
    if _SENTENCE_END.rx.search(before) or _RELATION.rx.search(before[-12:]):
        return False
    if _OPENING.rx.fullmatch(before):
        return True
    if title and len(low) <= _SHORT_TITLE and not low[end:].strip(" .!?)\"'”"):
        return True
    return bool(_EVENT.rx.search(before)) and not _TO_COME.rx.search(before)


def _datelines(s: str, where: str, years: _Years, *, title: bool = False) -> Iterator[DateFound]:
    """Datelines in *s* (``Ngày 04/6``, ``chiều 4.12.2020``), except cited documents' dates."""
    low = s.lower()
    end = 0
    for word in _LEAD_WORD.rx.finditer(low):
        m = _LEAD.rx.match(low, word.start()) if word.start() >= end else None
        if m is None or not _placed(low, m.start(), m.end(), title) or _cites_document(s, m.start()):
            continue
        end = m.end()
        g = m.groups()
        d, mo, y = (g[0], g[1], g[2]) if g[0] else (g[3], g[4], g[5])
        shown = s[m.start() : m.end()]
        found = _complete(int(d), int(mo), int(y) if y else None, years, f"{where} {shown!r}")
        if found is not None:
            yield found


def _candidates(lay: Layout, years: _Years) -> Iterator[DateFound]:
    """Datelines of the lead, then date tags of the title, best first."""
    leads = [b for b in lay.blocks[:3] if sum(len(line.text) for line in b) >= 60][:2]
    for block in leads:
        head = block[0].text[:_LEAD_CHARS]
        if lay.title and head.startswith(lay.title) and head[len(lay.title) : len(lay.title) + 1] == ".":
            # The title is this paragraph's first sentence (the source printed
            # no headline); the lead starts after it.
            head = head[len(lay.title) + 1 :].lstrip()
        yield from _datelines(head, f"line {block[0].no}: dateline", years)
    if lay.title:
        where = f"line {lay.title_no}: title"
        m = _TITLE_TAG.rx.search(lay.title)
        if m:
            d, mo, y = m.group(1), m.group(2), m.group(3)
            shown = m.group().strip()
            tag = _complete(int(d), int(mo), int(y) if y else None, years, f"{where} tag {shown!r}")
            if tag is not None:
                yield tag
        yield from _datelines(lay.title, where, years, title=True)


def find_date(lay: Layout, text: str) -> DateFound:
    """Find the article date in *lay*; *text* is the title and body, for year inference."""
    for want in ("update line", "date line"):
        for line, kind in lay.date_lines:
            part = update_date_text(line.text.lower()) if kind == "update line" else line.text
            parsed = parse_date_text(part or "") if kind == want else None
            if parsed and parsed[0] > dt.date.today():
                continue  # a typo or a clock gone wrong: no article is published in the future
            if parsed:
                return DateFound(parsed[0], parsed[1], f"line {line.no}: {line.text!r} ({kind})")
    first: DateFound | None = None
    for found in _candidates(lay, _Years(text)):
        if found.date is not None:
            return found
        first = first or found  # explains why the day and month it saw got no year
    none = "no publication line, date line, dateline or title date tag"
    return first or DateFound(None, None, none)
