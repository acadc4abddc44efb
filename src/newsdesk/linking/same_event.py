"""Whether an article reports the same real-world event as a story: evidence and a learned model.

A story is judged by its core (its best-fitting reports, a bounded few), summed into a
`Profile`: their embeddings, names, lead words, figures, dates and languages. The article is
compared with the profile as a whole and with each core member (nearest and farthest), so one
look-alike member cannot pull a different event in. The model is a small gradient-boosted
classifier fitted on three kinds of dev data so that no one corpus's shortcuts carry it (ECB+:
look-alike events of one topic; MEANTIME: translations; SemEval-2022 Task 8: rated pairs of one
news period in ten languages); it is stored in the package (`same_event.pkl`) and refitted by
`newsdesk eval stories --fit`. It is monotone in the evidence (more in common never makes "same
event" less likely, a longer gap never more), which keeps it from learning a corpus's quirks.

Names and words count by how rare they are in the stream right now (`StreamFrequencies`): a name
in a third of today's articles, the head of state in a fortnight of one country's politics, is
no evidence that two of them report one event.
"""

from __future__ import annotations

import math
import pickle
import zlib
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from typing import Any, ClassVar

import numpy as np

from .features import ArticleFeatures

__all__ = [
    "EVIDENCE",
    "FEATURE_NAMES",
    "MODEL_FILE",
    "Profile",
    "SameEventModel",
    "StreamFrequencies",
    "article_keys",
    "evidence",
]

MODEL_FILE = "same_event.pkl"
NAN = float("nan")
_PLACES = frozenset({"GPE", "LOC", "FAC"})

# name: (what it measures, monotone constraint: +1 more means likelier the same event, -1 less, 0 free)
EVIDENCE: dict[str, tuple[str, int]] = {
    "centroid_cosine": ("multilingual embedding of title and lead vs the core's mean", 1),
    "nearest_cosine": ("vs the closest core member", 1),
    "farthest_cosine": ("vs the least similar core member: a story must like the article as a whole", 1),
    "head_cosine": ("embedding of the head (title and first sentence) vs the core's heads (mean)", 1),
    "nearest_head": ("vs the closest core member's head", 1),
    "names_weighted": ("names in common, weighted by rarity in the stream (cosine)", 1),
    "names_covered": ("share of the article's name rarity that the story also names", 1),
    "rarest_shared_name": ("rarity of the rarest name both mention", 1),
    "people_covered": ("share of the article's mentions of people naming someone the story names", 1),
    "story_people_covered": ("share of the story's mentions of people naming someone the article names", 1),
    "main_place": ("the article's most-named place is in the story or the story's in it (missing: none)", 1),
    "head_terms": ("share of the head's word weight (tf-idf) found in the heads of the core", 1),
    "lead_terms": ("tf-idf cosine of the content words of the leads, idf from the stream", 1),
    "body_terms": ("tf-idf cosine of the whole texts' words (log counts), idf from the stream", 1),
    "rare_words_shared": (
        "words of the whole texts both use, weighted by rarity (log): across languages, the"
        " names and numbers every language writes alike",
        1,
    ),
    "figures_shared": ("figures (10 or more) both give (missing when either gives none)", 1),
    "days_mentioned_shared": ("calendar days both mention (missing when either mentions none)", 1),
    "years_mentioned": ("+1 a mentioned year in common, -1 none, missing when either mentions none", 1),
    "days_apart": ("days from the story's reports (log; missing when either is undated)", -1),
    "new_language": ("no core member is in the article's language (its words cannot match)", 0),
    "text_overlap": ("most shared word 5-grams with a core member (MinHash)", 1),
    "core_size": ("core members compared (log)", 0),
}
FEATURE_NAMES = tuple(EVIDENCE)


class StreamFrequencies:
    """Document frequencies of names and lead terms over the last `window` articles of the stream.

    Keys are hashed to ints, so memory is bounded by the window whatever the vocabulary."""

    def __init__(self, window: int = 5000) -> None:
        self.window = window
        self.added = 0  # articles counted since the start
        self._recent: deque[tuple[int, ...]] = deque()
        self._counts: Counter[int] = Counter()

    def __len__(self) -> int:
        return len(self._recent)

    def add(self, keys: Iterable[str]) -> None:
        hashed = tuple({_hash(k) for k in keys})
        self.added += 1
        self._recent.append(hashed)
        self._counts.update(hashed)
        if len(self._recent) > self.window:
            old = self._recent.popleft()
            self._counts.subtract(old)
            for key in old:
                if self._counts[key] <= 0:
                    del self._counts[key]

    def rarity(self, key: str) -> float:
        """idf scaled to 0..1: 1 for a key no other article has, 0 for one every article has."""
        n = len(self._recent)
        if n < 2:
            return 1.0
        return math.log((n + 1) / (self._counts.get(_hash(key), 0) + 1)) / math.log(n + 1)

    def idf(self, key: str) -> float:
        n = len(self._recent)
        return math.log((n + 1) / (self._counts.get(_hash(key), 0) + 1)) + 1.0


def article_keys(features: ArticleFeatures) -> list[str]:
    """What the stream frequencies count for an article: its name keys and its lead terms."""
    return [
        *("n:" + key for _, key in features.mentions),
        *("t:" + term for term in features.terms),
        *("b:" + term for term in features.body),
    ]


@dataclass(slots=True)
class Profile:
    """A story's core members, summed: what the article is compared with."""

    vectors: np.ndarray  # (members, 512) unit lead vectors
    heads: np.ndarray  # (members, 512) unit head vectors
    minhashes: np.ndarray | None  # (members with shingles, perms)
    names: Counter[str] = field(default_factory=Counter)  # name key -> members naming it
    persons: Counter[str] = field(default_factory=Counter)
    places: Counter[str] = field(default_factory=Counter)
    terms: Counter[str] = field(default_factory=Counter)
    head: Counter[str] = field(default_factory=Counter)
    body: Counter[str] = field(default_factory=Counter)  # log counts
    numbers: set[str] = field(default_factory=set)
    days: set[str] = field(default_factory=set)
    years: set[str] = field(default_factory=set)
    languages: set[str] = field(default_factory=set)
    first: date | None = None
    last: date | None = None

    @property
    def size(self) -> int:
        return len(self.vectors)

    @classmethod
    def of(cls, members: Sequence[ArticleFeatures]) -> Profile:
        hashes = [m.minhash for m in members if m.minhash is not None]
        profile = cls(
            vectors=np.stack([m.vector for m in members]),
            heads=np.stack([m.head_vector if m.head_vector is not None else m.vector for m in members]),
            minhashes=np.stack(hashes) if hashes else None,
        )
        for member in members:
            keys = _names(member)
            profile.names.update(keys[0])
            profile.persons.update(keys[1])
            profile.places.update(keys[2])
            profile.terms.update(member.terms)
            profile.head.update(member.head)
            profile.body.update(_log_counts(member.body))
            profile.numbers |= member.numbers
            profile.days |= _days(member)
            profile.years |= _years(member)
            if member.language:
                profile.languages.add(member.language)
            if member.published:
                profile.first = min(filter(None, (profile.first, member.published)))
                profile.last = max(filter(None, (profile.last, member.published)))
        return profile


def evidence(article: ArticleFeatures, profile: Profile, frequencies: StreamFrequencies) -> list[float]:
    """The EVIDENCE that an article reports the event of a story with this core profile, in order."""
    similarities = profile.vectors @ article.vector
    centroid = profile.vectors.sum(axis=0)
    norm = float(np.linalg.norm(centroid))
    head = article.head_vector if article.head_vector is not None else article.vector
    heads = profile.heads @ head

    names, persons, places = _names(article)
    rarity = {key: frequencies.rarity("n:" + key) for key in names.keys() | profile.names.keys()}
    shared = names.keys() & profile.names.keys()
    size = profile.size
    dot = sum(rarity[k] ** 4 * profile.names[k] / size for k in shared)
    own = math.sqrt(sum(rarity[k] ** 4 for k in names))
    theirs = math.sqrt(sum((rarity[k] ** 2 * n / size) ** 2 for k, n in profile.names.items()))
    mass = sum(rarity[k] for k in names)

    main_place = _main_shared(places, profile.places)

    years = _years(article)
    mentioned = NAN
    if years and profile.years:
        mentioned = 1.0 if years & profile.years else -1.0
    apart = NAN
    if article.published and profile.first and profile.last:
        days = max(0, (profile.first - article.published).days, (article.published - profile.last).days)
        apart = math.log1p(days)
    overlap = 0.0
    if article.minhash is not None and profile.minhashes is not None:
        overlap = float(np.max(np.mean(profile.minhashes == article.minhash, axis=1)))
    return [
        float(centroid @ article.vector) / norm if norm else 0.0,
        float(similarities.max()),
        float(similarities.min()),
        float(heads.mean()),
        float(heads.max()),
        dot / (own * theirs) if own and theirs else 0.0,
        sum(rarity[k] for k in shared) / mass if mass else 0.0,
        max((rarity[k] for k in shared), default=0.0),
        _covered(persons, profile.persons),
        _covered(profile.persons, persons),
        main_place,
        _covered_terms(article.head, profile.head, frequencies),
        _tfidf_cosine(article.terms, profile.terms, frequencies, "t:"),
        _tfidf_cosine(_log_counts(article.body), profile.body, frequencies, "b:"),
        math.log1p(sum(frequencies.rarity("b:" + w) ** 2 for w in article.body.keys() & profile.body.keys())),
        _shared(article.numbers, profile.numbers),
        _shared(_days(article), profile.days),
        mentioned,
        apart,
        float(bool(article.language and profile.languages and article.language not in profile.languages)),
        overlap,
        math.log(size),
    ]


class SameEventModel:
    """The fitted classifier, loaded once per process from the package."""

    _loaded: ClassVar[dict[str, Any]] = {}

    def __init__(self, payload: dict[str, Any] | None = None) -> None:
        payload = payload or self._load()
        if tuple(payload["features"]) != FEATURE_NAMES:
            raise ValueError(f"{MODEL_FILE} was fitted on other evidence; refit it: newsdesk eval stories --fit")
        self.classifier = payload["classifier"]
        self.meta: dict[str, Any] = payload.get("meta", {})
        self._trees = _Trees.of(self.classifier)

    @classmethod
    def of(cls, classifier: Any) -> SameEventModel:
        """A model around a freshly fitted classifier (held-out checks)."""
        return cls({"features": list(FEATURE_NAMES), "classifier": classifier})

    @classmethod
    def _load(cls) -> dict[str, Any]:
        if "default" not in cls._loaded:
            data = resources.files(__package__).joinpath(MODEL_FILE).read_bytes()
            cls._loaded["default"] = pickle.loads(data)  # the package's own file, written by --fit
        return cls._loaded["default"]

    def probabilities(self, rows: Sequence[Sequence[float]]) -> np.ndarray:
        """P(same event) for each row of EVIDENCE."""
        if not rows:
            return np.zeros(0)
        x = np.asarray(rows, dtype=np.float64)
        if self._trees is not None:
            return self._trees.probabilities(x)
        return self.classifier.predict_proba(x)[:, 1]


class _Trees:
    """The fitted trees as arrays, walked for all rows and trees at once. scikit-learn's own
    predict costs ~15 ms a call (a thread pool per tree), which per arriving article would be
    most of the clusterer's time; this gives the same numbers in well under a millisecond."""

    def __init__(self, baseline: float, nodes: list[np.ndarray]) -> None:
        width = max(len(n) for n in nodes)

        def table(name: str, dtype: Any) -> np.ndarray:
            out = np.zeros((len(nodes), width), dtype=dtype)
            for t, n in enumerate(nodes):
                out[t, : len(n)] = n[name]
            return out

        self.baseline = baseline
        self.feature = table("feature_idx", np.int64)
        self.threshold = table("num_threshold", np.float64)
        self.missing_left = table("missing_go_to_left", bool)
        self.left = table("left", np.int64)
        self.right = table("right", np.int64)
        self.leaf = table("is_leaf", bool)
        self.value = table("value", np.float64)
        self.depth = int(max(n["depth"].max() for n in nodes))
        self.trees = np.arange(len(nodes))

    @classmethod
    def of(cls, classifier: Any) -> _Trees | None:
        """The arrays of a binary HistGradientBoostingClassifier without categorical features;
        None for anything else (then scikit-learn predicts)."""
        predictors = getattr(classifier, "_predictors", None)
        baseline = getattr(classifier, "_baseline_prediction", None)
        if not predictors or baseline is None or any(len(p) != 1 for p in predictors):
            return None
        nodes = [p[0].nodes for p in predictors]
        if any(n["is_categorical"].any() for n in nodes):
            return None
        return cls(float(np.ravel(baseline)[0]), nodes)

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        node = np.zeros((len(x), len(self.trees)), dtype=np.int64)
        rows = np.arange(len(x))[:, None]
        for _ in range(self.depth):
            value = x[rows, self.feature[self.trees, node]]
            left = np.where(
                np.isnan(value), self.missing_left[self.trees, node], value <= self.threshold[self.trees, node]
            )
            step = np.where(left, self.left[self.trees, node], self.right[self.trees, node])
            node = np.where(self.leaf[self.trees, node], node, step)
        raw = self.baseline + self.value[self.trees, node].sum(axis=1)
        return 1.0 / (1.0 + np.exp(-raw))


def _names(features: ArticleFeatures) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Name keys (each once), and people and places with their mention counts."""
    names: Counter[str] = Counter()
    persons: Counter[str] = Counter()
    places: Counter[str] = Counter()
    for (label, key), n in features.mentions.items():
        names[key] = 1
        if label == "PERSON":
            persons[key] += n
        elif label in _PLACES:
            places[key] += n
    return names, persons, places


def _main_shared(mine: Counter[str], theirs: Counter[str]) -> float:
    if not mine or not theirs:
        return NAN
    return float(mine.most_common(1)[0][0] in theirs or theirs.most_common(1)[0][0] in mine)


def _covered(mine: Counter[str], theirs: Counter[str]) -> float:
    """Share of one side's mentions (by count) whose names the other side has; missing when either
    names none. Look-alike events differ in who they are about (two players placed on injured
    reserve by one team), even where each names the other's protagonist in passing."""
    total = sum(mine.values())
    if not total or not theirs:
        return NAN
    return sum(n for key, n in mine.items() if key in theirs) / total


def _covered_terms(mine: Counter[str], theirs: Counter[str], frequencies: StreamFrequencies) -> float:
    """Share of one text's word weight (idf, lead-term frequencies) that the other text has too."""
    weights = {term: frequencies.idf("t:" + term) for term in mine}
    total = sum(weights.values())
    return sum(w for term, w in weights.items() if term in theirs) / total if total else 0.0


def _log_counts(counts: Counter[str]) -> Counter[str]:
    """1 + log(count): a word said ten times is not ten times the evidence."""
    return Counter({term: 1.0 + math.log(n) for term, n in counts.items() if n > 0})


def _tfidf_cosine(a: Counter[str], b: Counter[str], frequencies: StreamFrequencies, prefix: str) -> float:
    if not a or not b:
        return 0.0
    idf = {term: frequencies.idf(prefix + term) for term in a.keys() | b.keys()}
    dot = sum(a[t] * b[t] * idf[t] ** 2 for t in a.keys() & b.keys())
    norm_a = math.sqrt(sum((n * idf[t]) ** 2 for t, n in a.items()))
    norm_b = math.sqrt(sum((n * idf[t]) ** 2 for t, n in b.items()))
    return dot / (norm_a * norm_b) if norm_a and norm_b else 0.0


def _shared(mine: set[str] | frozenset[str], theirs: set[str]) -> float:
    """How many both give (at most 5); missing when either gives none: two reports of one event
    that both give figures usually share one (a toll, a sum), while silence says nothing."""
    return float(min(5, len(mine & theirs))) if mine and theirs else NAN


def _years(features: ArticleFeatures) -> set[str]:
    return {d[:4] for d in features.dates if len(d) >= 4 and d[:4].isdigit()}


def _days(features: ArticleFeatures) -> set[str]:
    return {d for d in features.dates if len(d) == 10}


def _hash(key: str) -> int:
    return zlib.crc32(key.encode("utf-8"))
