"""Plain records that flow between the pipeline stages.

Every annotation is a character span into `Article.text` (start inclusive, end
exclusive), so any later output can cite exactly where it came from.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "Analysis",
    "Article",
    "DateRef",
    "Entity",
    "Mention",
    "Quantity",
    "Quote",
    "RawDocument",
    "Span",
    "content_hash",
]


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


@dataclass(slots=True)
class Mention:
    """A named mention of an entity (person, organisation, place, group) in one article."""

    start: int
    end: int
    text: str
    label: str  # PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, ...
    entity: str | None = None  # id of the Entity this mention refers to


@dataclass(slots=True)
class Entity:
    """One real-world thing, with every surface form it was mentioned by."""

    id: str
    name: str
    label: str
    variants: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "label": self.label,
            "variants": list(self.variants),
            "articles": list(self.articles),
        }


@dataclass(slots=True)
class Quote:
    """Something someone said, directly (in quotation marks or after a dialogue dash) or reported."""

    start: int
    end: int
    text: str
    direct: bool
    speaker: str | None = None  # the speaker as written where it resolves, e.g. "Stoltenberg"
    entity: str | None = None  # the speaker's entity id; None for unnamed or unresolved speakers
    cue: str | None = None  # lemma of the cue, e.g. "say", "warn", "according to"
    unnamed: bool = False  # "a senior official", "a European source"
    speaker_start: int | None = None  # where the speaker is named (or referred to) in the text
    speaker_end: int | None = None


@dataclass(slots=True)
class Quantity:
    """A number with what it counts or measures, value normalised, approximation kept."""

    start: int
    end: int
    text: str
    value: float | None
    unit: str | None  # what is counted or measured: "soldiers", "troops", "euros", "percent"
    approximate: str | None = None  # "about", "more than", "at least", "up to", ...
    predicate: str | None = None  # what happened to what is counted, as a lemma: "destroy" (14 homes destroyed)


@dataclass(slots=True)
class DateRef:
    """A date or time expression, resolved against the article's publication date where possible."""

    start: int
    end: int
    text: str
    value: str | None  # ISO 8601: "2022-01-12", "2022-01", "2021"; None when it cannot be resolved
    granularity: str | None = None  # "day", "week", "month", "year", "time"


@dataclass(slots=True)
class Analysis:
    """Everything the per-article analysis found, as spans into `Article.text`."""

    article: str  # the article id
    text: str
    language: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    dates: list[DateRef] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The `analyze` contract record for one article (plus language and warnings)."""
        return {
            "id": self.article,
            "language": self.language,
            "text": self.text,
            "entities": [
                {"text": m.text, "start": m.start, "end": m.end, "label": m.label, "entity": m.entity}
                for m in self.mentions
            ],
            "quotes": [
                {
                    "text": q.text,
                    "start": q.start,
                    "end": q.end,
                    "direct": q.direct,
                    "speaker": {"text": q.speaker, "entity": q.entity, "start": q.speaker_start, "end": q.speaker_end},
                    "cue": q.cue,
                    "unnamed": q.unnamed,
                }
                for q in self.quotes
            ],
            "quantities": [
                {
                    "text": q.text,
                    "start": q.start,
                    "end": q.end,
                    "value": q.value,
                    "unit": q.unit,
                    "approximate": q.approximate,
                    "predicate": q.predicate,
                }
                for q in self.quantities
            ],
            "dates": [
                {"text": d.text, "start": d.start, "end": d.end, "value": d.value, "granularity": d.granularity}
                for d in self.dates
            ],
            "warnings": list(self.warnings),
        }
