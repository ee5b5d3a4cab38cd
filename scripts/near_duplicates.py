"""Count near-duplicate articles beyond exact copies: is near-duplicate collapsing worth building?

    python scripts/near_duplicates.py [--max-distance 6] [--sample 12]

Reads VNTC (``../shared/corpora/vntc/news.jsonl.gz``), computes a 64-bit
SimHash of each article's folded word 3-shingles (title and text), and
finds pairs within ``--max-distance`` differing bits by banding: two
hashes within 3 bits share one of four 16-bit blocks for certain, within 6
often. Pairs whose title and text are the same, spacing aside, are the
exact copies the index already collapses (``searchlib/copies.py``); the
rest are near-duplicates. Prints the counts by distance and a sample of
near-duplicate pairs with their similarity (difflib, first 3,000 letters).
"""

from __future__ import annotations

import argparse
import collections
import difflib
import gzip
import hashlib
import json
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from searchlib.normalize import fold  # noqa: E402

WORD = re.compile(r"\w+")
BITS = np.arange(64, dtype=np.uint64)


def simhash(text: str) -> int:
    words = [fold(w.lower()) for w in WORD.findall(text)]
    shingles = {" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))}
    hashes = np.array(
        [int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little") for s in shingles],
        dtype=np.uint64,
    )
    votes = (((hashes[:, None] >> BITS) & np.uint64(1)).astype(np.int64) * 2 - 1).sum(axis=0)
    return sum(1 << i for i in range(64) if votes[i] > 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared/corpora/vntc/news.jsonl.gz")
    parser.add_argument("--max-distance", type=int, default=6)
    parser.add_argument("--sample", type=int, default=12)
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"No corpus at {args.corpus}: this script needs ../shared.", file=sys.stderr)
        return 2

    started = time.perf_counter()
    texts: list[str] = []
    with gzip.open(args.corpus, "rt", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            texts.append(" ".join(f"{record.get('title') or ''}\n{record['body']}".split()))
    signatures = np.array([simhash(t) for t in texts], dtype=np.uint64)
    pairs: dict[tuple[int, int], int] = {}
    for block in range(4):
        keys = (signatures >> np.uint64(16 * block)) & np.uint64(0xFFFF)
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        for start, end in zip(starts, np.r_[starts[1:], len(order)]):
            group = order[start:end]
            if len(group) < 2 or len(group) > 200:  # a huge bucket is a block of common bits, not copies
                continue
            for i, a in enumerate(group[:-1]):
                for b in group[i + 1 :]:
                    distance = bin(int(signatures[a] ^ signatures[b])).count("1")
                    if distance <= args.max_distance:
                        pairs[(min(int(a), int(b)), max(int(a), int(b)))] = distance
    exact = {p for p in pairs if texts[p[0]] == texts[p[1]]}
    near = {p: d for p, d in pairs.items() if p not in exact}
    by_distance = collections.Counter(near.values())
    in_near = {i for p in near for i in p}
    print(f"{len(texts):,} articles; {len(pairs):,} pairs within {args.max_distance} bits, {len(exact):,} exact copies")
    print(f"near-duplicate pairs by distance: {dict(sorted(by_distance.items()))}")
    print(f"{len(near):,} near-duplicate pairs, {len(in_near):,} articles ({len(in_near) / len(texts):.2%})")
    rng = random.Random(1)
    for (a, b), d in rng.sample(sorted(near.items()), min(args.sample, len(near))):
        ratio = difflib.SequenceMatcher(None, texts[a][:3000], texts[b][:3000]).ratio()
        print(f"  {d} bits, similarity {ratio:.2f}: {texts[a][:60]!r} | {texts[b][:60]!r}")
    print(f"{time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
