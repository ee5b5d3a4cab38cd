#!/usr/bin/env python3
"""Benchmark searchlib.extract: articles/s and ms/article.

Runs :func:`searchlib.extract.parse_article` over

* the raw seed articles in ``../shared/seeds`` (page furniture included), and
* the first N VNTC news records (``title + "\\n" + body``) from
  ``../shared/corpora/vntc/news.jsonl.gz``,

and prints a table. Each corpus is timed ``--repeat`` times after a warm-up
pass (which loads the data files and compiles the regexes), and the best run
is reported, as ``timeit`` does: the minimum is the least disturbed by other
processes on the machine.

Usage::

    python scripts/bench_extract.py [--shared ../shared] [--limit 5000] [--repeat 3]

The core, :func:`bench`, is importable: ``bench(texts, repeat=3) -> BenchResult``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from searchlib.document import Document
from searchlib.extract import parse_article

DEFAULT_SHARED = Path(__file__).resolve().parents[2] / "shared"


@dataclass(frozen=True)
class BenchResult:
    """Timing of one corpus: best of the repeated runs."""

    name: str
    articles: int
    kilobytes: float
    seconds: float

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds if self.seconds else float("inf")

    @property
    def ms_per_article(self) -> float:
        return 1000 * self.seconds / self.articles if self.articles else 0.0

    @property
    def ms_per_3kb(self) -> float:
        """Time for 3 KB of text, the size the indexing budget is quoted for."""
        return 3 * 1000 * self.seconds / self.kilobytes if self.kilobytes else 0.0


def bench(
    texts: Sequence[str],
    *,
    name: str = "texts",
    repeat: int = 3,
    extract: Callable[[str], Document] = parse_article,
) -> BenchResult:
    """Time *extract* over *texts*; return the best of *repeat* runs after one warm-up."""
    for text in texts[:50]:
        extract(text)
    best = float("inf")
    for _ in range(max(1, repeat)):
        start = time.process_time()
        for text in texts:
            extract(text)
        best = min(best, time.process_time() - start)
    size = sum(len(t.encode("utf-8")) for t in texts) / 1000
    return BenchResult(name, len(texts), size, best)


def seed_texts(shared: Path) -> list[str]:
    """The raw seed articles (UTF-8 files)."""
    return [p.read_text(encoding="utf-8") for p in sorted((shared / "seeds").glob("*.txt"))]


def _records(path: Path) -> Iterator[dict[str, object]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def vntc_texts(shared: Path, limit: int = 5000) -> list[str]:
    """``title + "\\n" + body`` of the first *limit* VNTC records."""
    path = shared / "corpora" / "vntc" / "news.jsonl.gz"
    return [f"{r.get('title') or ''}\n{r.get('body') or ''}" for r in islice(_records(path), limit)]


def format_table(results: Sequence[BenchResult]) -> str:
    """A plain-text table of *results*."""
    head = f"{'corpus':<12} {'articles':>8} {'avg KB':>7} {'articles/s':>11} {'ms/article':>11} {'ms/3KB':>7}"
    rows = [head, "-" * len(head)]
    for r in results:
        avg = r.kilobytes / r.articles if r.articles else 0.0
        rows.append(
            f"{r.name:<12} {r.articles:>8} {avg:>7.2f} {r.articles_per_s:>11.0f} "
            f"{r.ms_per_article:>11.3f} {r.ms_per_3kb:>7.3f}"
        )
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared folder")
    parser.add_argument("--limit", type=int, default=5000, help="VNTC records to use")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (the best is kept)")
    args = parser.parse_args(argv)
    results = []
    if (args.shared / "seeds").is_dir():
        results.append(bench(seed_texts(args.shared), name="seeds", repeat=max(args.repeat, 20)))
    if (args.shared / "corpora" / "vntc" / "news.jsonl.gz").is_file():
        results.append(bench(vntc_texts(args.shared, args.limit), name="vntc", repeat=args.repeat))
    if not results:
        sys.stderr.write(f"nothing to benchmark under {args.shared}\n")
        return 1
    sys.stdout.write(format_table(results) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
