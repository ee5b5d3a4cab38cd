"""Which articles copy another: the same title and text under another id.

Scraped archives hold one story under several ids (VNTC 3,420 times): the
same article filed under two topics, or scraped twice. A reader who pages
through results wants each story once, and a total that counts stories, so
that the last page it promises is not empty.

The writer stores, per article, a 64-bit hash of its title and text with
spacing collapsed (:func:`searchlib.schema.content_key`, its ``content``
column). A generation's hashes are read once into one array; articles that
share a hash form a group, and everything here is array arithmetic on the
group numbers: no stored article is read to decide.
"""

from __future__ import annotations

import numpy as np

from searchlib.postings import Postings

__all__ = ["NONE", "Copies"]

#: No group: an article with no copy (or one indexed without a hash).
NONE = -1


class Copies:
    """The groups of copies among one generation's live articles; safe to share between threads."""

    def __init__(self, postings: Postings) -> None:
        hashes = postings.contents()
        candidates = np.flatnonzero(postings.live & (hashes != 0))
        _, inverse, sizes = np.unique(hashes[candidates], return_inverse=True, return_counts=True)
        # A hash shared by several articles is a group; one held by one article is none.
        shared = sizes > 1
        grouped = shared[inverse]
        #: Each document's group number (dense, from 0), or ``NONE``.
        self.group = np.full(postings.size, NONE, dtype=np.int64)
        self.group[candidates[grouped]] = (np.cumsum(shared) - 1)[inverse[grouped]]
        #: Articles that copy another (every member of a group but one).
        self.extra = int(grouped.sum() - shared.sum())

    def count(self, ids: np.ndarray) -> int:
        """How many distinct articles the documents *ids* are, copies counted once."""
        if not self.extra or not len(ids):
            return len(ids)
        groups = self.group[ids]
        grouped = groups[groups != NONE]
        return int(len(ids) - len(grouped) + len(np.unique(grouped)))

    def hidden(self, docnums: list[int]) -> list[int]:
        """Positions in *docnums* (best first) of the documents that copy one before them."""
        if not self.extra or not docnums:
            return []
        groups = self.group[np.asarray(docnums, dtype=np.int64)]
        seen: set[int] = set()
        out: list[int] = []
        for i in np.flatnonzero(groups != NONE).tolist():
            g = int(groups[i])
            if g in seen:
                out.append(i)
            seen.add(g)
        return out
