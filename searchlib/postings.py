"""Whole posting lists and per-document columns of one generation, as numpy arrays.

Whoosh answers queries one document at a time through Python matcher
objects; on common Vietnamese syllables (``của``, ``năm``, folded ``nam``)
that costs tens of milliseconds per term. Here a posting list is read block
by block (see :mod:`searchlib.codec`) into arrays of document numbers and
term frequencies, and queries are evaluated set-at-a-time in numpy
(:mod:`searchlib.engine`). Decoded lists are cached per generation, within a
memory budget; field lengths, dates and deletions are read once.
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length

from searchlib.codec import PackedLeafMatcher, block_arrays

__all__ = ["PostingList", "Postings"]

#: Bytes of decoded posting lists kept per generation.
CACHE_BYTES = 96 * 1024 * 1024

_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)
_EMPTY_IDS = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class PostingList:
    """One term's postings: sorted global document numbers and frequencies.

    ``values`` holds the raw posting values back to back, ``value_ends``
    where each one ends; :meth:`value` slices one out.
    """

    ids: np.ndarray
    tf: np.ndarray
    values: bytes
    value_ends: np.ndarray

    def value(self, index: int) -> bytes:
        start = int(self.value_ends[index - 1]) if index else 0
        return self.values[start : int(self.value_ends[index])]

    def nbytes(self) -> int:
        return int(self.ids.nbytes + self.tf.nbytes + len(self.values) + self.value_ends.nbytes)


_EMPTY = PostingList(_EMPTY_IDS, np.zeros(0, dtype=np.float32), b"", np.zeros(0, dtype=np.int64))


class Postings:
    """Array views of the index a Whoosh reader reads; safe to share between threads."""

    def __init__(self, reader: Any) -> None:
        self.reader = reader
        self.leaves: list[tuple[Any, int]] = list(reader.leaf_readers()) if not reader.is_atomic() else [(reader, 0)]
        self.size: int = reader.doc_count_all()
        self.schema = reader.schema
        self._lock = threading.Lock()
        self._io_lock = threading.RLock()
        self._cache: OrderedDict[tuple[str, str], PostingList] = OrderedDict()
        self._cached_bytes = 0
        self._columns: dict[str, np.ndarray] = {}
        self._averages: dict[str, float] = {}
        self.live = self._live()

    # --- posting lists --------------------------------------------------------

    def get(self, fieldname: str, term: str) -> PostingList:
        """The posting list of *term* in *fieldname* (empty when absent)."""
        key = (fieldname, term)
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
        with self._io_lock:
            # Whoosh's file objects keep a read position: one reader at a time.
            found = self._read(fieldname, term)
        with self._lock:
            if key not in self._cache:
                self._cache[key] = found
                self._cached_bytes += found.nbytes()
                while self._cached_bytes > CACHE_BYTES and len(self._cache) > 1:
                    _, old = self._cache.popitem(last=False)
                    self._cached_bytes -= old.nbytes()
        return found

    def has_term(self, fieldname: str, term: str) -> bool:
        """Whether the term table holds *term*: one hash lookup per segment, no postings read."""
        with self._io_lock:
            return (fieldname, term) in self.reader

    def doc_frequency(self, fieldname: str, term: str) -> int:
        """Documents holding *term*, deleted ones included: read from the term table, no postings decoded."""
        with self._io_lock:
            return int(self.reader.doc_frequency(fieldname, term))

    def _read(self, fieldname: str, term: str) -> PostingList:
        tbytes = term.encode("utf-8")
        parts: list[tuple[np.ndarray, np.ndarray, list[bytes], list[np.ndarray]]] = []
        for reader, offset in self.leaves:
            terms = reader._terms  # the segment's term table: Whoosh has no public bulk API
            if (fieldname, tbytes) not in terms:
                continue
            matcher = terms.matcher(fieldname, tbytes, self.schema[fieldname].format)
            ids, tf, blobs, lengths = _decode(matcher)
            if reader.has_deletions():
                # The live mask is built once; a set turned into an array per term cost an update 4%.
                keep = self.live[ids + offset]
                ids, tf = ids[keep], tf[keep]
                blobs, lengths = _drop_values(blobs, lengths, keep)
            parts.append((ids + offset, tf, blobs, lengths))
        if not parts:
            return _EMPTY
        all_lengths = [x for p in parts for x in p[3]]
        return PostingList(
            ids=np.concatenate([p[0] for p in parts]),
            tf=np.concatenate([p[1] for p in parts]),
            values=b"".join(b for p in parts for b in p[2]),
            value_ends=np.cumsum(np.concatenate(all_lengths) if all_lengths else np.zeros(0, np.int64), dtype=np.int64),
        )

    # --- per-document arrays ------------------------------------------------

    def lengths(self, fieldname: str) -> np.ndarray:
        """Each document's (Whoosh-quantised) length of *fieldname*."""
        key = f"len:{fieldname}"
        if key not in self._columns:
            with self._io_lock:
                raw = self._column(_lenfield(fieldname), LENGTHS_COLUMN, np.uint8)
            self._columns[key] = _LENGTH_OF_BYTE[raw]
        return self._columns[key]

    def average_length(self, fieldname: str) -> float:
        if fieldname not in self._averages:
            total = self.reader.field_length(fieldname) if self.schema[fieldname].scorable else 0
            self._averages[fieldname] = float(total / (self.size or 1) or 1.0)
        return self._averages[fieldname]

    def dates(self) -> np.ndarray:
        """Each document's date as YYYYMMDD, 0 when unknown."""
        if "date" not in self._columns:
            field = self.schema["date"]
            with self._io_lock:
                raw = self._column("date", field.column_type, np.dtype(">u4")).astype(np.int64)
            # Whoosh stores signed numbers shifted into unsigned space; 0 is "absent".
            self._columns["date"] = np.where(raw == 0, 0, raw - (1 << (field.bits - 1)))
        return self._columns["date"]

    def contents(self) -> np.ndarray:
        """Each document's content hash (see :func:`searchlib.schema.content_key`), 0 when written without one."""
        if "content" not in self._columns:
            with self._io_lock:
                self._columns["content"] = self._column("content", self.schema["content"].column_type, np.dtype(">i8"))
        return self._columns["content"]

    def _column(self, name: str, column: Any, dtype: Any) -> np.ndarray:
        out = np.zeros(self.size, dtype=dtype)
        for reader, offset in self.leaves:
            perdoc = reader._perdoc
            if not perdoc.has_column(name):
                continue
            cr = perdoc.column_reader(name, column)
            raw = cr._dbfile.get(cr._basepos, cr._count * cr._fixedlen)
            out[offset : offset + cr._count] = np.frombuffer(raw, dtype=dtype)
        return out

    def _live(self) -> np.ndarray:
        live = np.ones(self.size, dtype=bool)
        for reader, offset in self.leaves:
            if reader.has_deletions():
                live[np.fromiter(reader.deleted_docs_set, dtype=np.int64) + offset] = False
        return live


Decoded = tuple[np.ndarray, np.ndarray, list[bytes], list[np.ndarray]]


def _decode(matcher: Any) -> Decoded:
    """Ids, frequencies and packed values of one segment's posting list."""
    if isinstance(matcher, PackedLeafMatcher):
        return _decode_blocks(matcher)
    # Inlined postings, or a block format we did not write.
    ids, tf, values = [], [], []
    while matcher.is_active():
        ids.append(matcher.id())
        tf.append(matcher.weight())
        values.append(matcher.value() or b"")
        matcher.next()
    lengths = np.array([len(v) for v in values], dtype=np.int64)
    return np.array(ids, dtype=np.int64), np.array(tf, dtype=np.float32), [b"".join(values)], [lengths]


def _decode_blocks(matcher: PackedLeafMatcher) -> Decoded:
    id_parts: list[np.ndarray] = []
    tf_parts: list[np.ndarray] = []
    blobs: list[bytes] = []
    lengths: list[np.ndarray] = []
    for deltas, weights, values in block_arrays(matcher):
        if isinstance(deltas, array):
            ids = np.cumsum(np.frombuffer(deltas, dtype=np.uint32), dtype=np.int64)
        else:  # a small block, kept in W3's tuples
            ids = np.cumsum(np.array(deltas, dtype=np.int64))
        id_parts.append(ids)
        if weights is None or isinstance(weights, float):
            tf_parts.append(np.full(len(ids), 1.0 if weights is None else weights, dtype=np.float32))
        elif isinstance(weights, array):
            tf_parts.append(np.frombuffer(weights, dtype=np.float32))
        else:
            tf_parts.append(np.array(weights, dtype=np.float32))
        if isinstance(values, tuple) and len(values) == 2 and isinstance(values[0], array):
            lengths.append(np.frombuffer(values[0], dtype=np.uint32).astype(np.int64))
            blobs.append(values[1])
        elif isinstance(values, tuple):
            lengths.append(np.fromiter(map(len, values), dtype=np.int64, count=len(values)))
            blobs.append(b"".join(values))
    return np.concatenate(id_parts), np.concatenate(tf_parts), blobs, lengths


def _drop_values(
    blobs: list[bytes], lengths: list[np.ndarray], keep: np.ndarray
) -> tuple[list[bytes], list[np.ndarray]]:
    """Remove the values of deleted postings (rare: only after updates)."""
    if not lengths:
        return blobs, lengths
    flat = np.concatenate(lengths)
    blob = b"".join(blobs)
    ends = np.cumsum(flat)
    starts = ends - flat
    kept = [blob[s:e] for s, e, k in zip(starts.tolist(), ends.tolist(), keep.tolist()) if k]
    return [b"".join(kept)], [flat[keep]]
