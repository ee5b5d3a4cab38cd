"""Bytes → text for scraped articles, refusing to guess.

Supported: UTF-8 (with or without BOM), UTF-16 and UTF-32 with a BOM, and
Windows-1258 (the legacy Vietnamese code page, which stores most tone marks
as combining characters). The order of checks:

1. a byte-order mark decides, and the bytes must then decode cleanly;
2. NUL bytes without a BOM mean binary data or BOM-less UTF-16: refused;
3. strict UTF-8 succeeds → UTF-8, unless the text is UTF-8 that was already
   decoded once as Latin-1/cp1252/cp1258 (``Ã¡``, ``áº¡``): refused;
4. UTF-8 that fails only here and there (most non-ASCII runs valid) is a
   damaged UTF-8 file, not cp1258: refused with the byte offset;
5. otherwise cp1258, kept only when the result reads as Vietnamese.

Every refusal is a :class:`~searchlib.errors.DecodeError` saying why. A wrong
guess would put mojibake into the index, which is worse than no document.
"""

from __future__ import annotations

import codecs
import html
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import DecodeError, SourceError
from ._regex import LazyRegex

__all__ = ["Decoded", "decode_bytes", "read_text", "unescape_entities"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# UTF-8 bytes of Vietnamese letters read as Latin-1, cp1252 or cp1258: the
# lead byte becomes Ã Â Ă Ä Å Æ and the continuation byte a symbol; or, for
# the toned vowels (U+1EA0-U+1EF9, bytes E1 BA xx / E1 BB xx), "á" followed
# by "º" or "»". Only those two: "tá”" is a real word before a closing quote.
_MOJIBAKE = LazyRegex(
    "[ÃÂĂÄÅÆ][\u0080-\u00bf\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
    "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u02c6\u02dc\u2122\u0192\u20ac]"
    "|á[º»]"
)
_CONTROL = LazyRegex("[\x00-\x08\x0e-\x1f\x7f]")
_UTF8_SEQ = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
_PUNCT = frozenset("“”‘’–—…•€™°±×·«»§©®¼½¾\xa0\xad")
# Letters only Vietnamese uses among Latin scripts: ă ơ ư đ and the
# Latin Extended Additional block (toned vowels).
_DISTINCT = LazyRegex("[ăơưđĂƠƯĐ\u1ea0-\u1ef9]")


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, and the encoding that was recognised."""

    text: str
    encoding: str


def _check_text(text: str, encoding: str) -> str:
    """*text* with stray control characters made spaces, or DecodeError if it is not text.

    Real scraped articles carry a few (VNTC has ``\x14`` where a dash was);
    binary data has them everywhere.
    """
    controls = len(_CONTROL.rx.findall(text))
    if controls > max(16, len(text) // 200):
        raise DecodeError(f"{controls} control characters after decoding as {encoding}: binary data?")
    if len(_MOJIBAKE.rx.findall(text)) >= 2:
        sample = _MOJIBAKE.rx.search(text)
        assert sample is not None
        raise DecodeError(
            f"text is double-encoded UTF-8 (mojibake such as {sample.group()!r}); "
            "re-save the file as UTF-8 from its original"
        )
    return _CONTROL.rx.sub(" ", text) if controls else text


def _misread_wide(text: str) -> bool:
    """True when UTF-16/32 text is bytes of something else (UTF-8 after stray BOM bytes reads as CJK).

    Vietnamese in any encoding is mostly ASCII: spaces, digits and the
    letters without marks. Read two bytes at a time, those become ideographs.
    """
    sample = text[:2000]
    return len(sample) >= 20 and sum(1 for c in sample if c < "\x80") * 3 < len(sample)


def _damaged_utf8(data: bytes, error: UnicodeDecodeError) -> DecodeError | None:
    good = len(_UTF8_SEQ.findall(data))
    bad = data.decode("utf-8", errors="replace").count("\ufffd")
    if good and good >= bad:
        return DecodeError(
            f"mostly UTF-8 but invalid at byte {error.start} ({bad} bad sequence(s)): "
            "the file is damaged or mixes encodings"
        )
    return None


def _looks_vietnamese(text: str) -> str | None:
    """None when *text* reads as Vietnamese (or plain ASCII), else the reason."""
    non_ascii = [c for c in text if ord(c) > 127]
    if all(c in _PUNCT for c in non_ascii):
        return None
    odd = [c for c in non_ascii if unicodedata.combining(c) or not (c.isalpha() or c in _PUNCT)]
    distinct = len(_DISTINCT.rx.findall(text))
    letters = sum(1 for c in text if c.isalpha())
    if odd and len(odd) * 20 > len(non_ascii):
        return f"{len(odd)} stray symbols or unattached accents (e.g. {odd[0]!r})"
    if distinct * 50 < letters:
        return "too few Vietnamese letters (ă, ơ, ư, đ, toned vowels)"
    return None


def _decode_cp1258(data: bytes) -> Decoded:
    try:
        text = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError as exc:
        raise DecodeError(f"neither UTF-8 nor Windows-1258 (byte 0x{data[exc.start]:02x} at {exc.start})") from None
    reason = _looks_vietnamese(text)
    if reason is not None:
        raise DecodeError(f"not valid UTF-8, and as Windows-1258 it does not read as Vietnamese: {reason}")
    return Decoded(_check_text(text, "cp1258"), "cp1258")


def decode_bytes(data: bytes) -> Decoded:
    """Decode *data*, or raise :class:`DecodeError` saying why it cannot be trusted."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    f"has a {encoding} byte-order mark but is not valid {encoding}: {exc.reason}"
                ) from None
            if encoding != "utf-8-sig" and _misread_wide(text):
                raise DecodeError(
                    f"starts like {encoding} (a byte-order mark) but does not read as text in it: "
                    "other bytes that happen to begin the same way"
                )
            return Decoded(_check_text(text, encoding).lstrip("\ufeff"), encoding.replace("-sig", ""))
    if b"\x00" in data:
        raise DecodeError("contains NUL bytes: binary data, or UTF-16/UTF-32 without a byte-order mark")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        damaged = _damaged_utf8(data, exc)
        if damaged is not None:
            raise damaged from None
        return _decode_cp1258(data)
    return Decoded(_check_text(text, "utf-8"), "utf-8")


def read_text(path: str | Path) -> Decoded:
    """Read and decode the file at *path*; errors name the file."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return decode_bytes(data)
    except DecodeError as exc:
        raise DecodeError(f"{path}: {exc}") from None


_ENTITY = LazyRegex(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def unescape_entities(text: str) -> str:
    """HTML character references a scraper left in the text (``&gt;``, ``&amp;``, ``&#193;``), as characters.

    About one VNTC article in a hundred has them (``&gt;&gt; Thủ tướng ...``);
    left alone they show in titles and snippets, and ``AT&amp;T`` is not
    found by ``AT&T``. Only complete references (with the ``;``) are read;
    unknown names stay as they are.
    """
    if "&" not in text:
        return text
    return _ENTITY.rx.sub(lambda m: html.unescape(m.group()), text)
