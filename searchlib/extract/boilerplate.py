"""Split a cleaned article into headline, body paragraphs and page furniture.

The scrapers save a page top to bottom: skip links and breadcrumbs, maybe a
kicker, the headline, a date line, the article with photo captions (often the
headline again), then source, byline, domain and visitor counters. This
module walks the lines once, marks furniture with a reason (shown to users as
evidence), and keeps everything else, so that no article text is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from ._lexicon import rules
from ._regex import LazyRegex
from ._vn import variants_of_phrase
from .lines import (
    breadcrumb_segments,
    byline,
    domain,
    furniture_reason,
    is_kicker,
    prefixed_value,
    theo_outlet,
)

__all__ = ["Layout", "Line", "split_layout"]

_HEADER_LINES = 12
_LONG_TITLE = 250
# A line this long is text, not a headline or a line of the page header.
_PARAGRAPH = 120
_OUTLET_TAG = LazyRegex(r"^(?:([A-ZĐ][A-ZĐ0-9]{1,9})|\(([^()\n]{2,30})\))\s*[-–—]\s+\S")
# A source candidate: (priority, value, evidence); the lowest priority wins:
# "Nguồn:" line, then trailing domain, then "Theo ...", then an outlet tag.
_Source = tuple[int, str, str]


@dataclass
class Line:
    """One kept line: its 1-based number in the cleaned text and its text."""

    no: int
    text: str


@dataclass
class Layout:
    """The parts of a page, as found by :func:`split_layout`."""

    title: str = ""
    headline: str = ""
    title_no: int | None = None
    breadcrumb: list[str] = field(default_factory=list)
    blocks: list[list[Line]] = field(default_factory=list)
    #: Lines that hold a publication date: (line, "update line" | "date line").
    date_lines: list[tuple[Line, str]] = field(default_factory=list)
    source: str | None = None
    author: str | None = None
    evidence: dict[str, str] = field(default_factory=dict)
    removed: dict[int, str] = field(default_factory=dict)


@cache
def _tail_cut_set() -> frozenset[str]:
    headings = rules().strings("tail_cut_headings")
    return frozenset(v.lower() for s in headings for v in variants_of_phrase(s))


def _mark_furniture(lines: list[str], lay: Layout, sources: list[_Source]) -> None:
    header = True  # until the first sentence of text, or past the lines a page header takes
    seen = 0
    for i, s in enumerate(lines):
        if not s:
            continue
        seen += 1
        reason = furniture_reason(s)
        if reason == "date line" and not header:
            # A bare date inside the article is content (a fixture list, a
            # table of birth dates, a letter's date), not its publication date.
            continue
        header = header and seen < _HEADER_LINES and (reason is not None or not _is_prose(s))
        if reason is None and len(s) <= 120 and ":" in s:
            value = prefixed_value(s, "source_prefixes")
            if value is not None:
                sources.append((0, value, f"line {i + 1}: {s!r}"))
                reason = "source line"
            elif prefixed_value(s, "photo_credit_prefixes") is not None:
                reason = "photo credit"
        if reason is None:
            continue
        lay.removed[i] = reason
        if reason in ("update line", "date line"):
            lay.date_lines.append((Line(i + 1, s), reason))


def _is_prose(line: str) -> bool:
    """A line of article text rather than a headline, caption or header line."""
    return len(line) > _PARAGRAPH or line.endswith(".")


def _find_header(raw: list[str], lines: list[str], lay: Layout) -> int:
    """Find breadcrumb, kicker and headline; return the headline's index (or -1)."""
    kicker: str | None = None
    seen = 0
    for i, s in enumerate(lines):
        if not s or i in lay.removed:
            continue
        seen += 1
        if seen > _HEADER_LINES:
            break
        segments = breadcrumb_segments(raw[i]) if not lay.breadcrumb else None
        if segments:
            lay.breadcrumb = segments
            lay.removed[i] = "breadcrumb"
            continue
        if kicker is None and is_kicker(s) and _next_text(lines, lay, i) is not None:
            kicker = s
            lay.removed[i] = "kicker (moved into the title)"
            continue
        _set_title(lay, s, kicker, i)
        return i
    return -1


def _set_title(lay: Layout, s: str, kicker: str | None, i: int) -> None:
    lay.title_no = i + 1
    if len(s) > _LONG_TITLE:
        # No headline line: the first line is already a paragraph. Use its
        # first sentence as the title and keep the paragraph in the body.
        cut = s.find(". ", 0, 200)
        lay.headline = lay.title = s[: cut if cut > 0 else s.rfind(" ", 0, 150)].strip()
        lay.evidence["title"] = f"line {i + 1}: first sentence of the first paragraph (no headline)"
        return
    lay.headline = s
    lay.title = f"{kicker} {s}" if kicker else s
    lay.removed[i] = "title"
    lay.evidence["title"] = f"line {i + 1}: first line after the page header" + (
        f", with kicker {kicker!r}" if kicker else ""
    )


def _next_text(lines: list[str], lay: Layout, i: int) -> int | None:
    for j in range(i + 1, min(len(lines), i + 6)):
        if lines[j] and j not in lay.removed:
            return None if is_kicker(lines[j]) else j
    return None


def _find_footer(lines: list[str], lay: Layout, start: int, sources: list[_Source]) -> None:
    """Walk up from the end over counters, domain, source and byline lines."""
    end = len(lines)
    cut_set = _tail_cut_set()
    for i in range(max(start + 1, len(lines) // 2), len(lines)):
        if len(lines[i]) <= 40 and lines[i].lower() in cut_set:
            end = i
            for j in range(i, len(lines)):
                if lines[j]:
                    lay.removed[j] = "related-articles list"
            break
    for j in range(end - 1, start, -1):
        s = lines[j]
        if not s or j in lay.removed:
            continue
        host = domain(s)
        theo = theo_outlet(s)
        author = byline(s) if lay.author is None and host is None and theo is None else None
        if host:
            sources.append((1, host, f"line {j + 1}: domain line {s!r}"))
            lay.removed[j] = "domain line"
        elif theo:
            sources.append((2, theo, f"line {j + 1}: {s!r}"))
            lay.removed[j] = "source line"
        elif author:
            lay.author = author
            lay.evidence["author"] = f"line {j + 1}: trailing byline {s!r}"
            lay.removed[j] = "byline"
        else:
            break


def _drop_title_repeats(lines: list[str], lay: Layout, start: int) -> None:
    keys = {lay.headline.lower().rstrip(" ."), lay.title.lower().rstrip(" .")}
    longest = max(len(k) for k in keys) + 3
    for i in range(start + 1, len(lines)):
        s = lines[i]
        if s and len(s) <= longest and i not in lay.removed and s.lower().rstrip(" .") in keys:
            lay.removed[i] = "title repeated (photo caption)"


def _build_blocks(lines: list[str], lay: Layout) -> None:
    block: list[Line] = []
    for i, s in enumerate(lines):
        if s and i not in lay.removed:
            block.append(Line(i + 1, s))
        elif block:
            # A removed line also ends the paragraph: the text around it was
            # not one sentence (e.g. a caption under a repeated title).
            lay.blocks.append(block)
            block = []
    if block:
        lay.blocks.append(block)


def _outlet_tag(lay: Layout, sources: list[_Source]) -> None:
    for block in lay.blocks[:2]:
        m = _OUTLET_TAG.rx.match(block[0].text)
        if m:
            tag = m.group(1) or m.group(2)
            shown = m.group().rstrip()[:-1].strip()
            sources.append((3, tag, f"line {block[0].no}: outlet tag {shown!r} opening the lead"))
            return


def _evidence_removed(lay: Layout) -> None:
    groups: dict[str, list[str]] = {}
    for i in sorted(lay.removed):
        groups.setdefault(lay.removed[i], []).append(str(i + 1))
    if groups:
        parts = [f"{reason} (line{'s' if len(nos) > 1 else ''} {', '.join(nos)})" for reason, nos in groups.items()]
        lay.evidence["body"] = "removed " + "; ".join(parts)
    else:
        lay.evidence["body"] = "no page furniture found"


def _collapse(line: str) -> str:
    """*line* trimmed, with runs of spaces and tabs made single spaces."""
    s = line.strip()
    return " ".join(s.split()) if "  " in s or "\t" in s else s


def split_layout(text: str) -> Layout:
    """Split cleaned *text* (see :func:`searchlib.normalize.clean`) into a :class:`Layout`."""
    raw = text.split("\n")
    lines = [_collapse(r) for r in raw]
    lay = Layout()
    sources: list[_Source] = []
    _mark_furniture(lines, lay, sources)
    start = _find_header(raw, lines, lay)
    _find_footer(lines, lay, max(start, 0), sources)
    if lay.headline:
        _drop_title_repeats(lines, lay, start)
    _build_blocks(lines, lay)
    _outlet_tag(lay, sources)
    if sources:
        _, lay.source, lay.evidence["source"] = min(sources, key=lambda s: s[0])
    _evidence_removed(lay)
    return lay
