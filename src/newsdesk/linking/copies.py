"""Find near-duplicates and syndicated copies (MinHash over word shingles, LSH-indexed) and
translations (cross-lingual embeddings), and say which article is the original.

A copy is never an independent source: later stages count an original once,
however many outlets republish or translate it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from datasketch import MinHash, MinHashLSH

from .features import ArticleFeatures

__all__ = ["COPY_JACCARD", "TRANSLATION_SIMILARITY", "CopyDetector", "CopyLink", "minhash_of"]

COPY_JACCARD = 0.5  # share of 5-word shingles two texts must have in common to be copies
TRANSLATION_SIMILARITY = 0.92  # embedding cosine of an article and its translation (MEANTIME dev set)
TRANSLATION_DAYS = 7
NUM_PERM = 64
SCHEME = "affine32"  # stated, so signatures stored by one run load in the next


@dataclass(slots=True)
class CopyLink:
    """`article` copies (or translates) `original`."""

    article: str
    original: str
    kind: str  # "copy" or "translation"
    similarity: float


@dataclass(slots=True)
class _Seen:
    minhash: MinHash | None
    published: date | None
    language: str | None
    order: int


class CopyDetector:
    """Incremental: each article is checked against those seen before, then remembered."""

    def __init__(self, threshold: float = COPY_JACCARD) -> None:
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._seen: dict[str, _Seen] = {}
        self._threshold = threshold
        self._order = 0
        self._original: dict[str, str] = {}  # copy -> the original it (transitively) copies

    def add(self, features: ArticleFeatures, neighbours: list[tuple[ArticleFeatures, float]] = ()) -> CopyLink | None:
        """Record the article; return its link to an earlier original if it is a copy or translation.
        `neighbours` are nearby articles by embedding (from the story index), used for translations."""
        minhash = _minhash(features.shingles) if features.shingles else None
        link = self._copy_of(features, minhash) or self._translation_of(features, neighbours)
        if minhash is not None and features.id not in self._seen:
            self._lsh.insert(features.id, minhash)
        self._seen[features.id] = _Seen(minhash, features.published, features.language, self._order)
        self._order += 1
        if link is not None:
            self._original[features.id] = link.original
        return link

    def remember(self, features: ArticleFeatures, hashvalues: np.ndarray | None, original: str | None) -> None:
        """Restore an article seen in an earlier run (its MinHash values as stored)."""
        minhash = None
        if hashvalues is not None:
            minhash = MinHash(num_perm=NUM_PERM, seed=7, scheme=SCHEME, hashvalues=hashvalues)
        if minhash is not None and features.id not in self._seen:
            self._lsh.insert(features.id, minhash)
        self._seen[features.id] = _Seen(minhash, features.published, features.language, self._order)
        self._order += 1
        if original:
            self._original[features.id] = original

    def minhash_values(self, article: str) -> np.ndarray | None:
        """The stored signature of an article, to persist it."""
        seen = self._seen.get(article)
        return seen.minhash.hashvalues if seen is not None and seen.minhash is not None else None

    def forget(self, article: str) -> None:
        """Drop an article that left the time window (bounded memory)."""
        seen = self._seen.pop(article, None)
        self._original.pop(article, None)
        if seen is not None and seen.minhash is not None:
            self._lsh.remove(article)

    def _copy_of(self, features: ArticleFeatures, minhash: MinHash | None) -> CopyLink | None:
        if minhash is None:
            return None
        matches = []
        for other in self._lsh.query(minhash):
            if other == features.id:
                continue
            seen = self._seen[other]
            similarity = minhash.jaccard(seen.minhash)
            if similarity >= self._threshold:
                matches.append((other, similarity))
        if not matches:
            return None
        original = min(matches, key=lambda m: self._age_key(m[0]))
        return CopyLink(features.id, self._root(original[0]), "copy", round(original[1], 3))

    def _translation_of(
        self, features: ArticleFeatures, neighbours: list[tuple[ArticleFeatures, float]]
    ) -> CopyLink | None:
        for other, similarity in neighbours:
            if other.id == features.id or other.language == features.language or similarity < TRANSLATION_SIMILARITY:
                continue
            apart = features.published and other.published and abs((features.published - other.published).days)
            if apart and apart > TRANSLATION_DAYS:
                continue
            return CopyLink(features.id, self._root(other.id), "translation", round(float(similarity), 3))
        return None

    def _age_key(self, article: str) -> tuple[date, int]:
        seen = self._seen[article]
        return (seen.published or date.max, seen.order)

    def _root(self, article: str) -> str:
        """A copy of a copy is a copy of the first original."""
        return self._original.get(article, article)


def minhash_of(features: ArticleFeatures) -> np.ndarray | None:
    """The MinHash values of an article's shingles (None without any), as the detector makes them."""
    return _minhash(features.shingles).hashvalues if features.shingles else None


def _minhash(shingles: frozenset[str]) -> MinHash:
    minhash = MinHash(num_perm=NUM_PERM, seed=7, scheme=SCHEME)
    minhash.update_batch([s.encode("utf-8") for s in shingles])
    return minhash
