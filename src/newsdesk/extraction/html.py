"""Main text and metadata of a web page, by trafilatura, tuned for news bodies.

trafilatura does the hard part (finding the article in the page); newsdesk asks
it for precision and no comments, because its own junk filter then works on
lines, and a missed comment thread costs more than a missed sidebar.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html
from trafilatura import bare_extraction
from trafilatura.settings import set_date_params

__all__ = ["PageText", "fragment_text", "page_text"]

LOGGER = logging.getLogger(__name__)
_DATE_PARAMS = set_date_params(extensive=False)  # meta tags and URL only: the slow scan rarely helps news
_FIGURE_TAGS = re.compile(r"<(/?)(figcaption|figure)\b", re.I)
_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article"}


@dataclass(slots=True)
class PageText:
    """What trafilatura found in one page."""

    text: str
    title: str | None = None
    author: str | None = None
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    hostname: str | None = None


def page_text(html: str, url: str | None = None, precision: bool = True) -> PageText | None:
    """Article body and metadata of a full page, or None when no article is found."""
    try:
        doc = bare_extraction(
            _surface_captions(html),
            url=url,
            favor_precision=precision,
            include_comments=False,
            include_tables=True,
            with_metadata=True,
            date_extraction_params=_DATE_PARAMS,
        )
    except (ValueError, TypeError, RecursionError) as exc:  # trafilatura signals junk pages this way
        LOGGER.debug("trafilatura failed on %s: %s", url, exc)
        doc = None
    if doc is None or not (doc.text or "").strip():
        return None
    page_url = doc.url or url
    return PageText(
        text=doc.text,
        title=_clean(doc.title),
        author=_clean(doc.author),
        published=_clean(doc.date),
        outlet=_clean(doc.sitename),
        url=page_url,
        hostname=doc.hostname or (urlsplit(page_url).hostname if page_url else None),
    )


def fragment_text(html: str) -> str:
    """Plain text of an HTML fragment (a feed entry), one block element per line."""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return html
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
            if element.tag.lower() != "br":
                element.text = "\n" + (element.text or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def _surface_captions(html: str) -> str:
    """Make photo captions ordinary paragraphs: trafilatura drops <figure>, but captions are content."""
    return _FIGURE_TAGS.sub(lambda m: f"<{m.group(1)}{'p' if m.group(2).lower() == 'figcaption' else 'div'}", html)


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(str(value).split())
    return value or None
