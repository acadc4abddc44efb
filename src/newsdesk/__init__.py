"""newsdesk: many reports of the same events in, one verified and cited account out.

Public names are imported lazily, so `newsdesk extract` does not pay for the
database layer and `newsdesk list` does not pay for HTML extraction.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "Analyzer",
    "Article",
    "EvaluationError",
    "ExtractSettings",
    "InputError",
    "NewsdeskError",
    "RawDocument",
    "Span",
    "Store",
    "StoreError",
    "analyze",
    "cluster_articles",
    "extract",
    "iter_documents",
    "iter_extract",
]

_WHERE = {
    "Article": "model",
    "RawDocument": "model",
    "Span": "model",
    "EvaluationError": "errors",
    "InputError": "errors",
    "NewsdeskError": "errors",
    "StoreError": "errors",
    "ExtractSettings": "extraction",
    "extract": "extraction",
    "iter_extract": "extraction",
    "iter_documents": "sources",
    "Store": "store",
    "Analysis": "model",
    "Analyzer": "analysis",
    "analyze": "analysis",
    "cluster_articles": "linking.pipeline",
}

if TYPE_CHECKING:
    from .analysis import Analyzer, analyze
    from .errors import EvaluationError, InputError, NewsdeskError, StoreError
    from .extraction import ExtractSettings, extract, iter_extract
    from .linking.pipeline import cluster_articles
    from .model import Analysis, Article, RawDocument, Span
    from .sources import iter_documents
    from .store import Store


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'newsdesk' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*__all__, "__version__"])
