"""searchlib.segment must agree with pyvi exactly and map its words back onto the text."""

from __future__ import annotations

import importlib.util
import json
import pickle
import random
import re
import subprocess
import sys
import threading
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from searchlib import segment
from searchlib.errors import SearchlibError

SHARED = Path(__file__).resolve().parents[2] / "shared"
UD_SENTENCES = SHARED / "corpora" / "ud-vtb-wordseg" / "sentences.jsonl"

CASES = [
    # case and diacritics change the words
    "Ban Chấp hành Trung ương Đảng",
    "ban chấp hành trung ương đảng",
    "Tổng Bí thư Nguyễn Phú Trọng",
    "bi thu tinh uy",
    "HÀ NỘI, hà Nội, Hà nội",
    "hoà bình và hòa bình, uỷ ban và ủy ban",
    "Hội nghị lần thứ 8 Ban Chấp hành Trung ương khóa XIII.",
    # abbreviations: an upper-case run with its full stop is one token
    "T.P Hồ Chí Minh, Tp. Hồ Chí Minh, TP.HCM",
    "ThS. Nguyễn Văn A. Hôm nay Mr. Smith và Dr. Who đến.",
    "L.Anh và K. Peters, HIV/AIDS, COVID-19",
    # e-mails, URLs, numbers, arrows
    "Liên hệ ban.bien.tap@vnexpress.net hoặc https://vnexpress.net/thoi-su?id=1&x=2.",
    "Giá 1.000.000 đồng, tăng 3,5% so với 2/9/1945; mã 1_000",
    "A ==> B -> C ... D >> E",
    # newlines and other whitespace
    "Hà Nội\nThành phố Hồ Chí Minh\n\nCần Thơ\n",
    "Hà  Nội\tvà\u00a0Hải   Phòng\r\nĐà Nẵng",
    "\n",
    "\n\n \n",
    "1,3\nTổng\n3.046\n",  # pyvi glues the newline on: "Tổng_\n"
    # nothing to tokenize: pyvi hands the input back unchanged
    "",
    " ",
    "\t \r \u00a0",
    # punctuation only
    "...",
    "!?",
    "(Hà Nội) [Việt Nam] {x}",
    # only ASCII punctuation stops a join: "Bình_Thạnh_…", "Chà_”"
    "“Hà Nội” – thủ đô…",
    "quận Bình Thạnh… \nVợ chồng Bảy “Chà” tức Máy tính• Ngôn ngữ",
    # other scripts and odd characters
    "東京都 에서 русский текст",
    "Ελληνικά ΟΔΟΣ Σ ΑΣ Β",
    "İstanbul ﬁnance ǅemal",
    "emoji 😀 ok ☺",
    "Hà\x00Nội a\u0301 \u200b nhà",
    "snake_case và __init__",
]


@pytest.fixture(scope="module")
def pyvi() -> Any:
    """pyvi's tokenizer, imported here only: it loads scikit-learn."""
    from pyvi import ViTokenizer

    return ViTokenizer


def _pyvi_tokens(pyvi: Any, text: str) -> list[str]:
    tokens: list[str] = pyvi.ViTokenizer.sylabelize(text)[1]
    return tokens


@pytest.mark.parametrize("text", CASES)
def test_tokenize_matches_pyvi(pyvi: Any, text: str) -> None:
    assert segment.tokenize(text) == pyvi.tokenize(text)


def test_tokenize_matches_pyvi_on_decomposed_input(pyvi: Any) -> None:
    text = unicodedata.normalize("NFD", "Thành phố Hồ Chí Minh, hoà bình")
    assert segment.tokenize(text) == pyvi.tokenize(text)


# Pieces that meet each other in odd ways when strung together at random.
_PIECES = [
    "Hà",
    "Nội",
    "hà",
    "nội",
    "thành",
    "phố",
    "Hồ",
    "Chí",
    "Minh",
    "chủ",
    "tịch",
    "ΑΣ",
    "Σ",
    "ς",
    "İ",
    "ǅ",
    "A.",
    "Tp.",
    "T",
    "P",
    "1",
    "2,5",
    "1.000",
    "x2",
]
_PIECES += [".", ",", "...", "->", ">>", "==>", "@", "a@b.vn", "http://x.vn/a", "_", "“", "…"]
_PIECES += ["\n", " ", "  ", "\t", "\u00a0", "\x00", "\u0301", "😀", "中"]


def _random_text(rng: random.Random) -> str:
    pieces = [rng.choice(_PIECES) + rng.choice(["", " ", " ", "\n"]) for _ in range(rng.randint(0, 25))]
    return "".join(pieces)


def test_tokenize_matches_pyvi_on_random_text(pyvi: Any) -> None:
    rng = random.Random(20240607)
    for _ in range(400):
        text = _random_text(rng)
        assert segment.tokenize(text) == pyvi.tokenize(text), repr(text)


def test_viterbi_breaks_ties_as_crfsuite_does() -> None:
    # Equal scores everywhere: the earlier label (B_W) wins every tie.
    assert segment._viterbi([0.0, 0.0, 0.0], [0.0, 0.0, 0.0], (0.0, 0.0, 0.0, 0.0)) == [False, False, False]
    # I_W -> I_W pays off only through the path: a strong last I_W pulls its predecessor along.
    assert segment._viterbi([0.0, 1.0], [0.0, 0.5], (0.0, 0.0, 0.0, 2.0)) == [True, True]
    assert segment._viterbi([0.0, 1.0], [0.0, 0.5], (0.0, 0.0, 0.0, 0.0)) == [False, False]


def test_weight_rows_grow_and_the_cache_starts_over(pyvi: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # The bundled sample has a few thousand distinct tokens: the weight rows
    # outgrow their first 1,024, and a small limit empties the cache between texts.
    sample = Path(segment.__file__).parent / "data" / "sample"
    texts = [path.read_text(encoding="utf-8") for path in sorted(sample.glob("*.txt"))]
    monkeypatch.setattr(segment, "_cache", None)
    monkeypatch.setattr(segment, "_CACHE_LIMIT", 300)
    assert [segment.tokenize(text) for text in texts] == [pyvi.tokenize(text) for text in texts]
    whole = "\n".join(texts)
    monkeypatch.setattr(segment, "_cache", None)
    monkeypatch.setattr(segment, "_CACHE_LIMIT", 100_000)
    assert segment.tokenize(whole) == pyvi.tokenize(whole)
    assert segment._cache is not None and segment._cache.sides.array.shape[2] > 1024


@pytest.mark.parametrize("text", CASES)
def test_segment_spans_are_pyvi_words(pyvi: Any, text: str) -> None:
    nfc = unicodedata.normalize("NFC", text)
    spans = segment.segment(text)
    if not _pyvi_tokens(pyvi, nfc):
        assert spans == []
        return
    words = pyvi.tokenize(text).split(" ")
    assert len(spans) == len(words)
    for (start, end), word in zip(spans, words):
        under = nfc[start:end]
        assert "_".join(_pyvi_tokens(pyvi, under)) == word
        if len(_pyvi_tokens(pyvi, under)) == len(under.split()):
            assert re.sub(r"\s+", "_", under) == word
    covered = {i for start, end in spans for i in range(start, end)}
    outside = [char for i, char in enumerate(nfc) if i not in covered]
    assert all(char.isspace() and char != "\n" for char in outside)


@pytest.mark.parametrize("text", CASES)
def test_compounds_are_the_multi_syllable_words(pyvi: Any, text: str) -> None:
    nfc = unicodedata.normalize("NFC", text)
    expected = []
    for start, end in segment.segment(text):
        tokens = _pyvi_tokens(pyvi, nfc[start:end])
        syllables = [re.fullmatch(r"\w+", token) is not None for token in tokens]
        if True not in syllables:
            continue
        first, last = syllables.index(True), len(syllables) - syllables[::-1].index(True) - 1
        if first < last and all(syllables[first : last + 1]):
            offsets, pos = [], start
            for token in tokens:
                pos = nfc.index(token, pos)
                offsets.append(pos)
                pos += len(token)
            expected.append((offsets[first], offsets[last] + len(tokens[last])))
    assert segment.compounds(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ban Chấp hành Trung ương", ["Ban Chấp hành", "Trung ương"]),
        ("ban chấp hành", ["chấp hành"]),
        ("Hà  Nội\nvà Hải Phòng", ["Hà  Nội", "Hải Phòng"]),
        ("Tp. Hồ Chí Minh và L.Anh", ["Hồ Chí Minh"]),
        ("quận Bình Thạnh… và", ["Bình Thạnh"]),
        ("1,3\nTổng\n3.046", []),
        ("Hà Nội: 1.000 người", ["Hà Nội"]),
        ("", []),
    ],
)
def test_compounds_examples(text: str, expected: list[str]) -> None:
    assert [text[start:end] for start, end in segment.compounds(text)] == expected


def test_segment_offsets_point_into_nfc_text() -> None:
    text = unicodedata.normalize("NFD", "Hà Nội")
    assert segment.segment(text) == [(0, 6)]
    assert segment.segment("x Hà Nội") == [(0, 1), (2, 8)]


def test_lone_surrogates_fail_as_in_pyvi(pyvi: Any) -> None:
    # pycrfsuite wraps the encoding error in a SystemError for pyvi; ours stays plain.
    with pytest.raises((SystemError, UnicodeEncodeError)):
        pyvi.tokenize("Hà \ud800 Nội")
    with pytest.raises(UnicodeEncodeError):
        segment.tokenize("Hà \ud800 Nội")


def test_tokenize_returns_the_input_itself_when_it_has_no_token() -> None:
    text = "\u00a0 \t"
    assert segment.tokenize(text) is text


def test_functions_pickle_by_reference() -> None:
    # Whoosh pickles analyzers, and so whatever they point at.
    segment.preload()
    for function in (segment.tokenize, segment.segment, segment.compounds):
        assert pickle.loads(pickle.dumps(function)) is function


def test_threads_get_the_same_answers() -> None:
    texts = [f"{case} {i}" for i, case in enumerate(CASES * 4)]
    expected = [segment.tokenize(text) for text in texts]
    results: dict[int, list[str]] = {}

    def work(worker: int) -> None:
        results[worker] = [segment.tokenize(text) for text in texts]

    threads = [threading.Thread(target=work, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(result == expected for result in results.values())


_ISOLATION_PROBE = """
import json, sys
import searchlib.segment as s
cheap = s._model is None
s.tokenize("Ban Chấp hành Trung ương\\nĐảng")
s.segment("Hà Nội"); s.compounds("Hà Nội")
heavy = {"sklearn", "sklearn_crfsuite", "pyvi", "pycrfsuite", "scipy"}
loaded = sorted(name for name in sys.modules if name.split(".")[0] in heavy)
print(json.dumps({"cheap": cheap, "loaded": loaded}))
"""


def test_never_imports_pyvi_or_scikit_learn() -> None:
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", _ISOLATION_PROBE],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(done.stdout) == {"cheap": True, "loaded": []}


@pytest.mark.parametrize(
    ("broken", "fault"),
    [
        ("pyvi3.pkl", None),
        ("pyvi3.pkl", b"not a pickle"),
        ("pyvi3.pkl", pickle.dumps({"modelfile": None})),
        ("words.txt", None),
    ],
)
def test_missing_or_damaged_model_says_to_reinstall(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, broken: str, fault: bytes | None
) -> None:
    real = segment._pyvi_models()
    for name in ("pyvi3.pkl", "words.txt"):
        if name != broken:
            (tmp_path / name).write_bytes((real / name).read_bytes())
        elif fault is not None:
            (tmp_path / name).write_bytes(fault)
    monkeypatch.setattr(segment, "_pyvi_models", lambda: tmp_path)
    segment._dictionary.cache_clear()  # the extractors may have read the real one
    try:
        with pytest.raises(SearchlibError, match="reinstall pyvi"):
            segment._load_model()
    finally:
        segment._dictionary.cache_clear()


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:1000],  # cut inside the features
        lambda data: data[:8] + b"XXXX" + data[12:],  # not a first-order model
        lambda data: data.replace(b"I_W", b"I_X"),  # other labels
        lambda data: data[:48] + b"FEAX" + data[52:],  # no features chunk
    ],
)
def test_damaged_crfsuite_model_says_to_reinstall(damage: Callable[[bytes], bytes]) -> None:
    path = segment._pyvi_models() / "pyvi3.pkl"
    data = segment._model_bytes(path)
    weights, transitions = segment._read_crfsuite(data, path)
    assert len(weights) == 6335 and len(transitions) == 4  # what pyvi 0.1.1 ships
    with pytest.raises(segment.SegmenterError, match="reinstall pyvi"):
        segment._read_crfsuite(damage(data), path)


def test_pyvi_not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(segment.SegmenterError, match="reinstall"):
        segment._pyvi_models()


def _needs_shared() -> Path:
    if not UD_SENTENCES.is_file():
        pytest.skip(f"shared corpora not found at {SHARED}")
    return UD_SENTENCES


def test_ud_vtb_test_split_matches_pyvi(pyvi: Any) -> None:
    path = _needs_shared()
    with path.open(encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    texts = [record["text"] for record in records if record["split"] == "test"]
    assert texts
    tokenize: Callable[[str], str] = pyvi.tokenize
    assert [segment.tokenize(t) for t in texts] == [tokenize(t) for t in texts]
