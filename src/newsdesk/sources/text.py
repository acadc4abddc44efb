"""Read plain-text articles: the first non-empty line is the title."""

from __future__ import annotations

from ..model import RawDocument

__all__ = ["text_document"]


def text_document(doc_id: str, source: str, text: str) -> RawDocument:
    """A `.txt` article; title is its first non-empty line, kept in the text for the cleaner."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    title = next((line.strip() for line in text.split("\n") if line.strip()), None)
    return RawDocument(id=doc_id, source=source, kind="text", content=text, title=title, title_in_text=True)
