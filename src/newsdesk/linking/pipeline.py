"""Cluster a batch of analysed articles: features, time order, stories, storylines, copies.

The clusterer itself is incremental (`StoryClusterer.add`); this module feeds it
articles in publication order and collects the assignments.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice

from ..model import Analysis, Article
from .features import ArticleFeatures, Embedder, features_of
from .same_event import SameEventModel
from .stories import StoryAssignment, StoryClusterer, StorySettings

__all__ = ["cluster_articles", "cluster_features", "iter_features", "time_order"]

EMBED_BATCH = 64


def iter_features(pairs: Iterable[tuple[Article, Analysis | None]]) -> Iterator[tuple[ArticleFeatures, object]]:
    """Features (and entity-mention counts) per article, embedding in batches."""
    embedder = Embedder()
    iterator = iter(pairs)
    while batch := list(islice(iterator, EMBED_BATCH)):
        vectors, heads = embedder.embed_leads([article for article, _ in batch])
        for (article, analysis), vector, head in zip(batch, vectors, heads, strict=True):
            features = features_of(article, analysis, vector, head)
            yield features, features.mentions


def time_order(features: list[ArticleFeatures]) -> list[int]:
    """Indexes in publication order; undated articles after the dated ones, in input order."""
    return sorted(range(len(features)), key=lambda i: (features[i].published or date.max, i))


def cluster_articles(
    pairs: Iterable[tuple[Article, Analysis | None]], settings: StorySettings | None = None
) -> list[StoryAssignment]:
    """Stories and storylines for articles, processed in publication order (undated ones in input
    order, after the dated ones they follow); returns assignments in input order."""
    return cluster_features([features for features, _ in iter_features(pairs)], settings)


def cluster_features(
    items: list[ArticleFeatures], settings: StorySettings | None = None, model: SameEventModel | None = None
) -> list[StoryAssignment]:
    """`cluster_articles` for articles whose features are already made."""
    clusterer = StoryClusterer(settings, model)
    assigned: dict[int, StoryAssignment] = {}
    for i in time_order(items):
        assigned[i] = clusterer.add(items[i])
    for assignment in assigned.values():  # stories and storylines may have merged after an article was placed
        assignment.story = clusterer.story_of(assignment.story)
        assignment.storyline = clusterer.storyline(assignment.story)
    return [assigned[i] for i in range(len(items))]
