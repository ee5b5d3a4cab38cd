"""Named office-holders and their titles.

Rules, not a statistical tagger: in this genre a leader is named right next
to an office title, in three shapes:

* title chain before the name: ``Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh Nguyễn Thành Tâm``;
* title chain after the name, as an apposition:
  ``đồng chí Đoàn Thị Hảo, Ủy viên BTV Tỉnh ủy, Bí thư Thành ủy Thái Nguyên``
  (or after a dash: ``ông Nguyễn Văn Đẳng - Bí thư Tỉnh ủy Lâm Đồng``);
* ``đồng chí`` + name with an unattached title in the same sentence.

A name is 2–4 capitalised syllables starting with a family name from the
lexicon, never a place from the gazetteer, and may run over one line break.
Bylines and photo credits never sit next to a title, so they never qualify.
The scan is anchored on title words, so its cost grows with the number of
titles, not with the length of the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from ..segment import dictionary_bigrams
from ._lexicon import places, rules, surnames
from ._name import Name, NameParser, canonical_name
from ._regex import LazyRegex, trie_pattern
from ._vn import LOWER, UPPER, tone_variants, variants_of_phrase

__all__ = ["LeaderMention", "Leaders", "find_leaders"]

_BACK_RUN = LazyRegex(rf"(?<![\w.])[{UPPER}][{LOWER}]+(?:[ \n][{UPPER}][{LOWER}]+){{0,5}}$")
_LOOSE_WINDOW = 80
# Between a name and the title list that follows it: "Name, Title", "Name (Title",
# "Name - Title", "Name, nguyên Title" (former), "Name, tân Title" (newly appointed).
_APPOSITION = LazyRegex(r"(?:, | [-–] |\()(?:(nguyên|tân|quyền) )?$")


@dataclass
class LeaderMention:
    """One place where a leader is named: the name, its titles, and where."""

    name: str
    roles: list[str]
    start: int
    end: int


@dataclass
class Leaders:
    """Leaders in order of first mention, each once, with all their titles."""

    names: list[str] = field(default_factory=list)
    roles: dict[str, list[str]] = field(default_factory=dict)
    mentions: list[LeaderMention] = field(default_factory=list)


@dataclass
class _Role:
    start: int
    head_end: int
    end: int  # exact when `exact`, else the end of the run of title-like words
    name: Name | None  # the name right after the title, if any
    exact: bool
    next_head: int  # where the next title or honorific starts (the title stops there)
    used: bool = False  # linked to a name already


@cache
def _heads() -> tuple[re.Pattern[str], frozenset[str]]:
    """The regex of title heads and honorifics, and the set of honorific forms.

    Titles are matched capitalised only ("Bí thư", "Phó Chủ tịch"), as they
    are printed before a name, with their later words in either case
    ("Tổng bí thư", as older papers print it); honorifics in both cases. Capital first
    letters are rare, so re can skip most of the text by its first-character
    test: three times faster than also matching "bí thư", "chủ tịch".
    """
    forms: set[str] = set()
    for item in rules().raw["role_heads"]:
        for head in tone_variants(str(item["head"])):
            forms.update((head[:1].upper() + head[1:], head[:1].upper() + head[1:].lower()))
            if item.get("pho"):
                # "Phó Chủ tịch", and "Phó chủ tịch" as some papers print it.
                forms.update((f"Phó {head}", f"Phó {head.lower()}"))
    honorifics = {v for h in rules().strings("honorifics") for v in variants_of_phrase(h)}
    return re.compile(trie_pattern(forms | honorifics)), frozenset(honorifics)


@cache
def _parser() -> NameParser:
    return NameParser(surnames(), places(), rules(), dictionary_bigrams())


def _scan_roles(text: str) -> tuple[list[_Role], list[tuple[int, int]]]:
    """All title mentions with the name that directly follows (if any), and honorific spans."""
    head_re, honorifics = _heads()
    spans = [
        (s, e)
        for s, e in (m.span() for m in head_re.finditer(text))
        if not text[s - 1 : s].isalnum() and not text[e : e + 1].isalnum()
    ]
    starts = {s for s, _ in spans}
    parser = _parser()
    roles: list[_Role] = []
    honors: list[tuple[int, int]] = []
    for k, (start, end) in enumerate(spans):
        if text[start:end] in honorifics:
            honors.append((start, end))
            continue
        next_head = spans[k + 1][0] if k + 1 < len(spans) else len(text)
        run_end, has_surname = parser.run_at(text, end)
        if not has_surname:
            # No name can follow; the exact end of the title is worked out
            # later, only if the title turns out to belong to a name.
            roles.append(_Role(start, end, min(run_end, next_head), None, False, next_head))
            continue
        role_end, name = parser.after_title(parser.tokens(text, end, starts), end, text[start:end])
        roles.append(_Role(start, end, role_end, name, True, next_head))
    return roles, honors


def _title(text: str, role: _Role) -> str:
    """The printed title of *role*, canonical spelling."""
    if not role.exact:
        parser = _parser()
        toks = parser.tokens(text, role.head_end, {role.next_head})
        role.end, _ = parser.after_title(toks, role.head_end, text[role.start : role.head_end])
        role.exact = True
    return canonical_name(" ".join(text[role.start : role.end].split()))


def _chains(text: str, roles: list[_Role]) -> list[list[_Role]]:
    """Group titles printed as one list: ``Ủy viên BTV Tỉnh ủy, Bí thư Thành ủy``."""
    chains: list[list[_Role]] = []
    for role in roles:
        prev = chains[-1][-1] if chains else None
        if prev is not None and prev.name is None and text[prev.end : role.start] == ", ":
            chains[-1].append(role)
        else:
            chains.append([role])
    return chains


def _name_before(text: str, pos: int) -> Name | None:
    """The name that ends at *pos* (an apposition ``Name, Title``)."""
    m = _BACK_RUN.rx.search(text, max(0, pos - 60), pos)
    return _parser().name_in_run(m.group(), m.start()) if m else None


def _name_after_honorific(text: str, end: int) -> Name | None:
    parser = _parser()
    if not parser.run_at(text, end)[1]:
        return None  # "đồng chí Bí thư ...": no family name follows
    toks = parser.tokens(text, end)
    return parser.name_at(toks, 0) if toks else None


def _link_chain(text: str, chain: list[_Role], honors: dict[int, int]) -> LeaderMention | None:
    found, prefix = _chain_name(text, chain, honors)
    if found is None:
        return None
    titles = [_title(text, r) for r in chain]
    if prefix:  # "nguyên Bí thư ...": a former office, say so
        titles[0] = f"{prefix} {titles[0]}"
    return LeaderMention(found[0], titles, found[1], found[2])


def _chain_name(text: str, chain: list[_Role], honors: dict[int, int]) -> tuple[Name | None, str]:
    """The name a list of titles belongs to, and a prefix such as "nguyên" for the first title."""
    last = chain[-1]
    if last.name is not None:
        return last.name, ""
    for gap in (1, 2, 3):
        # "Bí thư Tỉnh ủy, đồng chí Nguyễn Văn A" / "Bí thư Tỉnh ủy - đồng chí ..."
        between = text[last.end : last.end + gap].strip()
        if last.end + gap in honors and between in ("", ",", "-", "–"):
            found = _name_after_honorific(text, honors[last.end + gap])
            if found:
                return found, ""
    apposition = _APPOSITION.rx.search(text, max(0, chain[0].start - 12), chain[0].start)
    if apposition:
        return _name_before(text, apposition.start()), apposition.group(1) or ""
    return None, ""


def _sentence_window(text: str, start: int, end: int) -> tuple[int, int]:
    lo = max(0, start - _LOOSE_WINDOW)
    hi = min(len(text), end + _LOOSE_WINDOW)
    cut = max(text.rfind(". ", lo, start), text.rfind("\n", lo, start))
    after = [i for i in (text.find(". ", end, hi), text.find("\n", end, hi)) if i >= 0]
    return (cut + 1 if cut >= 0 else lo), (min(after) if after else hi)


def _loose(text: str, honors: dict[int, int], linked: set[int], roles: list[_Role]) -> list[LeaderMention]:
    """``đồng chí`` + name with an unattached title in the same sentence."""
    out = []
    for end in honors.values():
        found = _name_after_honorific(text, end)
        if not found or found[1] in linked:
            continue
        name, start, stop = found
        lo, hi = _sentence_window(text, start, stop)
        free = [r for r in roles if not r.used and lo <= r.start < hi]
        if free:
            nearest = min(free, key=lambda r: abs(r.start - start))
            out.append(LeaderMention(name, [_title(text, nearest)], start, stop))
    return out


def find_leaders(text: str) -> Leaders:
    """Find leaders in *text* (cleaned title and body)."""
    roles, honor_spans = _scan_roles(text)
    honors = dict(honor_spans)
    mentions: list[LeaderMention] = []
    for chain in _chains(text, roles):
        mention = _link_chain(text, chain, honors)
        if mention is not None:
            mentions.append(mention)
            for r in chain:
                r.used = True
    mentions += _loose(text, honors, {m.start for m in mentions}, roles)
    mentions.sort(key=lambda m: m.start)
    result = Leaders(mentions=mentions)
    for m in mentions:
        titles = result.roles.setdefault(m.name, [])
        if m.name not in result.names:
            result.names.append(m.name)
        # Once per title, whatever its case ("Phó Thủ tướng", "Phó thủ tướng").
        seen = {t.casefold() for t in titles}
        for title in m.roles:
            if title.casefold() not in seen:
                titles.append(title)
                seen.add(title.casefold())
    return result
