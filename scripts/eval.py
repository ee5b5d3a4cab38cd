"""Measure search quality on the shared retrieval sets, against plain BM25.

    python scripts/eval.py                        # all three sets (about 5 minutes)
    python scripts/eval.py --sets xquad-vi --limit 300

For each set in ../shared/corpora (alqac-legal, xquad-vi, vicov19qa) it
indexes the corpus with searchlib and runs every query three ways: as given,
folded to no diacritics, and with the other tone placement (``hòa`` ↔
``hoà``). It reports MRR@10, nDCG@10 and Recall@100, and computes in the same
run the baseline: plain BM25 (k1 1.2, b 0.75) over lower-cased ``\\w+``
syllables of the text, with no segmentation, no folding and no title. It also
checks that tone-variant queries return the same top 10 as the originals.

Prints a table and writes JSON (``--json``, default bench-results/eval.json).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
SETS = ("alqac-legal", "xquad-vi", "vicov19qa")
WORD = re.compile(r"\w+")

Ranker = Callable[[str], list[str]]


# --- data ------------------------------------------------------------------------


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_set(name: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, dict[str, int]]]:
    folder = CORPORA / name
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    for line in (folder / "qrels.tsv").read_text(encoding="utf-8").splitlines():
        qid, did, rel = line.split("\t")
        qrels[qid][did] = int(rel)
    return read_jsonl(folder / "corpus.jsonl"), read_jsonl(folder / "queries.jsonl"), dict(qrels)


# --- query variants --------------------------------------------------------------


def unaccented(text: str) -> str:
    from searchlib.normalize import fold

    return fold(text)


def other_tone_placement(text: str) -> str:
    """Swap the oa/oe/uy tone placement of every syllable that has a choice."""
    return WORD.sub(lambda m: _swap(m.group()), text)


def _swap(word: str) -> str:
    from searchlib.normalize import canonical_tones, tone_variants

    canonical = canonical_tones(word)
    if canonical != word:  # "hoà": give the other placement, "hòa"
        return canonical
    others = tone_variants(word) - {word}  # "hòa": give "hoà"
    return others.pop() if others else word


# --- metrics ---------------------------------------------------------------------


def metrics(ranked: list[str], relevant: dict[str, int]) -> dict[str, float]:
    rr = next((1.0 / (i + 1) for i, d in enumerate(ranked[:10]) if d in relevant), 0.0)
    dcg = sum(relevant.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:10]))
    ideal = sum(r / math.log2(i + 2) for i, r in enumerate(sorted(relevant.values(), reverse=True)[:10]))
    recall = len(set(ranked[:100]) & set(relevant)) / len(relevant)
    return {"mrr@10": rr, "ndcg@10": dcg / ideal if ideal else 0.0, "recall@100": recall}


def evaluate(
    rank: Ranker, queries: list[tuple[str, str]], qrels: dict[str, dict[str, int]]
) -> tuple[dict[str, float], dict[str, list[str]]]:
    totals: Counter[str] = Counter()
    runs: dict[str, list[str]] = {}
    for qid, text in queries:
        runs[qid] = rank(text)
        totals.update(metrics(runs[qid], qrels[qid]))
    return {k: round(v / len(queries), 4) for k, v in totals.items()}, runs


# --- the two engines -----------------------------------------------------------------


class PlainBM25:
    """BM25 over lower-cased syllables of the text: the baseline (numpy, one array per word)."""

    def __init__(self, docs: list[dict[str, Any]], k1: float = 1.2, b: float = 0.75) -> None:
        import numpy as np

        self.np = np
        self.ids = [d["id"] for d in docs]
        raw: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
        lengths = []
        for n, doc in enumerate(docs):
            words = WORD.findall(doc["text"].lower())
            lengths.append(len(words))
            for word, tf in Counter(words).items():
                raw[word][0].append(n)
                raw[word][1].append(tf)
        length = np.array(lengths, dtype=np.float64)
        norm = k1 * (1 - b + b * length / length.mean())
        total = len(docs)
        self.scores: dict[str, tuple[Any, Any]] = {}
        for word, (rows, tfs) in raw.items():
            rows_a, tf = np.array(rows), np.array(tfs, dtype=np.float64)
            idf = math.log(1 + (total - len(rows) + 0.5) / (len(rows) + 0.5))
            self.scores[word] = (rows_a, idf * tf * (k1 + 1) / (tf + norm[rows_a]))

    def __call__(self, query: str) -> list[str]:
        np = self.np
        totals = np.zeros(len(self.ids))
        for word in set(WORD.findall(query.lower())):
            if word in self.scores:
                rows, scores = self.scores[word]
                totals[rows] += scores
        hits = np.flatnonzero(totals)
        best = hits[np.argsort(-totals[hits], kind="stable")][:100]
        return [self.ids[n] for n in best]


def searchlib_ranker(docs: list[dict[str, Any]], workdir: Path) -> Ranker:
    from searchlib import build_index, open_index

    records = workdir / "corpus.jsonl"
    with open(records, "w", encoding="utf-8") as handle:
        for doc in docs:
            handle.write(
                json.dumps({"id": doc["id"], "title": doc.get("title") or "", "body": doc["text"]}, ensure_ascii=False)
                + "\n"
            )
    build_index([records], workdir / "index")
    index = open_index(workdir / "index")
    return lambda q: [hit.id for hit in index.search(q, limit=100, snippets=False).hits]


# --- the run ------------------------------------------------------------------------


def run_set(name: str, limit: int | None) -> dict[str, Any]:
    docs, queries, qrels = load_set(name)
    chosen = [(q["id"], q["text"]) for q in queries if q["id"] in qrels][:limit]
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        ours = searchlib_ranker(docs, Path(tmp))
        built = time.perf_counter() - started
        baseline = PlainBM25(docs)
        out: dict[str, Any] = {"documents": len(docs), "queries": len(chosen), "build_seconds": round(built, 1)}
        variants = {
            "as given": chosen,
            "unaccented": [(q, unaccented(t)) for q, t in chosen],
            "other tone placement": [(q, other_tone_placement(t)) for q, t in chosen],
        }
        runs = {}
        for label, qs in variants.items():
            started = time.perf_counter()
            out[f"searchlib {label}"], runs[label] = evaluate(ours, qs, qrels)
            out[f"searchlib {label}"]["ms_per_query"] = round((time.perf_counter() - started) * 1000 / len(qs), 1)
            out[f"baseline {label}"], _ = evaluate(baseline, qs, qrels)
        same = sum(runs["as given"][q][:10] == runs["other tone placement"][q][:10] for q, _ in chosen)
        changed = sum(t != other_tone_placement(t) for _, t in chosen)
        out["tone variant same top 10"] = f"{same}/{len(chosen)} ({changed} queries had a syllable to swap)"
    return out


def header(label: str) -> str:
    return f"{'set':<12} {label:<34} {'MRR@10':>7} {'nDCG@10':>8} {'R@100':>7}"


def metric_rows(name: str, result: dict[str, Any]) -> list[str]:
    """One line per run of one set: its MRR@10, nDCG@10 and Recall@100."""
    return [
        f"{name:<12} {key:<34} {value['mrr@10']:>7.3f} {value['ndcg@10']:>8.3f} {value['recall@100']:>7.3f}"
        for key, value in result.items()
        if isinstance(value, dict)
    ]


def table(results: dict[str, dict[str, Any]]) -> str:
    lines = [header("run")]
    for name, r in results.items():
        lines.extend(metric_rows(name, r))
        given, base, flat = r["searchlib as given"], r["baseline as given"], r["searchlib unaccented"]
        lines.append(
            f"{name:<12} MRR gain over baseline {given['mrr@10'] - base['mrr@10']:+.3f} (target +0.020); "
            f"unaccented/accented {flat['mrr@10'] / given['mrr@10']:.3f} (target 0.95); "
            f"tone variants {r['tone variant same top 10']}"
        )
        lines.append("")
    return "\n".join(lines)


def command(
    argv: Iterable[str] | None,
    *,
    description: str,
    run: Callable[[str, int | None], dict[str, Any]],
    show: Callable[[dict[str, dict[str, Any]]], str],
    json_path: Path,
) -> int:
    """The command line shared by the evaluation scripts: run each set, print a table, write JSON."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=SETS)
    parser.add_argument("--limit", type=int, help="at most this many queries per set")
    parser.add_argument("--json", type=Path, default=json_path)
    args = parser.parse_args(list(argv) if argv is not None else None)
    if not CORPORA.exists():
        print(f"{CORPORA} not found: the evaluation needs ../shared/corpora next to the repository.", file=sys.stderr)
        return 2
    results = {}
    for name in args.sets:
        print(f"{name}…", file=sys.stderr)
        results[name] = run(name, args.limit)
    print(show(results))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


def main(argv: Iterable[str] | None = None) -> int:
    return command(
        argv,
        description=__doc__.split("\n\n")[0],
        run=run_set,
        show=table,
        json_path=REPO / "bench-results" / "eval.json",
    )


if __name__ == "__main__":
    raise SystemExit(main())
