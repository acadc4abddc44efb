"""Turn input bytes into text: BOMs, legacy and mixed encodings, gzip, binary detection.

Real crawls mix UTF-8 with cp1252 pages (and sometimes both inside one file),
so decoding never gives up on a single bad byte; it only refuses binary data.
"""

from __future__ import annotations

import codecs
import re
import zlib
from pathlib import Path

from charset_normalizer import from_bytes

from ..errors import InputError
from ..unicode import valid_unicode

__all__ = ["MAX_BYTES", "decode_bytes", "is_gzip", "read_bytes", "valid_unicode"]

MAX_BYTES = 10 * 1024 * 1024  # one article or page larger than this is not news (pages run to 2 MB); a
# 49 MB record took 1.5 GB to ingest, an 11 MB one 0.85 GB
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_UTF8_MULTI = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_TYPOGRAPHY = set("‘’‚“”„–—…•€£¥©®°±×÷§¶«»¡¿·\u00a0")
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def _cp1252_fallback(err: UnicodeDecodeError) -> tuple[str, int]:
    """Decode the bytes UTF-8 rejected as cp1252 (latin-1 where cp1252 has a hole)."""
    chunk = err.object[err.start : err.end]
    return chunk.decode("cp1252", errors="replace").replace("\ufffd", ""), err.end


codecs.register_error("newsdesk-cp1252", _cp1252_fallback)


def is_gzip(data: bytes) -> bool:
    return data[:2] == b"\x1f\x8b"


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """Read a whole (possibly gzipped) file, refusing empty, oversized or truncated ones."""
    source = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(source, f"cannot read file ({exc.strerror or exc})") from None
    if size == 0:
        raise InputError(source, "empty file")
    if size > max_bytes:
        raise InputError(
            source,
            f"file is {size / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB limit for one article "
            "(split it, or raise --max-bytes)",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(source, f"cannot read file ({exc.strerror or exc})") from None
    if is_gzip(data):
        data = gunzip(data, source, max_bytes)
    if not data.strip():
        raise InputError(source, "empty file")
    return data


def gunzip(data: bytes, source: str, max_bytes: int = MAX_BYTES) -> bytes:
    """Decompress gzip data with a size cap, naming truncation or corruption clearly."""
    decomp = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = decomp.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise InputError(source, f"corrupt gzip data ({exc})") from None
    if len(out) > max_bytes:
        raise InputError(source, f"decompresses to over {max_bytes / 1e6:.0f} MB (raise --max-bytes)")
    if not decomp.eof:
        raise InputError(source, "truncated gzip file (the archive ends before its data does)")
    return out


def decode_bytes(data: bytes, source: str, html: bool = False) -> str:
    """Decode text of unknown encoding; raise InputError for binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    if _looks_utf16(data):
        return data.decode("utf-16-le" if data[1:2] == b"\x00" else "utf-16-be", errors="replace")
    if _looks_binary(data):
        raise InputError(source, "binary data, not text or HTML (wrong file type?)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data) if html else None
    if declared and declared.replace("-", "").lower() not in ("utf8",):
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    if _has_utf8_sequences(data):
        # Well-formed UTF-8 characters beside invalid bytes: UTF-8 with cp1252 pieces mixed in
        # (legacy text rarely forms valid multi-byte sequences by chance).
        return data.decode("utf-8", errors="newsdesk-cp1252")
    western = data.decode("cp1252", errors="replace")
    if _plausible_western(western):
        return western
    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best)
    return data.decode("cp1252", errors="replace")


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: every other byte of ASCII-range text is NUL."""
    sample = data[:2000]
    if len(sample) < 4:
        return False
    evens, odds = sample[0::2], sample[1::2]
    return (odds.count(0) > 0.4 * len(odds) and evens.count(0) < 0.05 * len(evens)) or (
        evens.count(0) > 0.4 * len(evens) and odds.count(0) < 0.05 * len(odds)
    )


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    return len(_CONTROL.findall(sample)) > 0.05 * len(sample)


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "ignore") if match else None


def _has_utf8_sequences(data: bytes) -> bool:
    """True when the data holds at least one well-formed multi-byte UTF-8 character."""
    return bool(_UTF8_MULTI.search(data))


def _plausible_western(text: str) -> bool:
    """cp1252/latin-1 text: mostly ASCII letters, and its other characters are letters or typography.

    Short texts defeat statistical charset detection (it reads "déjà" as cp1250),
    while Cyrillic or Greek legacy text decoded this way is mostly non-ASCII.
    """
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return True
    ascii_letters = sum(1 for c in letters if c.isascii())
    high = [c for c in text if not c.isascii()]
    good = sum(1 for c in high if c.isalpha() or c in _TYPOGRAPHY)
    return ascii_letters >= 0.7 * len(letters) and good >= 0.9 * len(high) and "\ufffd" not in text
