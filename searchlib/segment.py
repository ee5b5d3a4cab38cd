"""Vietnamese word segmentation: pyvi's model and rules, without pyvi.

:func:`tokenize` returns exactly what ``pyvi.ViTokenizer.tokenize`` returns;
:func:`segment` and :func:`compounds` give the same words as character spans,
for an indexer that must point back into the text it stores.

* ``import pyvi`` unpickles a ``sklearn_crfsuite.CRF``, which imports
  scikit-learn (over a second). That CRF only wraps a CRFsuite model file, so
  here the pickle is read with stand-in classes and the model file is kept.
* pyvi spends most of its time building a feature dict per token, and
  CRFsuite then looks each feature string up in the model. Only 6,335 of
  those strings carry a weight, two labels each. So the model file is read
  here (:func:`_read_crfsuite`) and CRFsuite's tagging is done in numpy: each
  distinct token's known features become rows of weights once, cached, and a
  text's state scores are gathers and adds over those rows, then a two-label
  Viterbi. The sums run in CRFsuite's order (the token's own features, then
  the previous token's, then the next one's, each in pyvi's order, added one
  at a time from zero), so every score is the same to the last bit, ties
  break the same way, and the labels are CRFsuite's.

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
import struct
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from searchlib.errors import SegmenterError

if TYPE_CHECKING:
    import numpy as np

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
_CACHE_LIMIT = 32_768  # distinct tokens; 5,000 news articles have 22k
_LABELS = (b"B_W", b"I_W")  # pyvi's labels, in the model's order: begins a word, inside one
# The most model features a neighbour adds: its word, istitle, isupper, and
# the bi-gram and tri-gram flags.
_SIDE = 5


class _Model(NamedTuple):
    #: Feature string -> its weight for (B_W, I_W); features without one are absent.
    weights: dict[bytes, tuple[float, float]]
    #: Transition weights B→B, B→I, I→B, I→I.
    transitions: tuple[float, float, float, float]
    bigrams: frozenset[str]
    trigrams: frozenset[str]


class _Token(NamedTuple):
    """What the features and join rules need from one token, computed once."""

    lower: str
    here: int  # row of the sum of the token's own feature weights
    # Rows of the weights this token adds to its neighbours' scores, indexed
    # by has_bigram + 2 * has_trigram: the n-gram features come last in each
    # neighbour's group in pyvi's feature order.
    as_prev: tuple[int, int, int, int]
    as_next: tuple[int, int, int, int]
    blocks: bool  # punctuation or starts with a digit: never joined
    title: bool  # first character is upper or title case
    syllable: bool  # letters and digits only: one \w+ run


class _Rows:
    """A growing ``(planes, 2, n)`` array of weights, one row per distinct weight list.

    Row 0 is all zeros. Shorter lists are padded with zeros, which leave a
    sum unchanged to the bit.
    """

    def __init__(self, planes: int) -> None:
        import numpy as np  # deferred: the extractors import this module for its dictionary

        self.array: np.ndarray = np.zeros((planes, 2, 1024))
        self.ids: dict[tuple[tuple[float, float], ...], int] = {(): 0}

    def row(self, weights: tuple[tuple[float, float], ...]) -> int:
        found = self.ids.get(weights)
        if found is None:
            found = self.ids[weights] = len(self.ids)
            if found == self.array.shape[2]:
                import numpy as np

                self.array = np.concatenate([self.array, np.zeros_like(self.array)], axis=2)
            for plane, pair in enumerate(weights):
                self.array[plane, :, found] = pair
        return found


class _Cache:
    """Tokens seen so far, with their rows; replaced whole when it fills up."""

    def __init__(self) -> None:
        self.tokens: dict[str, _Token] = {}
        self.here = _Rows(1)
        self.sides = _Rows(_SIDE)


_load_lock = threading.Lock()
_lock = threading.Lock()  # the cache and its arrays grow while a text is tagged
_model: _Model | None = None
_cache: _Cache | None = None  # made on first use, with the model


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
    out[1::2] = ["_" if join else " " for join in _tag(tokens)[1]]
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
    infos, joins = _tag(tokens)
    starts = _starts(nfc, tokens)
    bounds: Iterable[tuple[int, int]] = zip(*_word_bounds(joins))
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


def _tag(tokens: list[str]) -> tuple[list[_Token], list[bool]]:
    """Each token's info, and whether each token after the first is joined to the one before it."""
    global _cache
    model = _get_model()
    with _lock:
        if _cache is None or len(_cache.tokens) >= _CACHE_LIMIT:
            _cache = _Cache()  # numbers and URLs rarely repeat; the common tokens come back fast
        cache = _cache
        infos = [cache.tokens.get(token) or _token_info(token, model, cache) for token in tokens]
        begins, inside = _state_scores(infos, model, cache)
    labels = _viterbi(begins, inside, model.transitions)
    joins = [
        inner and not (cur.blocks or prev.blocks or (cur.title and not prev.title))
        for inner, prev, cur in zip(labels[1:], infos, infos[1:])
    ]
    return infos, joins


def _state_scores(infos: list[_Token], model: _Model, cache: _Cache) -> tuple[list[float], list[float]]:
    """Each token's score for B_W and for I_W, summed in CRFsuite's order from pyvi's features.

    A token's features are its own, then those of the token before it, then
    those of the token after it; the n-gram flags say whether the pair or
    triple is a dictionary word. pyvi's ``False`` features have weight 0 and
    are left out, as are features the model has no weight for.
    """
    lows = [info.lower for info in infos]
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(lows)]
    bigram = [pair in model.bigrams for pair in pairs]
    trigram = [f"{a} {pair}" in model.trigrams for a, pair in zip(lows, pairs[1:])]
    tri_ends = [False, False] + trigram  # the trigram that ends at token i
    tri_starts = trigram + [False, False]  # the trigram that starts at token i
    left = [prev.as_prev[bi + 2 * tri] for prev, bi, tri in zip(infos, bigram, tri_ends[1:])]
    right = [nxt.as_next[bi + 2 * tri] for nxt, bi, tri in zip(infos[1:], bigram, tri_starts)]
    scores = cache.here.array[0][:, [info.here for info in infos]]
    if left:
        # One feature at a time, so that each addition is CRFsuite's.
        for plane in cache.sides.array[:, :, left]:
            scores[:, 1:] += plane
        for plane in cache.sides.array[:, :, right]:
            scores[:, :-1] += plane
    begins, inside = scores.tolist()
    return begins, inside


def _viterbi(begins: list[float], inside: list[float], transitions: tuple[float, float, float, float]) -> list[bool]:
    """Whether each token is labelled I_W on the best path, as CRFsuite's ``crf1dc_viterbi`` finds it.

    The same additions in the same order, and the same tie-breaks: the
    earlier label wins a tie, B_W at the end.
    """
    bb, bi, ib, ii = transitions
    b, i = begins[0], inside[0]
    back = []  # per token: bit 0 = the label before a B_W, bit 1 = before an I_W
    for state_b, state_i in zip(itertools.islice(begins, 1, None), itertools.islice(inside, 1, None)):
        x, y = b + bb, i + ib
        if x < y:
            to_b, link = y, 1
        else:
            to_b, link = x, 0
        x, y = b + bi, i + ii
        if x < y:
            to_i, link = y, link | 2
        else:
            to_i = x
        b, i = to_b + state_b, to_i + state_i
        back.append(link)
    label = int(b < i)
    labels = [label]
    for link in reversed(back):
        label = (link >> label) & 1
        labels.append(label)
    labels.reverse()
    return [label == 1 for label in labels]


def _token_info(token: str, model: _Model, cache: _Cache) -> _Token:
    lower = token.lower()
    upper, title = token.isupper(), token.istitle()
    here: tuple[bytes, ...] = (b"bias", f"word.lower():{lower}".encode())
    here += (b"word.isupper()",) * upper + (b"word.istitle()",) * title
    here += (b"word.isdigit()",) * token.isdigit()
    prev: tuple[bytes, ...] = (f"-1:word.lower():{lower}".encode(),)
    prev += (b"-1:word.istitle()",) * title + (b"-1:word.isupper()",) * upper
    nxt: tuple[bytes, ...] = (f"+1:word.lower():{lower}".encode(),)
    nxt += (b"+1:word.istitle()",) * title + (b"+1:word.isupper()",) * upper
    if "\0" in lower:
        # CRFsuite looks features up as C strings, which end at a NUL.
        here, prev, nxt = (tuple(f.split(b"\0", 1)[0] for f in group) for group in (here, prev, nxt))
    weights = model.weights
    total_b = total_i = 0.0  # the token's own features come first: their sum can be kept
    for feature in here:
        if feature in weights:
            w_b, w_i = weights[feature]
            total_b += w_b
            total_i += w_i
    info = _Token(
        lower=lower,
        here=cache.here.row(((total_b, total_i),)),
        as_prev=_variants(prev, b"-1:word.bi_gram()", b"-2:word.tri_gram()", model, cache),
        as_next=_variants(nxt, b"+1:word.bi_gram()", b"+2:word.tri_gram()", model, cache),
        blocks=token in _PUNCTUATION or token[0].isdigit(),
        title=token[0].istitle(),
        syllable=_SYLLABLE_RE.fullmatch(token) is not None,
    )
    cache.tokens[token] = info
    return info


def _variants(
    base: tuple[bytes, ...], bi: bytes, tri: bytes, model: _Model, cache: _Cache
) -> tuple[int, int, int, int]:
    """Rows for *base* followed by neither, the first, the second or both n-gram features."""
    weights = model.weights
    rows = [
        cache.sides.row(tuple(weights[f] for f in features if f in weights))
        for features in (base, (*base, bi), (*base, tri), (*base, bi, tri))
    ]
    return rows[0], rows[1], rows[2], rows[3]


def _get_model() -> _Model:
    global _model
    if _model is None:
        with _load_lock:
            if _model is None:
                _model = _load_model()
    return _model


def _load_model() -> _Model:
    folder = _pyvi_models()
    path = folder / "pyvi3.pkl"
    weights, transitions = _read_crfsuite(_model_bytes(path), path)
    bigrams, trigrams = _dictionary()
    return _Model(weights, transitions, bigrams, trigrams)


def _read_crfsuite(
    data: bytes, path: Path
) -> tuple[dict[bytes, tuple[float, float]], tuple[float, float, float, float]]:
    """The state and transition weights of a CRFsuite first-order model file.

    The layout is CRFsuite's ``crf1d_model.c``: a header of offsets, a FEAT
    chunk of ``(type, source, target, weight)`` records (type 0: attribute ->
    label, type 1: label -> label), and the label and attribute names in
    CQDB string tables, read here through their id-ordered index.
    """
    try:
        header = struct.unpack_from("<4sI4s9I", data, 0)
        _, _, kind, _, _, n_labels, _, at_features, at_labels, at_attrs, _, _ = header
        chunk, _, count = struct.unpack_from("<4sII", data, at_features)
        if kind != b"FOMC" or chunk != b"FEAT" or _cqdb(data, at_labels) != list(_LABELS) or n_labels != 2:
            raise ValueError("not pyvi's two-label first-order model")
        attributes = _cqdb(data, at_attrs)
        state: dict[bytes, list[float]] = {}
        transitions = [0.0] * 4
        for kind_, source, target, weight in struct.iter_unpack(
            "<IIId", data[at_features + 12 : at_features + 12 + 20 * count]
        ):
            if kind_ == 0:
                state.setdefault(attributes[source], [0.0, 0.0])[target] = weight
            else:
                transitions[2 * source + target] = weight
    except (struct.error, ValueError, IndexError) as exc:
        raise SegmenterError(f"pyvi's model in {path} is damaged ({exc}); reinstall pyvi==0.1.1") from exc
    bb, bi, ib, ii = transitions
    return {name: (b, i) for name, (b, i) in state.items()}, (bb, bi, ib, ii)


def _cqdb(data: bytes, at: int) -> list[bytes]:
    """The strings of a CQDB table, by id: each record is ``id, size, bytes + NUL``."""
    chunk, _, _, _, count, index = struct.unpack_from("<4s5I", data, at)
    if chunk != b"CQDB":
        raise ValueError("no string table")
    names = []
    for n, offset in enumerate(struct.unpack_from(f"<{count}I", data, at + index)):
        ident, size = struct.unpack_from("<II", data, at + offset)
        if ident != n or size < 1:
            raise ValueError("string table out of order")
        names.append(data[at + offset + 8 : at + offset + 7 + size])
    return names


def dictionary_bigrams() -> frozenset[str]:
    """pyvi's two-syllable dictionary words, lower case, traditional tone placement (``văn hoá``).

    Read on first use without loading the model: the extractors use them to
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
