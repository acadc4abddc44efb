"""Write a brief for people: JSON for tools, Markdown for terminals and GitHub, HTML for browsers.

Each renderer takes the whole `{"stories": [...]}` brief and `texts`, a mapping from article
id to that article's cleaned text, from which the cited snippets are cut.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from newsdesk.report.html import render_html
from newsdesk.report.markdown import render_markdown

__all__ = ["render_html", "render_json", "render_markdown"]


def render_json(brief: Mapping[str, Any], texts: Mapping[str, str] | None = None) -> str:
    """The brief as JSON; `texts` is accepted only so all three renderers share one call shape."""
    return json.dumps(brief, ensure_ascii=False, indent=2)
