"""JSON Lines records → :class:`~searchlib.document.Document`.

A record is trusted as given: its fields are validated and cleaned, not
re-extracted. Keys: ``id``, ``title``, ``body`` (or ``text`` or
``content``, as other tools name it), ``date`` (``YYYY``,
``YYYY-MM`` or ``YYYY-MM-DD``; a time after the day is ignored), ``leaders``
(list, or one string with names separated by ``;`` or ``,``), ``topics``
(list, or one string with labels separated by ``;``; kept as given),
``source``, ``author``, ``url``. Missing keys and JSON ``null`` mean
"unknown"; other keys are ignored, but a record with none of the body's
names and keys of its own is refused, naming them: its text would be lost
without a word. With ``extract_missing=True`` a missing
date, leaders or topics are extracted from the title and body instead.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..document import DatePrecision, Document
from ..errors import DecodeError, SourceError
from ..normalize import canonical_tones, clean
from ._regex import LazyRegex
from .article import parse_article, stable_id
from .decode import unescape_entities

__all__ = ["document_from_record", "load_jsonl", "parse_iso_date"]

_ISO = LazyRegex(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?)?)?")
_TEXT_FIELDS = ("title", "source", "author", "url")
#: Where a record's text may be, first found first.
_BODY_KEYS = ("body", "text", "content")
_KNOWN_KEYS = frozenset({"id", "date", "leaders", "topics", *_TEXT_FIELDS, *_BODY_KEYS})


def parse_iso_date(value: str) -> tuple[dt.date, DatePrecision]:
    """``"2021"`` → (2021-01-01, "year"); ``"2021-06"`` → month; ``"2021-06-10"`` → day."""
    m = _ISO.rx.fullmatch(value.strip())
    if m is None:
        raise ValueError(f"{value!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = m.group(1), m.group(2), m.group(3)
    precision: DatePrecision = "day" if day else "month" if month else "year"
    try:
        return dt.date(int(year), int(month or 1), int(day or 1)), precision
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a calendar date: {exc}") from None


def _where(path: str | None, line: int | None) -> str:
    if path and line:
        return f"{path}:{line}"
    return path or (f"line {line}" if line else "record")


def _text(record: dict[str, Any], name: str, where: str) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise SourceError(f"{where}: field {name!r} must be a string, got {type(value).__name__}")
    return clean(unescape_entities(value)).strip() or None


def _body(text: str) -> str:
    """Tidy a record body: trimmed lines, at most one blank line between paragraphs."""
    out: list[str] = []
    for line in text.split("\n"):
        line = " ".join(line.split())
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def _names(record: dict[str, Any], name: str, where: str, separators: str) -> list[str] | None:
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        items: list[Any] = re.split(f"[{separators}]", value)
    elif isinstance(value, list):
        items = value
    else:
        raise SourceError(f"{where}: field {name!r} must be a list of strings or a string, got {type(value).__name__}")
    out: list[str] = []
    for item in items:
        if not isinstance(item, str):
            got = type(item).__name__
            raise SourceError(f"{where}: field {name!r} must hold strings, got {got}")
        text = " ".join(clean(item).split())
        if name == "leaders":
            text = canonical_tones(text)
        if text and text not in out:
            out.append(text)
    return out


def _record_id(record: dict[str, Any], title: str, body: str, where: str) -> tuple[str, str]:
    value = record.get("id")
    if isinstance(value, bool) or not isinstance(value, (str, int, type(None))):
        got = type(value).__name__
        raise SourceError(f"{where}: field 'id' must be a string or an integer, got {got}")
    if value is not None and str(value).strip():
        return str(value).strip(), "record field 'id'"
    doc_id, _ = stable_id(f"{title}\n{body}")
    return doc_id, "hash of the record's title and body (no 'id')"


def _date(record: dict[str, Any], where: str) -> tuple[dt.date, DatePrecision] | None:
    value = record.get("date")
    if value is None:
        return None
    if not isinstance(value, str):
        got = type(value).__name__
        raise SourceError(f"{where}: field 'date' must be an ISO date string, got {got}")
    try:
        return parse_iso_date(value)
    except ValueError as exc:
        raise SourceError(f"{where}: field 'date': {exc}") from None


def _fill(doc: Document, record: dict[str, Any], where: str, extracted: Document | None) -> None:
    """Set date, leaders and topics from the record, or from *extracted* when missing."""
    date = _date(record, where)
    leaders = _names(record, "leaders", where, ";,")
    topics = _names(record, "topics", where, ";")
    ev = doc.evidence
    if date is not None:
        doc.date, doc.date_precision = date
        ev["date"] = f"record field 'date' ({date[1]} precision)"
    elif extracted is not None:
        doc.date, doc.date_precision = extracted.date, extracted.date_precision
        ev["date"] = "extracted: " + extracted.evidence["date"]
    if leaders is not None:
        doc.leaders, doc.roles = leaders, {name: [] for name in leaders}
        ev["leaders"] = "record field 'leaders'"
    elif extracted is not None:
        doc.leaders, doc.roles = extracted.leaders, extracted.roles
        ev["leaders"] = "extracted: " + extracted.evidence["leaders"]
    if topics is not None:
        doc.topics = topics
        ev["topics"] = "record field 'topics'"
    elif extracted is not None:
        doc.topics = extracted.topics
        ev["topics"] = "extracted: " + extracted.evidence["topics"]


def document_from_record(
    record: dict[str, Any],
    *,
    path: str | None = None,
    line: int | None = None,
    extract_missing: bool = False,
) -> Document:
    """Build a :class:`Document` from one JSON Lines record (see the module docstring).

    Raises :class:`~searchlib.errors.SourceError` naming the field when a
    value has the wrong type or is not a valid date.
    """
    where = _where(path, line)
    if not isinstance(record, dict):
        raise SourceError(f"{where}: a record must be a JSON object, got {type(record).__name__}")
    fields = {name: _text(record, name, where) for name in _TEXT_FIELDS}
    # null or "" means no text there: the next name may hold it.
    key = next((k for k in _BODY_KEYS if record.get(k) not in (None, "")), None)
    if key is None and not any(k in record for k in _BODY_KEYS) and (unknown := sorted(set(record) - _KNOWN_KEYS)):
        raise SourceError(
            f"{where}: no 'body' (the article's text; 'text' or 'content' will do), and keys this reader does not "
            f"know: {', '.join(map(repr, unknown[:8]))}. Put the text under 'body'"
        )
    title, body = fields["title"] or "", _body((_text(record, key, where) if key else None) or "")
    doc_id, id_why = _record_id(record, title, body, where)
    doc = Document(
        id=doc_id,
        title=title,
        body=body,
        source=fields["source"],
        author=fields["author"],
        url=fields["url"],
        path=path,
        evidence={"id": id_why},
    )
    extracted = parse_article(f"{title}\n\n{body}") if extract_missing else None
    _fill(doc, record, where, extracted)
    return doc


def load_jsonl(path: str | Path, *, extract_missing: bool = False) -> Iterator[Document]:
    """Documents from a JSON Lines file (``.jsonl`` or ``.jsonl.gz``), one per non-blank line."""
    name = str(path)
    opener = gzip.open if name.endswith(".gz") else open
    try:
        with opener(name, "rt", encoding="utf-8-sig", errors="strict") as handle:
            for number, text in enumerate(handle, 1):
                if not text.strip():
                    continue
                try:
                    record = json.loads(text)
                except json.JSONDecodeError as exc:
                    raise SourceError(f"{name}:{number}: not valid JSON ({exc.msg})") from None
                yield document_from_record(record, path=name, line=number, extract_missing=extract_missing)
    except UnicodeDecodeError as exc:
        why = f"{exc.reason} at byte {exc.start}"
        raise DecodeError(f"{name}: JSON Lines must be UTF-8 ({why})") from None
    except OSError as exc:
        raise SourceError(f"cannot read {name}: {exc.strerror or exc}") from None
