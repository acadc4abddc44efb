"""Reconcile a story's articles: claims, facts with independent sources, conflicts, and the brief."""

from .brief import BriefSettings, brief_articles, brief_stored, build_brief, story_brief
from .claims import Claim, parts, split_claims
from .facts import AlignSettings, Fact, SourceInfo, align_claims, independent_key

__all__ = [
    "AlignSettings",
    "BriefSettings",
    "Claim",
    "Fact",
    "SourceInfo",
    "align_claims",
    "brief_articles",
    "brief_stored",
    "build_brief",
    "independent_key",
    "parts",
    "split_claims",
    "story_brief",
]
