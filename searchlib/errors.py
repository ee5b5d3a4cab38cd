"""Errors raised by searchlib.

Every error the library raises on purpose is a :class:`SearchlibError`, and
its message says how to fix the problem::

    SearchlibError
    ├── IndexNotFoundError     no index at the path; build one first
    ├── IndexVersionError      built by another schema version; rebuild it
    ├── IndexLockedError       another job is writing the index
    ├── IndexCorruptError      the index files cannot be read
    ├── IndexWriteError        the disk refused a write (full, read-only); the old index stays live
    ├── QueryError             the query cannot be run as typed
    ├── SourceError            a source path is missing or unreadable
    │   └── DecodeError        a file's encoding cannot be told with confidence
    ├── SegmenterError         pyvi's model or dictionary is missing or damaged
    └── ValidationError        a rebuilt index failed its checks; the old one stays live
        └── TooManyDeletionsError  the job would drop more live articles than allowed (a missing mount?)
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "DecodeError",
    "IndexCorruptError",
    "IndexLockedError",
    "IndexNotFoundError",
    "IndexVersionError",
    "IndexWriteError",
    "QueryError",
    "SearchlibError",
    "SegmenterError",
    "SourceError",
    "TooManyDeletionsError",
    "ValidationError",
]


class SearchlibError(Exception):
    """Base class for every error searchlib raises on purpose."""


class IndexNotFoundError(SearchlibError):
    """There is no index at the given location."""


class IndexVersionError(SearchlibError):
    """The index was built by a different schema version."""


class IndexLockedError(SearchlibError):
    """Another process holds the writer lock."""


class IndexCorruptError(SearchlibError):
    """The index exists but its files cannot be read."""


class IndexWriteError(SearchlibError):
    """The operating system refused a write (disk full, permissions); the live index was kept."""


class QueryError(SearchlibError):
    """The query cannot be run as typed."""


class SourceError(SearchlibError):
    """A source file or folder is missing or unreadable."""


class DecodeError(SourceError):
    """A file's text encoding cannot be determined with confidence."""


class SegmenterError(SearchlibError):
    """pyvi's model or dictionary cannot be found or read."""


class ValidationError(SearchlibError):
    """A freshly built index failed validation and was not made live.

    ``failed`` lists the sources that could not be indexed (each with a
    ``key`` and a ``reason``), so that a caller can say which files to fix.
    """

    def __init__(self, message: str, failed: list[Any] | None = None) -> None:
        super().__init__(message)
        self.failed: list[Any] = list(failed or [])


class TooManyDeletionsError(ValidationError):
    """The job would drop more of the live articles than ``max_deleted`` allows; the live index was kept.

    An update's prune or a rebuild: a source folder missing or half there
    looks the same as articles deleted.
    """
