"""Cluster a batch of analysed articles: features, time order, stories, storylines, copies.

The clusterer itself is incremental (`StoryClusterer.add`); this module feeds it
articles in publication order and collects the assignments.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice

from ..model import Analysis, Article
from .features import ArticleFeatures, Embedder, features_of, mention_counts
from .stories import StoryAssignment, StoryClusterer, StorySettings

__all__ = ["cluster_articles", "iter_features", "time_order"]

EMBED_BATCH = 64


def iter_features(pairs: Iterable[tuple[Article, Analysis | None]]) -> Iterator[tuple[ArticleFeatures, object]]:
    """Features (and entity-mention counts) per article, embedding in batches."""
    embedder = Embedder()
    iterator = iter(pairs)
    while batch := list(islice(iterator, EMBED_BATCH)):
        vectors = embedder.embed_articles([article for article, _ in batch])
        for (article, analysis), vector in zip(batch, vectors, strict=True):
            yield features_of(article, analysis, vector), mention_counts(analysis)


def time_order(features: list[ArticleFeatures]) -> list[int]:
    """Indexes in publication order; undated articles after the dated ones, in input order."""
    return sorted(range(len(features)), key=lambda i: (features[i].published or date.max, i))


def cluster_articles(
    pairs: Iterable[tuple[Article, Analysis | None]], settings: StorySettings | None = None
) -> list[StoryAssignment]:
    """Stories and storylines for articles, processed in publication order (undated ones in input
    order, after the dated ones they follow); returns assignments in input order."""
    items = list(iter_features(pairs))
    order = time_order([features for features, _ in items])
    clusterer = StoryClusterer(settings)
    assigned: dict[int, StoryAssignment] = {}
    for i in order:
        features, counts = items[i]
        assigned[i] = clusterer.add(features, counts)  # type: ignore[arg-type]
    for assignment in assigned.values():  # stories and storylines may have merged after an article was placed
        assignment.story = clusterer.story_of(assignment.story)
        assignment.storyline = clusterer.storyline(assignment.story)
    return [assigned[i] for i in range(len(items))]
