"""The extractors against the two oracles: the shared seeds and the bundled sample.

The seeds live outside the repository (``../shared/seeds``, next to the
repo) and are read at run time; these tests skip when they are absent. The
bundled sample (``searchlib/data/sample``) has its oracle in
``tests/fixtures/sample_expected.json``.
"""

from __future__ import annotations

import codecs
import dataclasses
import json
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from searchlib.document import Document
from searchlib.extract import load_article, load_jsonl

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"
SAMPLE = Path(__file__).resolve().parents[1] / "searchlib" / "data" / "sample"
SAMPLE_ORACLE = Path(__file__).resolve().parent / "fixtures" / "sample_expected.json"
BREADCRUMB_NOISE = ("Thời Sự", "Thời sự", "Truy cập", "Đăng nhập", "Cập nhật ngày")


def _oracle(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_") and k.endswith(".txt")}


SEED_CASES = _oracle(SEEDS / "expected.json")
SAMPLE_CASES = _oracle(SAMPLE_ORACLE)
needs_seeds = pytest.mark.skipif(not SEED_CASES, reason="../shared/seeds is not available")
needs_sample = pytest.mark.skipif(not SAMPLE_CASES, reason="sample oracle is not available")


def _date_text(doc: Document) -> str | None:
    if doc.date is None:
        return None
    return str(doc.date.year) if doc.date_precision == "year" else doc.date.isoformat()


def check_title(doc: Document, want: dict[str, Any]) -> None:
    if doc.title != want["title"]:
        assert want["title_contains"] in doc.title
        assert not any(noise in doc.title for noise in BREADCRUMB_NOISE)


def check_fields(doc: Document, want: dict[str, Any]) -> None:
    """Every field the oracle states, as the oracle's ``_about`` describes it."""
    check_title(doc, want)
    accepted = [want["date"], *want.get("date_alternatives", [])]
    assert _date_text(doc) in accepted, doc.evidence["date"]
    assert set(doc.leaders) == set(want["leaders"]), doc.evidence["leaders"]
    assert len(doc.leaders) == len(set(doc.leaders))
    assert set(want["topics_include"]) <= set(doc.topics), doc.evidence["topics"]
    assert 1 <= len(doc.topics) <= 3
    assert doc.source == want["source"]
    assert doc.author == want["author"]
    for text in want["body_includes"]:
        assert text in doc.body
    for text in want["body_excludes"]:
        assert text not in doc.body


@needs_seeds
@pytest.mark.parametrize("name", sorted(SEED_CASES))
def test_seed(name: str) -> None:
    check_fields(load_article(SEEDS / name), SEED_CASES[name])


@needs_sample
@pytest.mark.parametrize("name", sorted(SAMPLE_CASES))
def test_sample(name: str) -> None:
    check_fields(load_article(SAMPLE / name), SAMPLE_CASES[name])


@needs_sample
def test_sample_records() -> None:
    want = json.loads(SAMPLE_ORACLE.read_text(encoding="utf-8"))["extra.jsonl"]["records"]
    docs = {doc.id: doc for doc in load_jsonl(SAMPLE / "extra.jsonl")}
    assert set(docs) == set(want)
    for doc_id, expected in want.items():
        doc = docs[doc_id]
        assert doc.title == expected["title"]
        assert _date_text(doc) == expected["date"]
        assert doc.leaders == expected["leaders"]
        assert set(expected["topics_include"]) <= set(doc.topics)
        assert doc.source == expected["source"]
        assert (doc.author, doc.url) == (expected["author"], expected["url"])
        assert all(text in doc.body for text in expected["body_includes"])


# --- the same article in other encodings and shapes ------------------------

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """Windows-1258 bytes, with tone marks as combining characters where needed."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
            out += (base + "".join(c for c in parts if c in _TONE_MARKS)).encode("cp1258")
    return bytes(out)


VARIANTS: dict[str, Callable[[str], bytes]] = {
    "utf-8-bom": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "utf-16-le": lambda t: t.encode("utf-16"),  # BOM + little-endian
    "utf-16-be": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    "cp1258": to_cp1258,
    "nfd": lambda t: unicodedata.normalize("NFD", t).encode("utf-8"),
    "crlf": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
}


def _same_everywhere(source: Path, tmp_path: Path, variant: str) -> None:
    original = load_article(source)
    target = tmp_path / variant / source.name
    target.parent.mkdir()
    target.write_bytes(VARIANTS[variant](source.read_text(encoding="utf-8")))
    again = load_article(target)
    assert dataclasses.replace(again, path=None) == dataclasses.replace(original, path=None)


@needs_seeds
@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("name", sorted(SEED_CASES))
def test_seed_encodings(name: str, variant: str, tmp_path: Path) -> None:
    _same_everywhere(SEEDS / name, tmp_path, variant)


@needs_sample
@pytest.mark.parametrize("variant", ["cp1258", "utf-16-le", "crlf"])
@pytest.mark.parametrize("name", ["02_cong_bo_quyet_dinh_can_bo.txt", "13_cai_cach_hanh_chinh.txt"])
def test_sample_encodings(name: str, variant: str, tmp_path: Path) -> None:
    _same_everywhere(SAMPLE / name, tmp_path, variant)
