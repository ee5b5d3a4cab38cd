"""How many documents spell each syllable in each way, per generation.

The ``text`` postings are keyed by folded syllables, so the index alone
cannot say how rare a particular spelling is. The writer counts, for every
spelling (``hải``, ``hai``, ``hài``), the documents that use it, and saves
the table with the generation; the rescoring stage uses it to score a word
typed with diacritics by BM25 on that exact spelling. An update adds the new
documents to the previous table; a rebuild starts afresh. The counts only
feed an idf, so an article that an update replaced or deleted staying
counted until the next rebuild shifts scores by a hair, never matches.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from searchlib.normalize import SYLLABLE, syllable_forms

__all__ = ["SPELLINGS_FILE", "count_spellings", "load_spellings", "save_spellings"]

SPELLINGS_FILE = "spellings.json"


def count_spellings(text: str) -> set[str]:
    """The distinct spellings (lower case, canonical tones) of *text*'s syllables."""
    return {syllable_forms(s)[0] for s in SYLLABLE.findall(text)}


def save_spellings(counts: Counter[str], path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(dict(counts), ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def load_spellings(path: Path) -> Counter[str]:
    """The table a generation saved (empty when there is none)."""
    try:
        return Counter(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return Counter()
