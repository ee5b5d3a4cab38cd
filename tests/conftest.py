"""Shared fixtures: small documents, throwaway indexes, and the optional ../shared data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from searchlib.api import Index, open_index
from searchlib.document import Document
from searchlib.indexer import add_documents

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
SAMPLE = ROOT / "searchlib" / "data" / "sample"


def needs_shared(path: Path) -> pytest.MarkDecorator:
    """Skip a test cleanly when the team's shared data folder is not next to the repo."""
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is not available (fresh clone)")


def doc(
    id: str,
    body: str,
    title: str = "",
    date: dt.date | None = None,
    leaders: Iterable[str] = (),
    topics: Iterable[str] = (),
    **extra: object,
) -> Document:
    return Document(
        id=id,
        title=title,
        body=body,
        date=date,
        date_precision="day" if date else None,
        leaders=list(leaders),
        topics=list(topics),
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture
def make_index(tmp_path: Path) -> Callable[[list[Document]], Index]:
    """Build an index of the given documents in a temporary folder and open it."""
    counter = iter(range(1000))

    def build(documents: list[Document]) -> Index:
        path = tmp_path / f"index{next(counter)}"
        add_documents(documents, path)
        return open_index(path)

    return build
