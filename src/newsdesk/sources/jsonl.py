"""Read JSON Lines: one article object per line, with `text` or `html`.

Lines are streamed, so a multi-gigabyte file costs one line of memory; a bad
line is reported with its number and the rest of the file is still read.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from ..errors import InputError
from ..model import RawDocument
from ..unicode import valid_unicode
from .limits import MAX_DEPTH, Limits

__all__ = ["KNOWN_KEYS", "iter_jsonl", "normalize_date", "record_document"]

KNOWN_KEYS = frozenset({"id", "text", "html", "title", "url", "outlet", "published", "language", "author"})
LOGGER = logging.getLogger(__name__)


def iter_jsonl(lines: Iterable[bytes], source: str, limits: Limits | None = None) -> Iterator[RawDocument | InputError]:
    """Yield one document (or one error) per non-blank line."""
    limits = limits or Limits()
    for number, raw in enumerate(lines, start=1):
        where = f"{source}:{number}"
        if not raw.strip():
            continue
        if len(raw) > limits.max_bytes:
            yield InputError(where, f"record is over the {limits.max_bytes}-byte limit")
            continue
        try:
            line = raw.decode("utf-8-sig") if number == 1 else raw.decode("utf-8")
        except UnicodeDecodeError:
            line = raw.decode("cp1252", errors="replace")
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"invalid JSON ({exc.msg} at column {exc.colno})")
            continue
        except RecursionError:  # the parser's own stack gave out, far past any depth limit
            yield InputError(where, f"JSON nested deeper than {limits.max_depth} levels")
            continue
        try:
            yield record_document(obj, where, limits.max_depth)
        except InputError as exc:
            yield exc


def record_document(obj: Any, source: str, max_depth: int = MAX_DEPTH) -> RawDocument:
    """Validate one article object and turn it into a RawDocument (strings made valid Unicode)."""
    if not isinstance(obj, dict):
        raise InputError(source, f"expected a JSON object, got {type(obj).__name__}")
    obj = _valid(obj, source, max_depth)
    html, text = obj.get("html"), obj.get("text")
    if isinstance(html, str) and html.strip():
        kind, content = "html", html
    elif isinstance(text, str) and text.strip():
        kind, content = "text", text
    else:
        raise InputError(source, "no non-empty 'text' or 'html' string")
    doc_id = obj.get("id")
    if doc_id is None or (isinstance(doc_id, str) and not doc_id.strip()):
        url = obj.get("url")
        if not isinstance(url, str) or not url:
            raise InputError(source, "no 'id' (and no 'url' to derive a stable one from)")
        doc_id = "url-" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]
    if not isinstance(doc_id, (str, int)):
        raise InputError(source, f"'id' must be a string, got {type(doc_id).__name__}")
    return RawDocument(
        id=str(doc_id),
        source=source,
        kind=kind,
        content=content,
        title=_str_or_none(obj.get("title")),
        url=_str_or_none(obj.get("url")),
        outlet=_str_or_none(obj.get("outlet")),
        published=normalize_date(obj.get("published"), source),
        language=_str_or_none(obj.get("language")),
        author=_str_or_none(obj.get("author")),
        metadata={k: v for k, v in obj.items() if k not in KNOWN_KEYS},
    )


def normalize_date(value: Any, source: str) -> str | None:
    """ISO 8601 date or datetime as given; anything else is dropped with a warning. (The years a date may
    fall in are checked once for every source, by extraction.)"""
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        LOGGER.warning("%s: 'published' is not an ISO 8601 date (%r); ignored", source, value)
        return None
    return text


def _valid(value: Any, source: str, max_depth: int, depth: int = 0) -> Any:
    """The parsed record with lone surrogates ("\\ud800", valid JSON but not valid Unicode) replaced;
    nesting past `max_depth` is an error (recursion here is bounded by it)."""
    if depth > max_depth:
        raise InputError(source, f"JSON nested deeper than {max_depth} levels")
    if isinstance(value, str):
        return valid_unicode(value)
    if isinstance(value, dict):
        return {valid_unicode(k): _valid(v, source, max_depth, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_valid(v, source, max_depth, depth + 1) for v in value]
    return value


def _str_or_none(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
