"""Ingest: store extracted articles and keep their annotations up to date, batch by batch.

Articles whose text (or the analysis code) changed since they were annotated
are analysed again; unchanged ones cost one hash comparison.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from datetime import date
from itertools import islice
from typing import TYPE_CHECKING, Any

from .model import Analysis, Article
from .store import IngestReport, Store

if TYPE_CHECKING:
    from .analysis import Analyzer

__all__ = ["BATCH", "StoryLinker", "ingest"]

BATCH = 64  # articles per transaction, and per analysis batch


def ingest(
    articles: Iterable[Article], store: Store, analyzer: Analyzer | None = None, batch: int = BATCH
) -> IngestReport:
    """Write articles (and, with an analyzer, their annotations) to the store."""
    from .analysis.pipeline import ANALYSIS_VERSION

    report = IngestReport()
    linker: StoryLinker | None = None
    if analyzer is not None:  # earlier runs' identities, so the same people keep their ids
        for entity in store.recent_entities():
            analyzer.registry.restore(entity)
        linker = _link_unlinked(store)
    for chunk in _chunks(articles, batch):
        part = store.add_articles(chunk)
        report.added += part.added
        report.updated += part.updated
        report.unchanged += part.unchanged
        if analyzer is None:
            continue
        latest = {a.id: a for a in chunk}
        todo = store.needs_analysis(list(latest), ANALYSIS_VERSION)
        targets = [a for a in latest.values() if a.id in todo]
        if targets:
            analyses = list(analyzer.analyze(targets))
            analyses = [analyzer.resolve(a) for a in analyses]  # after the whole batch: merges included
            linker = linker or StoryLinker(store)
            with store.transaction() as conn:  # annotations and stories commit together, or neither does
                store.save_analyses(analyses, analyzer.registry.entities, ANALYSIS_VERSION, conn)
                store.save_aliases(analyzer.registry.aliases(), conn)
                linker.link(list(zip(targets, analyses, strict=True)), conn)
            report.analyzed += [a.id for a in targets]
    return report


def _link_unlinked(store: Store) -> StoryLinker | None:
    """Give a story to analysed articles that have none (a crash of a version that committed the two
    apart left them so), from their stored annotations; returns the linker it resumed, if any."""
    ids = store.unlinked()
    if not ids:
        return None
    pairs = []
    for article_id in ids:
        article = store.get(article_id)
        analysis = store.get_analysis(article_id, article) if article is not None else None
        if article is not None and analysis is not None:
            pairs.append((article, analysis))
    linker = StoryLinker(store)
    for start in range(0, len(pairs), BATCH):
        linker.link(pairs[start : start + BATCH])
    return linker


class StoryLinker:
    """Keeps the store's stories current: resumes the online clusterer from the stored features of
    recent articles, then places each newly analysed article."""

    def __init__(self, store: Store) -> None:
        from .linking.stories import StoryClusterer
        from .store.linking import load_recent

        self.store = store
        self.clusterer = StoryClusterer()
        with store.engine.connect() as conn:
            for features, mentions, story, storyline, minhash, original, fit in load_recent(
                conn, self.clusterer.settings.keep_days
            ):
                self.clusterer.restore(features, mentions, story, storyline, minhash, original, fit)

    def link(self, pairs: list[tuple[Article, Analysis]], conn: Any = None) -> None:
        """Assign stories in publication order and write them, with storylines, in one transaction
        (the caller's, when `conn` is given)."""
        from .linking.pipeline import iter_features
        from .store.linking import save_assignment, sync_storylines

        items = sorted(iter_features(pairs), key=lambda item: item[0].published or date.max)
        with nullcontext(conn) if conn is not None else self.store.transaction() as conn:
            for features, mentions in items:
                assignment = self.clusterer.add(features, mentions)
                save_assignment(conn, assignment, features, mentions, self.clusterer.minhash_values(features.id))
            sync_storylines(conn, self.clusterer)


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
