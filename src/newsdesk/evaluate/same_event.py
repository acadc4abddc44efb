"""Fit and check the same-event model (`linking/same_event.pkl`) on the dev data.

Examples come from replaying each corpus as a stream, in time order (undated last), with
its gold stories (teacher forcing): every story the clusterer would consider for an arriving
article (its nearest neighbours' stories within the time window, plus its gold story) is one
example, its evidence computed exactly as the clusterer computes it, against that story's
core and with the stream's name and word frequencies as they stand. Three corpora, so that
none of their shortcuts carries the model, each weighing the same in the fit:

- ECB+ topics 1-35: two look-alike events per topic (the hard negatives); gold events cut at
  week-long gaps (`split_at_gaps`).
- MEANTIME (airbus, en/es/it/nl): one story is four translations.
- SemEval-2022 Task 8: ten languages, one news period, no dates; its rated pairs (Overall
  <= 1.5 same story, >= 3.5 different) are the examples, the later article against the story
  of the earlier one (stories: the same-story pairs, joined).
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..linking.copies import minhash_of
from ..linking.features import ArticleFeatures
from ..linking.pipeline import time_order
from ..linking.same_event import EVIDENCE, FEATURE_NAMES
from ..linking.stories import StoryClusterer
from .streams import RatedPair

__all__ = [
    "Examples",
    "fit_classifier",
    "pair_components",
    "rated_examples",
    "replay_examples",
    "same_story_groups",
    "save_model",
]


@dataclass(slots=True)
class Examples:
    """Evidence rows of one corpus and their labels, each with the half (0/1) of the article it was
    made for, so a model can be fitted on one half and checked on the other."""

    name: str
    rows: list[list[float]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    halves: list[int] = field(default_factory=list)

    def add(self, row: list[float], label: bool, half: int) -> None:
        self.rows.append(row)
        self.labels.append(int(label))
        self.halves.append(half)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        return np.asarray(self.rows, dtype=np.float64).reshape(-1, len(FEATURE_NAMES)), np.asarray(self.labels)

    def subset(self, keep: Iterable[bool]) -> Examples:
        out = Examples(self.name)
        for row, label, half, k in zip(self.rows, self.labels, self.halves, keep, strict=True):
            if k:
                out.add(row, bool(label), half)
        return out


class _Unscored:
    """Stands in for the model while examples are made: only the evidence is wanted."""

    def probabilities(self, rows: Sequence[Sequence[float]]) -> np.ndarray:
        return np.zeros(len(rows))


class _Replay:
    """A corpus replayed as a stream with its gold stories (teacher forcing): iterating yields each
    arriving article, before it is placed, with the story its gold event has so far (or None)."""

    def __init__(self, items: Sequence[ArticleFeatures], gold: Sequence[str]) -> None:
        self.items, self.gold = items, gold
        self.clusterer = StoryClusterer(model=_Unscored())  # type: ignore[arg-type]
        self._story_of_gold: dict[str, str] = {}

    def story(self, label: str) -> str | None:
        return self._story_of_gold.get(label)

    def __iter__(self) -> Iterator[tuple[int, ArticleFeatures, str | None]]:
        for i in time_order(list(self.items)):
            features = self.items[i]
            if features.minhash is None:
                features.minhash = minhash_of(features)
            target = self.story(self.gold[i])
            yield i, features, target
            self._story_of_gold[self.gold[i]] = self.clusterer.assign(features, features.mentions, target).story


def replay_examples(
    name: str, items: Sequence[ArticleFeatures], gold: Sequence[str], halves: Sequence[int] | None = None
) -> Examples:
    """Examples of a gold-clustered corpus: each arriving article against every story the clusterer
    would consider (its nearest neighbours' stories in the time window), and its gold story."""
    examples = Examples(name)
    replay = _Replay(items, gold)
    for i, features, target in replay:
        for candidate in replay.clusterer.candidates(features, extra=[target] if target else []):
            examples.add(candidate.evidence, candidate.story == target, halves[i] if halves else 0)
    return examples


def rated_examples(
    name: str,
    items: Sequence[ArticleFeatures],
    rated: Sequence[RatedPair],
    gold: Sequence[str],
    halves: Sequence[int] | None = None,
) -> Examples:
    """Examples of a rated stream, replayed with its `gold` stories (`same_story_groups`): when the
    later article of a rated pair arrives, its evidence against the story of the earlier one,
    labelled by the rating."""
    position = {features.id: k for k, features in enumerate(items)}
    order = {k: n for n, k in enumerate(time_order(list(items)))}
    due: dict[int, list[tuple[int, bool]]] = {}
    for pair in rated:
        if pair.first in position and pair.second in position:
            a, b = position[pair.first], position[pair.second]
            later, earlier = (a, b) if order[a] > order[b] else (b, a)
            due.setdefault(later, []).append((earlier, pair.same))
    examples = Examples(name)
    replay = _Replay(items, gold)
    for k, features, _ in replay:
        for earlier, same in due.get(k, []):
            story = replay.story(gold[earlier])
            for candidate in replay.clusterer.candidates(features, neighbours=[], extra=[story] if story else []):
                examples.add(candidate.evidence, same, halves[k] if halves else 0)
    return examples


def same_story_groups(ids: Sequence[str], rated: Sequence[RatedPair]) -> list[str]:
    """Gold stories of a rated stream as far as the ratings tell: articles rated the same story
    joined (transitively), every other article alone."""
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair in rated:
        if pair.same and pair.first in parent and pair.second in parent:
            a, b = find(pair.first), find(pair.second)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return [find(i) for i in ids]


def fit_classifier(sets: Sequence[Examples], seed: int = 0) -> Any:
    """A small gradient-boosted classifier over the EVIDENCE, monotone where the evidence is, each
    corpus weighing the same in total (so no corpus's quirks dominate). Deterministic."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    x = np.vstack([s.arrays()[0] for s in sets if s.rows])
    y = np.concatenate([s.arrays()[1] for s in sets if s.rows])
    weights = np.concatenate([np.full(len(s.rows), 1.0 / len(s.rows)) for s in sets if s.rows])
    weights *= len(weights) / weights.sum()
    classifier = HistGradientBoostingClassifier(
        max_iter=150,
        learning_rate=0.05,
        max_depth=3,  # shallow trees: interactions of a few pieces of evidence, better calibrated
        min_samples_leaf=40,
        l2_regularization=1.0,
        monotonic_cst=[EVIDENCE[f][1] for f in FEATURE_NAMES],
        early_stopping=False,
        random_state=seed,
    )
    classifier.fit(x, y, sample_weight=weights)
    return classifier


def save_model(classifier: Any, path: Path, meta: dict[str, Any]) -> str:
    """Write the model file the clusterer loads; returns its sha256."""
    data = pickle.dumps({"features": list(FEATURE_NAMES), "classifier": classifier, "meta": meta}, protocol=4)
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def pair_components(rated: Sequence[RatedPair]) -> dict[str, str]:
    """Connected components of the pair graph (an article rated with two others ties them), so a
    held-out check never sees one article on both sides. Machine-translated copies ("123de") go
    with their original."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for pair in rated:
        a, b = find(_base(pair.first)), find(_base(pair.second))
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {x: find(_base(x)) for pair in rated for x in (pair.first, pair.second)}


def _base(article_id: str) -> str:
    return article_id.rstrip("abcdefghijklmnopqrstuvwxyz")
