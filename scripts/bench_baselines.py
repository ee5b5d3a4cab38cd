"""The naive baseline for scripts/bench.py: Whoosh with pyvi as its tokenizer.

This is what one writes first: pyvi segments the text, each word becomes a
token. It lives in its own module because Whoosh pickles the tokenizer into
the index schema, which needs an importable class.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Token, Tokenizer


class PyviTokenizer(Tokenizer):
    """One token per pyvi word (``hội_nghị``), lower-cased."""

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        start_pos: int = 0,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        from pyvi import ViTokenizer

        t = Token(positions, chars, mode=mode, **kwargs)
        for pos, word in enumerate(ViTokenizer.tokenize(value).split(), start_pos):
            t.text, t.boost, t.stopped = word.lower(), 1.0, False
            if positions:
                t.pos = pos
            yield t
