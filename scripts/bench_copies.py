"""Copies of articles: how many a query's results hold, and what leaving them out costs.

    python scripts/bench_copies.py --index DIR [--query Q ...] [--pages 1,100,1000]

For each query: the total with copies counted once and with every copy, and
the time of a page (median of warm runs) at several depths, collapsed and
not. It also walks every page of 50 to the end of the results and checks
that the pages hold each article once and end where the total says. Prints
a table and writes ``bench-results/copies.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from searchlib import Index, open_index

QUERIES = ["kinh tế", "giá vàng", "bóng đá", "hội nghị", "Hà Nội"]
RUNS = 5
WALK_PAGE = 50


def timed(index: Index, query: str, page: int, limit: int, collapse: bool) -> float:
    runs = []
    for _ in range(RUNS):
        start = time.perf_counter()
        index.search(query, limit=limit, offset=(page - 1) * limit, collapse=collapse, snippets=False)
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def walk(index: Index, query: str) -> dict[str, object]:
    """Every page of WALK_PAGE to the end: the ids seen, and whether they fit the total."""
    seen: list[str] = []
    offset = 0
    total = index.search(query, limit=0).total
    while True:
        page = index.search(query, limit=WALK_PAGE, offset=offset, snippets=False)
        if not page.hits:
            break
        seen.extend(h.id for h in page.hits)
        offset += WALK_PAGE
    return {
        "total": total,
        "walked": len(seen),
        "distinct_ids": len(set(seen)),
        "ok": len(seen) == len(set(seen)) == total,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True)
    parser.add_argument("--query", action="append", help="repeatable; default: a few common news queries")
    parser.add_argument("--pages", default="1,100,1000")
    parser.add_argument("--limit", type=int, default=10)
    parser.add_argument("--no-walk", action="store_true", help="skip walking every page (slow on broad queries)")
    args = parser.parse_args()
    index = open_index(args.index)
    stats = index.stats()
    print(f"index: {stats.documents} articles, {stats.copies} copies of another", file=sys.stderr)
    pages = [int(p) for p in args.pages.split(",")]
    rows = []
    for query in args.query or QUERIES:
        index.search(query, limit=args.limit)  # warm: posting lists, the copies array
        collapsed = index.search(query, limit=args.limit)
        every = index.search(query, limit=args.limit, collapse=False)
        ms = {p: (timed(index, query, p, args.limit, True), timed(index, query, p, args.limit, False)) for p in pages}
        walked = None if args.no_walk else walk(index, query)
        rows.append(
            {
                "query": query,
                "total": collapsed.total,
                "total_with_copies": every.total,
                "ms": {str(p): {"collapsed": a, "all": b} for p, (a, b) in ms.items()},
                "walk": walked,
            }
        )
        timing = "  ".join(f"p{p}: {a:.1f}/{b:.1f} ms" for p, (a, b) in ms.items())
        check = "" if walked is None else f"  walk {'ok' if walked['ok'] else f'MISMATCH {walked}'}"
        print(f"{query:<12} total {collapsed.total:>6} (with copies {every.total:>6})  {timing}{check}")
    out = Path(__file__).resolve().parents[1] / "bench-results" / "copies.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps(
            {"index": args.index, "documents": stats.documents, "copies": stats.copies, "rows": rows},
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
