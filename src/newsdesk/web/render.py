"""HTML for the web pages: one Jinja environment (the web templates plus the brief's own story
partial, so a story reads the same in the app and in `newsdesk brief --format html`) and the
annotated text of an article cut into highlighted segments.

Article text and titles are untrusted: autoescaping is on everywhere, and no template marks a
value safe.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any

import jinja2

from ..model import Analysis
from .paths import quote_id

__all__ = ["Segment", "environment", "render", "segments"]

LAYER_ORDER = ("quote", "entity", "quantity", "date")


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of text under the same annotations."""

    text: str
    layers: tuple[str, ...] = ()  # css classes: quote, entity, quantity, date
    entity: str | None = None  # entity id to link to
    title: str = ""  # what the annotations say, shown on hover

    @property
    def classes(self) -> str:
        return " ".join(f"ann-{layer}" for layer in self.layers)


def segments(text: str, analysis: Analysis | None) -> list[Segment]:
    """The text cut at every annotation boundary; each piece knows which annotations cover it."""
    if analysis is None:
        return [Segment(text)]
    spans: list[tuple[int, int, str, str | None, str]] = []
    for m in analysis.mentions:
        spans.append((m.start, m.end, "entity", m.entity, m.label))
    for q in analysis.quotes:
        who = q.speaker or "unattributed"
        spans.append((q.start, q.end, "quote", None, f"{'quote' if q.direct else 'reported'}: {who}"))
    for n in analysis.quantities:
        spans.append((n.start, n.end, "quantity", None, f"{n.value} {n.unit or ''}".strip()))
    for d in analysis.dates:
        spans.append((d.start, d.end, "date", None, d.value or ""))
    spans = [s for s in spans if 0 <= s[0] < s[1] <= len(text)]
    cuts = sorted({0, len(text), *(s[0] for s in spans), *(s[1] for s in spans)})
    starts: dict[int, list[int]] = {}
    for i, span in enumerate(spans):
        starts.setdefault(span[0], []).append(i)
    out: list[Segment] = []
    active: set[int] = set()
    for left, right in pairwise(cuts):
        active = {i for i in active if spans[i][1] > left} | set(starts.get(left, ()))
        covering = [spans[i] for i in sorted(active)]
        layers = tuple(layer for layer in LAYER_ORDER if any(s[2] == layer for s in covering))
        entity = next((s[3] for s in covering if s[2] == "entity" and s[3]), None)
        title = "; ".join(dict.fromkeys(s[4] for s in covering if s[4]))
        out.append(Segment(text[left:right], layers, entity, title))
    return out


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [jinja2.PackageLoader("newsdesk.web", "templates"), jinja2.PackageLoader("newsdesk.report", "templates")]
        ),
        autoescape=True,  # every template, whatever its suffix
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["paragraphs"] = _paragraphs
    env.filters["segment"] = quote_id  # an id in a link: Jinja's urlencode leaves "/" as it is
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def _paragraphs(items: Iterable[Segment]) -> list[list[Segment]]:
    """Segments regrouped into paragraphs at blank lines, so long articles read as prose."""
    paragraphs: list[list[Segment]] = [[]]
    for segment in items:
        pieces = segment.text.split("\n\n")
        for n, piece in enumerate(pieces):
            if n:
                paragraphs.append([])
            if piece:
                paragraphs[-1].append(Segment(piece, segment.layers, segment.entity, segment.title))
    return [p for p in paragraphs if any(s.text.strip() for s in p)]
