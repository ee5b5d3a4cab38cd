"""Lazy, cached access to the extractors' data files in ``searchlib/data``.

Nothing is read at import time; each loader runs once, on first use.
"""

from __future__ import annotations

import itertools
import json
from functools import cache
from importlib import resources
from typing import Any

from ._vn import key, tone_variants

__all__ = ["Rules", "places", "rules", "surnames", "topics_data"]


def _read(name: str) -> str:
    return (resources.files("searchlib") / "data" / name).read_text(encoding="utf-8")


def _lines(name: str) -> list[str]:
    out = []
    for line in _read(name).splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


@cache
def surnames() -> frozenset[str]:
    """Family names in every tone placement, as printed (capitalised)."""
    return frozenset(v for name in _lines("extract_surnames.txt") for v in tone_variants(name))


@cache
def places() -> frozenset[str]:
    """Place names as :func:`~searchlib.extract._vn.key` strings."""
    return frozenset(key(p) for p in _lines("extract_places.txt"))


def _title_vocabulary(words: list[str], phrases: list[str]) -> tuple[frozenset[str], ...]:
    """Lower-case words allowed alone, ``"prev word"`` pairs allowed inside titles,
    and the first two words of the title words that have several ("thành phố")."""
    singles: set[str] = set()
    pairs: set[str] = set()
    openers: set[str] = set()
    for phrase in words + phrases:
        parts = phrase.replace(",", " ").split()
        if len(parts) == 1 and phrase in words:
            singles.update(v.lower() for v in tone_variants(parts[0]))
        if len(parts) > 1 and phrase in words:
            openers.update(f"{x} {y}" for x in tone_variants(parts[0]) for y in tone_variants(parts[1]))
        for a, b in itertools.pairwise(parts):
            if b[:1].islower():
                pairs.update(f"{x.lower()} {y}" for x in tone_variants(a) for y in tone_variants(b))
    return frozenset(singles), frozenset(pairs), frozenset(openers)


class Rules:
    """The contents of ``extract_rules.json``, with lookup sets prepared."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.furniture = frozenset(key(s) for s in raw["furniture_lines"])
        self.tail_cut = frozenset(key(s) for s in raw["tail_cut_headings"])
        self.categories = frozenset(key(s) for s in raw["breadcrumb_categories"])
        vocabulary = _title_vocabulary(raw["title_words"], raw["title_phrases"])
        self.title_singles, self.title_pairs, self.title_openers = vocabulary
        self.place_units = frozenset(v.lower() for s in raw["place_units"] for v in tone_variants(s))
        self.org_units = frozenset(v.lower() for s in raw["org_units"] for v in tone_variants(s))
        self.org_phrases = tuple(key(s) for s in raw["org_phrases"])
        self.stop_syllables = frozenset(v for s in raw["name_stop_syllables"] for v in tone_variants(s))

    def strings(self, name: str) -> list[str]:
        value = self.raw[name]
        assert isinstance(value, list)
        return [str(v) for v in value]


@cache
def rules() -> Rules:
    return Rules(json.loads(_read("extract_rules.json")))


@cache
def topics_data() -> dict[str, Any]:
    data = json.loads(_read("topics.json"))
    assert isinstance(data, dict)
    return data
