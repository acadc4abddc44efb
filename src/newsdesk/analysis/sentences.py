"""Sentence lookup and text computed once per document.

spaCy derives `Token.sent` and `Doc.sents` by scanning the whole document on
every access; the components ask thousands of times per article, so the
sentence boundaries are computed once and looked up by bisection.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc, Span

__all__ = ["has_annotation", "sentence_of", "sentences", "text_of"]

_KEY = "newsdesk_sentences"


def sentences(doc: Doc) -> list[Span]:
    """The doc's sentences (cached on the doc)."""
    cached = doc.user_data.get(_KEY)
    if cached is None:
        spans = list(doc.sents) if doc.has_annotation("SENT_START") or len(doc) == 0 else [doc[:]]
        cached = (spans, [s.start for s in spans])
        doc.user_data[_KEY] = cached
    return cached[0]


def sentence_of(doc: Doc, i: int) -> Span:
    """The sentence that holds token `i`."""
    spans = sentences(doc)
    starts = doc.user_data[_KEY][1]
    return spans[max(0, bisect_right(starts, i) - 1)]


def text_of(doc: Doc) -> str:
    """The doc's text; `Doc.text` re-joins every token on each access, so it is cached here."""
    cached = doc.user_data.get("newsdesk_text")
    if cached is None:
        cached = doc.user_data["newsdesk_text"] = doc.text
    return cached


def has_annotation(doc: Doc, attribute: str) -> bool:
    """`Doc.has_annotation`, which scans every token, asked once per document."""
    key = f"newsdesk_has_{attribute}"
    if key not in doc.user_data:
        doc.user_data[key] = doc.has_annotation(attribute)
    return bool(doc.user_data[key])
