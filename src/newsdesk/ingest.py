"""Ingest: store extracted articles and keep their annotations up to date, batch by batch.

Articles whose text (or the analysis code) changed since they were annotated
are analysed again; unchanged ones cost one hash comparison.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING

from .model import Article
from .store import IngestReport, Store

if TYPE_CHECKING:
    from .analysis import Analyzer

__all__ = ["BATCH", "ingest"]

BATCH = 64  # articles per transaction, and per analysis batch


def ingest(
    articles: Iterable[Article], store: Store, analyzer: Analyzer | None = None, batch: int = BATCH
) -> IngestReport:
    """Write articles (and, with an analyzer, their annotations) to the store."""
    from .analysis.pipeline import ANALYSIS_VERSION

    report = IngestReport()
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
            store.save_analyses(list(analyzer.analyze(targets)), analyzer.registry.entities, ANALYSIS_VERSION)
            report.analyzed += [a.id for a in targets]
    return report


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
