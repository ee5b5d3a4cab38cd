"""Measure "did you mean" on real-word misspellings: words written for others that sound alike.

    python scripts/eval_misspellings.py --index /tmp/big/index [--sample 400] [--seed 1]

Samples two-syllable words that pyvi found in at least ``--min-articles``
articles of the index (its ``words`` field), each in the spelling the
corpus mostly gives it, and misspells one syllable the way writers do:

* an initial or a final that regional accents merge (ch/tr, s/x, d/gi/r,
  l/n, n/ng, c/t): ``chứng khoán`` → ``chứng khoáng``;
* a hỏi written for a ngã, or the reverse: ``kết quả`` → ``kết quã``.

Only misspellings that are real words are kept, spellings the index holds
(``khoáng`` is one): a plain typo is the fuzzy matcher's job
(``scripts/eval_typos.py``). Each misspelt pair is searched, with its marks
and without them, and the suggestion compared with the word (case and
tone placement aside; a tone has no misspelling without marks, so only the
sounds are searched so). The same words spelled right are searched too:
any suggestion for them is a false alarm.

Prints a table and writes JSON (``bench-results/eval-misspellings.json``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from searchlib import open_index  # noqa: E402
from searchlib.normalize import fold  # noqa: E402
from searchlib.suggest import _sound_alikes, _spelled, _tone_twin  # noqa: E402


def misspellings(word: tuple[str, str], known: Any) -> list[tuple[str, tuple[str, str]]]:
    """``(kind, misspelt pair)`` for each real-word misspelling of one syllable of *word*."""
    out: list[tuple[str, tuple[str, str]]] = []
    for i in (0, 1):
        syllable = word[i]
        wrong = [("sound", e) for _, e in _sound_alikes(fold(syllable), syllable)]
        if (twin := _tone_twin(syllable)) is not None:
            wrong.append(("tone", twin))
        for kind, spelled in wrong:
            if known.get(spelled, 0) > 0:
                pair = (spelled, word[1]) if i == 0 else (word[0], spelled)
                out.append((kind, pair))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", required=True, help="a built index (the 84,132 VNTC articles, say)")
    parser.add_argument("--sample", type=int, default=400, help="misspelt words searched")
    parser.add_argument("--min-articles", type=int, default=50, help="articles pyvi must find a word in")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, default=REPO / "bench-results" / "eval-misspellings.json")
    args = parser.parse_args(argv)

    index = open_index(args.index)
    index.search("x")
    live = index._reader._state()  # the suggester's own tables, for sampling only
    postings, suggester, known = live.postings, live.suggester, live.spellings
    reader = live.ix.reader()
    words = []
    for term in reader.lexicon("words"):
        folded = tuple(term.decode("utf-8").split("_"))
        if len(folded) == 2 and all(s.isalpha() for s in folded):
            if postings.doc_frequency("words", "_".join(folded)) >= args.min_articles:
                words.append(folded)
    reader.close()
    rng = random.Random(args.seed)
    rng.shuffle(words)

    cases: list[dict[str, Any]] = []
    for folded in words:
        if len(cases) >= args.sample:
            break
        spellings = suggester.spellings_of_run(folded).most_common(1)
        if not spellings:
            continue
        word = (spellings[0][0][0], spellings[0][0][1])
        wrong = misspellings(word, known)
        if wrong:
            kind, pair = rng.choice(wrong)
            cases.append({"word": " ".join(word), "kind": kind, "misspelt": " ".join(pair)})

    started = time.perf_counter()
    for case in cases:
        right = _spelled(case["word"])
        for field, query in (
            ("marked", case["misspelt"]),
            ("unmarked", fold(case["misspelt"])),
            ("right", case["word"]),
        ):
            if field == "unmarked" and case["kind"] == "tone":
                continue  # without marks a tone is no misspelling: the word itself was typed
            suggestion = index.search(query, limit=1, snippets=False).suggestion
            case[field] = suggestion
            if field != "right":
                case[f"{field}_fixed"] = suggestion is not None and _spelled(suggestion) == right
    seconds = time.perf_counter() - started

    rows = []
    for kind in ("sound", "tone", "all"):
        chosen = [c for c in cases if kind in ("all", c["kind"])]
        if not chosen:
            continue
        n = len(chosen)
        rows.append(
            {
                "kind": kind,
                "words": n,
                "fixed_marked": sum(c["marked_fixed"] for c in chosen) / n,
                "other_suggestion_marked": sum(c["marked"] is not None and not c["marked_fixed"] for c in chosen) / n,
                "fixed_unmarked": (
                    sum(c["unmarked_fixed"] for c in sound) / len(sound)
                    if (sound := [c for c in chosen if c["kind"] == "sound"])
                    else None
                ),
                "false_alarms_right": sum(c["right"] is not None for c in chosen) / n,
            }
        )
    print(
        f"{'kind':6} {'words':>5}  {'fixed':>6} {'wrong fix':>9}  {'fixed, no marks':>15}  {'spelled right: any':>18}"
    )
    for r in rows:
        print(
            f"{r['kind']:6} {r['words']:>5}  {r['fixed_marked']:>6.1%} {r['other_suggestion_marked']:>9.1%}"
            f"  {'–' if r['fixed_unmarked'] is None else format(r['fixed_unmarked'], '.1%'):>15}"
            f"  {r['false_alarms_right']:>18.1%}"
        )
    print(f"{len(cases)} words, searched misspelt and spelled right, in {seconds:.1f} s")
    for c in cases[:15]:
        print(f"  {c['misspelt']!r:28} -> {c['marked']!r:28} ({c['word']})")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps({"index": str(args.index), "rows": rows, "cases": cases}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
