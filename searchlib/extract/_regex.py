"""Build fast alternations of many literal strings.

Python's ``re`` tries the branches of ``a|b|c`` one after another at every
position. For a hundred keywords that is slow; written as a trie
(``b(?:í thư|ộ trưởng)|c(?:hủ (?:tịch|nhiệm))``) each position costs a few
character tests. The top level stays a plain alternation of branches that
start with literals, which lets ``re`` skip positions by their first character.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property

__all__ = ["LazyRegex", "trie_pattern"]

_Trie = dict[str, "_Trie"]


def _edge(ch: str, space: str) -> str:
    return space if ch == " " else re.escape(ch)


def _emit(node: _Trie, space: str) -> str:
    end = "" in node
    alts = [_edge(ch, space) + _emit(child, space) for ch, child in sorted(node.items()) if ch]
    if not alts:
        return ""
    if len(alts) == 1 and not end:
        return alts[0]
    body = "(?:" + "|".join(alts) + ")"
    return body + "?" if end else body


def trie_pattern(words: Iterable[str], *, space: str = " ") -> str:
    """A regex matching any of *words*, longest first; each space becomes *space*."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    branches = [_edge(ch, space) + _emit(child, space) for ch, child in sorted(trie.items()) if ch]
    return "|".join(branches)


class LazyRegex:
    """A regex compiled on first use, so that importing the package stays cheap.

    Use ``LAZY.rx`` where a compiled pattern is wanted.
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    @cached_property
    def rx(self) -> re.Pattern[str]:
        return re.compile(self.pattern, self.flags)
