"""Group articles into stories (one real-world event each) and stories into storylines, online.

Articles arrive in time order. Each is compared only with the stories of its
nearest neighbours in an approximate-nearest-neighbour index (usearch), inside
a time window, so the cost of adding one article stays flat as the corpus grows.
Topical similarity alone merges look-alike events (two earthquakes), so the
score also weighs who is involved, which years and figures are mentioned, and
how far apart in time the reports are. Weights and thresholds are set on the
ECB+ and MEANTIME development sets (see `newsdesk eval stories`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from usearch.index import Index

from .copies import CopyDetector, CopyLink
from .features import ArticleFeatures

__all__ = ["StoryAssignment", "StoryClusterer", "StorySettings"]

DIM = 512
_YEAR = re.compile(r"^(19[5-9]\d|20[0-4]\d)")


@dataclass(slots=True)
class StorySettings:
    """Weights and thresholds of the story score (tuned on the dev sets, never per corpus)."""

    threshold: float = 0.9  # score needed to join an existing story
    entity_weight: float = 0.7  # cosine of entity-mention counts
    year_weight: float = 0.2  # bonus for a shared year, penalty for disjoint years
    number_weight: float = 0.1  # bonus for a shared figure
    person_weight: float = 0.3  # bonus for shared main people, penalty for different ones
    story_days: int = 7  # an event's reports come within this many days of each other
    storyline_days: int = 60
    storyline_similarity: float = 0.55  # centroid cosine for two stories of one storyline
    storyline_entities: float = 0.3  # and entity cosine
    neighbours: int = 16
    keep_days: int = 90  # once the index is full, articles older than this (behind the newest) leave it
    keep_articles: int = 50_000  # the index never evicts below this many articles
    max_keys: int = 64  # entity keys kept per story summary


@dataclass(slots=True)
class StoryAssignment:
    """Where one article went."""

    article: str
    story: str
    storyline: str
    copy: CopyLink | None = None
    score: float | None = None


@dataclass(slots=True)
class _Story:
    id: str
    total: np.ndarray
    count: int = 0
    entities: Counter[tuple[str, str]] = field(default_factory=Counter)
    persons: Counter[str] = field(default_factory=Counter)
    years: Counter[str] = field(default_factory=Counter)
    numbers: set[str] = field(default_factory=set)
    first: date | None = None
    last: date | None = None

    @property
    def centroid(self) -> np.ndarray:
        norm = float(np.linalg.norm(self.total))
        return self.total / norm if norm else self.total


class StoryClusterer:
    """Online story and storyline clustering with copy and translation detection."""

    def __init__(self, settings: StorySettings | None = None) -> None:
        self.settings = settings or StorySettings()
        self._index = _WindowedIndex()
        self._keys: dict[int, tuple[ArticleFeatures, str]] = {}  # index key -> (features, story)
        self._by_id: dict[str, int] = {}
        self._stories: dict[str, _Story] = {}
        self._storyline: dict[str, str] = {}  # union-find parents over story ids
        self._copies = CopyDetector()
        self._next_key = 0
        self._newest: date | None = None

    def add(self, features: ArticleFeatures, mentions: Counter[tuple[str, str]] | None = None) -> StoryAssignment:
        """Assign one article (features plus its entity-mention counts) to a story."""
        neighbours = self._neighbours(features)
        link = self._copies.add(features, [(f, s) for f, s, _ in neighbours])
        mentions = mentions or Counter()
        if link is not None and link.original in self._by_id:
            story = self._keys[self._by_id[link.original]][1]
            score = None
        else:
            story, score = self._best_story(features, mentions, neighbours)
        if story is None:
            story = self._new_story(features)
        self._remember(features, mentions, story)
        self._link_storyline(story)
        assignment = StoryAssignment(features.id, story, self.storyline(story), link, score)
        self._evict(keep=story)
        return assignment

    def restore(
        self,
        features: ArticleFeatures,
        mentions: Counter[tuple[str, str]],
        story: str,
        storyline: str,
        minhash: np.ndarray | None = None,
        original: str | None = None,
    ) -> None:
        """Put back an article clustered in an earlier run, without re-deciding its story."""
        if story not in self._stories:
            self._stories[story] = _Story(story, np.zeros(DIM, dtype=np.float32))
        self._storyline.setdefault(story, story)
        root = self.storyline(storyline) if storyline in self._storyline else storyline
        self._storyline.setdefault(root, root)
        if self.storyline(story) != root:
            self._storyline[self.storyline(story)] = root
        self._copies.remember(features, minhash, original)
        self._remember(features, mentions, story)

    def story_ids(self) -> list[str]:
        """Stories held in memory (those of the current time window)."""
        return list(self._stories)

    def minhash_values(self, article: str) -> np.ndarray | None:
        """The article's MinHash signature, for storing with its features."""
        return self._copies.minhash_values(article)

    def storyline(self, story: str) -> str:
        """The storyline a story belongs to (the id of its earliest story)."""
        root = story
        while self._storyline.get(root, root) != root:
            root = self._storyline[root]
        while self._storyline.get(story, story) != root:  # path compression
            self._storyline[story], story = root, self._storyline[story]
        return root

    def _neighbours(self, features: ArticleFeatures) -> list[tuple[ArticleFeatures, float, str]]:
        found = []
        window = self.settings.story_days
        for key, distance in self._index.search(features.vector, features.published, window, self.settings.neighbours):
            item = self._keys.get(int(key))
            if item is not None:
                found.append((item[0], 1.0 - float(distance), item[1]))
        return found

    def _best_story(
        self, features: ArticleFeatures, mentions: Counter[tuple[str, str]], neighbours: list
    ) -> tuple[str | None, float | None]:
        best, best_score = None, None
        for story_id in dict.fromkeys(story for _, _, story in neighbours):
            story = self._stories.get(story_id)
            if story is None or not self._in_window(features.published, story, self.settings.story_days):
                continue
            score = self._score(features, mentions, story)
            if best_score is None or score > best_score:
                best, best_score = story_id, score
        if best_score is not None and best_score >= self.settings.threshold:
            return best, best_score
        return None, best_score

    def _score(self, features: ArticleFeatures, mentions: Counter[tuple[str, str]], story: _Story) -> float:
        s = self.settings
        score = float(features.vector @ story.centroid) + s.entity_weight * _count_cosine(mentions, story.entities)
        years = _years(features)
        if years and story.years:
            score += s.year_weight if years & set(story.years) else -s.year_weight
        if features.numbers and story.numbers and features.numbers & story.numbers:
            score += s.number_weight
        persons = {k for (label, k), _ in mentions.most_common() if label == "PERSON"}
        main = {k for k, _ in story.persons.most_common(5)}
        if persons and main:
            score += s.person_weight if persons & main else -s.person_weight
        return score

    def _in_window(self, published: date | None, story: _Story, days: int) -> bool:
        if published is None or story.first is None or story.last is None:
            return True
        return (story.first - published).days <= days and (published - story.last).days <= days

    def _new_story(self, features: ArticleFeatures) -> str:
        story_id = f"story-{features.id}"
        self._stories[story_id] = _Story(story_id, np.zeros(DIM, dtype=np.float32))
        self._storyline[story_id] = story_id
        return story_id

    def _remember(self, features: ArticleFeatures, mentions: Counter[tuple[str, str]], story_id: str) -> None:
        story = self._stories[story_id]
        story.total += features.vector
        story.count += 1
        story.entities.update(mentions)
        story.persons.update({k: n for (label, k), n in mentions.items() if label == "PERSON"})
        story.years.update(_years(features))
        story.numbers |= set(list(features.numbers)[: self.settings.max_keys])
        if len(story.entities) > self.settings.max_keys:  # bounded summaries: keep the frequent names
            story.entities = Counter(dict(story.entities.most_common(self.settings.max_keys)))
        if features.published:
            story.first = min(filter(None, (story.first, features.published)))
            story.last = max(filter(None, (story.last, features.published)))
            self._newest = max(filter(None, (self._newest, features.published)))
        key = self._next_key
        self._next_key += 1
        self._index.add(key, features.vector, features.published)
        self._keys[key] = (features, story_id)
        self._by_id[features.id] = key

    def _link_storyline(self, story_id: str) -> None:
        """Join this story's storyline with a related earlier story's: close in topic and names, weeks apart."""
        story = self._stories[story_id]
        if story.count > 1 and story.count not in (2, 4, 8, 16, 32):
            return  # re-examine a growing story now and then, not on every article
        around = story.last or story.first
        days = self.settings.storyline_days
        for key, _distance in self._index.search(story.centroid, around, days, self.settings.neighbours):
            item = self._keys.get(int(key))
            if item is None or item[1] == story_id:
                continue
            other = self._stories.get(item[1])
            if other is None or self.storyline(other.id) == self.storyline(story_id):
                continue
            if not self._in_window(story.last, other, self.settings.storyline_days):
                continue
            topical = float(story.centroid @ other.centroid)
            names = _count_cosine(story.entities, other.entities)
            if topical >= self.settings.storyline_similarity and names >= self.settings.storyline_entities:
                early, late = sorted((self.storyline(other.id), self.storyline(story_id)), key=self._story_age)
                self._storyline[late] = early

    def _story_age(self, story_id: str) -> tuple[date, str]:
        story = self._stories.get(story_id)
        return ((story.first if story and story.first else date.max), story_id)

    def _evict(self, keep: str) -> None:
        """Forget months far behind the newest article, so memory stays bounded on endless streams."""
        if self._newest is None or self._next_key % 256 or len(self._keys) < self.settings.keep_articles:
            return
        for key in self._index.drop_before(self._newest - timedelta(days=self.settings.keep_days)):
            features, _story = self._keys.pop(key)
            self._by_id.pop(features.id, None)
            self._copies.forget(features.id)
        for story_id, story in list(self._stories.items()):
            if story_id != keep and story.last and (self._newest - story.last).days > self.settings.keep_days:
                del self._stories[story_id]


class _WindowedIndex:
    """One ANN index per month of publication (plus one for undated articles): a search looks only
    at the months its time window touches, so its cost does not grow with the years behind it."""

    def __init__(self) -> None:
        self._months: dict[int | None, Index] = {}

    def add(self, key: int, vector: np.ndarray, published: date | None) -> None:
        month = _month(published)
        if month not in self._months:
            self._months[month] = Index(ndim=DIM, metric="cos", dtype="f16")
        self._months[month].add(key, vector)

    def search(self, vector: np.ndarray, around: date | None, days: int, k: int) -> list[tuple[int, float]]:
        if around is None:
            months = list(self._months)
        else:
            first, last = _month(around - timedelta(days=days)), _month(around + timedelta(days=days))
            months = [m for m in self._months if m is None or first <= m <= last]
        found: list[tuple[int, float]] = []
        for month in months:
            index = self._months[month]
            if len(index):
                matches = index.search(vector, min(k, len(index)))
                found.extend((int(key), float(d)) for key, d in zip(matches.keys, matches.distances, strict=False))
        return sorted(found, key=lambda item: item[1])[:k]

    def drop_before(self, cutoff: date) -> list[int]:
        """Remove whole months older than the cutoff; returns the keys that went."""
        gone: list[int] = []
        for month in [m for m in self._months if m is not None and m < _month(cutoff)]:
            index = self._months.pop(month)
            gone.extend(int(key) for key in index.keys)
        return gone


def _month(day: date | None) -> int | None:
    return None if day is None else day.year * 12 + day.month - 1


def _years(features: ArticleFeatures) -> set[str]:
    years = {d[:4] for d in features.dates if _YEAR.match(d)}
    if features.published:
        years.add(str(features.published.year))
    return years


def _count_cosine(a: Counter, b: Counter) -> float:
    """Cosine of square-rooted counts: shared names matter, repetition less so."""
    if not a or not b:
        return 0.0
    dot = sum((a[k] * b[k]) ** 0.5 for k in a.keys() & b.keys())
    norm = (sum(a.values()) * sum(b.values())) ** 0.5
    return dot / norm if norm else 0.0
