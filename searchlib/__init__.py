"""searchlib: Vietnamese-aware full-text search over news archives.

>>> import searchlib
>>> index = searchlib.open_index("index")                   # doctest: +SKIP
>>> results = index.search("bi thu tinh uy", since="2020")  # doctest: +SKIP
>>> [(hit.title, hit.snippet.text) for hit in results.hits]  # doctest: +SKIP

Everything public is re-exported here. Names resolve on first use, so that
``import searchlib`` (and ``searchlib --help``) does not pay for importing
Whoosh until something needs it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "analyze": "searchlib.analysis",
    "Index": "searchlib.api",
    "IndexStats": "searchlib.api",
    "build_index": "searchlib.api",
    "open_index": "searchlib.api",
    "BuildOptions": "searchlib.indexer",
    "BuildReport": "searchlib.indexer",
    "add_documents": "searchlib.indexer",
    "Document": "searchlib.document",
    "DecodeError": "searchlib.errors",
    "IndexCorruptError": "searchlib.errors",
    "IndexWriteError": "searchlib.errors",
    "IndexLockedError": "searchlib.errors",
    "IndexNotFoundError": "searchlib.errors",
    "IndexVersionError": "searchlib.errors",
    "QueryError": "searchlib.errors",
    "SearchlibError": "searchlib.errors",
    "SegmenterError": "searchlib.errors",
    "SourceError": "searchlib.errors",
    "TooManyDeletionsError": "searchlib.errors",
    "ValidationError": "searchlib.errors",
    "parse_article": "searchlib.extract",
    "load_article": "searchlib.extract",
    "Facets": "searchlib.facets",
    "Hit": "searchlib.search",
    "SearchResults": "searchlib.search",
    "Snippet": "searchlib.snippets",
}

__all__ = [
    "BuildOptions",
    "BuildReport",
    "DecodeError",
    "Document",
    "Facets",
    "Hit",
    "Index",
    "IndexCorruptError",
    "IndexLockedError",
    "IndexNotFoundError",
    "IndexStats",
    "IndexVersionError",
    "IndexWriteError",
    "QueryError",
    "SearchResults",
    "SearchlibError",
    "SegmenterError",
    "Snippet",
    "SourceError",
    "TooManyDeletionsError",
    "ValidationError",
    "__version__",
    "add_documents",
    "analyze",
    "build_index",
    "load_article",
    "open_index",
    "parse_article",
]


#: Submodules an app reaches as attributes (searchlib.snippets.render_html), imported on first use.
_SUBMODULES = {"snippets"}

if not TYPE_CHECKING:
    # Hidden from type checkers: a module __getattr__ would make every
    # misspelt name (searchlib.open_indx) type-check as Any.

    def __getattr__(name: str) -> Any:
        if name in _SUBMODULES:
            return importlib.import_module(f"searchlib.{name}")
        module = _EXPORTS.get(name)
        if module is None:
            raise AttributeError(f"module 'searchlib' has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:
    from searchlib import snippets
    from searchlib.analysis import analyze
    from searchlib.api import Index, IndexStats, build_index, open_index
    from searchlib.document import Document
    from searchlib.errors import (
        DecodeError,
        IndexCorruptError,
        IndexLockedError,
        IndexNotFoundError,
        IndexVersionError,
        IndexWriteError,
        QueryError,
        SearchlibError,
        SegmenterError,
        SourceError,
        TooManyDeletionsError,
        ValidationError,
    )
    from searchlib.extract import load_article, parse_article
    from searchlib.facets import Facets
    from searchlib.indexer import BuildOptions, BuildReport, add_documents
    from searchlib.search import Hit, SearchResults
    from searchlib.snippets import Snippet
