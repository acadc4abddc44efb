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

import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from usearch.index import Index

from .copies import CopyDetector, CopyLink
from .features import ArticleFeatures

__all__ = ["FEATURES", "Candidate", "StoryAssignment", "StoryClusterer", "StorySettings"]

DIM = 512
_YEAR = re.compile(r"^(19[5-9]\d|20[0-4]\d)")
_PLACES = frozenset({"GPE", "LOC", "FAC"})
_DF_BUCKETS = 1 << 20  # document frequencies by hashed key: 4 MB, whatever the vocabulary

# Logistic-regression weights of the story score, fitted on the ECB+ and MEANTIME dev sets with
# `newsdesk eval stories --fit` (articles added in time order, each scored against the stories
# its nearest neighbours belong to, labelled by whether that story is its gold event).
FEATURES = (
    "centroid_cosine",  # embedding of the lead vs the story's centroid
    "nearest_cosine",  # vs the story's closest article
    "entity_cosine",  # name-mention counts
    "entity_idf",  # which names are shared, weighted by how rare they are in the stream
    "both_have_people",
    "article_person_in_story",  # the article's main person is named in the story
    "story_person_in_article",  # and the story's main person in the article
    "both_have_places",
    "main_place_shared",
    "same_year",  # publication years: +1 same, -1 different, 0 unknown
    "years_mentioned",  # +1 a year mentioned in both, -1 none shared, 0 unknown
    "both_dated",
    "log_days_apart",
    "shared_figures",
    "lead_terms_tfidf",  # content words of the leads, tf-idf cosine
    "new_language",  # no article of the story is in the article's language (its words cannot match)
)
_ENTITY_IDF, _LEAD_TERMS, _CENTROID, _NEW_LANGUAGE = (
    FEATURES.index(f) for f in ("entity_idf", "lead_terms_tfidf", "centroid_cosine", "new_language")
)
WEIGHTS = (
    -4.93, 0.28, 0.32, 2.99, 5.11, -1.18, 0.69, 1.33, -0.67, 1.17, 0.89, 0.35, 2.23, -0.94, 0.25, 4.05, 0.64,
)  # fmt: skip


@dataclass(slots=True)
class StorySettings:
    """How articles join stories (weights and thresholds fitted on the dev sets, never per corpus)."""

    weights: tuple[float, ...] = WEIGHTS  # intercept, then one per FEATURES entry
    threshold: float = 0.2  # probability that the best story is the article's event
    merge_threshold: float = 0.9  # an article this likely in two stories shows they are one event
    undated_threshold: float = 0.8  # an undated article joining a dated story (or the reverse)
    evidence_names: float = 0.03  # a join needs one of: shared rare names (entity_idf),
    evidence_words: float = 0.08  # shared distinctive lead words (lead_terms_tfidf),
    evidence_meaning: float = 0.7  # or leads close in meaning (centroid_cosine)
    story_days: int = 7  # an event's reports come within days of each other; the gap itself is scored too
    storyline_days: int = 60
    storyline_similarity: float = 0.55  # centroid cosine for two stories of one storyline
    storyline_entities: float = 0.3  # and entity cosine
    neighbours: int = 16
    keep_days: int = 90  # once the index is full, articles older than this (behind the newest) leave it
    keep_articles: int = 50_000  # the index never evicts below this many articles
    max_keys: int = 64  # entity keys kept per story summary
    max_terms: int = 256  # lead terms kept per story summary


@dataclass(slots=True)
class StoryAssignment:
    """Where one article went."""

    article: str
    story: str
    storyline: str
    copy: CopyLink | None = None
    score: float | None = None
    merged: list[str] = field(default_factory=list)  # earlier stories this article showed to be this one


@dataclass(slots=True)
class _Story:
    id: str
    total: np.ndarray
    count: int = 0
    entities: Counter[tuple[str, str]] = field(default_factory=Counter)
    keys: Counter[str] = field(default_factory=Counter)
    persons: Counter[str] = field(default_factory=Counter)
    places: Counter[str] = field(default_factory=Counter)
    years: Counter[str] = field(default_factory=Counter)  # years mentioned
    published_years: Counter[int] = field(default_factory=Counter)
    numbers: set[str] = field(default_factory=set)
    terms: Counter[str] = field(default_factory=Counter)
    languages: set[str] = field(default_factory=set)
    first: date | None = None
    last: date | None = None

    @property
    def centroid(self) -> np.ndarray:
        norm = float(np.linalg.norm(self.total))
        return self.total / norm if norm else self.total


@dataclass(slots=True)
class Candidate:
    """A story an article could join, with the features the score weighs."""

    story: str
    features: list[float]


class _Frequencies:
    """Online document frequencies of names and lead terms (hashed, so memory is fixed)."""

    def __init__(self) -> None:
        self.counts = np.zeros(_DF_BUCKETS, dtype=np.uint32)
        self.documents = 0

    def add(self, keys: Iterable[str]) -> None:
        self.counts[list({_bucket(k) for k in keys})] += 1
        self.documents += 1

    def idf(self, key: str) -> float:
        return math.log((self.documents + 1) / (int(self.counts[_bucket(key)]) + 1))


def _bucket(key: str) -> int:
    return zlib.crc32(key.encode("utf-8")) % _DF_BUCKETS


class StoryClusterer:
    """Online story and storyline clustering with copy and translation detection."""

    def __init__(self, settings: StorySettings | None = None) -> None:
        self.settings = settings or StorySettings()
        self._index = _WindowedIndex()
        self._keys: dict[int, tuple[ArticleFeatures, str]] = {}  # index key -> (features, story)
        self._by_id: dict[str, int] = {}
        self._stories: dict[str, _Story] = {}
        self._storyline: dict[str, str] = {}  # union-find parents over story ids
        self._merged: dict[str, str] = {}  # merged-away story -> the story it joined
        self._copies = CopyDetector()
        self._frequencies = _Frequencies()
        self._next_key = 0
        self._newest: date | None = None

    def add(self, features: ArticleFeatures, mentions: Counter[tuple[str, str]] | None = None) -> StoryAssignment:
        """Assign one article (features plus its entity-mention counts) to a story."""
        mentions = mentions or Counter()
        neighbours = self._neighbours(features)
        link = self._copies.add(features, [(f, s) for f, s, _ in neighbours])
        score, merged = None, []
        if link is not None and link.original in self._by_id:
            story: str | None = self.story_of(self._keys[self._by_id[link.original]][1])
        else:
            scored = sorted(
                (p, c.story)
                for c in self.candidates(features, mentions, neighbours)
                if self._specific(c.features)
                and (p := self.probability(c.features)) >= self._threshold(features, c.story)
            )[::-1]
            story = None
            if scored:
                score, story = scored[0]
            if score is not None and score >= self.settings.merge_threshold:
                merged = [other for p, other in scored[1:] if p >= self.settings.merge_threshold]
        if story is not None and merged:
            story, merged = self._merge_stories([story, *merged])
        assignment = self.assign(features, mentions, story, link, score)
        assignment.merged = merged
        return assignment

    def _specific(self, values: list[float]) -> bool:
        """Whether an article shares something specific with a story: rare names, distinctive lead
        words, or a lead close in meaning. Same-day reports of one field (two aircraft orders) would
        otherwise join on time and topic alone."""
        settings = self.settings
        return (
            bool(values[_NEW_LANGUAGE])  # in a language new to the story, words cannot match: meaning decides
            or values[_ENTITY_IDF] >= settings.evidence_names
            or values[_LEAD_TERMS] >= settings.evidence_words
            or values[_CENTROID] >= settings.evidence_meaning
        )

    def _threshold(self, features: ArticleFeatures, story_id: str) -> float:
        """How sure a join must be. Where only one side is dated, time cannot tell apart look-alike
        events years apart (two heists in Paris, two coaches fired by one team), so it must be surer."""
        story = self._stories.get(story_id)
        story_dated = story is not None and story.first is not None
        if (features.published is None) != (not story_dated):
            return max(self.settings.threshold, self.settings.undated_threshold)
        return self.settings.threshold

    def story_of(self, story: str) -> str:
        """The current id of a story that may since have been merged into another."""
        root = story
        while root in self._merged:
            root = self._merged[root]
        while story != root:  # path compression
            self._merged[story], story = root, self._merged[story]
        return root

    def candidates(
        self, features: ArticleFeatures, mentions: Counter[tuple[str, str]], neighbours: list | None = None
    ) -> list[Candidate]:
        """The stories of the article's nearest neighbours within the time window, with score features."""
        if neighbours is None:
            neighbours = self._neighbours(features)
        nearest: dict[str, float] = {}
        for _, similarity, story_id in neighbours:
            nearest[story_id] = max(similarity, nearest.get(story_id, -1.0))
        found = []
        for story_id, similarity in nearest.items():
            story = self._stories.get(story_id)
            if story is not None and self._in_window(features.published, story, self.settings.story_days):
                found.append(Candidate(story_id, self._features(features, mentions, story, similarity)))
        return found

    def assign(
        self,
        features: ArticleFeatures,
        mentions: Counter[tuple[str, str]],
        story: str | None,
        link: CopyLink | None = None,
        score: float | None = None,
    ) -> StoryAssignment:
        """Put the article in the given story (None: a new one) and update the summaries."""
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
                found.append((item[0], 1.0 - float(distance), self.story_of(item[1])))
        return found

    def probability(self, values: list[float]) -> float:
        """How likely a candidate story is the article's event, from its score features."""
        weights = self.settings.weights
        z = weights[0] + sum(w * x for w, x in zip(weights[1:], values, strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def _features(
        self, features: ArticleFeatures, mentions: Counter[tuple[str, str]], story: _Story, nearest: float
    ) -> list[float]:
        """The FEATURES of an article against a story, in order."""
        keys = {key for _, key in mentions}
        idf = {key: self._frequencies.idf("n:" + key) ** 2 for key in keys | set(story.keys)}
        norm = math.sqrt(sum(idf[k] for k in keys) * sum(idf[k] for k in story.keys))
        entity_idf = sum(idf[k] for k in keys & story.keys.keys()) / norm if norm else 0.0

        persons = Counter({key: n for (label, key), n in mentions.items() if label == "PERSON"})
        places = Counter({key: n for (label, key), n in mentions.items() if label in _PLACES})
        have_people = bool(persons and story.persons)
        article_person = have_people and _top(persons) in story.persons
        story_person = have_people and _top(story.persons) in persons
        have_places = bool(places and story.places)
        place_shared = have_places and (_top(places) in story.places or _top(story.places) in places)

        same_year = 0.0
        if features.published and story.published_years:
            same_year = 1.0 if features.published.year == _top(story.published_years) else -1.0
        mentioned = {d[:4] for d in features.dates if _YEAR.match(d)}
        years = (1.0 if mentioned & story.years.keys() else -1.0) if mentioned and story.years else 0.0
        dated = bool(features.published and story.first and story.last)
        days = 0
        if dated:
            days = max(0, (story.first - features.published).days, (features.published - story.last).days)
        return [
            float(features.vector @ story.centroid),
            nearest,
            _count_cosine(mentions, story.entities),
            entity_idf,
            float(have_people),
            float(article_person),
            float(story_person),
            float(have_places),
            float(place_shared),
            same_year,
            years,
            float(dated),
            math.log1p(days),
            float(min(3, len(features.numbers & story.numbers))),
            self._tfidf_cosine(features.terms, story.terms),
            float(bool(features.language and story.languages and features.language not in story.languages)),
        ]

    def _tfidf_cosine(self, a: Counter[str], b: Counter[str]) -> float:
        if not a or not b:
            return 0.0
        idf = {term: self._frequencies.idf("t:" + term) for term in a.keys() | b.keys()}
        dot = sum(a[t] * b[t] * idf[t] ** 2 for t in a.keys() & b.keys())
        norm_a = math.sqrt(sum((n * idf[t]) ** 2 for t, n in a.items()))
        norm_b = math.sqrt(sum((n * idf[t]) ** 2 for t, n in b.items()))
        return dot / (norm_a * norm_b) if norm_a and norm_b else 0.0

    def _merge_stories(self, ids: list[str]) -> tuple[str, list[str]]:
        """Fold stories into the earliest of them; returns it and the ids that went."""
        keep = min(ids, key=self._story_age)
        gone = [i for i in ids if i != keep]
        target = self._stories[keep]
        for story_id in gone:
            other = self._stories.pop(story_id)
            target.total += other.total
            target.count += other.count
            for name in ("entities", "keys", "persons", "places", "years", "published_years", "terms"):
                getattr(target, name).update(getattr(other, name))
            target.numbers |= other.numbers
            target.languages |= other.languages
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

    def _remember(self, features: ArticleFeatures, mentions: Counter[tuple[str, str]], story_id: str) -> None:
        story = self._stories[story_id]
        story.total += features.vector
        story.count += 1
        story.entities.update(mentions)
        story.keys.update({key for _, key in mentions})
        story.persons.update({k: n for (label, k), n in mentions.items() if label == "PERSON"})
        story.places.update({k: n for (label, k), n in mentions.items() if label in _PLACES})
        story.years.update({d[:4] for d in features.dates if _YEAR.match(d)})
        story.numbers |= set(list(features.numbers)[: self.settings.max_keys])
        story.terms.update(features.terms)
        if features.language:
            story.languages.add(features.language)
        if features.published:
            story.published_years[features.published.year] += 1
        self._frequencies.add([*("n:" + key for _, key in mentions), *("t:" + term for term in features.terms)])
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

    def _trim(self, story: _Story) -> None:
        """Bounded summaries: keep the frequent names and terms."""
        limit = self.settings.max_keys
        for name in ("entities", "keys", "persons", "places"):
            counter = getattr(story, name)
            if len(counter) > limit:
                setattr(story, name, Counter(dict(counter.most_common(limit))))
        if len(story.terms) > self.settings.max_terms:
            story.terms = Counter(dict(story.terms.most_common(self.settings.max_terms)))

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


def _top(counter: Counter) -> object:
    return counter.most_common(1)[0][0]


def _count_cosine(a: Counter, b: Counter) -> float:
    """Cosine of square-rooted counts: shared names matter, repetition less so."""
    if not a or not b:
        return 0.0
    dot = sum((a[k] * b[k]) ** 0.5 for k in a.keys() & b.keys())
    norm = (sum(a.values()) * sum(b.values())) ** 0.5
    return dot / norm if norm else 0.0
