"""Read web archives (WARC, optionally gzipped): each HTML or text response is one article."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..errors import InputError
from ..model import RawDocument
from .decode import decode_bytes

__all__ = ["iter_warc"]

_WANTED = ("text/html", "application/xhtml+xml", "text/plain")


def iter_warc(stream: BinaryIO, source: str, max_bytes: int) -> Iterator[RawDocument | InputError]:
    """Yield documents from response/resource records; skip requests, metadata, images."""
    number = 0
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type not in ("response", "resource"):
                continue
            number += 1
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            where = f"{source}#{number} {url}".strip()
            ctype = _content_type(record)
            if not any(ctype.startswith(w) for w in _WANTED):
                continue
            body = record.content_stream().read(max_bytes + 1)
            if len(body) > max_bytes:
                yield InputError(where, "record is over the per-article size limit")
                continue
            if not body.strip():
                yield InputError(where, "empty record")
                continue
            try:
                text = decode_bytes(body, where, html=True)
            except InputError as exc:
                yield exc
                continue
            doc_id = "warc-" + hashlib.sha1((url or f"{source}#{number}").encode()).hexdigest()[:16]
            yield RawDocument(
                id=doc_id,
                source=where,
                kind="text" if ctype.startswith("text/plain") else "html",
                content=text,
                url=url or None,
                metadata={"crawled": record.rec_headers.get_header("WARC-Date")},
            )
    except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
        yield InputError(source, f"unreadable or truncated WARC after {number} records ({exc})")


def _content_type(record) -> str:
    if record.http_headers is not None:
        value = record.http_headers.get_header("Content-Type") or ""
    else:
        value = record.rec_headers.get_header("Content-Type") or ""
    return value.split(";")[0].strip().lower()
