"""Check that searchlib.segment segments exactly like pyvi, and time both.

Identity is checked on the UD-VTB gold sentences (their raw ``text``, fed as
is and with the punctuation re-attached as in running text) and on VNTC news
articles. Throughput is measured on one core, in syllables (``\\w+`` runs) per
second, for pyvi's ``tokenize`` and for our ``tokenize``, ``segment`` and
``compounds``; see :func:`measure` for how a busy machine is kept out of it.

    python scripts/check_segmentation.py                  # everything
    python scripts/check_segmentation.py --articles 200 --json out.json

The functions are importable (``scripts/bench.py`` reuses them). The exit
status is 1 if any text segments differently, 2 if the corpora are missing.
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import importlib
import itertools
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from searchlib import segment

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPORA = REPO_ROOT.parent / "shared" / "corpora"
UD_SENTENCES = CORPORA / "ud-vtb-wordseg" / "sentences.jsonl"
VNTC_NEWS = CORPORA / "vntc" / "news.jsonl.gz"

_SYLLABLE = re.compile(r"\w+")
# UD text is tokenised ("nói : \" Tôi"); this undoes the common cases so that
# punctuation also meets words the way it does in real articles.
_SPACE_BEFORE = re.compile(r" ([,.:;!?%)\]”…])")
_SPACE_AFTER = re.compile(r"([(\[“]) ")

Tokenizer = Callable[[str], str]
Timed = Callable[[str], object]


@dataclass(frozen=True)
class Mismatch:
    """One text that the two tokenizers segment differently."""

    source: str
    index: int
    expected: str
    got: str


@dataclass(frozen=True)
class Throughput:
    """Best-of-rounds speed of one tokenizer over a fixed set of texts."""

    name: str
    syllables: int
    seconds: float

    @property
    def syllables_per_second(self) -> float:
        return self.syllables / self.seconds


def read_jsonl(path: Path) -> Iterator[dict[str, object]]:
    """Yield the records of a JSON Lines file, gzipped or not."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def ud_sentences(path: Path = UD_SENTENCES) -> list[str]:
    """The raw ``text`` of every UD-VTB sentence (train, dev and test)."""
    return [str(record["text"]) for record in read_jsonl(path)]


def detokenise(sentence: str) -> str:
    """Re-attach punctuation to its neighbour: ``"Hà Nội , ( VN )"`` -> ``"Hà Nội, (VN)"``."""
    return _SPACE_AFTER.sub(r"\1", _SPACE_BEFORE.sub(r"\1", sentence))


def vntc_articles(limit: int, path: Path = VNTC_NEWS) -> list[str]:
    """The first *limit* VNTC articles as the indexer sees them: title, newline, body."""
    records = itertools.islice(read_jsonl(path), limit)
    return [f"{record['title'] or ''}\n{record['body']}" for record in records]


def count_syllables(texts: Sequence[str]) -> int:
    return sum(len(_SYLLABLE.findall(text)) for text in texts)


def find_mismatches(source: str, texts: Sequence[str], expected: Tokenizer, got: Tokenizer) -> list[Mismatch]:
    """Every text of *texts* on which the two tokenizers disagree."""
    found = []
    for index, text in enumerate(texts):
        want, have = expected(text), got(text)
        if want != have:
            found.append(Mismatch(source, index, want, have))
    return found


def word_diff(mismatch: Mismatch, context: int = 3) -> str:
    """A unified diff of the two outputs, one word per line, to show where they part."""
    lines = difflib.unified_diff(
        mismatch.expected.split(" "),
        mismatch.got.split(" "),
        "pyvi",
        "searchlib",
        n=context,
        lineterm="",
    )
    return "\n".join(lines)


def measure(
    tokenizers: Mapping[str, Timed], texts: Sequence[str], rounds: int = 5, chunk: int = 20
) -> list[Throughput]:
    """Time each tokenizer over *texts*, in syllables per second.

    The texts are timed in small chunks, the tokenizers taking turns on each,
    and each chunk's fastest round counts: on a shared machine a pause then
    spoils one chunk of one round instead of a whole run.
    """
    chunks = [texts[i : i + chunk] for i in range(0, len(texts), chunk)]
    best = {name: [float("inf")] * len(chunks) for name in tokenizers}
    for _ in range(rounds):
        for index, part in enumerate(chunks):
            for name, tokenize in tokenizers.items():
                start = time.perf_counter()
                for text in part:
                    tokenize(text)
                best[name][index] = min(best[name][index], time.perf_counter() - start)
    syllables = count_syllables(texts)
    return [Throughput(name, syllables, sum(times)) for name, times in best.items()]


def pin_to_one_core() -> int | None:
    """Run this process on a single CPU so numbers compare across machines; return it."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


def load_tokenizers() -> tuple[Tokenizer, Tokenizer, dict[str, float]]:
    """pyvi's tokenizer and ours, ready to run, and the seconds each took to load.

    Ours loads first: once pyvi is in, scikit-learn is already in memory.
    """
    start = time.perf_counter()
    segment.preload()
    ours = time.perf_counter() - start
    start = time.perf_counter()
    pyvi = importlib.import_module("pyvi.ViTokenizer")
    theirs = time.perf_counter() - start
    return pyvi.tokenize, segment.tokenize, {"pyvi": theirs, "searchlib": ours}


def check_identity(pyvi: Tokenizer, ours: Tokenizer, articles: int) -> tuple[dict[str, int], list[Mismatch]]:
    """Compare on UD-VTB (as given and detokenised) and VNTC: texts per source, mismatches."""
    sentences = ud_sentences()
    sources = {
        "ud-vtb": sentences,
        "ud-vtb-detok": [detokenise(s) for s in sentences],
        "vntc": vntc_articles(articles),
    }
    mismatches: list[Mismatch] = []
    for source, texts in sources.items():
        mismatches += find_mismatches(source, texts, pyvi, ours)
    return {source: len(texts) for source, texts in sources.items()}, mismatches


def report(counts: dict[str, int], mismatches: list[Mismatch], speeds: list[Throughput], show: int) -> None:
    for source, count in counts.items():
        bad = sum(m.source == source for m in mismatches)
        print(f"identity {source:<13} {count:>6} texts  {bad:>4} mismatches")
    for mismatch in mismatches[:show]:
        print(f"\n--- {mismatch.source} #{mismatch.index}\n{word_diff(mismatch)}")
    print(f"\n{'function':<30} {'syllables/s':>12} {'vs pyvi':>8}")
    baseline = speeds[0].syllables_per_second
    for speed in speeds:
        rate = speed.syllables_per_second
        print(f"{speed.name:<30} {rate:>12,.0f} {rate / baseline:>7.2f}x")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--articles", type=int, default=2000, help="VNTC articles to compare (2000)")
    add("--bench-articles", type=int, default=300, help="VNTC articles to time (300)")
    add("--rounds", type=int, default=5, help="timing rounds, best kept (5)")
    add("--show", type=int, default=3, help="mismatches to print as diffs (3)")
    add("--json", type=Path, metavar="PATH", help="also write the results here")
    args = parser.parse_args(argv)
    if not CORPORA.is_dir():
        print(f"corpora not found at {CORPORA}", file=sys.stderr)
        return 2
    cpu = pin_to_one_core()
    pyvi, ours, load = load_tokenizers()
    counts, mismatches = check_identity(pyvi, ours, args.articles)
    timed = {
        "pyvi.ViTokenizer.tokenize": pyvi,
        "searchlib.segment.tokenize": ours,
        "searchlib.segment.segment": segment.segment,
        "searchlib.segment.compounds": segment.compounds,
    }
    speeds = measure(timed, vntc_articles(args.bench_articles), args.rounds)
    report(counts, mismatches, speeds, args.show)
    print(f"load: pyvi {load['pyvi']:.3f} s, searchlib {load['searchlib']:.3f} s")
    if args.json:
        result = {
            "cpu": cpu,
            "texts": counts,
            "load_seconds": load,
            "mismatches": [asdict(m) for m in mismatches],
            "throughput": [asdict(s) | {"syllables_per_second": s.syllables_per_second} for s in speeds],
        }
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
