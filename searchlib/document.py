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
        # string (else it would be indexed letter by letter), None for none,
        # an ISO date as a .jsonl source gives it ("2021", "2021-06"), a datetime.
        for name in ("leaders", "topics"):
            value = getattr(self, name)
            if value is None:
                setattr(self, name, [])
            elif isinstance(value, str):
                setattr(self, name, [value])
            elif not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                raise SourceError(f"Document {self.id!r}: {name} must be a list of strings, not {value!r}.")
            else:
                setattr(self, name, list(value))
        if isinstance(self.date, str):
            from searchlib.extract.records import parse_iso_date  # the extractors, only when needed

            try:
                self.date, precision = parse_iso_date(self.date)
            except ValueError as exc:
                raise SourceError(f"Document {self.id!r}: {exc}.") from None
            self.date_precision = self.date_precision or precision
        elif isinstance(self.date, dt.datetime):
            self.date = self.date.date()
        elif self.date is not None and not isinstance(self.date, dt.date):
            raise SourceError(
                f"Document {self.id!r}: date must be a datetime.date or an ISO string such as '2021-06-10', "
                f"not {type(self.date).__name__} {self.date!r}."
            )
        if self.date is None:
            self.date_precision = None  # a precision of no date means nothing
        elif self.date_precision is None:
            self.date_precision = "day"
        if self.date_precision not in (None, "day", "month", "year"):
            raise SourceError(
                f"Document {self.id!r}: date_precision must be 'day', 'month' or 'year', not {self.date_precision!r}."
            )
