"""Group articles into stories (one real-world event each) and stories into storylines, online.

Articles arrive in time order. Each is compared only with the stories of its
nearest neighbours in an approximate-nearest-neighbour index (usearch), inside
a time window, so the cost of adding one article stays flat as the corpus grows.

Whether an article reports a story's event is asked of the story as a whole: a learned
model (`same_event.SameEventModel`) weighs the evidence of the article against the story's
core (its best-fitting reports, at most `core_size`, summed into a `Profile`, with the nearest
and the farthest member). Later reports join the story but not its core unless they fit
better than its weakest core member, so a story cannot grow one similar neighbour at a time
until it swallows its topic (chaining); two stories merge only when each one's core members
fit the other as strongly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from usearch.index import Index

from .copies import CopyDetector, CopyLink
from .features import ArticleFeatures
from .same_event import Profile, SameEventModel, StreamFrequencies, article_keys, evidence

__all__ = ["Candidate", "StoryAssignment", "StoryClusterer", "StorySettings", "shift"]

DIM = 512


@dataclass(slots=True)
class StorySettings:
    """How articles join stories (set on the dev sets, never per corpus; see `newsdesk eval stories`)."""

    threshold: float = 0.35  # P(same event) against a story's core to join it (held-out sweep: 0.3-0.5)
    merge_threshold: float = 0.8  # an article this likely in two stories whose cores fit each other as well
    core_size: int = 8  # members a story is judged by: its best-fitting reports
    story_days: int = 7  # an event's reports come within days of each other; the gap itself is a feature
    storyline_days: int = 60
    storyline_similarity: float = 0.55  # centroid cosine for two stories of one storyline
    storyline_entities: float = 0.3  # and entity cosine
    neighbours: int = 16
    frequency_window: int = 5000  # name and term frequencies are those of the stream's latest articles
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
    merged: list[str] = field(default_factory=list)  # earlier stories this article showed to be this one
    fit: float | None = None  # how well it fits its story (None for copies, which never join its core)


@dataclass(slots=True)
class _Story:
    id: str
    total: np.ndarray
    count: int = 0
    entities: Counter[tuple[str, str]] = field(default_factory=Counter)
    languages: set[str] = field(default_factory=set)
    core: list[tuple[float, int]] = field(default_factory=list)  # (fit, index key) of its best-fitting reports
    first: date | None = None
    last: date | None = None

    @property
    def centroid(self) -> np.ndarray:
        norm = float(np.linalg.norm(self.total))
        return self.total / norm if norm else self.total


@dataclass(slots=True)
class Candidate:
    """A story an article could join, with the evidence and the model's P(same event)."""

    story: str
    evidence: list[float]
    probability: float = 0.0


class StoryClusterer:
    """Online story and storyline clustering with copy and translation detection."""

    def __init__(self, settings: StorySettings | None = None, model: SameEventModel | None = None) -> None:
        self.settings = settings or StorySettings()
        self.model = model or SameEventModel()
        self._index = _WindowedIndex()
        self._keys: dict[int, tuple[ArticleFeatures, str]] = {}  # index key -> (features, story)
        self._by_id: dict[str, int] = {}
        self._stories: dict[str, _Story] = {}
        self._storyline: dict[str, str] = {}  # union-find parents over story ids
        self._merged: dict[str, str] = {}  # merged-away story -> the story it joined
        self._copies = CopyDetector()
        self._frequencies = StreamFrequencies(self.settings.frequency_window)
        self._profiles: dict[str, tuple[tuple[int, ...], Profile]] = {}  # story -> (core keys, profile)
        self._next_key = 0
        self._newest: date | None = None

    def add(self, features: ArticleFeatures, mentions: Counter[tuple[str, str]] | None = None) -> StoryAssignment:
        """Assign one article (features, with its entity-mention counts) to a story."""
        if mentions is not None:
            features.mentions = mentions
        neighbours = self._neighbours(features)
        link = self._copies.add(features, [(f, s) for f, s, _ in neighbours])
        features.minhash = self._copies.minhash_values(features.id)
        # the MinHash stands for the 5-grams from here on; kept, they would be most of the memory an
        # article holds while in the window (a long text has thousands)
        features.shingles = frozenset()
        score, merged, fit = None, [], 1.0
        if link is not None and link.original in self._by_id:
            story: str | None = self.story_of(self._keys[self._by_id[link.original]][1])
            fit = link.similarity if link.kind == "translation" else None  # a translation brings new words
        else:
            found = sorted(
                (c for c in self.candidates(features, neighbours) if c.probability >= self.settings.threshold),
                key=lambda c: (-c.probability, c.story),
            )
            story = None
            if found:
                story, score = found[0].story, found[0].probability
                fit = score
                if score >= self.settings.merge_threshold:
                    merged = [
                        c.story
                        for c in found[1:]
                        if c.probability >= self.settings.merge_threshold
                        and self.linkage(story, c.story) >= self.settings.merge_threshold
                    ]
        if story is not None and merged:
            story, merged = self._merge_stories([story, *merged])
        assignment = self.assign(features, features.mentions, story, link, score, fit)
        assignment.merged = merged
        return assignment

    def story_of(self, story: str) -> str:
        """The current id of a story that may since have been merged into another."""
        root = story
        while root in self._merged:
            root = self._merged[root]
        while story != root:  # path compression
            self._merged[story], story = root, self._merged[story]
        return root

    def candidates(
        self,
        features: ArticleFeatures,
        neighbours: list[tuple[ArticleFeatures, float, str]] | None = None,
        extra: Iterable[str] = (),
    ) -> list[Candidate]:
        """The stories of the article's nearest neighbours within the time window (and any `extra`
        stories), with the evidence against each one's core and the model's probability."""
        if neighbours is None:
            neighbours = self._neighbours(features)
        found: dict[str, Candidate] = {}
        for story_id in [*(story for _, _, story in neighbours), *extra]:
            story = self._stories.get(story_id)
            if story_id in found or story is None:
                continue
            profile = self.profile(story_id)
            if profile is not None and self._in_window(features.published, story, self.settings.story_days):
                found[story_id] = Candidate(story_id, evidence(features, profile, self._frequencies))
        rows = [c.evidence for c in found.values()]
        for candidate, p in zip(found.values(), self.model.probabilities(rows), strict=True):
            candidate.probability = float(p)
        return list(found.values())

    def profile(self, story_id: str) -> Profile | None:
        """The summed core of a story (rebuilt only when the core changes); None once every core
        member has left the time window."""
        keys = self._core_keys(story_id)
        if not keys:
            return None
        cached = self._profiles.get(story_id)
        if cached is None or cached[0] != keys:
            cached = (keys, Profile.of([self._keys[key][0] for key in keys]))
            self._profiles[story_id] = cached
        return cached[1]

    def linkage(self, a: str, b: str) -> float:
        """How well two stories fit each other: mean P(same event) of each one's core members
        against the other's profile."""
        rows = []
        for one, other in ((a, b), (b, a)):
            profile = self.profile(other)
            if profile is not None:
                rows += [evidence(member, profile, self._frequencies) for member in self._core(one)]
        return float(np.mean(self.model.probabilities(rows))) if rows else 0.0

    def _core(self, story_id: str) -> list[ArticleFeatures]:
        return [self._keys[key][0] for key in self._core_keys(story_id)]

    def _core_keys(self, story_id: str) -> tuple[int, ...]:
        """Index keys of the story's core members still in the window."""
        return tuple(key for _, key in self._stories[story_id].core if key in self._keys)

    def assign(
        self,
        features: ArticleFeatures,
        mentions: Counter[tuple[str, str]],
        story: str | None,
        link: CopyLink | None = None,
        score: float | None = None,
        fit: float | None = 1.0,
    ) -> StoryAssignment:
        """Put the article in the given story (None: a new one) and update the summaries."""
        if story is None:
            story = self._new_story(features)
        features.mentions = mentions
        self._remember(features, story, fit)
        self._link_storyline(story)
        assignment = StoryAssignment(features.id, story, self.storyline(story), link, score, fit=fit)
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
        fit: float | None = 1.0,
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
        features.minhash = minhash
        features.mentions = mentions
        self._remember(features, story, fit)

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
                found.append((item[0], 1.0 - float(distance), self.story_of(item[1])))
        return found

    def _merge_stories(self, ids: list[str]) -> tuple[str, list[str]]:
        """Fold stories into the earliest of them; returns it and the ids that went."""
        keep = min(ids, key=self._story_age)
        gone = [i for i in ids if i != keep]
        target = self._stories[keep]
        for story_id in gone:
            other = self._stories.pop(story_id)
            self._profiles.pop(story_id, None)
            target.total += other.total
            target.count += other.count
            target.entities.update(other.entities)
            target.languages |= other.languages
            target.core = sorted([*target.core, *other.core], reverse=True)[: self.settings.core_size]
            target.first = min(filter(None, (target.first, other.first)), default=None)
            target.last = max(filter(None, (target.last, other.last)), default=None)
            self._merged[story_id] = keep
            line, own = self.storyline(story_id), self.storyline(keep)
            if line != own:
                early, late = sorted((line, own), key=self._story_age)
                self._storyline[late] = early
            if self.storyline(keep) == story_id:  # a storyline is named after a story that still exists
                self._storyline[story_id] = keep
                self._storyline[keep] = keep
        self._trim(target)
        return keep, gone

    def _in_window(self, published: date | None, story: _Story, days: int) -> bool:
        if published is None or story.first is None or story.last is None:
            return True
        return (story.first - published).days <= days and (published - story.last).days <= days

    def _new_story(self, features: ArticleFeatures) -> str:
        story_id = f"story-{features.id}"
        self._stories[story_id] = _Story(story_id, np.zeros(DIM, dtype=np.float32))
        self._storyline[story_id] = story_id
        return story_id

    def _remember(self, features: ArticleFeatures, story_id: str, fit: float | None) -> None:
        story = self._stories[story_id]
        story.total += features.vector
        story.count += 1
        story.entities.update(features.mentions)
        if features.language:
            story.languages.add(features.language)
        self._frequencies.add(article_keys(features))
        self._trim(story)
        if features.published:
            story.first = min(filter(None, (story.first, features.published)))
            story.last = max(filter(None, (story.last, features.published)))
            self._newest = max(filter(None, (self._newest, features.published)))
        key = self._next_key
        self._next_key += 1
        self._index.add(key, features.vector, features.published)
        self._keys[key] = (features, story_id)
        self._by_id[features.id] = key
        if fit is not None:  # the story is judged by its best-fitting reports; copies add nothing new
            story.core.append((fit, key))
            story.core.sort(key=lambda item: (-item[0], item[1]))
            del story.core[self.settings.core_size :]

    def _trim(self, story: _Story) -> None:
        """Bounded summaries: keep the frequent names."""
        if len(story.entities) > self.settings.max_keys:
            story.entities = Counter(dict(story.entities.most_common(self.settings.max_keys)))

    def _link_storyline(self, story_id: str) -> None:
        """Join this story's storyline with a related earlier story's: close in topic and names, weeks apart."""
        story = self._stories[story_id]
        if story.count > 1 and story.count not in (2, 4, 8, 16, 32):
            return  # re-examine a growing story now and then, not on every article
        around = story.last or story.first
        days = self.settings.storyline_days
        for key, _distance in self._index.search(story.centroid, around, days, self.settings.neighbours):
            item = self._keys.get(int(key))
            if item is None or self.story_of(item[1]) == story_id:
                continue
            other = self._stories.get(self.story_of(item[1]))
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
        for key in self._index.drop_before(shift(self._newest, -self.settings.keep_days)):
            features, _story = self._keys.pop(key)
            self._by_id.pop(features.id, None)
            self._copies.forget(features.id)
        for story_id, story in list(self._stories.items()):
            if story_id != keep and story.last and (self._newest - story.last).days > self.settings.keep_days:
                del self._stories[story_id]
                self._profiles.pop(story_id, None)


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
            first, last = _month(shift(around, -days)), _month(shift(around, days))
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


def shift(day: date, days: int) -> date:
    """`day` moved by `days`, held at the calendar's ends (a report dated 9999-12-31 must not crash)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def _month(day: date | None) -> int | None:
    return None if day is None else day.year * 12 + day.month - 1


def _count_cosine(a: Counter, b: Counter) -> float:
    """Cosine of square-rooted counts: shared names matter, repetition less so."""
    if not a or not b:
        return 0.0
    dot = sum((a[k] * b[k]) ** 0.5 for k in a.keys() & b.keys())
    norm = (sum(a.values()) * sum(b.values())) ** 0.5
    return dot / norm if norm else 0.0
