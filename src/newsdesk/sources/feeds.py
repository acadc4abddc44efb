"""Read RSS and Atom feed files: each entry with content is one article."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterator

import feedparser

from ..errors import InputError
from ..model import RawDocument

__all__ = ["iter_feed", "looks_like_feed"]

LOGGER = logging.getLogger(__name__)


def looks_like_feed(text: str) -> bool:
    head = text[:2048].lower()
    return "<rss" in head or ("<feed" in head and "atom" in head) or "<rdf:rdf" in head


def iter_feed(data: bytes, source: str) -> Iterator[RawDocument | InputError]:
    """Yield a fragment document per entry; a feed with no entries is an error."""
    parsed = feedparser.parse(data)
    if not parsed.entries:
        problem = getattr(parsed, "bozo_exception", None) or "no entries"
        yield InputError(source, f"not a readable RSS/Atom feed ({problem})")
        return
    outlet = (parsed.feed.get("title") or "").strip() or None
    for number, entry in enumerate(parsed.entries, start=1):
        where = f"{source}#{number}"
        content = ""
        if entry.get("content"):
            content = max((c.get("value", "") for c in entry.content), key=len)
        content = content or entry.get("summary", "") or ""
        if not content.strip():
            yield InputError(where, "feed entry has no content or summary")
            continue
        key = entry.get("id") or entry.get("link") or f"{source}#{number}"
        published = None
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp:
            published = time.strftime("%Y-%m-%dT%H:%M:%SZ", stamp)
        yield RawDocument(
            id="feed-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16],
            source=where,
            kind="fragment",
            content=content,
            title=(entry.get("title") or "").strip() or None,
            url=entry.get("link"),
            outlet=outlet,
            published=published,
            author=entry.get("author"),
            metadata={"feed_id": entry.get("id")} if entry.get("id") else {},
        )
