"""How much an incremental update costs against a full build, in one run.

    python scripts/bench_update.py                 # 20,000 VNTC articles, 1% changed
    python scripts/bench_update.py --docs 5000 --changed 0.05

Builds an index from raw .txt articles, then edits the given share of the
files (a sentence appended), adds as many new ones, and times
``update --prune`` with nothing changed and with the edits, against the
full build. Prints a table and writes JSON (bench-results/update-N.json).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import REPO, VNTC, load_articles, write_articles

from searchlib.indexer import build_index, update_index

EDIT = "\n\nBài viết được cập nhật thêm thông tin về tiến độ giải ngân vốn đầu tư công.\n"


def edit(files: list[Path], share: float, seed: int = 11) -> int:
    """Append a sentence to a random *share* of *files*; return how many."""
    chosen = random.Random(seed).sample(files, max(1, round(len(files) * share)))
    for path in chosen:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(EDIT)
    return len(chosen)


def timed(label: str, run: Any) -> dict[str, Any]:
    started = time.perf_counter()
    report = run()
    seconds = time.perf_counter() - started
    print(f"{label:<28} {seconds:8.2f} s  {report.summary()}", file=sys.stderr)
    return {"seconds": round(seconds, 2), **{k: v for k, v in report.summary().items() if k != "failures"}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--changed", type=float, default=0.01, help="share of articles edited (and added)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if not VNTC.exists():
        print(f"{VNTC} not found: the benchmark needs ../shared/corpora next to the repository.", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="searchlib-update-"))
    try:
        articles = load_articles(args.docs)
        source = workdir / "articles"
        write_articles(articles[: len(articles) - round(len(articles) * args.changed)], source)
        index = workdir / "index"
        result: dict[str, Any] = {"documents": args.docs, "changed_share": args.changed}
        result["full_build"] = timed("full build", lambda: build_index([source], index))
        result["update_unchanged"] = timed("update, nothing changed", lambda: update_index([source], index, prune=True))
        edited = edit(sorted(source.glob("*.txt")), args.changed)
        added = len(articles) - len(list(source.glob("*.txt")))
        write_articles(articles[len(articles) - added :], source)
        result["edited"], result["added"] = edited, added
        result["update_changed"] = timed(
            f"update, {edited} edited + {added} new", lambda: update_index([source], index, prune=True)
        )
        result["update_vs_full"] = round(result["update_changed"]["seconds"] / result["full_build"]["seconds"], 4)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    out = args.json or REPO / "bench-results" / f"update-{args.docs}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
