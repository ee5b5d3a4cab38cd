"""The Whoosh schema: field names, field types and ``SCHEMA_VERSION``.

Whoosh pickles the schema, field classes and analyzers included, into every
index. The classes here are therefore part of the on-disk format: keep them
importable under these names, and bump ``SCHEMA_VERSION`` whenever what they
write changes, so that an old index is detected on open and rebuilt.

Field map::

    id            unique article id (stored)
    title         folded syllables of the title, frequencies only (stored): title boost
    text          folded syllables of title + body, positions and spellings:
                  matching, phrases, exact-spelling and adjacency ranking
    body          stored body, for snippets
    words         pyvi multi-syllable words, folded: a ranking signal
    leader        canonical leader names (exact form) : --leader filter
    leader_fold   the same, folded                    : --leader typed without marks
    leader_text   leader names as syllables           : leader:"..." searches
    topic / topic_fold   taxonomy labels, exact and folded
    date          YYYYMMDD integer, sortable, range-filterable (absent when unknown);
                  a month-precision date is YYYYMM00, a year YYYY0000
    year          the year as a keyword, for facets
    path, checksum  where the article came from and its raw file's hash
    content       a column (not indexed): the hash of title and text that
                  copies of an article share (see searchlib.copies)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import struct
import sys
from array import array
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from whoosh import columns, fields, formats
from whoosh.analysis import KeywordAnalyzer
from whoosh.system import _INT_SIZE

from searchlib.analysis import (
    Spelled,
    WordTokenizer,
    keyword_forms,
    syllable_analyzer,
    syllable_postings,
    word_terms,
)
from searchlib.document import Document

__all__ = [
    "SCHEMA_VERSION",
    "KeywordField",
    "SpelledPositions",
    "SyllableField",
    "WordField",
    "build_schema",
    "content_key",
    "date_number",
    "document_fields",
    "values_postings",
]

#: Bump when the terms or columns written for a document change in any way.
#: 2 added the ``content`` column, so that copies are known without reading articles.
SCHEMA_VERSION = 2

#: Positions left empty between values of one field (title and body, two
#: leaders) so that a phrase cannot match across the boundary.
POSITION_GAP = 16

Item = tuple[bytes, int, float, bytes]


class SpelledPositions(formats.Positions):
    """Positions of a folded syllable, with its spelling at each position.

    Value layout: the frequency (4 bytes, as Whoosh's Positions), the
    absolute positions as a machine array (``H`` or ``I``, tagged by one
    byte), then the spellings: nothing when every spelling equals the folded
    term (most syllables without diacritics); else the distinct spellings,
    tab-separated, and, when there are several, one index per position.
    Arrays keep encoding and decoding in C: this runs once per posting.
    """

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[tuple[str, int, float, bytes]]:
        postings: Spelled = {}
        for t in analyzer(value, positions=True, **kwargs):
            entry = postings.setdefault(t.text, ([], []))
            entry[0].append(t.pos)
            entry[1].append(t.spelling)
        for term, (poslist, spellings) in postings.items():
            yield term, len(poslist), len(poslist) * self.field_boost, self.encode_spelled(term, poslist, spellings)

    def encode_spelled(self, term: str, poslist: list[int], spellings: list[str]) -> bytes:
        code = "H" if poslist[-1] < 65536 else "I"
        head = _head(code, len(poslist)) + array(code, poslist).tobytes()
        table = set(spellings)
        if len(table) == 1:
            (only,) = table
            if only == term:
                return head
            return head + b"\x01" + only.encode("utf-8")
        ordered = sorted(table)
        index = {s: i for i, s in enumerate(ordered)}
        names = "\t".join(ordered).encode("utf-8")
        return head + bytes([len(ordered)]) + _LENGTH.pack(len(names)) + names + bytes([index[s] for s in spellings])

    def decode_spelled(self, value: bytes) -> tuple[list[int], list[str] | None]:
        """Positions and spellings; ``None`` spellings mean "as the term"."""
        count = _COUNT.unpack_from(value)[0]
        code = chr(value[_INT_SIZE])
        start = _INT_SIZE + 1
        end = start + count * (2 if code == "H" else 4)
        positions = array(code, value[start:end]).tolist()
        if end == len(value):
            return positions, None
        size = value[end]
        if size == 1:
            return positions, [value[end + 1 :].decode("utf-8")] * count
        length = _LENGTH.unpack_from(value, end + 1)[0]
        names_start = end + 1 + _LENGTH.size
        table = value[names_start : names_start + length].decode("utf-8").split("\t")
        return positions, [table[k] for k in value[names_start + length :]]

    def positions_at(
        self, values: bytes, ends: np.ndarray, rows: np.ndarray, term: str, wanted: str | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """``(index into rows, position)`` for every position of the values at *rows*.

        *values* are values of *term* back to back, *ends* where each ends.
        With *wanted*, only the positions spelled so. The values are read in
        place, for all rows at once (see the layout above); finding the wanted
        spelling in a value's table of several is the one step left to Python.
        """
        head = _INT_SIZE + 1  # the count and the typecode
        data = np.frombuffer(values, dtype=np.uint8)
        begin = np.where(rows > 0, ends[np.maximum(rows - 1, 0)], 0)
        counts = _uint(data, begin, _COUNT.size, big_endian=True)
        width = np.where(data[begin + 4] == ord("H"), 2, 4)
        firsts = np.cumsum(counts) - counts
        owner = np.repeat(np.arange(len(rows), dtype=np.int64), counts)
        step = np.repeat(width, counts)
        at = (
            np.repeat(begin + head, counts) + (np.arange(len(owner), dtype=np.int64) - np.repeat(firsts, counts)) * step
        )
        positions = _uint(data, at, 2, big_endian=sys.byteorder == "big")
        wide = step == 4
        if wide.any():
            positions[wide] = _uint(data, at[wide], 4, big_endian=sys.byteorder == "big")
        if wanted is None:
            return owner, positions
        tail, end = begin + head + counts * width, ends[rows]
        as_term = tail == end
        spelled = np.where(as_term, wanted == term, False)
        one = ~as_term & (data[np.minimum(tail, len(data) - 1)] == 1)
        target = wanted.encode("utf-8")
        same = one & (end - tail - 1 == len(target))
        for k, byte in enumerate(target):
            same &= data[np.minimum(tail + 1 + k, len(data) - 1)] == byte
        spelled |= same
        keep = np.repeat(spelled, counts)
        for i in np.flatnonzero(~as_term & ~one).tolist():  # several spellings in one document
            start, count = int(tail[i]) + 1 + _LENGTH.size, int(counts[i])
            length = int(data[start - 2]) << 8 | int(data[start - 1])
            table = values[start : start + length].split(b"\t")
            if target in table:
                indexes = data[start + length : start + length + count]
                keep[firsts[i] : firsts[i] + count] = indexes == table.index(target)
            else:
                keep[firsts[i] : firsts[i] + count] = False
        return owner[keep], positions[keep]

    def encode(self, poslist: list[int]) -> bytes:
        # Used by Whoosh when it re-encodes positions (vectors, combine).
        return self.encode_spelled("", poslist, [""] * len(poslist))

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return self.decode_spelled(valuestring)[0]

    def combine(self, vs: list[bytes]) -> bytes:
        return self.encode(sorted({p for v in vs for p in self.decode_positions(v)}))


def _uint(data: np.ndarray, at: np.ndarray, size: int, *, big_endian: bool) -> np.ndarray:
    """The unsigned integers of *size* bytes that start at each of *at* in *data*."""
    parts = [data[at + k].astype(np.int64) for k in range(size)]
    value = np.zeros(len(at), dtype=np.int64)
    for part in parts if big_endian else reversed(parts):
        value = (value << 8) | part
    return value


_COUNT = struct.Struct(">I")
_LENGTH = struct.Struct(">H")
_TYPECODES = {"H": b"H", "I": b"I"}


def _head(code: str, count: int) -> bytes:
    return _COUNT.pack(count) + _TYPECODES[code]


class SyllableField(fields.TEXT):
    """Folded syllables; with positions, also their spellings (see :class:`SpelledPositions`).

    ``index()`` accepts the text, a list of values (indexed with a gap
    between them), or the map :func:`searchlib.analysis.syllable_postings`
    made, so that the indexer can analyse a document once for several uses.
    """

    def __init__(self, *, positions: bool = True, stored: bool = False) -> None:
        super().__init__(analyzer=syllable_analyzer(), phrase=positions, stored=stored)
        if positions:
            self.format = SpelledPositions(field_boost=1.0)

    def index(self, value: Any, **kwargs: Any) -> Iterator[Item]:
        if isinstance(value, str):
            value = syllable_postings(value)[0]
        elif isinstance(value, (list, tuple)):
            value = values_postings(value)
        fmt = self.format
        boost = fmt.field_boost
        if isinstance(fmt, SpelledPositions):
            for term, (poslist, spellings) in value.items():
                n = len(poslist)
                yield term.encode("utf-8"), n, n * boost, fmt.encode_spelled(term, poslist, spellings)
        else:
            for term, (poslist, _) in value.items():
                n = len(poslist)
                yield term.encode("utf-8"), n, n * boost, formats.pack_uint(n)


def values_postings(values: Iterable[str]) -> Spelled:
    """The postings ``SyllableField.index()`` makes of a list of values (title and body)."""
    postings: Spelled = {}
    pos = 0
    for value in values:
        postings, pos = syllable_postings(value, postings, pos)
        pos += POSITION_GAP
    return postings


class WordField(fields.TEXT):
    """pyvi's multi-syllable words, folded (``hoi_nghi``), frequencies only.

    ``index()`` takes the text (and runs the segmenter) or a ready
    ``{word: count}`` map from :func:`searchlib.analysis.word_terms`.
    """

    def __init__(self) -> None:
        super().__init__(analyzer=WordTokenizer(), phrase=False)

    def index(self, value: Any, **kwargs: Any) -> Iterator[Item]:
        if isinstance(value, str):
            from searchlib.segment import compounds

            value = word_terms(value, compounds(value))
        boost = self.format.field_boost
        for term, n in value.items():
            yield term.encode("utf-8"), n, n * boost, formats.pack_uint(n)


class KeywordField(fields.KEYWORD):
    """Whole values (a leader's name, a topic), normalised, several per document.

    *folded* selects the diacritic-free form; see
    :func:`searchlib.analysis.keyword_forms`.
    """

    def __init__(self, *, folded: bool = False) -> None:
        super().__init__(analyzer=KeywordAnalyzer(), scorable=False)
        self.folded = folded

    def key(self, value: str) -> str:
        """The term under which *value* is indexed and looked up."""
        exact, folded = keyword_forms(value)
        return folded if self.folded else exact

    def index(self, value: Any, **kwargs: Any) -> Iterator[Item]:
        values = [value] if isinstance(value, str) else value
        keys = {self.key(v) for v in values} - {""}
        for key in sorted(keys):
            yield key.encode("utf-8"), 1, 1.0, formats.pack_uint(1)


def build_schema() -> fields.Schema:
    """A new schema instance for a new index."""
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=SyllableField(positions=False, stored=True),
        text=SyllableField(positions=True),
        body=fields.STORED(),
        words=WordField(),
        leader=KeywordField(),
        leader_fold=KeywordField(folded=True),
        leader_text=SyllableField(positions=True),
        leaders=fields.STORED(),
        roles=fields.STORED(),
        topic=KeywordField(),
        topic_fold=KeywordField(folded=True),
        topics=fields.STORED(),
        # default=0: undated articles sort after every dated one.
        date=fields.NUMERIC(int, bits=32, stored=True, sortable=True, default=0),
        date_precision=fields.STORED(),
        year=KeywordField(),
        source=fields.STORED(),
        author=fields.STORED(),
        url=fields.STORED(),
        path=fields.ID(stored=True),
        checksum=fields.ID(stored=True),
        content=fields.COLUMN(columns.NumericColumn("q")),
    )


def content_key(title: str, body: str) -> int:
    """The signed 64-bit hash that copies of an article share: title and text, spacing aside.

    Never 0, which the column holds for an article written without one.
    """
    text = " ".join(title.split()) + "\n" + " ".join(body.split())
    key = int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big", signed=True)
    return key or 1


def date_number(date: dt.date, precision: str | None) -> int:
    """The sortable number of a date: ``YYYYMMDD``, with ``00`` for what the source did not say.

    "June 2023" is ``20230600``: it sorts before every day of June, and a
    range filter can treat it as the whole month (see :mod:`searchlib.search`).
    """
    if precision == "year":
        return date.year * 10000
    if precision == "month":
        return date.year * 10000 + date.month * 100
    return date.year * 10000 + date.month * 100 + date.day


def document_fields(doc: Document, *, checksum: str = "") -> dict[str, Any]:
    """The keyword arguments for Whoosh's ``add_document`` for *doc*.

    Values stay raw text: the fields analyse them in ``index()``, so that
    with a multi-process writer the analysis (segmentation above all) runs
    in the worker processes, not in the one that reads the sources. Title
    and body share the ``text`` field with a gap between them; one segmenter
    pass over both feeds ``words``.
    """
    fields_: dict[str, Any] = {
        "id": doc.id,
        "title": doc.title,
        "text": [doc.title, doc.body],
        "body": doc.body,
        "words": f"{doc.title}\n{doc.body}",
        "leader": doc.leaders,
        "leader_fold": doc.leaders,
        "leader_text": doc.leaders,
        "leaders": list(doc.leaders),
        "roles": dict(doc.roles),
        "topic": doc.topics,
        "topic_fold": doc.topics,
        "topics": list(doc.topics),
        "source": doc.source,
        "author": doc.author,
        "url": doc.url,
        "path": doc.path,
        "checksum": checksum or None,
        "content": content_key(doc.title, doc.body),
    }
    if doc.date is not None:
        fields_["date"] = date_number(doc.date, doc.date_precision)
        fields_["year"] = str(doc.date.year)
        fields_["date_precision"] = doc.date_precision or "day"
    return fields_
