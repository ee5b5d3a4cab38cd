"""Two-syllable words as queries: does the first page hold the word, or its syllables scattered?

    python scripts/eval_words.py --index DIR [--words 200] [--seed 1] [--code OTHER_CHECKOUT]

A user who types ``thổ cẩm`` or ``bán dẫn`` means the word, not an article
with *Thổ Nhĩ Kỳ* in its title and *cam kết* in its text. For random words
of pyvi's dictionary that at least 30 articles of the index hold as a phrase,
this searches each word unquoted, as typed with its marks and without them,
and counts how many of the first 10 hits hold it as a phrase (the quoted
search's articles). It prints the mean of that share (P@10) and how many
words get 5 or fewer, and writes ``bench-results/eval-words.json``. The
quoted search stands in for relevance judgments: an article holding the
word is not always about it, but one that holds only its syllables apart
almost never is.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: Articles that must hold a word as a phrase for it to be asked: a first page's worth and more.
MIN_HOLDERS = 30
PAGE = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--words", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--code", type=Path, default=REPO, help="the checkout whose searchlib to measure")
    args = parser.parse_args()
    sys.path.insert(0, str(args.code))
    from searchlib import open_index
    from searchlib.normalize import fold
    from searchlib.segment import dictionary_bigrams

    index = open_index(args.index)
    words = sorted(dictionary_bigrams())
    random.Random(args.seed).shuffle(words)
    asked: list[tuple[str, set[str]]] = []
    for word in words:
        holders = index.search(f'"{word}"', limit=1000, snippets=False)
        if holders.total >= MIN_HOLDERS:
            asked.append((word, {h.id for h in holders.hits}))
        if len(asked) == args.words:
            break
    rows = []
    started = time.perf_counter()
    for word, holders in asked:
        row: dict[str, object] = {"word": word}
        for form, query in (("accented", word), ("unaccented", fold(word))):
            hits = index.search(query, limit=PAGE, snippets=False).hits
            row[form] = sum(h.id in holders for h in hits)
        rows.append(row)
    summary = {}
    for form in ("accented", "unaccented"):
        held = [int(r[form]) for r in rows]  # type: ignore[call-overload]
        summary[form] = {"p_at_10": sum(held) / (PAGE * len(held)), "five_or_fewer": sum(k <= 5 for k in held)}
        print(
            f"{form:<10}  P@10 {summary[form]['p_at_10']:.3f}  "
            f"words with 5 or fewer holders on page 1: {summary[form]['five_or_fewer']} of {len(held)}"
        )
    print(f"{len(rows)} words, {time.perf_counter() - started:.1f} s", file=sys.stderr)
    out = REPO / "bench-results" / "eval-words.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps({"index": str(args.index), "seed": args.seed, "summary": summary, "rows": rows}, ensure_ascii=False),
        encoding="utf-8",
    )
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
