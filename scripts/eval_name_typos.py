"""Measure "did you mean" on names with one syllable garbled into no word at all.

    python scripts/eval_name_typos.py --index /tmp/big/index [--sample 300] [--seed 1]

Samples leaders' names of two to four syllables that at least
``--min-articles`` articles of the index list, and garbles one syllable
with one random edit (a letter dropped, doubled, swapped or replaced, never
the first) into a spelling no article holds: ``Quảng Ninh`` → ``Quảng
Nnh``, ``Võ Văn Kiệt`` → ``Võ Văn Kiệ``. Each is searched with its marks and
without them, and the suggestion compared with the name (case and tone
placement aside; without marks, with the name's marks restored).

Prints a table and writes JSON (``bench-results/eval-name-typos.json``).
"""

from __future__ import annotations

import argparse
import json
import random
import string
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from searchlib import open_index  # noqa: E402
from searchlib.normalize import fold  # noqa: E402
from searchlib.suggest import _spelled  # noqa: E402


def garble(syllable: str, rng: random.Random) -> str:
    """*syllable* with one random edit after its first letter."""
    i = rng.randrange(1, len(syllable)) if len(syllable) > 1 else 1
    kind = rng.choice(["drop", "double", "swap", "replace"])
    if kind == "drop" and len(syllable) > 2:
        return syllable[:i] + syllable[i + 1 :]
    if kind == "double":
        return syllable[:i] + syllable[i - 1] + syllable[i:]
    if kind == "swap" and i + 1 < len(syllable):
        return syllable[:i] + syllable[i + 1] + syllable[i] + syllable[i + 2 :]
    return syllable[:i] + rng.choice(string.ascii_lowercase) + syllable[i + 1 :]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", required=True, help="a built index (the 84,132 VNTC articles, say)")
    parser.add_argument("--sample", type=int, default=300, help="garbled names searched")
    parser.add_argument("--min-articles", type=int, default=5, help="articles that must list the leader")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, default=REPO / "bench-results" / "eval-name-typos.json")
    args = parser.parse_args(argv)

    index = open_index(args.index)
    index.search("x")
    postings = index._reader._state().postings  # for "no article holds it" only
    names = sorted(n for n, count in index.values("leaders").items() if count >= args.min_articles)
    names = [n for n in names if 2 <= len(n.split()) <= 4]
    rng = random.Random(args.seed)
    rng.shuffle(names)

    cases: list[dict[str, Any]] = []
    for name in names:
        if len(cases) >= args.sample:
            break
        words = name.split()
        i = rng.randrange(len(words))
        for _ in range(10):
            wrong = garble(words[i].lower(), rng)
            if wrong.isalpha() and not postings.has_term("text", fold(wrong)):
                break
        else:
            continue
        garbled = " ".join([*words[:i], wrong, *words[i + 1 :]])
        cases.append({"name": name, "garbled": garbled})

    started = time.perf_counter()
    for case in cases:
        right = _spelled(case["name"])
        for field, query in (("marked", case["garbled"]), ("unmarked", fold(case["garbled"]))):
            results = index.search(query, limit=1, snippets=False)
            case[field] = results.suggestion
            case[f"{field}_fixed"] = results.suggestion is not None and _spelled(results.suggestion) == right
    seconds = time.perf_counter() - started

    n = len(cases)
    row = {
        "names": n,
        "fixed_marked": sum(c["marked_fixed"] for c in cases) / n,
        "other_marked": sum(c["marked"] is not None and not c["marked_fixed"] for c in cases) / n,
        "fixed_unmarked": sum(c["unmarked_fixed"] for c in cases) / n,
        "other_unmarked": sum(c["unmarked"] is not None and not c["unmarked_fixed"] for c in cases) / n,
    }
    print(f"{'names':>5}  {'fixed':>6} {'other':>6}  {'fixed, no marks':>15} {'other':>6}")
    print(
        f"{n:>5}  {row['fixed_marked']:>6.1%} {row['other_marked']:>6.1%}"
        f"  {row['fixed_unmarked']:>15.1%} {row['other_unmarked']:>6.1%}"
    )
    print(f"{n} garbled names searched with and without marks in {seconds:.1f} s")
    for c in [c for c in cases if not c["marked_fixed"]][:15]:
        print(f"  {c['garbled']!r:30} -> {c['marked']!r:30} ({c['name']})")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps({"index": str(args.index), "row": row, "cases": cases}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
