"""Warm query latency on an index that is already built, for comparing two versions of the code.

    python scripts/latency.py --index /srv/index                  # this checkout
    python scripts/latency.py --index /srv/index --code /tmp/old  # another checkout, same index

The queries are bench.py's: about 200 titles of VNTC articles and their
unaccented forms, the same with a typo, and typed as Telex keystrokes. Run
each version twice, in turn, and compare the second runs: the first pays
for the page cache. The full comparison against stock Whoosh and FTS5 is
scripts/bench.py; this one needs no other index.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="a built index")
    parser.add_argument("--code", type=Path, default=REPO, help="the checkout whose searchlib to time")
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.code))
    sys.path.insert(1, str(REPO / "scripts"))
    import bench

    from searchlib import open_index
    from searchlib.normalize import fold

    index = open_index(args.index)
    titles = bench.make_queries(bench.load_articles(20000), args.queries)
    sets = {
        "plain": titles + [fold(q) for q in titles],
        "typo": [bench.misspelled(q) for q in titles],
        "telex": [bench.telexed(q) for q in titles],
    }
    for name, queries in sets.items():
        for query in queries[:30]:
            index.search(query)
        times = []
        for query in queries:
            started = time.perf_counter()
            index.search(query)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p95 = times[max(0, int(0.95 * len(times)) - 1)]
        print(f"{name:6s} {len(times):4d} queries  p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
