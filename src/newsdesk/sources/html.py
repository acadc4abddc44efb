"""Read HTML pages; the page itself is parsed later by the extractor."""

from __future__ import annotations

import re

from ..errors import InputError
from ..model import RawDocument

__all__ = ["html_document", "looks_like_html"]

_HTML_SNIFF = re.compile(r"<\s*(!doctype\s+html|html|head|body|article|p|div|meta|title)\b", re.I)
_HAS_CONTENT = re.compile(r"<\s*(body|p|div|article|main|section|br|h[1-6]|td|li|span|pre)\b", re.I)


def looks_like_html(text: str) -> bool:
    """True when the first few KB contain a common HTML tag."""
    return bool(_HTML_SNIFF.search(text[:4096]))


def html_document(doc_id: str, source: str, html: str) -> RawDocument:
    """A web page to be cleaned; pages with no content elements at all are rejected here."""
    if not _HAS_CONTENT.search(html):
        raise InputError(source, "HTML has no body or content elements (nothing to extract)")
    return RawDocument(id=doc_id, source=source, kind="html", content=html)
