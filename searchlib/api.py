"""The library's entry points: :func:`open_index`, :func:`build_index` and :class:`Index`.

:class:`Index` joins the read side (:mod:`searchlib.search`) and the write
side (:mod:`searchlib.indexer`), which never import each other. The writer is
imported only when an app writes, so that searching never loads the
segmentation model.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Literal

from searchlib.document import Document
from searchlib.errors import QueryError
from searchlib.layout import default_path
from searchlib.search import Reader, SearchResults, Sort

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from searchlib.indexer import BuildOptions, BuildReport

__all__ = ["Index", "IndexStats", "build_index", "open_index"]

PathLike = str | os.PathLike[str]


@dataclass(frozen=True)
class IndexStats:
    """A summary of an index, for ``searchlib stats``."""

    path: str
    generation: int
    documents: int
    schema_version: int
    created: str | None
    size_bytes: int
    leaders: int
    topics: int
    #: Articles with a known date: the only ones a date filter can keep.
    dated: int = 0
    #: Articles that copy another (the same title and text): searches show and count one of them.
    copies: int = 0


class Index:
    """An open index. Safe to search from several threads at once.

    A long-lived ``Index`` follows the live generation: after a rebuild or an
    update by another process, the next search sees the new content.
    """

    def __init__(self, path: PathLike | None = None) -> None:
        self.path = default_path(path)
        self._reader = Reader(self.path)

    def search(
        self,
        query: str,
        *,
        leader: str | list[str] | None = None,
        topic: str | list[str] | None = None,
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
        sort: Sort = "relevance",
        limit: int = 10,
        offset: int = 0,
        snippets: bool = True,
        collapse: bool = True,
    ) -> SearchResults:
        """Search for *query* (see :mod:`searchlib.query` for the syntax).

        *leader* and *topic* filter on whole values (several values: any of
        them); *since* and *until* take dates or ``YYYY``, ``YYYY-MM``,
        ``YYYY-MM-DD`` and exclude articles with no known date. An empty
        query lists the matching articles, newest first. ``snippets=False``
        leaves the hits' snippets empty, for callers that only rank.
        An article with the title and text of one ranked above it is left
        out and counted in ``duplicates``, and ``total`` and the facets
        count it once; ``collapse=False`` keeps and counts every copy.
        """
        return self._reader.search(
            query,
            leader=leader,
            topic=topic,
            since=since,
            until=until,
            sort=sort,
            limit=limit,
            offset=offset,
            snippets=snippets,
            collapse=collapse,
        )

    def get(self, id: str) -> Document | None:
        """The stored article with this id, or None."""
        return self._reader.get(id)

    def add(self, documents: Iterable[Document] | Document, **options: Unpack[BuildOptions]) -> BuildReport:
        """Add documents, replacing any with the same id, in a new generation."""
        from searchlib.indexer import add_documents

        report = add_documents(documents, self.path, **options)
        self._reader.follow()
        return report

    def delete(self, ids: Iterable[str] | str, **options: Unpack[BuildOptions]) -> BuildReport:
        """Delete documents by id, in a new generation."""
        from searchlib.indexer import delete_documents

        report = delete_documents(ids, self.path, **options)
        self._reader.follow()
        return report

    def values(self, facet: Literal["leaders", "topics", "years"]) -> dict[str, int]:
        """Every value of a facet across the index, with its number of articles.

        Leaders and topics come most common first, years newest first: what
        a filter can name (``search(..., leader=...)``), for a picker or a hint.
        """
        if facet not in ("leaders", "topics", "years"):
            raise QueryError(f"Unknown facet {facet!r}: use 'leaders', 'topics' or 'years'.")
        return self._reader.values(facet)

    def stats(self) -> IndexStats:
        """Counts and sizes of the live generation."""
        summary = self._reader.summary()  # also follows the live generation
        return IndexStats(
            path=str(self.path),
            generation=summary.generation,
            documents=summary.documents,
            schema_version=int(summary.meta.get("schema_version", 0)),
            created=summary.meta.get("created"),
            size_bytes=summary.size_bytes,
            leaders=summary.leaders,
            topics=summary.topics,
            dated=summary.dated,
            copies=summary.copies,
        )

    def close(self) -> None:
        self._reader.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def open_index(path: PathLike | None = None) -> Index:
    """Open the index at *path*, else ``$SEARCHLIB_INDEX``, else ``./index``.

    Raises :class:`~searchlib.errors.IndexNotFoundError` when there is none.
    """
    return Index(path)


def build_index(
    sources: Iterable[PathLike] | PathLike, path: PathLike | None = None, **options: Unpack[BuildOptions]
) -> BuildReport:
    """Index *sources* (``.txt`` articles, folders of them, ``.jsonl`` files) at *path*.

    The new index replaces the live one atomically, only after it passed
    validation; see :func:`searchlib.indexer.build_index` for the options.
    """
    from searchlib.indexer import build_index as _build

    return _build(sources, path, **options)
