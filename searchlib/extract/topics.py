"""Topic labels from the editable taxonomy in ``searchlib/data/topics.json``.

All keywords of all topics are compiled into one trie-shaped regex and
matched in a single pass over the lower-cased title and body, where commas
and dashes count as spaces (``kinh tế - xã hội`` = ``kinh tế, xã hội``) and
both tone placements of every keyword are listed. At one position the
longest keyword wins, so ``quy hoạch cán bộ`` counts for cadre work, not
for land-use planning. The site's own category (breadcrumb) adds a bonus.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

from ._lexicon import topics_data
from ._regex import trie_pattern
from ._vn import key, tone_variants

__all__ = ["Taxonomy", "TopicsFound", "classify", "taxonomy"]

_SEPARATORS = str.maketrans({",": " ", "-": " ", "–": " ", "—": " ", "\n": " "})
# In the text, keyword words may be separated by spaces, commas and dashes:
# "kinh tế - xã hội", "kinh tế, xã hội", "KT-XH".
_GAP = "[ ,–—\n-]+"


@dataclass(frozen=True)
class TopicsFound:
    """Labels best first, and a sentence saying why."""

    labels: list[str]
    evidence: str


class Taxonomy:
    """The compiled taxonomy: keyword regex, weights, breadcrumb map, settings."""

    def __init__(self, data: dict[str, Any]) -> None:
        settings = data["settings"]
        self.max_topics = int(settings["max_topics"])
        self.min_score = float(settings["min_score"])
        self.min_top_score = float(settings["min_top_score"])
        self.relative_min = float(settings["relative_min"])
        self.title_factor = float(settings["title_factor"])
        self.breadcrumb_bonus = float(settings["breadcrumb_bonus"])
        self.repeat_factor = float(settings["repeat_factor"])
        self.keywords_per_topic = int(settings["keywords_per_topic"])
        self.umbrellas: dict[str, tuple[list[str], float]] = {}
        self.labels: list[str] = []
        self.breadcrumbs: dict[str, str] = {}
        # printed form (one tone placement, single spaces) -> [(label, weight, keyword)]
        self.weights: dict[str, list[tuple[str, float, str]]] = {}
        for topic in data["topics"]:
            self._add(topic)
        # Anchored on a space: re then only tries word starts, which is several
        # times faster than trying the whole trie at every character.
        self.regex = re.compile(" (" + trie_pattern(self.weights, space=_GAP) + r")(?!\w)")

    def _add(self, topic: dict[str, Any]) -> None:
        label = str(topic["label"])
        self.labels.append(label)
        if "umbrella" in topic:
            umbrella = topic["umbrella"]
            self.umbrellas[label] = (list(umbrella["of"]), float(umbrella["share"]))
        for crumb in [*topic.get("breadcrumbs", []), label]:
            self.breadcrumbs.setdefault(key(crumb), label)
        for word, weight in topic["keywords"].items():
            norm = " ".join(word.lower().translate(_SEPARATORS).split())
            for form in tone_variants(norm):
                self.weights.setdefault(form, []).append((label, float(weight), norm))

    def crumb_label(self, segments: list[str]) -> tuple[str, str] | None:
        """The label of the deepest breadcrumb segment that names a topic."""
        for segment in reversed(segments):
            for part in [segment, *reversed(re.split(r"\s[-–]\s", segment))]:
                label = self.breadcrumbs.get(key(part))
                if label:
                    return label, segment
        return None


@cache
def taxonomy() -> Taxonomy:
    """The default taxonomy, compiled once."""
    return Taxonomy(topics_data())


def _words(found: str) -> str:
    """A matched keyword with its separators as single spaces: the key of Taxonomy.weights."""
    return " ".join(found.translate(_SEPARATORS).split())


def _count(tax: Taxonomy, text: str) -> Counter[str]:
    """Keyword occurrences in *text*, keyed by printed form."""
    low = f" {text.lower()} "
    # The regex wants a space before each keyword (see Taxonomy.regex).
    low = low.replace("\n", " ").replace("(", " ").replace("“", " ").replace('"', " ")
    counts = Counter(tax.regex.findall(low))
    for form in [f for f in counts if f not in tax.weights]:
        counts[_words(form)] += counts.pop(form)  # "kt-xh" -> "kt xh"
    return counts


def _score(tax: Taxonomy, in_title: Counter[str], in_body: Counter[str]) -> dict[str, float]:
    """Each label's score from its strongest keywords."""
    parts: dict[str, list[float]] = {}
    for form in in_title.keys() | in_body.keys():
        n = in_body.get(form, 0)
        base = 1 + tax.repeat_factor * math.log(n) if n else 0.0
        if form in in_title:
            base += tax.title_factor
        for label, weight, _ in tax.weights[form]:
            parts.setdefault(label, []).append(weight * base)
    # Only the strongest few keywords count: one specific term ("chuyển đổi số")
    # says more than many common ones ("ngân sách", "đầu tư", "dự án").
    k = tax.keywords_per_topic
    scores = {label: sum(sorted(v)[-k:]) for label, v in parts.items()}
    for parent, (children, share) in tax.umbrellas.items():
        extra = share * sum(scores.get(c, 0.0) for c in children)
        if extra:
            scores[parent] = scores.get(parent, 0.0) + extra
    return scores


def classify(title: str, body: str, breadcrumb: list[str] | None = None) -> TopicsFound:
    """One to three labels for an article (none if nothing matches)."""
    tax = taxonomy()
    in_title, in_body = _count(tax, title), _count(tax, body)
    scores = _score(tax, in_title, in_body)
    crumb = tax.crumb_label(breadcrumb) if breadcrumb else None
    if crumb:
        scores[crumb[0]] = scores.get(crumb[0], 0.0) + tax.breadcrumb_bonus
    if not scores or max(scores.values()) < tax.min_top_score:
        return TopicsFound([], "no taxonomy keyword found, or too little evidence")
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], tax.labels.index(kv[0])))
    floor = max(tax.min_score, tax.relative_min * ranked[0][1])
    labels = [ranked[0][0]] + [lab for lab, sc in ranked[1 : tax.max_topics] if sc >= floor]
    return TopicsFound(labels, _explain(tax, labels, scores, (in_title, in_body), crumb))


def _explain(
    tax: Taxonomy,
    labels: list[str],
    scores: dict[str, float],
    counts: tuple[Counter[str], Counter[str]],
    crumb: tuple[str, str] | None,
) -> str:
    """``label (score: breadcrumb + top keywords ×count); ...`` for the chosen labels."""
    per_label: dict[str, dict[str, int]] = {label: {} for label in labels}
    for found in counts:
        for form, n in found.items():
            for label, _, word in tax.weights[form]:
                if label in per_label:
                    per_label[label][word] = per_label[label].get(word, 0) + n
    parts = []
    for label in labels:
        top = sorted(per_label[label].items(), key=lambda kv: -kv[1])[:4]
        words = ", ".join(f"{w} ×{n}" if n > 1 else w for w, n in top)
        if crumb and crumb[0] == label:
            words = f"breadcrumb {crumb[1]!r}" + (f" + {words}" if words else "")
        parts.append(f"{label} ({scores[label]:.1f}: {words})")
    return "; ".join(parts)
