"""Whoosh's W3 codec with posting blocks that decode in C.

W3 pickles each block of up to 128 postings as a tuple of ids, a tuple of
weights and a tuple of value strings. Unpickling those tuples cost more than
everything else when a query reads a long posting list. This codec keeps the
W3 file layout and changes only what is inside a block: ids and weights as
machine arrays, and variable-size values (our positions-and-spellings
payloads) as one array of lengths plus one byte string. A block then unpickles
into three objects, and :mod:`searchlib.postings` turns whole posting lists
into numpy arrays without a Python loop per posting.

The codec is pickled into each segment, so this module's names are part of
the on-disk format (see ``SCHEMA_VERSION``).
"""

from __future__ import annotations

import pickle
import zlib
from array import array
from itertools import accumulate, chain
from operator import sub
from typing import Any, cast

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3LeafMatcher, W3PostingsWriter
from whoosh.util.numeric import length_to_byte

from searchlib.faults import checkpoint

__all__ = ["PackedLeafMatcher", "PackedPostingsWriter", "SearchlibCodec", "block_arrays"]


#: Below this many postings a block keeps W3's tuples: an array pickles
#: with a fixed overhead that outweighs it on the many rare terms.
PACK_FROM = 8


class PackedPostingsWriter(W3PostingsWriter):
    """Writes blocks as ``(id deltas, weights, (value lengths, values))``."""

    def finish_postings(self) -> Any:
        checkpoint("commit")
        # W3PostingsWriter calls terminfo.set_inline(), which W3TermInfo
        # spells set_inlined(): with inlinelimit > 1 stock Whoosh crashes.
        if not self.written() and len(self) < self._inlinelimit:
            terminfo: Any = cast(Any, self)._terminfo
            terminfo.add_block(self)
            # W3 keeps only non-empty values; a list without them (Existence
            # fields such as dates) must read back as None, as from a block,
            # not as ListMatcher's "" which Whoosh's own merging rejects.
            values = self._values if len(self._values) == len(self._ids) else [None] * len(self._ids)
            terminfo.set_inlined(self._ids, self._weights, values)
            self._terminfo = None
            return terminfo
        return super().finish_postings()

    def _write_block(self, last: bool = False) -> None:
        """W3's block writer, pickling the data with protocol 5 instead of 2.

        Protocol 2 predates Python 3's bytes: it pickles an array as a list
        of Python ints and a byte string as a latin-1 str to re-encode, so
        reading a block cost ten times its zlib stream. Protocol 5 stores
        both as raw buffers (and the blocks come out 5% smaller). Any reader
        loads either; the small header stays as W3 writes it.
        """
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        cast(Any, self)._terminfo.add_block(self)
        data = (self._mini_ids(), self._mini_weights(), self._mini_values())
        comp = self._compression
        databytes = pickle.dumps(data, 5)
        if comp:
            databytes = zlib.compress(databytes, comp)
        ids = self._ids
        info = (
            len(ids),
            ids[-1],
            self._maxweight,
            comp,
            length_to_byte(self._minlength),
            length_to_byte(self._maxlength),
        )
        infobytes = pickle.dumps(info, 2)
        blocklength = len(infobytes) + len(databytes)
        self._postfile.write_int(-blocklength if last else blocklength)
        self._postfile.write(infobytes)
        self._postfile.write(databytes)
        self._blockcount += 1
        self._new_block()

    def _mini_ids(self) -> Any:
        if self._byteids or len(self._ids) < PACK_FROM:
            return super()._mini_ids()
        ids = self._ids
        return array("I", map(sub, ids, chain((0,), ids)))

    def _mini_weights(self) -> Any:
        weights = self._weights
        first = weights[0]
        if all(w == first for w in weights):
            return None if first == 1.0 else first
        return weights if len(weights) >= PACK_FROM else tuple(weights)

    def _mini_values(self) -> Any:
        fixedsize = self._format.fixed_value_size()
        if (fixedsize is not None and fixedsize >= 0) or len(self._values) < PACK_FROM:
            return super()._mini_values()
        values = self._values
        return array("I", map(len, values)), b"".join(values)


class PackedLeafMatcher(W3LeafMatcher):
    """Reads the blocks :class:`PackedPostingsWriter` writes."""

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        ids = self._data[0]
        if isinstance(ids, array):
            self._ids = tuple(accumulate(ids))
        else:
            super()._read_ids()

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        if isinstance(self._data[1], array):
            self._weights = self._data[1]
        else:
            super()._read_weights()

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        values = self._data[2]
        if isinstance(values, tuple) and len(values) == 2 and isinstance(values[0], array):
            self._values = tuple(_split(*values))
        else:
            super()._read_values()


def _split(lengths: array[int], blob: bytes) -> list[bytes]:
    out = []
    start = 0
    for length in lengths:
        out.append(blob[start : start + length])
        start += length
    return out


class SearchlibCodec(W3Codec):
    """W3 with packed posting blocks, and short posting lists inlined.

    W3 writes a block (headers, a pickle, a zlib stream) even for a term
    with one posting; most terms are that rare. Up to *inlinelimit*
    postings are kept in the term dictionary instead.

    Blocks hold 1,024 postings, not W3's 128: searchlib.postings reads whole
    posting lists, so the per-block costs (a seek, a header, a pickle, a zlib
    stream, numpy calls) buy nothing, and on 84,000 articles they were a
    quarter of query time. Readers take any block size.
    """

    def __init__(self, blocklimit: int = 1024, compression: int = 3, inlinelimit: int = 8) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    # W3 reads every posting's field length back at commit time only to keep
    # per-block length bounds for Whoosh's block-max pruning, which
    # searchlib.engine does not use: a tenth of the build time for nothing.
    # Without them the bounds are 0, which keeps Whoosh's own scoring
    # correct (a looser bound).
    length_stats = False

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> PackedPostingsWriter:
        return PackedPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def postings_reader(self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None) -> Any:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return PackedLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


def block_arrays(matcher: PackedLeafMatcher) -> Any:
    """Iterate ``(id deltas, weights, values)`` of every block, raw.

    ``weights`` is None (all 1.0), a float (all equal) or an array;
    ``values`` is whatever the block holds (packed lengths and blob, a fixed
    size blob, or None). Reads the blocks straight, without the per-posting
    machinery of the matcher.
    """
    while True:
        matcher._read_data()
        yield matcher._data
        if matcher._lastblock:
            return
        matcher._goto(matcher._nextoffset)
