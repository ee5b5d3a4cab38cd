"""The batched posting pool sorts exactly as Whoosh's, spilled runs included."""

from __future__ import annotations

import random
from pathlib import Path

from whoosh import writing
from whoosh.filedb.filestore import FileStorage

from searchlib.pool import BATCH, BatchedPostingPool, install


def _postings(count: int) -> list[tuple[str, bytes, int, float, bytes | None]]:
    rng = random.Random(7)
    fields = ["text", "words", "title"]
    return [
        (
            rng.choice(fields),
            f"t{rng.randrange(500)}".encode(),
            doc,
            float(rng.randrange(1, 5)),
            rng.choice([None, b"\x00\x01"]),
        )
        for doc in range(count)
    ]


def _drain(pool: writing.PostingPool, items: list[tuple[str, bytes, int, float, bytes | None]]) -> list[tuple]:
    for item in items:
        pool.add(item)
    return list(pool.iter_postings())


def test_spilled_runs_come_back_sorted_and_complete(tmp_path: Path) -> None:
    items = _postings(3 * BATCH + 17)  # more than one batch per run
    pool = BatchedPostingPool(FileStorage(str(tmp_path)), segment=None, limitmb=1)
    pool.limit = 200_000  # bytes: forces several runs
    out = _drain(pool, items)
    assert out == sorted(items)
    assert not list(tmp_path.iterdir())  # the run files are removed once read


def test_matches_whoosh_pool(tmp_path: Path) -> None:
    items = _postings(5000)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    ours = BatchedPostingPool(FileStorage(str(tmp_path / "a")), segment=None, limitmb=1)
    stock = BatchedPostingPool.__bases__[0]  # Whoosh's own, even once install() has run
    theirs = stock(FileStorage(str(tmp_path / "b")), segment=None, limitmb=1)
    ours.limit = theirs.limit = 50_000
    assert _drain(ours, items) == _drain(theirs, items)


def test_install_makes_writers_use_it(tmp_path: Path) -> None:
    from whoosh import fields, index

    install()
    ix = index.create_in(str(tmp_path), fields.Schema(body=fields.TEXT))
    writer = ix.writer()
    try:
        assert isinstance(writer.pool, BatchedPostingPool)
    finally:
        writer.cancel()
