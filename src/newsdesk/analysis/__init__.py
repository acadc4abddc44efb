"""Per-article understanding: language, entities, quotes with speakers, quantities and dates.

The heavy parts (spaCy) load lazily, so importing `newsdesk.analysis.language`
for extraction does not pull them in.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = ["AnalyzeSettings", "Analyzer", "EntityRegistry", "analyze"]

if TYPE_CHECKING:
    from .pipeline import Analyzer, AnalyzeSettings, EntityRegistry, analyze


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module(".pipeline", __name__), name)
    raise AttributeError(f"module 'newsdesk.analysis' has no attribute {name!r}")
