"""Benchmark searchlib against the alternatives on real VNTC news, in one run.

    python scripts/bench.py                 # 20,000 articles (about 15 minutes)
    python scripts/bench.py --full          # all 84,132 articles (about 80 minutes)
    python scripts/bench.py --docs 2000     # a quick look
    python scripts/bench.py --full --workdir DIR                  # keep the indexes, then
    python scripts/bench.py --full --workdir DIR --queries-only   # re-time steps 3-4 alone
    python scripts/bench.py --full --workdir DIR --resume         # finish an interrupted run

Measures, in the same run so that ratios hold on a noisy machine:

1. segmentation: throughput against pyvi's ViTokenizer on one core, and
   identity on UD-VTB plus 2,000 articles (scripts/check_segmentation.py);
2. full build from a folder of raw .txt articles: docs/s with one and two
   processes, against a naive Whoosh + pyvi analyzer (one process), stock
   Whoosh (StandardAnalyzer) and SQLite FTS5 (unicode61 remove_diacritics 2);
   the share of extraction; peak RSS of each build's process tree;
3. query latency, warm: p50 and p95 of about 200 title queries of 1-4
   syllables and their unaccented forms, top 10 with snippets, against FTS5
   with snippet() and a stock Whoosh AND query without snippets; and, for
   searchlib alone, the same queries with a typo (the last letter of their
   longest word doubled), which exercises fuzzy matching and "did you mean",
   and typed as Telex keystrokes (``tinhr uyr``), which are read back;
4. cold CLI: wall time of ``searchlib search`` against a floor that imports
   Whoosh, opens the same index and runs one query;
5. index size against raw text size.

Prints a table and writes JSON (``--json``, default bench-results/bench-N.json).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import gzip
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
VNTC = SHARED / "corpora" / "vntc" / "news.jsonl.gz"
sys.path.insert(0, str(REPO / "scripts"))

QUERIES = 200
TARGETS = {
    "segmentation_speedup": ">= 2.5",
    "build_speedup_vs_naive": ">= 2.5",
    "query_p50_vs_stock": "<= 1.0",
    "query_p95_ms_full": "<= 150",
    "cold_cli_vs_floor": "<= 2.0",
    "peak_rss_mb_full": "<= 2048",
    "index_size_vs_raw": "<= 2.0",
}


# --- data ----------------------------------------------------------------------


def load_articles(count: int) -> list[dict[str, str]]:
    """*count* VNTC articles spread over the file (every k-th), so all topics appear."""
    with gzip.open(VNTC, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    step = max(1, len(records) // count)
    picked = records[::step][:count]
    return [{"id": r["id"], "title": r.get("title") or "", "body": r["body"]} for r in picked]


def write_articles(articles: list[dict[str, str]], folder: Path) -> int:
    """Write articles as raw .txt files (title line, blank line, body); return raw text bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for article in articles:
        text = f"{article['title']}\n\n{article['body']}\n" if article["title"] else article["body"] + "\n"
        (folder / f"{article['id']}.txt").write_text(text, encoding="utf-8")
        total += len(f"{article['title']}\n{article['body']}".encode())
    return total


def misspelled(query: str) -> str:
    """*query* with the last letter of its longest word doubled: ``nguyễn`` → ``nguyễnn``."""
    words = query.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    words[longest] += words[longest][-1]
    return " ".join(words)


def telexed(query: str) -> str:
    """*query* as typed with the input method off, in Telex: ``tỉnh ủy`` → ``tinhr uyr``."""
    from searchlib.keystrokes import telex

    return " ".join(telex(w) for w in query.split())


def make_queries(articles: list[dict[str, str]], count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    titles = [a["title"] for a in articles if a["title"]]
    queries: list[str] = []
    while len(queries) < count:
        syllables = re.findall(r"[^\W\d_]+", rng.choice(titles))
        if not syllables:
            continue
        size = rng.randint(1, 4)
        start = rng.randint(0, max(0, len(syllables) - size))
        queries.append(" ".join(syllables[start : start + size]).lower())
    return queries


# --- builds, each in its own process tree ---------------------------------------


def tree_rss(pid: int) -> int:
    """Resident bytes of *pid* and all its descendants (walks /proc/PID/task/*/children)."""
    page = os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * page
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    stack.extend(int(c) for c in handle.read().split())
        except OSError:
            continue
    return total


def run_build(kind: str, source: Path, target: Path, procs: int = 1) -> dict[str, Any]:
    """Run one build in a child process; time it and sample its tree's peak RSS."""
    args = [sys.executable, __file__, "--build-only", kind, str(source), str(target), "--procs", str(procs)]
    start = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    peak = 0
    while child.poll() is None:
        peak = max(peak, tree_rss(child.pid))
        time.sleep(0.25)
    wall = time.perf_counter() - start
    out = child.stdout.read() if child.stdout else ""
    if child.returncode:
        raise SystemExit(f"{kind} build failed ({child.returncode})")
    result = json.loads(out.strip().splitlines()[-1])
    result.update(kind=kind, procs=procs, wall_seconds=round(wall, 2), peak_rss_mb=round(peak / 2**20, 1))
    result["docs_per_second"] = round(result["documents"] / result["seconds"], 1)
    return result


def build_only(kind: str, source: Path, target: Path, procs: int) -> dict[str, Any]:
    """The body of a child build process (``--build-only``)."""
    files = sorted(source.glob("*.txt"))
    start = time.perf_counter()
    if kind == "searchlib":
        from searchlib import build_index

        documents = build_index([source], target, procs=procs).documents
    elif kind == "fts5":
        documents = _build_fts5(files, target)
    else:
        documents = _build_whoosh(files, target, pyvi=kind == "naive-pyvi")
    return {"documents": documents, "seconds": round(time.perf_counter() - start, 3)}


def _split(path: Path) -> tuple[str, str]:
    text = path.read_text(encoding="utf-8")
    title, _, body = text.partition("\n\n")
    return (title, body) if body else ("", title)


def _build_fts5(files: list[Path], target: Path) -> int:
    target.mkdir(parents=True, exist_ok=True)
    (target / "fts.db").unlink(missing_ok=True)  # a --workdir kept from an earlier run
    db = sqlite3.connect(target / "fts.db")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO docs(title, body) VALUES (?, ?)", (_split(f) for f in files))
    db.commit()
    return int(db.execute("SELECT count(*) FROM docs").fetchone()[0])


def _build_whoosh(files: list[Path], target: Path, *, pyvi: bool) -> int:
    from whoosh import fields, index
    from whoosh.analysis import StandardAnalyzer

    analyzer = _pyvi_analyzer() if pyvi else StandardAnalyzer()
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(stored=True, analyzer=analyzer),
        body=fields.TEXT(stored=True, analyzer=analyzer),
    )
    target.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(target), schema)
    writer = ix.writer(limitmb=256)
    for path in files:
        title, body = _split(path)
        writer.add_document(id=path.stem, title=title, body=body)
    writer.commit()
    return int(ix.doc_count())


def _pyvi_analyzer() -> Any:
    from bench_baselines import PyviTokenizer

    return PyviTokenizer()


# --- measurements -----------------------------------------------------------------


def segmentation(articles: int) -> dict[str, Any]:
    """Run scripts/check_segmentation.py in a fresh process and keep its figures.

    A fresh process, because this one holds the whole corpus in memory by
    now: timing pyvi and ours beside it cost both a third of their speed in
    the first full run (garbage collection walks a far larger heap).
    """
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "segmentation.json"
        script = Path(__file__).with_name("check_segmentation.py")
        subprocess.run(
            [sys.executable, str(script), "--articles", str(articles), "--json", str(out)],
            check=False,  # exit 1 means mismatches: reported, not fatal
            stdout=subprocess.DEVNULL,
        )
        found = json.loads(out.read_text(encoding="utf-8"))
    rate = {t["name"]: t["syllables_per_second"] for t in found["throughput"]}
    ours, pyvi = rate["searchlib.segment.compounds"], rate["pyvi.ViTokenizer.tokenize"]
    return {
        "identity_texts": found["texts"],
        "mismatches": len(found["mismatches"]),
        "syllables_timed": found["throughput"][0]["syllables"],
        "pyvi_syllables_per_second": round(pyvi),
        "ours_syllables_per_second": round(ours),
        "tokenize_syllables_per_second": round(rate["searchlib.segment.tokenize"]),
        "speedup": round(ours / pyvi, 2),
        "load_seconds": found["load_seconds"],
    }


def extraction(folder: Path) -> float:
    """Seconds to extract every article of *folder* (one process)."""
    from searchlib.errors import SourceError
    from searchlib.extract import parse_bytes

    files = sorted(folder.glob("*.txt"))
    start = time.process_time()
    for path in files:
        with contextlib.suppress(SourceError):  # the builds list these as failed too
            parse_bytes(path.read_bytes(), path=str(path))
    return time.process_time() - start


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timings(run: Any, queries: list[str]) -> dict[str, float]:
    for query in queries[:20]:
        run(query)
    times = []
    for query in queries:
        start = time.perf_counter()
        run(query)
        times.append((time.perf_counter() - start) * 1000)
    return {"p50_ms": round(percentile(times, 0.5), 2), "p95_ms": round(percentile(times, 0.95), 2)}


def query_latency(ours: Path, stock: Path, fts: Path, queries: list[str]) -> dict[str, Any]:
    from whoosh import index as whoosh_index
    from whoosh import query as wq

    import searchlib
    from searchlib.normalize import fold

    unaccented = [fold(q) for q in queries]
    index = searchlib.open_index(ours)
    searcher = whoosh_index.open_dir(str(stock)).searcher()
    db = sqlite3.connect(fts / "fts.db")

    def stock_query(q: str) -> None:
        terms = [wq.Term("body", w) for w in q.split()]
        len(searcher.search(wq.And(terms) if len(terms) > 1 else terms[0], limit=10))

    def fts_query(q: str) -> None:
        match = " ".join('"' + w.replace('"', "") + '"' for w in q.split())
        sql = "SELECT rowid, snippet(docs, 1, '[', ']', '…', 24) FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10"
        db.execute(sql, (match,)).fetchall()

    out: dict[str, Any] = {}
    for name, run in (
        ("searchlib", lambda q: index.search(q, limit=10)),
        ("stock_whoosh", stock_query),
        ("fts5", fts_query),
    ):
        out[name] = {
            "accented": timings(run, queries),
            "unaccented": timings(run, unaccented),
            "all": timings(run, queries + unaccented),
        }
    out["searchlib"]["misspelled"] = timings(lambda q: index.search(q, limit=10), [misspelled(q) for q in queries])
    out["searchlib"]["telex"] = timings(lambda q: index.search(q, limit=10), [telexed(q) for q in queries])
    return out


def cold_cli(index: Path, queries: list[str], runs: int = 7) -> dict[str, float]:
    import compileall

    import searchlib
    from searchlib.layout import current_generation

    # An installed package has bytecode, as whoosh and numpy here do. This
    # machine sets PYTHONDONTWRITEBYTECODE, which would leave every cold run
    # compiling searchlib from source (~60 ms) while the floor never compiles.
    compileall.compile_dir(str(Path(searchlib.__file__).parent), quiet=1)
    generation = current_generation(index).path
    cli = [str(Path(sys.executable).parent / "searchlib"), "search"]
    floor = (
        "import whoosh.index as i, whoosh.query as q, sys; "
        "ix = i.open_dir(sys.argv[1]); s = ix.searcher(); s.search(q.Term('text', sys.argv[2]), limit=10)"
    )

    def wall(args: list[str]) -> float:
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        return time.perf_counter() - start

    ours = [wall([*cli, q, "--index", str(index)]) for q in queries[:runs]]
    base = [wall([sys.executable, "-c", floor, str(generation), q.split()[0]]) for q in queries[:runs]]
    return {"searchlib_ms": round(statistics.median(ours) * 1000), "floor_ms": round(statistics.median(base) * 1000)}


def folder_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


# --- the run -----------------------------------------------------------------------


def run(count: int, workdir: Path, builds_only_ours: bool, resume: bool = False) -> dict[str, Any]:
    articles = load_articles(count)
    source = workdir / "articles"
    raw = write_articles(articles, source)
    queries = make_queries(articles, QUERIES)
    result: dict[str, Any] = {"documents": len(articles), "raw_text_bytes": raw, "targets": TARGETS}
    print(f"{len(articles)} articles, {raw / 1e6:.1f} MB of text", file=sys.stderr)
    # Queries are timed in this process: they must not share it with a heap
    # of 84,000 articles that every garbage collection would walk.
    del articles
    gc.collect()
    done = _load_partial(result) if resume else {}
    result["segmentation"] = done.get("segmentation") or segmentation(2000)
    _save_partial(result)
    builds = dict(done.get("builds", {}))
    plan = [("searchlib", 1), ("searchlib", 2), ("naive-pyvi", 1), ("stock-whoosh", 1), ("fts5", 1)]
    for kind, procs in plan[:2] if builds_only_ours else plan:
        name = f"{kind}-{procs}p" if kind == "searchlib" else kind
        if name in builds:
            print(f"{name}: kept from the interrupted run", file=sys.stderr)
            continue
        print(f"building {name}…", file=sys.stderr)
        builds[name] = run_build(kind, source, workdir / name, procs)
        result["builds"] = builds
        _save_partial(result)
    result["builds"] = builds
    result["extraction_seconds"] = round(extraction(source), 2)
    ours = workdir / "searchlib-2p"
    from searchlib.layout import current_generation

    result["index_bytes"] = folder_bytes(current_generation(ours).path)
    if not builds_only_ours:
        result["queries"] = query_latency(ours, workdir / "stock-whoosh", workdir / "fts5", queries)
        result["cold_cli"] = cold_cli(ours, queries)
    result["ratios"] = ratios(result)
    return result


def _partial_path(documents: int) -> Path:
    return REPO / "bench-results" / f"bench-{documents}.partial.json"


def _save_partial(result: dict[str, Any]) -> None:
    """Keep what was measured so far: a late crash must not cost an hour-long run (see --resume)."""
    path = _partial_path(result["documents"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")


def _load_partial(result: dict[str, Any]) -> dict[str, Any]:
    """What an interrupted run over the same articles measured, if anything."""
    path = _partial_path(result["documents"])
    if not path.exists():
        return {}
    done: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if done.get("raw_text_bytes") != result["raw_text_bytes"]:
        return {}
    print(f"resuming from {path}", file=sys.stderr)
    return done


def ratios(r: dict[str, Any]) -> dict[str, float]:
    b = r.get("builds", {})
    out = {}
    if b:
        out = {
            "segmentation_speedup": r["segmentation"]["speedup"],
            "index_size_vs_raw": round(r["index_bytes"] / r["raw_text_bytes"], 2),
            "peak_rss_mb": b["searchlib-2p"]["peak_rss_mb"],
            "extraction_share_of_1p_build": round(r["extraction_seconds"] / b["searchlib-1p"]["seconds"], 3),
        }
    if "naive-pyvi" in b:
        out["build_speedup_vs_naive"] = round(
            b["searchlib-2p"]["docs_per_second"] / b["naive-pyvi"]["docs_per_second"], 2
        )
        out["build_1p_vs_naive"] = round(b["searchlib-1p"]["docs_per_second"] / b["naive-pyvi"]["docs_per_second"], 2)
        out["build_vs_fts5"] = round(b["searchlib-2p"]["docs_per_second"] / b["fts5"]["docs_per_second"], 3)
    if "queries" in r:
        q = r["queries"]
        out["query_p50_vs_stock_all"] = round(q["searchlib"]["all"]["p50_ms"] / q["stock_whoosh"]["all"]["p50_ms"], 2)
        out["query_p50_vs_stock_accented"] = round(
            q["searchlib"]["accented"]["p50_ms"] / q["stock_whoosh"]["accented"]["p50_ms"], 2
        )
        out["query_p95_ms"] = q["searchlib"]["all"]["p95_ms"]
        out["query_p50_vs_fts5"] = round(q["searchlib"]["all"]["p50_ms"] / q["fts5"]["all"]["p50_ms"], 2)
        out["cold_cli_vs_floor"] = round(r["cold_cli"]["searchlib_ms"] / r["cold_cli"]["floor_ms"], 2)
    return out


def table(r: dict[str, Any]) -> str:
    lines = [f"documents: {r['documents']}", ""]
    if "builds" in r:
        lines[0] += f"   raw text: {r['raw_text_bytes'] / 1e6:.1f} MB"
        s = r["segmentation"]
        lines.append(
            f"segmentation  pyvi {s['pyvi_syllables_per_second']:,} syl/s   ours {s['ours_syllables_per_second']:,} syl/s   "
            f"{s['speedup']}x   mismatches {s['mismatches']} on {sum(s['identity_texts'].values())} texts"
        )
        lines.append("")
        lines.append(f"{'build':<16} {'docs/s':>8} {'seconds':>8} {'peak RSS MB':>12}")
        for name, b in r["builds"].items():
            lines.append(f"{name:<16} {b['docs_per_second']:>8} {b['seconds']:>8} {b['peak_rss_mb']:>12}")
        lines.append(f"extraction: {r['extraction_seconds']} s over the same articles (one process)")
    if "queries" in r:
        lines.append("")
        lines.append(f"{'queries (ms)':<16} {'p50':>7} {'p95':>7} {'p50 acc':>8} {'p50 unacc':>10}")
        for name, q in r["queries"].items():
            lines.append(
                f"{name:<16} {q['all']['p50_ms']:>7} {q['all']['p95_ms']:>7} {q['accented']['p50_ms']:>8} {q['unaccented']['p50_ms']:>10}"
            )
        typo = r["queries"]["searchlib"].get("misspelled")
        if typo:
            lines.append(f"searchlib, a typo in each query: p50 {typo['p50_ms']} ms, p95 {typo['p95_ms']} ms")
        keys = r["queries"]["searchlib"].get("telex")
        if keys:
            lines.append(
                f"searchlib, queries typed as Telex keystrokes: p50 {keys['p50_ms']} ms, p95 {keys['p95_ms']} ms"
            )
        c = r["cold_cli"]
        lines.append(f"cold CLI: searchlib search {c['searchlib_ms']} ms, floor {c['floor_ms']} ms")
    if "index_bytes" in r:
        lines.append(f"index size: {r['index_bytes'] / 1e6:.1f} MB for {r['raw_text_bytes'] / 1e6:.1f} MB of text")
    lines.append("")
    lines.append("ratios: " + json.dumps(r["ratios"]))
    lines.append("targets: " + json.dumps(r["targets"], ensure_ascii=False))
    return "\n".join(lines)


def _queries_only(count: int, workdir: Path, out: Path | None) -> int:
    """Steps 3 and 4 alone, on the indexes of an earlier run (the same queries: same seed)."""
    articles = load_articles(count)
    queries = make_queries(articles, QUERIES)
    result: dict[str, Any] = {"documents": len(articles), "targets": TARGETS}
    del articles
    gc.collect()
    ours = workdir / "searchlib-2p"
    result["queries"] = query_latency(ours, workdir / "stock-whoosh", workdir / "fts5", queries)
    result["cold_cli"] = cold_cli(ours, queries)
    result["ratios"] = ratios(result)
    return _report(result, out or REPO / "bench-results" / f"bench-{result['documents']}-queries.json")


def _report(result: dict[str, Any], out: Path) -> int:
    """Print the table and write the JSON."""
    print(table(result))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nwrote {out}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20000, help="articles to use (20,000)")
    parser.add_argument("--full", action="store_true", help="all 84,132 VNTC articles")
    parser.add_argument("--json", type=Path, help="where to write the results")
    parser.add_argument("--workdir", type=Path, help="keep the built indexes here")
    parser.add_argument("--only-ours", action="store_true", help="skip the baselines and queries (quick)")
    parser.add_argument(
        "--resume",
        action="store_true",
        help="with --workdir: keep the steps an interrupted run finished (its .partial.json) and do the rest",
    )
    parser.add_argument(
        "--queries-only",
        action="store_true",
        help="re-time queries and the cold CLI on the indexes a previous run kept in --workdir",
    )
    parser.add_argument("--build-only", nargs=3, metavar=("KIND", "SOURCE", "TARGET"), help=argparse.SUPPRESS)
    parser.add_argument("--procs", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build_only:
        kind, source, target = args.build_only
        print(json.dumps(build_only(kind, Path(source), Path(target), args.procs)))
        return 0
    if not VNTC.exists():
        print(f"{VNTC} not found: the benchmark needs ../shared/corpora next to the repository.", file=sys.stderr)
        return 2
    count = 10**6 if args.full else args.docs
    if args.queries_only:
        if args.workdir is None:
            parser.error("--queries-only needs the --workdir of a previous run")
        return _queries_only(count, args.workdir, args.json)
    if args.resume and args.workdir is None:
        parser.error("--resume needs the --workdir of the interrupted run")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="searchlib-bench-"))
    try:
        result = run(count, workdir, args.only_ours, args.resume)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return _report(result, args.json or REPO / "bench-results" / f"bench-{result['documents']}.json")


if __name__ == "__main__":
    raise SystemExit(main())
