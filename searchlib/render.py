"""Turn library results into text or JSON for the CLI. Pure functions, no I/O."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from searchlib.snippets import render_ansi, render_plain

if TYPE_CHECKING:
    from searchlib.analysis import Analysis
    from searchlib.api import IndexStats
    from searchlib.document import Document
    from searchlib.indexer import BuildReport
    from searchlib.search import Hit, SearchResults

__all__ = ["Style", "dumps", "format_results", "hit_json", "results_json"]

Style = Literal["ansi", "plain"]
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def dumps(data: Any) -> str:
    """JSON with Vietnamese left readable and dates as ISO strings."""
    return json.dumps(data, ensure_ascii=False, default=_default)


def _default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def shown_date(date: dt.date, precision: str | None) -> str:
    """The date as precisely as the source gave it: ``2023-06-15``, ``2023-06`` or ``2023``."""
    text = date.isoformat()
    return text[:4] if precision == "year" else text[:7] if precision == "month" else text


def hit_json(hit: Hit) -> dict[str, Any]:
    return {
        "id": hit.id,
        "title": hit.title,
        "date": hit.date.isoformat() if hit.date else None,
        "leaders": hit.leaders,
        "topics": hit.topics,
        "source": hit.source,
        "author": hit.author,
        "url": hit.url,
        "score": hit.score,
        "snippet": hit.snippet.text,
        "highlights": [list(span) for span in hit.snippet.highlights],
    }


def results_json(results: SearchResults) -> dict[str, Any]:
    return {
        "query": results.query,
        "total": results.total,
        "offset": results.offset,
        "limit": results.limit,
        "sort": results.sort,
        "relaxed": results.relaxed,
        "suggestion": results.suggestion,
        "similar": results.similar,
        "keystrokes": results.keystrokes,
        "joined": results.joined,
        "completed": results.completed,
        "undated": results.undated,
        "duplicates": results.duplicates,
        "hits": [hit_json(h) for h in results.hits],
        "facets": dataclasses.asdict(results.facets),
    }


def _mark(text: str, spans: Sequence[tuple[int, int]], style: Style) -> str:
    return render_ansi(text, spans) if style == "ansi" else render_plain(text, spans)


def _paint(text: str, code: str, style: Style) -> str:
    if style != "ansi" or not text:
        return text
    # A highlight inside ends with a reset: the outer style starts again after it.
    return f"{code}{text.replace(_RESET, _RESET + code)}{_RESET}"


def format_hit(rank: int, hit: Hit, style: Style) -> str:
    title = _mark(hit.title or "(no title)", hit.title_highlights, style)
    date = f"  {shown_date(hit.date, hit.date_precision)}" if hit.date else ""
    head = f"{rank:>3}. {_paint(title, _BOLD, style) if style == 'ansi' else title}{date}"
    meta = " · ".join(part for part in (", ".join(hit.leaders), ", ".join(hit.topics), hit.source or "") if part)
    lines = [head]
    if meta:
        lines.append("     " + _paint(meta, _DIM, style))
    lines.append("     " + _mark(hit.snippet.text, hit.snippet.highlights, style))
    lines.append("     " + _paint(f"{hit.id}  {hit.url or ''}".rstrip(), _DIM, style))
    return "\n".join(lines)


def format_results(results: SearchResults, style: Style) -> str:
    first = results.offset + 1
    last = results.offset + len(results.hits)
    head = f"{results.total} result{'s' if results.total != 1 else ''}"
    if results.hits:
        head += f", showing {first}–{last}"
    if results.sort == "date":
        head += ", newest first"
    blocks = [head] + [format_hit(first + i, h, style) for i, h in enumerate(results.hits)]
    return "\n\n".join(blocks)


def format_facets(results: SearchResults) -> str:
    parts = []
    for label, counts in (
        ("Leaders", results.facets.leaders),
        ("Topics", results.facets.topics),
        ("Years", results.facets.years),
    ):
        if counts:
            shown = ", ".join(f"{name} ({n})" for name, n in list(counts.items())[:8])
            parts.append(f"{label}: {shown}")
    return "\n".join(parts)


def format_document(doc: Document, style: Style) -> str:
    rows = [
        ("id", doc.id),
        ("date", f"{doc.date.isoformat()} ({doc.date_precision})" if doc.date else "unknown"),
        (
            "leaders",
            "; ".join(f"{n} ({', '.join(doc.roles.get(n, []))})" if doc.roles.get(n) else n for n in doc.leaders),
        ),
        ("topics", ", ".join(doc.topics)),
        ("source", doc.source or ""),
        ("author", doc.author or ""),
        ("url", doc.url or doc.path or ""),
    ]
    width = max(len(k) for k, _ in rows)
    head = _paint(doc.title or "(no title)", _BOLD, style)
    body = "\n".join(f"{_paint(k.ljust(width), _DIM, style)}  {v}" for k, v in rows if v)
    return f"{head}\n{body}\n\n{doc.body}"


def format_extraction(doc: Document, style: Style) -> str:
    """A document as extraction made it, each field with the reason for its value."""
    roles = doc.roles
    rows = [
        ("file", doc.path or "", ""),
        ("id", doc.id, doc.evidence.get("id", "")),
        ("title", doc.title, doc.evidence.get("title", "")),
        (
            "date",
            f"{doc.date.isoformat()} ({doc.date_precision})" if doc.date else "unknown",
            doc.evidence.get("date", ""),
        ),
        (
            "leaders",
            "; ".join(f"{n} ({', '.join(roles[n])})" if roles.get(n) else n for n in doc.leaders) or "none",
            doc.evidence.get("leaders", ""),
        ),
        ("topics", ", ".join(doc.topics), doc.evidence.get("topics", "")),
        ("source", doc.source or "", doc.evidence.get("source", "")),
        ("author", doc.author or "", doc.evidence.get("author", "")),
    ]
    lines = []
    for name, value, why in rows:
        lines.append(f"{_paint(name.ljust(8), _DIM, style)} {value}")
        if why:
            lines.append(f"{'':8} {_paint('← ' + why, _DIM, style)}")
    preview = doc.body[:300].replace("\n", " ")
    lines.append(
        f"{_paint('body'.ljust(8), _DIM, style)} {len(doc.body)} characters: {preview}{'…' if len(doc.body) > 300 else ''}"
    )
    return "\n".join(lines) + "\n"


def format_analysis(analysis: Analysis) -> str:
    lines = [f"{'pos':>4}  {'span':<11} {'exact':<14} folded"]
    for pos, (start, end, exact, folded) in enumerate(analysis.syllables):
        lines.append(f"{pos:>4}  {f'{start}-{end}':<11} {exact:<14} {folded if folded != exact else ''}")
    lines.append("words: " + (" ".join(analysis.words) or "(none)"))
    return "\n".join(lines)


def format_stats(stats: IndexStats) -> str:
    rows = [
        ("path", stats.path),
        ("generation", str(stats.generation)),
        ("documents", str(stats.documents)),
        ("dated", f"{stats.dated} ({stats.dated / max(stats.documents, 1):.1%}; a date filter keeps only these)"),
        ("copies", f"{stats.copies} (articles with the title and text of another; searches count them once)"),
        ("leaders", str(stats.leaders)),
        ("topics", str(stats.topics)),
        ("schema", str(stats.schema_version)),
        ("size", f"{stats.size_bytes / 1e6:.1f} MB"),
        ("built", stats.created or "?"),
    ]
    return "\n".join(f"{k:<11} {v}" for k, v in rows)


def format_report(report: BuildReport) -> str:
    counts = f"{report.added} added, {report.updated} updated, {report.deleted} deleted"
    if report.unchanged:
        counts += f", {report.unchanged} unchanged"
    if report.published:
        head = f"Indexed into {report.path} (generation {report.generation})"
    else:
        head = f"Nothing changed in {report.path}; generation {report.generation} stays live"
    return f"{head}: {counts}, {len(report.failed)} failed; {report.documents} documents in {report.seconds:.1f}s."
