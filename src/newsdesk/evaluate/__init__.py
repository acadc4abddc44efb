"""Score newsdesk against gold sets, so anyone can reproduce the figures in the notes."""

from __future__ import annotations

from .extraction import ExtractionScore, evaluate_extraction, score_extraction, score_segments

__all__ = ["ExtractionScore", "evaluate_extraction", "score_extraction", "score_segments"]
