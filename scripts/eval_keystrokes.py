"""Measure search quality on queries typed with the Vietnamese input method off.

    python scripts/eval_keystrokes.py                       # all three sets
    python scripts/eval_keystrokes.py --sets xquad-vi --limit 300

Takes the retrieval sets of ``scripts/eval.py`` and types every query again
as the keystrokes that produce it, each word in Telex (``tỉnh`` → ``tinhr``)
and in VNI (``tinh3``), as it reaches the search box when the input method is
off. Reports MRR@10, nDCG@10 and Recall@100 for the queries as given, folded
to no diacritics (what someone types who knows the input method is off), and
as keystrokes with and without :mod:`searchlib.keystrokes` reading them (the
second with the reading switched off in this process only, which leaves
fuzzy matching to guess).

Prints a table and writes JSON (``--json``, default bench-results/eval-keystrokes.json).
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import eval as ev  # noqa: E402

from searchlib import keystrokes  # noqa: E402
from searchlib.normalize import SYLLABLE  # noqa: E402


def typed(text: str, scheme: Callable[[str], str]) -> str:
    return SYLLABLE.sub(lambda m: scheme(m.group()), text)


@contextmanager
def unread() -> Iterator[None]:
    """Keystrokes left as typed: what searchlib did before it read them."""
    decode = keystrokes.decode
    keystrokes.decode = lambda word: None  # type: ignore[assignment]
    try:
        yield
    finally:
        keystrokes.decode = decode


def run_set(name: str, limit: int | None) -> dict[str, Any]:
    docs, queries, qrels = ev.load_set(name)
    chosen = [(q["id"], q["text"]) for q in queries if q["id"] in qrels][:limit]
    out: dict[str, Any] = {"queries": len(chosen)}
    with tempfile.TemporaryDirectory() as tmp:
        rank = ev.searchlib_ranker(docs, Path(tmp))
        variants = {
            "as given": chosen,
            "unaccented": [(q, ev.unaccented(t)) for q, t in chosen],
            "Telex keystrokes": [(q, typed(t, keystrokes.telex)) for q, t in chosen],
            "VNI keystrokes": [(q, typed(t, keystrokes.vni)) for q, t in chosen],
        }
        for label, qs in variants.items():
            out[label], _ = ev.evaluate(rank, qs, qrels)
        with unread():
            for label in ("Telex keystrokes", "VNI keystrokes"):
                out[f"{label}, not read"], _ = ev.evaluate(rank, variants[label], qrels)
        out["queries changed by typing"] = sum(t != typed(t, keystrokes.telex) for _, t in chosen)
    return out


def table(results: dict[str, dict[str, Any]]) -> str:
    lines = [ev.header("queries typed")]
    for name, r in results.items():
        lines.extend([*ev.metric_rows(name, r), ""])
    return "\n".join(lines)


def main(argv: Iterable[str] | None = None) -> int:
    return ev.command(
        argv,
        description=__doc__.split("\n\n")[0],
        run=run_set,
        show=table,
        json_path=REPO / "bench-results" / "eval-keystrokes.json",
    )


if __name__ == "__main__":
    raise SystemExit(main())
