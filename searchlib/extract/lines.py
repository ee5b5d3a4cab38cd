"""Tests on single lines: is this line page furniture, a date, a byline, ...?

Each test looks at one whitespace-collapsed line. Long lines are article
text, so the tests bail out early on them: most of an article's lines are
long paragraphs, and this keeps extraction fast.
"""

from __future__ import annotations

import re
from functools import cache

from ._lexicon import places, rules
from ._regex import LazyRegex
from ._vn import LOWER, UPPER, key, variants_of_phrase

__all__ = [
    "DATE_ONLY",
    "breadcrumb_segments",
    "byline",
    "domain",
    "furniture_reason",
    "is_kicker",
    "prefixed_value",
    "theo_outlet",
]

_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{1,2}-\d{1,2}(?:t[\d:.]+z?)?"
    r"|\d{1,2} tháng \d{1,2},? năm \d{4})"
)
_TIME = (
    r"\d{1,2}[:h]\d{2}(?::\d{2})?(?:\s*(?:sa|ch|am|pm))?"
    r"(?:\s*\(?gmt\s*[+-]\s*\d{1,2}(?::\d\d)?\)?)?"
)
_WEEKDAY = r"(?:(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật|cn)\s*[,-]?\s*)"
#: A lower-cased line that holds only a date and maybe a weekday and a time.
DATE_ONLY = LazyRegex(rf"^(?:{_TIME}\s*[-,|]?\s*)?{_WEEKDAY}?(?:ngày\s*)?{_DATE}(?:\s*(?:[-,|]|lúc)?\s*{_TIME})?$")
_DOMAIN = LazyRegex(
    r"^(?:https?://)?(?:www\.)?((?:[a-z0-9-]+\.)+(?:vn|com|net|org|info|gov|edu|asia|biz))"
    r"(?:/\S*)?$"
)
_STRONG_SPLIT = LazyRegex(r"\s*[>»›|/]\s*|\s{2,}")
_DASH_SPLIT = LazyRegex(r"\s[-–]\s")
_NAME_WORD = rf"[{UPPER}][{LOWER}]*\.?"
_BYLINE = LazyRegex(
    rf"^{_NAME_WORD}(?: {_NAME_WORD}){{0,3}}"
    rf"(?:\s*(?:[-–,]|và)\s*{_NAME_WORD}(?: {_NAME_WORD}){{0,3}}){{0,3}}"
    r"(?:\s*\([^()]{1,24}\))?$"
)
_BYLINE_ABBR = LazyRegex(r"^(?:PV|P\.V|CTV|Nhóm PV|PV/[A-ZĐ]{2,8})$")


@cache
def _furniture_set() -> frozenset[str]:
    """Furniture lines lower-cased, in both tone placements."""
    lines = rules().strings("furniture_lines")
    return frozenset(v.lower() for s in lines for v in variants_of_phrase(s))


@cache
def _counter() -> re.Pattern[str]:
    return re.compile(str(rules().raw["counter_pattern"]))


@cache
def _update_label() -> re.Pattern[str]:
    labels = sorted(
        {v.lower() for s in rules().strings("update_labels") for v in variants_of_phrase(s)},
        key=len,
        reverse=True,
    )
    return re.compile(r"^(?:" + "|".join(re.escape(s) for s in labels) + r")\s*(:?)\s*(.*)$")


def update_date_text(low: str) -> str | None:
    """The date part of a publication/update line such as ``Cập nhật ngày: 04/12/2020 - 20:06``."""
    if len(low) > 80:
        return None
    m = _update_label().match(low)
    if m is None or m.group(2) == "":
        return None
    rest = m.group(2)
    if DATE_ONLY.rx.match(rest):
        return rest
    # "Ngày đăng: 06/2021", "Cập nhật: tháng 6/2021": a labelled line, short.
    if m.group(1) and len(low) <= 60 and (not rest[:1].isalpha() or rest.startswith("tháng")):
        return rest
    return None


def furniture_reason(line: str) -> str | None:
    """Why *line* is page furniture ("skip link", "counter", ...), or None."""
    if len(line) > 80:
        return None
    low = line.lower()
    if low in _furniture_set():
        return "site furniture"
    if _counter().match(low):
        return "visitor counter"
    if update_date_text(low) is not None:
        return "update line"
    if DATE_ONLY.rx.match(low):
        return "date line"
    return None


@cache
def _label_keys(list_name: str) -> frozenset[str]:
    return frozenset(key(s) for s in rules().strings(list_name))


def prefixed_value(line: str, list_name: str) -> str | None:
    """The text after ``Label:`` when *line* starts with one of the labels in *list_name*."""
    head, sep, rest = line.partition(":")
    if not sep or len(head) > 24:
        return None
    if key(head.strip(" ()")) in _label_keys(list_name):
        return rest.strip(" ()").rstrip(".") or None
    return None


def domain(line: str) -> str | None:
    """The host name when *line* is only a domain or URL (``thainguyen.gov.vn``)."""
    if len(line) > 100 or " " in line:
        return None
    m = _DOMAIN.rx.match(line.lower())
    return m.group(1) if m else None


_THEO = LazyRegex(r"^[Tt]heo\s+(\S.{1,60}?)\.?$")
_OUTLET_ABBR = LazyRegex(r"^[A-ZĐ][A-ZĐ0-9&/.-]{1,11}$")


def theo_outlet(line: str) -> str | None:
    """The outlet of a trailing ``Theo TTXVN`` / ``Theo Báo Nhân Dân`` line, else None.

    Only an abbreviation, a domain, or a name starting with an outlet word
    counts: "Theo báo cáo của Sở..." closes many articles and is no source.
    """
    m = _THEO.rx.match(line) if len(line) <= 70 else None
    if m is None or any(c.isdigit() for c in m.group(1)):
        return None
    value = m.group(1)
    if _OUTLET_ABBR.rx.match(value) or domain(value):
        return value
    if key(value).startswith(tuple(rules().strings("outlet_words"))) and len(value.split()) <= 8:
        return value
    return None


# A byline is a bare name; a name with its form of address is one the article names.
_ADDRESSED = ("Ông ", "Bà ", "Đồng chí ")


def byline(line: str) -> str | None:
    """The author name(s) when *line* looks like a trailing byline."""
    if len(line) > 60 or any(c.isdigit() for c in line):
        return None
    value = prefixed_value(line, "byline_prefixes") or line
    if _BYLINE_ABBR.rx.match(value):
        return value
    if not _BYLINE.rx.match(value) or len(value.split()) > 8:
        return None
    if value.startswith(_ADDRESSED):
        return None  # "Bà Trần Thị Hoa": a person the text lists, not who wrote it
    if key(value) in places() or key(value) in rules().categories:
        return None
    return value


def breadcrumb_segments(raw: str) -> list[str] | None:
    """The segments of a breadcrumb line (``Thời Sự - Chính trị   Xây dựng Đảng``) or None.

    *raw* is the line before its spaces were collapsed: scrapers keep the
    gaps between breadcrumb links as runs of spaces.
    """
    line = raw.strip()
    if not line or len(line) > 100 or line[-1] in ".:;!?,":
        return None
    parts = [p for p in _STRONG_SPLIT.rx.split(line) if p]
    strong = len(parts) > 1
    if not strong:
        parts = _DASH_SPLIT.rx.split(line)
    if not 2 <= len(parts) <= 6 or any(len(p.split()) > 6 or not p[0].isupper() for p in parts):
        return None
    known = sum(1 for p in parts if _is_category(p))
    return parts if (strong and known) or known * 2 >= len(parts) else None


def _is_category(segment: str) -> bool:
    cats = rules().categories
    return key(segment) in cats or all(key(p) in cats for p in _DASH_SPLIT.rx.split(segment))


def is_kicker(line: str) -> bool:
    """A short lead-in ending with a colon, printed above the headline."""
    return line.endswith(":") and len(line) <= 80 and len(line.split()) <= 10
