"""Raw scraped article → :class:`~searchlib.document.Document`.

Document ids are stable: a file whose name stem looks like an id (ASCII
letters, digits, ``_ . -``, 3–64 characters, at least one digit, e.g.
``000_65f6d13e4b0be4c1`` or ``01_hoi_nghi``) keeps its stem as id, so the
same file gives the same id on every run, whatever its encoding or folder.
A stem of a few digits only (``001``) is a counter that scrapers restart in
every folder (``2021/001.txt``, ``2022/001.txt``), so it is prefixed with
its folder's name: ``2021-001``.
Any other text gets ``h`` + 16 hex digits of a BLAKE2b hash of the cleaned
text, which is just as stable (the same article gives the same id whether it
was UTF-8, UTF-16 or Windows-1258) but changes when the text is edited.
"""

from __future__ import annotations

import bisect
import hashlib
import os
from pathlib import Path

from ..document import Document
from ..errors import DecodeError
from ..normalize import clean, fold
from ._regex import LazyRegex
from .boilerplate import Layout, split_layout
from .dates import find_date
from .decode import decode_bytes, read_text, unescape_entities
from .leaders import Leaders, find_leaders
from .topics import classify

__all__ = ["load_article", "parse_article", "parse_bytes", "stable_id"]

_ID_STEM = LazyRegex(r"(?=[^.]*\d)[A-Za-z0-9][A-Za-z0-9_.-]{2,63}")
_COUNTER_DIGITS = 6
_UNSAFE = LazyRegex(r"[^A-Za-z0-9_.-]+")


def stable_id(text: str, path: str | Path | None = None) -> tuple[str, str]:
    """The document id for *text* read from *path*, and how it was made."""
    if path is not None:
        where = Path(path)
        stem = where.stem
        if _ID_STEM.rx.fullmatch(stem):
            if stem.isdigit() and len(stem) <= _COUNTER_DIGITS:
                folders = _counter_folders(where)
                if folders:
                    doc_id = "-".join([*folders, stem])[-64:].lstrip("-_.")
                    why = f"folders and file name {'/'.join([*folders, stem])} (a counter alone is not unique)"
                    return doc_id, why
            return stem, f"file name stem {stem!r}"
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()
    return f"h{digest}", "hash of the cleaned text (the file name does not look like an id)"


def _counter_folders(path: Path) -> list[str]:
    """The folders that make a counter unique, as id-safe names, outermost first.

    Numbered folders (``2021/01/001.txt``), each restarting the count inside
    the one above, and the first named folder above them: ``news/01/001.txt``
    → ``news-01-001``, ``articles/001.txt`` → ``articles-001``; at most
    three. From the absolute path, so that the id does not depend on how
    the source was typed (``index .`` or ``index /data``).
    """
    names: list[str] = []
    for parent in Path(os.path.abspath(path)).parents:
        name = _UNSAFE.rx.sub("_", fold(parent.name).lower()).strip("_.-")
        if not name:
            continue  # "..." or "-_-": nothing an id can hold
        names.append(name)
        if not name.isdigit() or len(names) == 3:
            break
    return names[::-1]


def _body(lay: Layout) -> tuple[str, list[int], list[int]]:
    """The body text, and for each of its lines the offset and source line number."""
    parts: list[str] = []
    offsets: list[int] = []
    numbers: list[int] = []
    pos = 0
    for b, block in enumerate(lay.blocks):
        if b:
            parts.append("\n\n")
            pos += 2
        for i, line in enumerate(block):
            if i:
                parts.append("\n")
                pos += 1
            offsets.append(pos)
            numbers.append(line.no)
            parts.append(line.text)
            pos += len(line.text)
    return "".join(parts), offsets, numbers


def _leader_evidence(found: Leaders, line_of: list[tuple[int, int]]) -> str:
    if not found.names:
        return "no personal name printed next to an office title"
    starts = [o for o, _ in line_of]
    out = []
    for name in found.names:
        mentions = [m for m in found.mentions if m.name == name]
        no = line_of[bisect.bisect_right(starts, mentions[0].start) - 1][1]
        more = f", {len(mentions)} mentions" if len(mentions) > 1 else ""
        out.append(f"{name}: {'; '.join(found.roles[name])} (line {no}{more})")
    return " | ".join(out)


def parse_article(text: str, *, path: str | None = None) -> Document:
    """Extract a :class:`Document` from the raw text of one scraped article."""
    cleaned = clean(unescape_entities(text))
    lay = split_layout(cleaned)
    body, offsets, numbers = _body(lay)
    head = len(lay.title) + 2
    analysed = f"{lay.title}\n\n{body}"
    line_of = [(0, lay.title_no or 1)] + [(head + o, n) for o, n in zip(offsets, numbers)]
    date = find_date(lay, analysed)
    leaders = find_leaders(analysed)
    topics = classify(lay.title, body, lay.breadcrumb)
    doc_id, id_why = stable_id(cleaned, path)
    evidence = {
        "id": id_why,
        "title": lay.evidence.get("title", "no text"),
        "body": lay.evidence["body"],
        "date": date.evidence,
        "leaders": _leader_evidence(leaders, line_of),
        "topics": topics.evidence,
        "source": lay.evidence.get("source", "no 'Nguồn:' line, trailing domain or outlet tag"),
        "author": lay.evidence.get("author", "no trailing byline"),
    }
    return Document(
        id=doc_id,
        title=lay.title,
        body=body,
        date=date.date,
        date_precision=date.precision,
        leaders=leaders.names,
        roles=leaders.roles,
        topics=topics.labels,
        source=lay.source,
        author=lay.author,
        path=None if path is None else str(path),
        evidence=evidence,
    )


def load_article(path: str | Path) -> Document:
    """Read the article at *path* (any supported encoding) and extract it.

    Raises :class:`~searchlib.errors.SourceError` when the file cannot be
    read and :class:`~searchlib.errors.DecodeError` when its encoding cannot
    be told with confidence.
    """
    return parse_article(read_text(path).text, path=str(path))


def parse_bytes(data: bytes, *, path: str | None = None) -> Document:
    """Decode the raw bytes of one article (any supported encoding) and extract it.

    For callers that already hold the bytes, e.g. to checksum them. Raises
    :class:`~searchlib.errors.DecodeError` (naming *path*) when the encoding
    cannot be told with confidence.
    """
    try:
        text = decode_bytes(data).text
    except DecodeError as exc:
        raise DecodeError(f"{path}: {exc}" if path else str(exc)) from None
    return parse_article(text, path=path)
