"""Render a brief as Markdown that reads in a terminal and on GitHub.

Article text is untrusted: it is escaped so that it cannot open links, images, HTML or
block structure, and every claim ends with numbered citations into a per-story list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from newsdesk.report.view import (
    Cited,
    EntityView,
    FactView,
    PositionView,
    QuoteView,
    Reference,
    SourceView,
    StoryView,
    build_story_views,
)

__all__ = ["escape_markdown", "render_markdown"]

# Characters that could start a link, image, code span or raw HTML anywhere in a line.
_INLINE = {"\\": "\\\\", "[": "\\[", "]": "\\]", "`": "\\`", "<": "&lt;", ">": "&gt;"}
_INLINE_RE = re.compile(r"[\\\[\]`<>]")
# What would turn the start of a line into a heading, quote, list item or rule.
_LEADING_RE = re.compile(r"^([#>*+=|~-]|\d+(?=[.)]))")


def render_markdown(brief: Mapping[str, Any], texts: Mapping[str, str]) -> str:
    """The whole brief as Markdown; `texts` maps article id to its cleaned text for snippets."""
    stories = build_story_views(brief, texts)
    if not stories:
        return "_No stories._\n"
    return "\n---\n\n".join(_story(story) for story in stories)


def escape_markdown(text: str) -> str:
    """Neutralise article text for Markdown, keeping it readable as plain text."""
    text = _INLINE_RE.sub(lambda m: _INLINE[m.group()], text)
    return _LEADING_RE.sub(lambda m: "\\" + m.group() if not m.group().isdigit() else m.group() + "\\", text)


def _story(story: StoryView) -> str:
    blocks = [f"## {escape_markdown(story.title)}", _overview(story)]
    blocks += _section("Summary", ["\n".join(_cited(s) for s in story.summary)])
    blocks += _section("Key facts", ["\n".join(_fact(i, f) for i, f in enumerate(story.facts, 1))])
    blocks += _section("Positions", [_position(p) for p in story.positions])
    blocks += _section("Quotes", [_speaker(group.speaker, group.quotes) for group in story.quotes])
    blocks += _section("Timeline", ["\n".join(_timeline_line(t.date, t.text, t.refs) for t in story.timeline)])
    blocks += _section("Entities", ["\n".join(_entity_line(e) for e in story.entities)])
    blocks += _section("Sources", ["\n".join(_source_line(s) for s in story.sources)])
    blocks += _section("References", ["\n".join(_reference_line(r) for r in story.references)])
    return "\n\n".join(b for b in blocks if b) + "\n"


def _section(heading: str, bodies: list[str]) -> list[str]:
    """A heading and its blocks, or nothing at all when the section would be empty."""
    bodies = [b for b in bodies if b]
    return [f"### {heading}", *bodies] if bodies else []


def _overview(story: StoryView) -> str:
    parts = [
        _plural(story.article_count, "article"),
        _plural(story.outlet_count, "independent outlet"),
        _plural(len(story.languages), "language") + (f" ({', '.join(story.languages)})" if story.languages else ""),
    ]
    if story.date_from:
        span = story.date_from if story.date_from == story.date_to else f"{story.date_from} – {story.date_to}"
        parts.append(span)
    return escape_markdown(" · ".join(parts))


def _fact(rank: int, fact: FactView) -> str:
    lines = [f"{rank}. {_cited(Cited(fact.text, fact.refs))}"]
    notes = [
        "**⚠ single source**"
        if fact.single_source
        else f"**{_plural(fact.independent_sources, 'independent source')}**"
    ]
    if fact.speaker:
        notes.append(f"{fact.attribution_kind} by {escape_markdown(fact.speaker)}")
    lines.append("   - " + " · ".join(notes))
    for conflict in fact.conflicts:
        about = f" over {escape_markdown(conflict.about)}" if conflict.about else ""
        kind = f" ({escape_markdown(conflict.kind)})" if conflict.kind else ""
        sides = " vs ".join(_cited(side) for side in conflict.sides)
        lines.append(f"   - **⚠ conflict{about}**{kind}: {sides}")
    return "\n".join(lines)


def _position(position: PositionView) -> str:
    lines = [f"#### {escape_markdown(position.actor)}", ""]
    for kind, facts in position.acts:
        lines += [f"- {escape_markdown(kind)}: {_cited(fact)}" for fact in facts]
    return "\n".join(lines)


def _speaker(speaker: str, quotes: Iterable[QuoteView]) -> str:
    lines = [f"#### {escape_markdown(speaker)}", ""]
    for quote in quotes:
        text = f"“{escape_markdown(quote.text)}”" if quote.direct else f"(reported) {escape_markdown(quote.text)}"
        lines.append(f"- {text}{_markers(quote.refs)}")
    return "\n".join(lines)


def _timeline_line(date: str, text: str, refs: tuple[Reference, ...]) -> str:
    return f"- {escape_markdown(date) or 'undated'} — {escape_markdown(text)}{_markers(refs)}"


def _entity_line(entity: EntityView) -> str:
    details = [escape_markdown(entity.label)] if entity.label else []
    if entity.mentions is not None:
        details.append(_plural(entity.mentions, "mention"))
    line = f"- **{escape_markdown(entity.name)}**" + (f" ({', '.join(details)})" if details else "")
    if entity.variants:
        line += " — " + ", ".join(escape_markdown(v) for v in entity.variants)
    return line


def _source_line(source: SourceView) -> str:
    facts = [source.outlet or source.id, source.published or "undated", source.language]
    line = f"{source.number}. " + escape_markdown(", ".join(f for f in facts if f))
    if source.title:
        line += f" — {escape_markdown(source.title)}"
    if source.original is not None:
        original = source.original
        name = f"source {original.number}, {original.outlet or original.id}" if original.number else original.id
        line += f" ({source.relation} {escape_markdown(name)})"
    if source.url:
        line += f" — {escape_markdown(source.url)}"
    return line


def _reference_line(ref: Reference) -> str:
    snippet = f": “{escape_markdown(ref.snippet)}”" if ref.snippet else ""
    return f"- [{ref.number}] {escape_markdown(ref.outlet)}, {escape_markdown(ref.published)}{snippet}"


def _cited(item: Cited) -> str:
    return escape_markdown(item.text) + _markers(item.refs)


def _markers(refs: Iterable[Reference]) -> str:
    markers = "".join(f"[{ref.number}]" for ref in refs)
    return f" {markers}" if markers else ""


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
