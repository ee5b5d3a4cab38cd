"""Measure how often fuzzy matching guesses the word a typo was made in.

    python scripts/eval_typos.py --index /tmp/benchfull2/searchlib-2p

Samples words from the index's own spelling table (words of four letters
or more, among its 20,000 most common, without diacritics), makes one or
two random edits in each (never in the first letter, which fuzzy matching
keeps), and keeps the typos the index does not hold. For each it asks
:func:`searchlib.fuzzy.similar_words` for its guesses, and counts how often
the original word is the first guess, and how often it is among them.

The rule searchlib applies is :func:`searchlib.fuzzy.closest_first`; the
same candidates are also ranked by the rules considered instead of
"closest first", for comparison: dropping the candidates rarer than a share
of the most common one within reach before taking the closest, and a
noisy-channel score (documents × penalty ** edits).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from searchlib.fuzzy import MAX_ALTERNATIVES, MIN_SHARE, candidates, closest_first  # noqa: E402
from searchlib.normalize import fold  # noqa: E402
from searchlib.spellings import SPELLINGS_FILE, SpellingTable  # noqa: E402

Rule = Callable[[dict[str, int], dict[str, int]], list[str]]


def typo(word: str, edits: int, rng: random.Random) -> str:
    for _ in range(edits):
        i = rng.randrange(1, len(word))
        op, letter = rng.choice("dist"), rng.choice("abcdeghiklmnoprstuy")
        if op == "d":
            word = word[:i] + word[i + 1 :]
        elif op == "i":
            word = word[:i] + letter + word[i:]
        elif op == "s":
            word = word[:i] + letter + word[i + 1 :]
        elif i < len(word) - 1:
            word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word


def floor_then_closest(share: float) -> Rule:
    def rule(near: dict[str, int], counts: dict[str, int]) -> list[str]:
        top = max((counts[c] for c in near), default=0)
        return closest_first({c: d for c, d in near.items() if counts[c] >= top * share}, counts)

    return rule


def noisy_channel(penalty: float) -> Rule:
    def rule(near: dict[str, int], counts: dict[str, int]) -> list[str]:
        score = {c: counts[c] * penalty**d for c, d in near.items()}
        best = sorted(score, key=lambda c: (-score[c], c))
        return [c for c in best[:MAX_ALTERNATIVES] if score[c] >= score[best[0]] * MIN_SHARE]

    return rule


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="a built index (its live generation is read)")
    parser.add_argument("--words", type=int, default=400)
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--json", type=Path, default=REPO / "bench-results" / "eval-typos.json")
    args = parser.parse_args(argv)
    current = (args.index / "CURRENT").read_text().strip()
    table = SpellingTable(args.index / current / SPELLINGS_FILE)
    counts: dict[str, int] = {}
    for spelling, documents in table.to_dict().items():
        folded = fold(spelling)
        if folded.isalpha() and folded.isascii():
            counts[folded] = counts.get(folded, 0) + documents
    common = [w for w, _ in sorted(counts.items(), key=lambda wc: -wc[1]) if len(w) >= 4][:20000]
    rng = random.Random(args.seed)
    words = rng.sample(common, min(args.words, len(common)))
    rules: dict[str, Rule] = {
        "closest first (searchlib)": closest_first,
        "drop < 10% of the most common, then closest": floor_then_closest(0.1),
        "drop < 1%, then closest": floor_then_closest(0.01),
        "drop < 0.3%, then closest": floor_then_closest(0.003),
        "noisy channel, 0.1 per edit": noisy_channel(0.1),
        "noisy channel, 0.01 per edit": noisy_channel(0.01),
    }
    results: dict[str, dict[str, object]] = {}
    for edits in (1, 2):
        cases = []
        for word in words:
            wrong = typo(word, edits, rng)
            if len(wrong) >= 4 and wrong not in counts:
                cases.append((word, wrong, *candidates(wrong, table)))
        row: dict[str, object] = {"typos": len(cases)}
        for name, rule in rules.items():
            guesses = [(word, rule(near, c)) for word, _, near, c in cases]
            row[name] = {
                "first": sum(bool(g) and g[0] == w for w, g in guesses),
                "among": sum(w in g for w, g in guesses),
            }
        results[f"{edits} edit{'s' if edits > 1 else ''}"] = row
    for label, row in results.items():
        print(f"{label}: {row['typos']} typos")
        for name in rules:
            r = row[name]
            assert isinstance(r, dict)
            print(f"  {name:<46} first guess {r['first']:>4}   among the guesses {r['among']:>4}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
