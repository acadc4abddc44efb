"""Plain records that flow between the pipeline stages.

Every annotation is a character span into `Article.text` (start inclusive, end
exclusive), so any later output can cite exactly where it came from.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Article", "RawDocument", "Span", "content_hash"]


def content_hash(*parts: str | None) -> str:
    """Stable SHA-256 over the given strings (None counts as empty)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update((part or "").encode("utf-8"))
        digest.update(b"\x1f")
    return digest.hexdigest()


@dataclass(slots=True)
class RawDocument:
    """One input record as read, before cleaning: either plain text or an HTML page."""

    id: str
    source: str  # where it came from, e.g. "corpus/a.html" or "feed.jsonl:12"
    kind: str  # "text" or "html"
    content: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    language: str | None = None
    author: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    title_in_text: bool = False  # plain-text files carry their headline as the first line

    @property
    def raw_hash(self) -> str:
        """Hash of everything the reader saw, used to tell a changed article from a repeat."""
        return content_hash(self.kind, self.content, self.title, self.url, self.outlet, self.published, self.language)


@dataclass(slots=True)
class Span:
    """A labelled character range in an article's cleaned text."""

    start: int
    end: int
    label: str
    text: str = ""
    entity: str | None = None


@dataclass(slots=True)
class Article:
    """A cleaned article: main text, metadata, and the boilerplate that was cut from it."""

    id: str
    text: str
    title: str | None = None
    language: str | None = None
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    author: str | None = None
    removed: list[str] = field(default_factory=list)
    source: str = ""
    raw_kind: str = "text"
    raw: str = ""
    raw_hash: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        """Hash of the cleaned content; equal hashes mean the same article text."""
        return content_hash(self.title, self.text)

    def to_json(self) -> dict[str, Any]:
        """The `extract` contract record (plus a few extra keys)."""
        return {
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "language": self.language,
            "published": self.published,
            "outlet": self.outlet,
            "url": self.url,
            "author": self.author,
            "removed": list(self.removed),
            "content_hash": self.content_hash,
            "source": self.source,
            **({"metadata": self.metadata} if self.metadata else {}),
        }

    def as_dict(self) -> dict[str, Any]:
        """Every field, for storage."""
        return asdict(self)
