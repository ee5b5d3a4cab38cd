"""The Document: one article as the indexer sees it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from searchlib.errors import SourceError

__all__ = ["DatePrecision", "Document"]

DatePrecision = Literal["day", "month", "year"]


@dataclass
class Document:
    """A clean article, ready to index.

    Text fields are NFC with plain spaces and ``\\n`` line ends (see
    :func:`searchlib.normalize.clean`); the original tone-mark placement is
    kept so that snippets show the text as published.
    """

    id: str
    title: str
    body: str
    date: dt.date | None = None
    #: How much of :attr:`date` the source actually stated. A month-precision
    #: date is stored as the first of the month, a year as 1 January.
    date_precision: DatePrecision | None = None
    #: Named office-holders, canonical spelling, each listed once.
    leaders: list[str] = field(default_factory=list)
    #: For each leader, the titles printed next to the name.
    roles: dict[str, list[str]] = field(default_factory=dict)
    #: One to three taxonomy labels, best first.
    topics: list[str] = field(default_factory=list)
    source: str | None = None
    author: str | None = None
    url: str | None = None
    #: The file the article was read from, when it came from a file.
    path: str | None = None
    #: Why each extracted field has its value, e.g. the line a date came from.
    evidence: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # What an app is likely to pass by hand: one leader or topic as a
        # string (else it would be indexed letter by letter), an ISO date.
        if isinstance(self.leaders, str):
            self.leaders = [self.leaders]
        if isinstance(self.topics, str):
            self.topics = [self.topics]
        if isinstance(self.date, str):
            try:
                self.date = dt.date.fromisoformat(self.date)
            except ValueError:
                raise SourceError(f"Document {self.id!r}: date {self.date!r} is not an ISO date (YYYY-MM-DD)") from None
            self.date_precision = self.date_precision or "day"
