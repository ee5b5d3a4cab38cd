"""The packed codec reads back what it writes, in Whoosh's matchers and in bulk."""

from __future__ import annotations

import pickletools
import zlib
from array import array
from pathlib import Path
from typing import Any

import pytest
from whoosh import fields, index

from searchlib.codec import PACK_FROM, PackedLeafMatcher, SearchlibCodec, block_arrays

#: term -> documents containing it: a long list spanning several
#: 1,024-posting blocks, one whose last block is too short to pack (it keeps
#: W3's tuples) and one short enough to be inlined in the term dictionary.
LISTS = {"common": range(2600), "mid": range(0, 2 * (1024 + PACK_FROM - 2), 2), "rare": range(3, 9, 3)}


def _words(doc: int) -> list[str]:
    # Values of varying sizes: "common" repeats with the docnum.
    return [t for t, docs in LISTS.items() if doc in docs] + ["common"] * (doc % 3)


def _build(tmp_path: Path) -> Any:
    schema = fields.Schema(body=fields.TEXT(phrase=True))
    ix = index.create_in(str(tmp_path), schema)
    writer = ix.writer(codec=SearchlibCodec())
    for doc in range(2600):
        writer.add_document(body=" ".join(_words(doc)))
    writer.commit()
    return ix


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return _build(tmp_path_factory.mktemp("codec"))


def _matcher(ix: Any, term: str) -> Any:
    reader = ix.reader()
    return reader.postings("body", term)


def test_matchers_read_every_posting(ix: Any) -> None:
    for term, docs in LISTS.items():
        matcher = _matcher(ix, term)
        seen, weights, positions = [], [], []
        while matcher.is_active():
            seen.append(matcher.id())
            weights.append(matcher.weight())
            positions.append(matcher.value_as("positions"))
            matcher.next()
        assert seen == list(docs)
        assert weights == [float(_words(doc).count(term)) for doc in docs]
        assert positions == [[i for i, w in enumerate(_words(doc)) if w == term] for doc in docs]


def test_long_lists_are_packed_blocks_of_1024(ix: Any) -> None:
    matcher = _matcher(ix, "common")
    assert isinstance(matcher, PackedLeafMatcher)
    blocks = list(block_arrays(matcher))
    assert [len(ids) for ids, _, _ in blocks] == [1024, 1024, 2600 - 2048]
    ids, weights, (lengths, blob) = blocks[0]
    assert isinstance(ids, array) and isinstance(weights, array) and isinstance(lengths, array)
    assert list(ids[:3]) == [0, 1, 1]  # deltas
    assert sum(lengths) == len(blob)


def test_short_lists_keep_w3_tuples_or_are_inlined(ix: Any) -> None:
    mid = _matcher(ix, "mid")
    assert isinstance(mid, PackedLeafMatcher)
    packed, (ids, _, values) = list(block_arrays(mid))
    assert isinstance(packed[0], array)
    assert len(ids) == PACK_FROM - 2 and not isinstance(ids, array) and not isinstance(values[0], array)
    assert not isinstance(_matcher(ix, "rare"), PackedLeafMatcher)  # inlined


def test_blocks_are_pickled_with_a_protocol_that_has_bytes(ix: Any) -> None:
    # Protocol 2 stores arrays as lists of ints and bytes as latin-1 strs:
    # ten times slower to load than the zlib stream is to inflate.
    matcher = _matcher(ix, "common")
    raw = matcher._postfile.get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
    first = next(pickletools.genops(zlib.decompress(raw)))
    assert first[0].name == "PROTO" and first[1] >= 4
