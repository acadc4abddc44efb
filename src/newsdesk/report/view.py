"""Turn one story of a brief into plain records with numbered citations.

Markdown and HTML both render from these records, so a citation number means the same
span in every format and the numbering rules live in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = [
    "SNIPPET_CHARS",
    "Cited",
    "Conflict",
    "EntityView",
    "FactView",
    "QuoteView",
    "Reference",
    "SourceView",
    "SpeakerQuotes",
    "StoryView",
    "TimelineEntry",
    "build_story_views",
]

# Long spans are cut here in the references list: enough to recognise the sentence.
SNIPPET_CHARS = 200
# copy_kind values that mean "the same text in another language".
TRANSLATION_KINDS = frozenset({"translation", "translated"})


@dataclass(frozen=True, slots=True)
class Reference:
    """One numbered cited span: where it comes from and what it says."""

    number: int
    anchor: str
    article: str
    outlet: str
    published: str
    snippet: str

    @property
    def tooltip(self) -> str:
        """One line a reader can hover over instead of jumping to the list."""
        return f"{self.outlet}, {self.published}: “{self.snippet}”"


@dataclass(frozen=True, slots=True)
class Cited:
    """A piece of text and the references that support it."""

    text: str
    refs: tuple[Reference, ...] = ()


@dataclass(frozen=True, slots=True)
class Conflict:
    kind: str
    about: str
    sides: tuple[Cited, ...]


@dataclass(frozen=True, slots=True)
class FactView:
    text: str
    refs: tuple[Reference, ...]
    independent_sources: int
    single_source: bool
    speaker: str
    attribution_kind: str
    conflicts: tuple[Conflict, ...]
    attribution_text: str = ""  # the sentence that attributes it, when not the fact's own text


@dataclass(frozen=True, slots=True)
class PositionView:
    """What one actor said, proposed, demanded… : (kind, the facts) pairs."""

    actor: str
    acts: tuple[tuple[str, tuple[Cited, ...]], ...]


@dataclass(frozen=True, slots=True)
class QuoteView:
    text: str
    direct: bool
    refs: tuple[Reference, ...]


@dataclass(frozen=True, slots=True)
class SpeakerQuotes:
    speaker: str
    quotes: tuple[QuoteView, ...]


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    date: str
    text: str
    refs: tuple[Reference, ...]


@dataclass(frozen=True, slots=True)
class EntityView:
    name: str
    label: str
    mentions: int | None
    variants: tuple[str, ...]
    id: str = ""


@dataclass(frozen=True, slots=True)
class SourceView:
    number: int
    anchor: str
    id: str
    title: str
    outlet: str
    published: str
    language: str
    url: str
    relation: str  # "copy of" / "translation of", or "" for an original
    original: SourceView | None = None


@dataclass(slots=True)
class StoryView:
    number: int
    anchor: str
    id: str
    title: str
    article_count: int
    outlet_count: int
    languages: tuple[str, ...]
    date_from: str
    date_to: str
    summary: list[Cited] = field(default_factory=list)
    facts: list[FactView] = field(default_factory=list)
    positions: list[PositionView] = field(default_factory=list)
    quotes: list[SpeakerQuotes] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    entities: list[EntityView] = field(default_factory=list)
    sources: list[SourceView] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)


def build_story_views(brief: Mapping[str, Any], texts: Mapping[str, str]) -> list[StoryView]:
    """Prepare every story of a brief, numbering citations per story in reading order."""
    return [_build_story(number, story, texts) for number, story in enumerate(brief.get("stories") or [], 1)]


def _build_story(number: int, story: Mapping[str, Any], texts: Mapping[str, str]) -> StoryView:
    anchor = f"s{number}"
    sources = _build_sources(anchor, story.get("sources") or [])
    dates = sorted(s.published for s in sources if s.published)
    view = StoryView(
        number=number,
        anchor=anchor,
        id=_text(story.get("id")),
        title=_text(story.get("title")) or _text(story.get("id")) or f"Story {number}",
        article_count=len(story.get("articles") or sources),
        outlet_count=len({s.outlet or s.id for s in sources if not s.relation}),
        languages=tuple(sorted({s.language for s in sources if s.language})),
        date_from=dates[0] if dates else "",
        date_to=dates[-1] if dates else "",
        sources=sources,
    )
    cite = _Citer(anchor, sources, texts)
    # Sections are built in reading order so reference numbers rise down the page.
    view.summary = [Cited(_text(s.get("text")), cite(s.get("sources"))) for s in story.get("summary") or []]
    view.facts = [_build_fact(f, cite) for f in story.get("facts") or []]
    view.positions = _build_positions(story, view.facts)
    view.quotes = _build_quotes(story.get("quotes") or [], cite)
    view.timeline = [
        TimelineEntry(_text(t.get("date")), _text(t.get("text")), cite(t.get("sources")))
        for t in story.get("timeline") or []
    ]
    view.entities = [_build_entity(e) for e in story.get("entities") or []]
    view.references = cite.references
    return view


def _build_sources(story_anchor: str, raw: Iterable[Mapping[str, Any]]) -> list[SourceView]:
    """Number the sources and link each copy or translation to its original."""
    sources: list[SourceView] = []
    copy_of: list[str] = []
    for number, s in enumerate(raw, 1):
        copy_of.append(_text(s.get("copy_of")))
        kind = _text(s.get("copy_kind")).lower()
        url = _text(s.get("url"))
        sources.append(
            SourceView(
                number=number,
                anchor=f"{story_anchor}-src{number}",
                id=_text(s.get("id")),
                title=_text(s.get("title")),
                outlet=_text(s.get("outlet")),
                published=_date(s.get("published")),
                language=_text(s.get("language")),
                # Only web links: a javascript: or data: URL from a feed must never become clickable.
                url=url if url.lower().startswith(("http://", "https://")) else "",
                relation=("translation of" if kind in TRANSLATION_KINDS else "copy of") if copy_of[-1] else "",
            )
        )
    by_id = {s.id: s for s in sources}
    for i, original_id in enumerate(copy_of):
        if original_id:
            # An original outside this story is still named by its id.
            original = by_id.get(original_id) or SourceView(0, "", original_id, "", "", "", "", "", "")
            sources[i] = replace(sources[i], original=original)
    return sources


def _build_fact(fact: Mapping[str, Any], cite: _Citer) -> FactView:
    refs = cite(fact.get("sources"))
    attribution = fact.get("attribution") or {}
    conflicts = tuple(
        Conflict(
            kind=_text(c.get("kind")),
            about=_text(c.get("about")),
            sides=tuple(Cited(_side_text(side), cite(side.get("sources"))) for side in c.get("sides") or []),
        )
        for c in fact.get("conflicts") or []
    )
    independent = fact.get("independent_sources")
    return FactView(
        text=_text(fact.get("text")),
        refs=refs,
        independent_sources=independent if isinstance(independent, int) else len(refs),
        single_source=bool(fact.get("single_source")),
        speaker=_text(attribution.get("speaker")),
        attribution_kind=_text(attribution.get("kind")) or "said",
        conflicts=conflicts,
        attribution_text=_text(attribution.get("text")),
    )


def _build_positions(story: Mapping[str, Any], facts: list[FactView]) -> list[PositionView]:
    """Attributed facts by actor, as the brief's `positions` lists them (citations are the facts').
    Two facts one sentence attributes (the sentence's own fact and one of its clauses') make one line
    with the citations of both: no line of an actor's is printed twice."""
    by_id = {_text(raw.get("id")): view for raw, view in zip(story.get("facts") or [], facts, strict=False)}
    actors: dict[str, list[tuple[str, list[list]]]] = {}  # actor -> [(kind, [[text, refs], ...])]
    lines: dict[tuple[str, str], list] = {}  # (actor, text) -> its [text, refs]
    for position in story.get("positions") or []:
        actor, kind = _text(position.get("actor")) or "?", _text(position.get("kind"))
        items: list[list] = []
        for view in (by_id[i] for i in map(_text, position.get("facts") or []) if i in by_id):
            text = view.attribution_text or view.text
            line = lines.get((actor, text))
            if line is not None:
                line[1] = tuple(dict.fromkeys((*line[1], *view.refs)))
                continue
            lines[(actor, text)] = line = [text, view.refs]
            items.append(line)
        if items:
            actors.setdefault(actor, []).append((kind, items))
    return [
        PositionView(actor, tuple((kind, tuple(Cited(t, r) for t, r in items)) for kind, items in acts))
        for actor, acts in actors.items()
    ]


def _build_quotes(quotes: Iterable[Mapping[str, Any]], cite: _Citer) -> list[SpeakerQuotes]:
    """Group quotes by speaker, keeping the brief's order of speakers and of quotes."""
    groups: dict[str, list[QuoteView]] = {}
    for q in quotes:
        speaker = _text(q.get("speaker")) or "Unattributed"
        groups.setdefault(speaker, []).append(QuoteView(_text(q.get("text")), bool(q.get("direct", True)), cite([q])))
    return [SpeakerQuotes(speaker, tuple(items)) for speaker, items in groups.items()]


def _build_entity(entity: Mapping[str, Any]) -> EntityView:
    name = _text(entity.get("name"))
    variants = tuple(v for v in (_text(v) for v in entity.get("variants") or []) if v and v != name)
    mentions = entity.get("mentions")
    mentions = mentions if isinstance(mentions, int) else None
    return EntityView(name, _text(entity.get("label")), mentions, variants, _text(entity.get("id")))


class _Citer:
    """Hands out one reference number per distinct (article, start, end) span."""

    def __init__(self, story_anchor: str, sources: list[SourceView], texts: Mapping[str, str]) -> None:
        self._anchor = story_anchor
        self._sources = {s.id: s for s in sources}
        self._texts = texts
        self._numbers: dict[tuple[str, Any, Any], Reference] = {}
        self.references: list[Reference] = []

    def __call__(self, spans: Iterable[Mapping[str, Any]] | None) -> tuple[Reference, ...]:
        refs: dict[int, Reference] = {}
        for span in spans or []:
            ref = self._reference(span)
            refs.setdefault(ref.number, ref)
        return tuple(sorted(refs.values(), key=lambda r: r.number))

    def _reference(self, span: Mapping[str, Any]) -> Reference:
        article = _text(span.get("article"))
        key = (article, span.get("start"), span.get("end"))
        if key not in self._numbers:
            source = self._sources.get(article)
            number = len(self.references) + 1
            ref = Reference(
                number=number,
                anchor=f"{self._anchor}-ref{number}",
                article=article,
                outlet=(source.outlet if source else "") or _text(span.get("outlet")) or article or "unknown source",
                published=(source.published if source else "") or "undated",
                snippet=_trim(self._snippet(span), SNIPPET_CHARS),
            )
            self._numbers[key] = ref
            self.references.append(ref)
        return self._numbers[key]

    def _snippet(self, span: Mapping[str, Any]) -> str:
        """The cited span from the cleaned text, else the span's own copy, else nothing."""
        text = self._texts.get(_text(span.get("article")))
        start, end = span.get("start"), span.get("end")
        if text is not None and isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text):
            return text[start:end]
        return _text(span.get("text"))


def _side_text(side: Mapping[str, Any]) -> str:
    text = _text(side.get("text")) or _text(side.get("speaker"))
    return text or _text(side.get("value"))


def _text(value: Any) -> str:
    """Any brief value as one line of text: articles carry newlines that break list items."""
    if value is None:
        return ""
    return " ".join(str(value).split())


def _date(value: Any) -> str:
    """The date part of an ISO timestamp; a brief shows days, not seconds."""
    return _text(value)[:10]


def _trim(text: str, limit: int) -> str:
    text = _text(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,;:.") + "…"
