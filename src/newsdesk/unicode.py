"""Strings every output and database takes: no surrogate standing alone."""

from __future__ import annotations

__all__ = ["valid_unicode"]


def valid_unicode(text: str) -> str:
    """The text with surrogates that stand alone replaced by U+FFFD. They come from JSON escapes
    ("\\ud800", valid JSON but not valid Unicode) and from file names that are not UTF-8 (Python
    keeps their bytes as surrogates); UTF-8 output and SQLite refuse them."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text
