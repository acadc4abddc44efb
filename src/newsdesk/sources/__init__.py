"""Read articles from files, directories and stdin, whatever form they arrive in.

`iter_documents` yields a `RawDocument` per article, or an `InputError` for an
input that could not be read, so one bad file never stops a batch.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import itertools
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError
from ..model import RawDocument
from ..unicode import valid_unicode
from .decode import MAX_BYTES, decode_bytes, gunzip, is_gzip, read_bytes
from .feeds import iter_feed, looks_like_feed
from .html import html_document, looks_like_html
from .jsonl import iter_jsonl
from .limits import Limits, bounded
from .text import text_document
from .warc import iter_warc

__all__ = ["SUFFIXES", "Limits", "iter_bytes", "iter_documents", "iter_paths"]

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
WARC_SUFFIXES = {".warc"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | WARC_SUFFIXES | FEED_SUFFIXES

Item = RawDocument | InputError


def iter_documents(
    inputs: Iterable[str | Path],
    max_bytes: int = MAX_BYTES,
    stdin: BinaryIO | None = None,
    limits: Limits | None = None,
) -> Iterator[Item]:
    """Yield every article in the given files, directories or `-` (stdin), in order, each input
    read within `limits` (by default: `max_bytes` per record and the other limits' defaults)."""
    limits = limits or Limits(max_bytes=max_bytes)
    for item in inputs:
        if str(item) == "-":
            yield from bounded(_read_stream(stdin or sys.stdin.buffer, "<stdin>", limits), "<stdin>", limits)
            continue
        path = Path(item)
        if path.is_dir():
            for file in iter_paths(path):
                yield from bounded(_read_file(file, limits), _source(file), limits)
        elif path.exists():
            yield from bounded(_read_file(path, limits), _source(path), limits)
        else:
            yield InputError(_source(path), "no such file or directory")


def iter_bytes(name: str, data: bytes, max_bytes: int = MAX_BYTES, limits: Limits | None = None) -> Iterator[Item]:
    """Articles in the bytes of one file (an upload), read as a file of that name would be; a name
    with no known extension is sniffed like stdin."""
    limits = limits or Limits(max_bytes=max_bytes)
    name = valid_unicode(name)
    yield from bounded(_read_bytes(name, data, limits), name, limits)


def _read_bytes(name: str, data: bytes, limits: Limits) -> Iterator[Item]:
    path = Path(name)
    suffix = _suffix(path)
    if suffix not in SUFFIXES:
        yield from _read_stream(io.BytesIO(data), name, limits)
        return
    if suffix in WARC_SUFFIXES:
        yield from iter_warc(io.BytesIO(data), name, limits.max_bytes)
        return
    try:
        if is_gzip(data):
            data = gunzip(data, name, limits.max_bytes)
        if suffix in JSONL_SUFFIXES:
            yield from _jsonl_lines(io.BytesIO(data), name, limits)
        elif suffix in FEED_SUFFIXES:
            yield from iter_feed(data, name)
        else:
            text = decode_bytes(data, name, html=suffix not in TEXT_SUFFIXES)
            yield _document(_stem(path), name, text, suffix)
    except InputError as exc:
        yield exc


def iter_paths(directory: Path) -> Iterator[Path]:
    """Article files under a directory, recursively, in a stable order; hidden files skipped."""
    for path in sorted(directory.rglob("*")):
        rel = path.relative_to(directory)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if _suffix(path) in SUFFIXES:
            yield path


def _suffix(path: Path) -> str:
    """Extension that decides the reader, looking through a trailing `.gz`."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def _source(path: Path) -> str:
    """The path as text that can be printed and stored: bytes of a file name that are not UTF-8
    (a Latin-1 name on a UTF-8 file system) become U+FFFD."""
    return valid_unicode(str(path))


def _stem(path: Path) -> str:
    """File name without the reader extension (and `.gz`): the article id by contract."""
    name = valid_unicode(path.name)
    if name.lower().endswith(".gz"):
        name = name[:-3]
    suffix = _suffix(path)
    return name[: -len(suffix)] if suffix and name.lower().endswith(suffix) else name


def _read_file(path: Path, limits: Limits) -> Iterator[Item]:
    source, suffix = _source(path), _suffix(path)
    if suffix in JSONL_SUFFIXES or suffix in WARC_SUFFIXES:
        try:
            stream = _open_stream(path)
        except OSError as exc:
            yield InputError(source, f"cannot read file ({exc.strerror or exc})")
            return
        with stream:
            if suffix in JSONL_SUFFIXES:
                yield from _jsonl_lines(stream, source, limits)
            else:
                yield from iter_warc(stream, source, limits.max_bytes)
        return
    try:
        data = read_bytes(path, limits.max_bytes)
        if suffix in FEED_SUFFIXES:
            yield from iter_feed(data, source)
            return
        text = decode_bytes(data, source, html=suffix in HTML_SUFFIXES or suffix not in TEXT_SUFFIXES)
        yield _document(_stem(path), source, text, suffix)
    except InputError as exc:
        yield exc


def _document(doc_id: str, source: str, text: str, suffix: str) -> RawDocument:
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and looks_like_html(text)):
        return html_document(doc_id, source, text)
    if not text.strip():
        raise InputError(source, "no text after decoding")
    return text_document(doc_id, source, text)


def _open_stream(path: Path) -> BinaryIO:
    with path.open("rb") as fh:
        magic = fh.read(2)
    if magic == b"\x1f\x8b" and _suffix(path) not in WARC_SUFFIXES:
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")  # warcio handles gzip members itself


def _jsonl_lines(stream: BinaryIO, source: str, limits: Limits) -> Iterator[Item]:
    """JSONL records from a stream; a truncated gzip ends the file with one clear error."""
    lines = _safe_lines(_utf8(stream), source, limits)
    yield from iter_jsonl(lines, source, limits)
    if lines.error is not None:
        yield lines.error


def _utf8(stream: BinaryIO) -> BinaryIO:
    """The stream as UTF-8: JSON Lines written as UTF-16 (Windows tools), with or without a BOM,
    are recognised by the zero byte beside the opening brace and re-encoded line by line."""
    buffered = stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[arg-type]
    head = buffered.peek(4)[:4]  # type: ignore[attr-defined]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16"
    elif head[:2] == b"{\x00" or head[:3] == b"\n\x00{":
        encoding = "utf-16-le"
    elif head[:2] == b"\x00{" or head[:3] == b"\x00\n\x00":
        encoding = "utf-16-be"
    else:
        return buffered  # type: ignore[return-value]
    text = io.TextIOWrapper(buffered, encoding=encoding, errors="replace", newline="")  # type: ignore[type-var]
    return _Recoded(text)  # type: ignore[return-value]


class _Recoded:
    """readline() of a text stream, as UTF-8 bytes (what the JSON Lines reader takes)."""

    def __init__(self, text: io.TextIOWrapper) -> None:
        self._text = text

    def readline(self, size: int = -1) -> bytes:
        return self._text.readline(size).encode("utf-8", "surrogatepass")


class _safe_lines:  # noqa: N801 - an iterator used like a function
    """Iterate lines, each at most `limits.max_bytes` held in memory and at most `limits.max_records`
    of them (blank ones too), remembering (instead of raising) a decompression failure."""

    def __init__(self, stream: BinaryIO, source: str, limits: Limits) -> None:
        self._stream, self._source, self._limits = stream, source, limits
        self.error: InputError | None = None

    def __iter__(self) -> Iterator[bytes]:
        limit = self._limits.max_bytes
        try:
            for number in itertools.count(1):
                line = self._stream.readline(limit + 1)
                if not line:
                    return
                if number > self._limits.max_records:
                    where = f"{self._source}:{number}"
                    self.error = InputError(
                        where, f"stopped reading: over {self._limits.max_records} lines in one input"
                    )
                    return
                if len(line) > limit and not line.endswith(b"\n"):
                    while (rest := self._stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                        pass  # skip the rest of an oversized line without holding it in memory
                yield line
        except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as exc:
            kind = "truncated" if isinstance(exc, EOFError) else "corrupt"
            self.error = InputError(self._source, f"{kind} gzip file, stopped reading here ({exc})")


def _read_stream(stream: BinaryIO, source: str, limits: Limits) -> Iterator[Item]:
    """Sniff stdin: JSON Lines stream line by line, anything else is read whole."""
    max_bytes = limits.max_bytes
    head = stream.read(65536)
    if is_gzip(head):
        try:
            data = gunzip(head + stream.read(), source, max_bytes)
        except InputError as exc:
            yield exc
            return
        yield from _read_stream(io.BytesIO(data), source, limits)
        return
    if not head.strip():
        return  # reported as an empty input
    rest = io.BufferedReader(_Prefixed(head, stream))  # type: ignore[arg-type]
    if head.lstrip()[:1] == b"{" or head[:2] in (b"{\x00", b"\x00{", b"\xff\xfe", b"\xfe\xff"):
        yield from _jsonl_lines(rest, source, limits)  # type: ignore[arg-type]
        return
    if head.startswith(b"WARC/"):
        yield from iter_warc(rest, source, max_bytes)  # type: ignore[arg-type]
        return
    data = rest.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield InputError(source, f"input is over the {max_bytes / 1e6:.0f} MB limit for one article")
        return
    try:
        text = decode_bytes(data, source, html=True)
        if looks_like_feed(text):
            yield from iter_feed(data, source)
            return
        doc_id = "stdin-" + hashlib.sha1(data).hexdigest()[:12]
        yield _document(doc_id, source, text, "")
    except InputError as exc:
        yield exc


class _Prefixed(io.RawIOBase):
    """A raw stream that replays already-sniffed bytes before the rest of the input."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head, self._rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n], self._head = self._head[:n], self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
