"""The Whoosh schema: field names, field types and ``SCHEMA_VERSION``.

Whoosh pickles the schema, field classes and analyzers included, into every
index. The classes here are therefore part of the on-disk format: keep them
importable under these names, and bump ``SCHEMA_VERSION`` whenever what they
write changes, so that an old index is detected on open and rebuilt.

Field map::

    id            unique article id (stored)
    title         syllables of the title, frequencies only (stored): title boost
    text          syllables of title + body with positions: matching, phrases
    body          stored body, for snippets
    words         pyvi multi-syllable words, folded: a ranking signal
    bigrams       folded syllable pairs: adjacency ranking, fast phrases
    leader        canonical leader names (exact form) : --leader filter
    leader_fold   the same, folded                    : --leader typed without marks
    leader_text   leader names as syllables           : leader:"..." searches
    topic / topic_fold   taxonomy labels, exact and folded
    date          YYYYMMDD integer, sortable, range-filterable (absent when unknown)
    year          the year as a keyword, for facets
    path, checksum  where the article came from and its content hash (updates)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from whoosh import fields, formats
from whoosh.analysis import KeywordAnalyzer

from searchlib.document import Document
from searchlib.analysis import (
    WordTokenizer,
    bigram_analyzer,
    bigram_counts,
    keyword_forms,
    syllable_analyzer,
    syllable_postings,
    word_terms,
)

__all__ = [
    "SCHEMA_VERSION",
    "BigramField",
    "CountField",
    "KeywordField",
    "SyllableField",
    "WordField",
    "build_schema",
    "document_fields",
]

#: Bump when the terms written for a document change in any way.
SCHEMA_VERSION = 1

#: Positions left empty between values of one field (title and body, two
#: leaders) so that a phrase cannot match across the boundary.
POSITION_GAP = 16

Item = tuple[bytes, int, float, bytes]


class SyllableField(fields.TEXT):
    """Syllables in exact and folded form; see :mod:`searchlib.analysis`.

    ``index()`` accepts the text, or the ``{term: [positions]}`` map that
    :func:`searchlib.analysis.syllable_postings` made, so that the indexer can
    analyse a document once for several purposes.
    """

    def __init__(self, *, positions: bool = True, stored: bool = False) -> None:
        super().__init__(analyzer=syllable_analyzer(), phrase=positions, stored=stored)

    def index(self, value: Any, **kwargs: Any) -> Iterator[Item]:
        if isinstance(value, str):
            value = syllable_postings(value)[0]
        elif isinstance(value, (list, tuple)):
            value = _postings_of_values(value)
        fmt = self.format
        boost = fmt.field_boost
        if isinstance(fmt, formats.Positions):
            for term, poslist in value.items():
                yield term.encode("utf-8"), len(poslist), len(poslist) * boost, fmt.encode(poslist)
        else:
            for term, poslist in value.items():
                n = len(poslist)
                yield term.encode("utf-8"), n, n * boost, formats.pack_uint(n)


def _postings_of_values(values: Iterable[str]) -> dict[str, list[int]]:
    postings: dict[str, list[int]] = {}
    pos = 0
    for value in values:
        postings, pos = syllable_postings(value, postings, pos)
        pos += POSITION_GAP
    return postings


class CountField(fields.TEXT):
    """A field of terms with counts only, computed in bulk by :meth:`counts`.

    ``index()`` also takes a ready ``{term: count}`` map, so that the indexer
    can compute it once per document.
    """

    def counts(self, text: str) -> dict[str, int]:
        raise NotImplementedError

    def index(self, value: Any, **kwargs: Any) -> Iterator[Item]:
        if isinstance(value, str):
            value = self.counts(value)
        boost = self.format.field_boost
        for term, n in value.items():
            yield term.encode("utf-8"), n, n * boost, formats.pack_uint(n)


class WordField(CountField):
    """pyvi's multi-syllable words, folded (``hoi_nghi``)."""

    def __init__(self) -> None:
        super().__init__(analyzer=WordTokenizer(), phrase=False)

    def counts(self, text: str) -> dict[str, int]:
        from searchlib.segment import segment

        return word_terms(text, segment(text))


class BigramField(CountField):
    """Folded pairs of adjacent syllables (``hoi nghi``)."""

    def __init__(self) -> None:
        super().__init__(analyzer=bigram_analyzer(), phrase=False)

    def counts(self, text: str) -> dict[str, int]:
        return bigram_counts(text)


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
        bigrams=BigramField(),
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
    )


def document_fields(doc: Document, *, checksum: str = "") -> dict[str, Any]:
    """The keyword arguments for Whoosh's ``add_document`` for *doc*.

    The text is analysed here once: title and body share the ``text`` field
    with a gap between them, and one segmenter pass over both feeds ``words``.
    """
    from searchlib.segment import segment

    text, end = syllable_postings(doc.title)
    syllable_postings(doc.body, text, end + POSITION_GAP)
    # Separate calls keep a pair from spanning the title/body gap.
    bigrams = bigram_counts(doc.body, bigram_counts(doc.title))
    combined = f"{doc.title}\n{doc.body}"
    fields_: dict[str, Any] = {
        "id": doc.id,
        "title": doc.title,
        "text": text,
        "body": doc.body,
        "words": word_terms(combined, segment(combined)),
        "bigrams": bigrams,
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
    }
    if doc.date is not None:
        fields_["date"] = doc.date.year * 10000 + doc.date.month * 100 + doc.date.day
        fields_["year"] = str(doc.date.year)
        fields_["date_precision"] = doc.date_precision or "day"
    return fields_
