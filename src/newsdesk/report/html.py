"""Render a brief as one self-contained HTML file a reader can open offline.

Article text is untrusted, so it only ever reaches the page through Jinja with
autoescaping on; the template holds all markup and the CSS, and no script is needed.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import jinja2

from newsdesk.report.view import build_story_views

__all__ = ["render_html"]

TEMPLATE = "brief.html.j2"
# Above this many sources the list starts folded, so a wide story does not bury its references.
FOLD_SOURCES_OVER = 30


def render_html(brief: Mapping[str, Any], texts: Mapping[str, str]) -> str:
    """The whole brief as an HTML page; `texts` maps article id to its cleaned text for snippets."""
    stories = build_story_views(brief, texts)
    title = stories[0].title if len(stories) == 1 else "News brief"
    return (
        _environment()
        .get_template(TEMPLATE)
        .render(page_title=title, stories=stories, fold_sources_over=FOLD_SOURCES_OVER)
    )


@cache
def _environment() -> jinja2.Environment:
    # autoescape=True rather than select_autoescape: the ".j2" suffix would slip past the extension check.
    return jinja2.Environment(
        loader=jinja2.PackageLoader("newsdesk.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
