"""Raw scraped articles and JSON Lines records → clean :class:`~searchlib.document.Document`.

One module per step::

    decode.py       bytes → text (UTF-8/16/32, Windows-1258), or DecodeError
    lines.py        one-line tests: furniture, date line, byline, breadcrumb
    boilerplate.py  page furniture out; headline, body, byline, source in
    dates.py        the article date and its precision, or None
    leaders.py      named office-holders and their titles (names: _name.py)
    topics.py       labels from the editable taxonomy (data/topics.json)
    article.py      the pipeline for one text; stable ids
    records.py      JSON Lines records

Importing this package is cheap: data files are read and regexes compiled on
first use.
"""

from __future__ import annotations

from .article import load_article, parse_article, parse_bytes, stable_id
from .decode import Decoded, decode_bytes, read_text
from .records import document_from_record, load_jsonl, parse_iso_date

__all__ = [
    "Decoded",
    "decode_bytes",
    "document_from_record",
    "load_article",
    "load_jsonl",
    "parse_article",
    "parse_bytes",
    "parse_iso_date",
    "read_text",
    "stable_id",
]
