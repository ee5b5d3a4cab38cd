"""Vietnamese word segmentation: pyvi's model and rules, without pyvi.

:func:`tokenize` returns exactly what ``pyvi.ViTokenizer.tokenize`` returns;
:func:`segment` and :func:`compounds` give the same words as character spans,
for an indexer that must point back into the text it stores.

* ``import pyvi`` unpickles a ``sklearn_crfsuite.CRF``, which imports
  scikit-learn (over a second). That CRF only wraps a CRFsuite model file, so
  here the pickle is read with stand-in classes and the model bytes go
  straight to ``pycrfsuite``.
* pyvi spends most of its time building a feature dict per token. Here the
  feature strings of each distinct token are built once and cached, and each
  n-gram is looked up once, not twice. The features and their order stay
  pyvi's: CRFsuite adds up weights in the order it receives them, and another
  order could tip a near tie.

The model loads on first use and lives in this module, never on an object:
Whoosh pickles analyzers into the index, and a model must not travel with them.
Offsets are into the NFC form of the text, because pyvi normalises first; for
NFC input, which is what the indexer passes, that is the text itself. Lone
surrogates raise ``UnicodeEncodeError``, as in pyvi.
"""

from __future__ import annotations

import functools
import importlib.util
import itertools
import pickle
import re
import string
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from searchlib.errors import SegmenterError

if TYPE_CHECKING:
    import pycrfsuite

__all__ = ["SegmenterError", "compounds", "dictionary_bigrams", "preload", "segment", "tokenize"]


# pyvi's ``sylabelize`` pattern, its alternatives in pyvi's order (the first
# that matches wins) and its groups made non-capturing so that ``findall``
# returns whole tokens. ``\n`` is a token; any other whitespace only separates.
_TOKEN_RE = re.compile(
    r"[A-ZĐ]+\.|Tp\.|Mr\.|Mrs\.|Ms\.|Dr\.|ThS\."  # abbreviations, full stop included
    r"|==>|->|\.\.\.|>>|\n"
    r"|\w+://[^\s]+"  # URL
    r"|[a-zA-Z0-9_.+-]+@(?:[a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+"  # e-mail address
    r"|\d+(?:[\.,_]\d+)+"  # number with separators
    r"|[^\w\s]"  # any other single character that is not a letter, digit or space
    r"|\w+"  # syllable
)
_SYLLABLE_RE = re.compile(r"\w+")
# pyvi tests ``token in string.punctuation``: a substring test, kept as is.
_PUNCTUATION = string.punctuation
_CACHE_LIMIT = 32_768  # distinct tokens, ~1.1 kB each; 5,000 news articles have 22k


class _Model(NamedTuple):
    tagger: pycrfsuite.Tagger
    data: bytes  # open_inmemory reads this buffer in place: keep it alive
    bigrams: frozenset[str]
    trigrams: frozenset[str]


class _Token(NamedTuple):
    """What the features and join rules need from one token, computed once."""

    lower: str
    here: tuple[bytes, ...]
    # Indexed by has_bigram + 2 * has_trigram: the n-gram features come last
    # in each neighbour's group in pyvi's feature order.
    as_prev: tuple[tuple[bytes, ...], ...]
    as_next: tuple[tuple[bytes, ...], ...]
    blocks: bool  # punctuation or starts with a digit: never joined
    title: bool  # first character is upper or title case
    syllable: bool  # letters and digits only: one \w+ run


_load_lock = threading.Lock()
_tag_lock = threading.Lock()  # a Tagger holds the sequence being tagged
_model: _Model | None = None
_cache: dict[str, _Token] = {}


def tokenize(text: str) -> str:
    """Return *text* segmented exactly as ``pyvi.ViTokenizer.tokenize`` does.

    Tokens are separated by spaces and the syllables of a word joined by
    ``_``; text without any token is returned unchanged, as pyvi does.

    >>> tokenize("Ban Chấp hành Trung ương, ban chấp hành.")
    'Ban_Chấp_hành Trung_ương , ban chấp_hành .'
    """
    tokens = _TOKEN_RE.findall(unicodedata.normalize("NFC", text))
    if not tokens:
        return text
    out = [" "] * (2 * len(tokens) - 1)
    out[::2] = tokens
    out[1::2] = ["_" if join else " " for join in _joins(_infos(tokens))]
    return "".join(out)


def segment(text: str) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` span of every word pyvi finds in *text*.

    There is one span per space-separated item of :func:`tokenize`'s output,
    in the same order, punctuation and ``\\n`` included, so the two line up
    one to one. A multi-syllable span runs from its first syllable to its
    last, over whatever whitespace lies between them.

    >>> segment("Hà  Nội, 2024")
    [(0, 7), (7, 8), (9, 13)]
    """
    return _spans(text, compounds_only=False)


def compounds(text: str) -> list[tuple[int, int]]:
    """Return the spans of the multi-syllable words, syllables (``\\w+`` runs) only.

    These are what an index adds on top of single syllables. pyvi's join rule
    only stops at ASCII punctuation, so it also glues on ``…``, ``”``, ``•``,
    ``\\n`` and abbreviations such as ``L.``: ``Bình_Thạnh_…``. Such tokens are
    trimmed off the ends of a word (``Bình Thạnh``); a word with one inside is
    left out, and so is what is left with a single syllable.

    >>> compounds("Tp. Hồ Chí Minh, quận Bình Thạnh… và L.Anh")
    [(4, 15), (22, 32)]
    """
    return _spans(text, compounds_only=True)


def preload() -> None:
    """Load the model now rather than on first use, e.g. before forking workers."""
    _get_model()


def _spans(text: str, *, compounds_only: bool) -> list[tuple[int, int]]:
    nfc = unicodedata.normalize("NFC", text)
    tokens = _TOKEN_RE.findall(nfc)
    if not tokens:
        return []
    infos = _infos(tokens)
    starts = _starts(nfc, tokens)
    bounds: Iterable[tuple[int, int]] = zip(*_word_bounds(_joins(infos)))
    if compounds_only:
        bounds = _syllables_only(bounds, infos)
    return [(starts[a], starts[b] + len(tokens[b])) for a, b in bounds]


def _starts(text: str, tokens: list[str]) -> list[int]:
    """Where each token starts in *text*, without keeping ``re.Match`` objects alive.

    Only whitespace other than ``\\n`` lies between tokens, and no token starts
    with such whitespace, so each token is the next occurrence of its string.
    """
    starts = []
    pos = 0
    for token in tokens:
        pos = text.find(token, pos)
        starts.append(pos)
        pos += len(token)
    return starts


def _word_bounds(joins: list[bool]) -> tuple[list[int], list[int]]:
    """Index of the first and of the last token of each word."""
    firsts = [0] + [i for i, join in enumerate(joins, 1) if not join]
    lasts = [i - 1 for i in firsts[1:]] + [len(joins)]
    return firsts, lasts


def _syllables_only(bounds: Iterable[tuple[int, int]], infos: list[_Token]) -> Iterator[tuple[int, int]]:
    """The words of two syllables or more, once other tokens are trimmed off their ends."""
    for first, last in bounds:
        if first == last:
            continue
        while first < last and not infos[first].syllable:
            first += 1
        while last > first and not infos[last].syllable:
            last -= 1
        if first < last and all(info.syllable for info in infos[first : last + 1]):
            yield first, last


def _infos(tokens: list[str]) -> list[_Token]:
    return [_cache.get(token) or _token_info(token) for token in tokens]


def _joins(infos: list[_Token]) -> list[bool]:
    """Whether each token after the first is joined to the one before it."""
    model = _get_model()
    with _tag_lock:
        labels = model.tagger.tag(_features(infos, model))
    return [
        label == "I_W" and not (cur.blocks or prev.blocks or (cur.title and not prev.title))
        for label, prev, cur in zip(labels[1:], infos, infos[1:])
    ]


def _features(infos: list[_Token], model: _Model) -> Iterator[tuple[bytes, ...]]:
    """CRFsuite attributes of every token, as pyvi's ``sent2features`` makes them.

    pyvi's ``False`` features have weight 0 and are left out: adding 0.0 leaves
    a sum unchanged, so every score stays the same to the last bit. The items
    are yielded, not listed: pycrfsuite copies each as it comes, and a list of
    a thousand fresh tuples per text would keep the garbage collector busy.
    """
    lows = [info.lower for info in infos]
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(lows)]
    bigram = [pair in model.bigrams for pair in pairs]
    trigram = [f"{a} {pair}" in model.trigrams for a, pair in zip(lows, pairs[1:])]
    tri_ends = [False, False] + trigram  # the trigram that ends at token i
    tri_starts = trigram + [False, False]  # the trigram that starts at token i
    left = [prev.as_prev[bi + 2 * tri] for prev, bi, tri in zip(infos, bigram, tri_ends[1:])]
    right = [nxt.as_next[bi + 2 * tri] for nxt, bi, tri in zip(infos[1:], bigram, tri_starts)]
    left.insert(0, ())
    right.append(())
    return (info.here + lf + rt for info, lf, rt in zip(infos, left, right))


def _token_info(token: str) -> _Token:
    lower = token.lower()
    upper, title = token.isupper(), token.istitle()
    here: tuple[bytes, ...] = (b"bias", f"word.lower():{lower}".encode())
    here += (b"word.isupper()",) * upper + (b"word.istitle()",) * title
    here += (b"word.isdigit()",) * token.isdigit()
    prev: tuple[bytes, ...] = (f"-1:word.lower():{lower}".encode(),)
    prev += (b"-1:word.istitle()",) * title + (b"-1:word.isupper()",) * upper
    nxt: tuple[bytes, ...] = (f"+1:word.lower():{lower}".encode(),)
    nxt += (b"+1:word.istitle()",) * title + (b"+1:word.isupper()",) * upper
    info = _Token(
        lower=lower,
        here=here,
        as_prev=_variants(prev, b"-1:word.bi_gram()", b"-2:word.tri_gram()"),
        as_next=_variants(nxt, b"+1:word.bi_gram()", b"+2:word.tri_gram()"),
        blocks=token in _PUNCTUATION or token[0].isdigit(),
        title=token[0].istitle(),
        syllable=_SYLLABLE_RE.fullmatch(token) is not None,
    )
    if len(_cache) >= _CACHE_LIMIT:
        _cache.clear()  # numbers and URLs rarely repeat; the common tokens come back fast
    _cache[token] = info
    return info


def _variants(base: tuple[bytes, ...], bi: bytes, tri: bytes) -> tuple[tuple[bytes, ...], ...]:
    """*base* followed by neither, the first, the second or both n-gram features."""
    return (base, (*base, bi), (*base, tri), (*base, bi, tri))


def _get_model() -> _Model:
    global _model
    if _model is None:
        with _load_lock:
            if _model is None:
                _model = _load_model()
    return _model


def _load_model() -> _Model:
    try:
        import pycrfsuite  # deferred so that importing this module stays cheap
    except ImportError as exc:
        raise SegmenterError("python-crfsuite is missing: pip install python-crfsuite") from exc
    folder = _pyvi_models()
    data = _model_bytes(folder / "pyvi3.pkl")
    tagger = pycrfsuite.Tagger()
    try:
        tagger.open_inmemory(data)
    except ValueError as exc:
        raise SegmenterError(f"pyvi's model is damaged ({exc}); reinstall pyvi==0.1.1") from exc
    bigrams, trigrams = _dictionary()
    return _Model(tagger, data, bigrams, trigrams)


def dictionary_bigrams() -> frozenset[str]:
    """pyvi's two-syllable dictionary words, lower case, traditional tone placement (``văn hoá``).

    Read on first use without loading the tagger: the extractors use them to
    finish a word that a capital letter began (``Sở Thương mại``).
    """
    return _dictionary()[0]


@functools.cache  # two threads may both read the file once; the sets are equal
def _dictionary() -> tuple[frozenset[str], frozenset[str]]:
    return _ngrams(_pyvi_models() / "words.txt")


def _pyvi_models() -> Path:
    """pyvi's ``models`` folder, found without importing (and so running) pyvi."""
    spec = importlib.util.find_spec("pyvi")
    if spec is None or not spec.submodule_search_locations:
        raise SegmenterError("pyvi is not installed; reinstall it: pip install pyvi==0.1.1")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


class _Stub:
    """Stands in for every class named in pyvi's pickle (CRF, numpy, …)."""

    def __init__(self, *args: object) -> None:
        pass

    def __setstate__(self, state: object) -> None:
        if isinstance(state, dict):
            self.__dict__.update(state)


class _ModelUnpickler(pickle.Unpickler):
    # Only ``_codecs.encode`` (protocol 2's way to store bytes) is real: that keeps
    # scikit-learn and numpy out, and leaves the pickle no way to run code.
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("_codecs", "encode"):
            return super().find_class(module, name)
        return _Stub


def _model_bytes(path: Path) -> bytes:
    """The CRFsuite model file that sklearn_crfsuite pickled inside the CRF."""
    try:
        with path.open("rb") as f:
            crf = _ModelUnpickler(f).load()
        data = vars(crf)["modelfile"].__dict__["__FILE_RESOURCE_DATA__"]
    except Exception as exc:  # a damaged pickle can fail in any number of ways
        raise SegmenterError(f"cannot read {path} ({exc}); reinstall pyvi==0.1.1") from exc
    if not isinstance(data, bytes) or not data.startswith(b"lCRF"):
        raise SegmenterError(f"{path} holds no CRFsuite model; reinstall pyvi==0.1.1")
    return data


def _ngrams(path: Path) -> tuple[frozenset[str], frozenset[str]]:
    """pyvi's two- and three-syllable dictionary entries, split as pyvi splits them."""
    try:
        lines = path.read_bytes().decode("utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise SegmenterError(f"cannot read {path} ({exc}); reinstall pyvi==0.1.1") from exc
    bigrams = frozenset(line for line in lines if line.count(" ") == 1)
    return bigrams, frozenset(line for line in lines if line.count(" ") == 2)
