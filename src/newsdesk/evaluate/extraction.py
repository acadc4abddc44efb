"""Article-extraction score with the Scrapinghub benchmark's metric.

Per page, texts are compared as multisets of 4-gram `\\w+` shingles; TP/FP/FN are
normalised to sum 1 so every page weighs the same; precision and recall are
averaged over pages and F1 is the harmonic mean of the averages. Re-implemented
here (not copied) from the metric's description in the data set's README.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import EvaluationError

__all__ = ["ExtractionScore", "evaluate_extraction", "score_extraction", "shingles"]

_TOKEN = re.compile(r"\w+", re.U)


@dataclass(slots=True)
class ExtractionScore:
    """Averaged precision/recall, F1 of the averages, exact-match accuracy, per-page detail."""

    precision: float
    recall: float
    f1: float
    accuracy: float
    pages: int
    seconds: float = 0.0
    per_page: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "accuracy": round(self.accuracy, 4),
            "pages": self.pages,
            "seconds": round(self.seconds, 2),
        }


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Multiset of token n-grams; a text shorter than n tokens is one short shingle."""
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def score_extraction(predicted: Mapping[str, str], gold: Mapping[str, str]) -> ExtractionScore:
    """Score predicted bodies against gold bodies, keyed by page id."""
    precisions, recalls, exact, detail = [], [], 0, {}
    for key, truth in gold.items():
        pred = predicted.get(key, "") or ""
        true_sh, pred_sh = shingles(truth), shingles(pred)
        tp = sum((true_sh & pred_sh).values())
        fp, fn = sum(pred_sh.values()) - tp, sum(true_sh.values()) - tp
        total = tp + fp + fn
        exact += _TOKEN.findall(truth) == _TOKEN.findall(pred)
        if total == 0:
            continue
        tp, fp, fn = tp / total, fp / total, fn / total
        perfect = fp == 0 and fn == 0
        p = 1.0 if perfect else (tp / (tp + fp) if tp + fp > 0 else None)
        r = 1.0 if perfect else (tp / (tp + fn) if tp + fn > 0 else None)
        if p is not None:
            precisions.append(p)
        if r is not None:
            recalls.append(r)
        detail[key] = (p, r)
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return ExtractionScore(precision, recall, f1, exact / max(1, len(gold)), len(gold), per_page=detail)


def load_benchmark(directory: Path) -> tuple[dict[str, str], dict[str, Path]]:
    """Gold bodies and page files of a Scrapinghub-format benchmark directory."""
    truth_file = directory / "ground-truth.json"
    if not truth_file.is_file():
        raise EvaluationError(f"{directory}: no ground-truth.json (expected the Scrapinghub benchmark layout)")
    try:
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise EvaluationError(f"{truth_file}: unreadable ({exc})") from None
    gold = {key: value.get("articleBody", "") for key, value in truth.items()}
    pages = {}
    for key in gold:
        for name in (f"{key}.html.gz", f"{key}.html"):
            if (directory / "html" / name).is_file():
                pages[key] = directory / "html" / name
                break
    if not pages:
        raise EvaluationError(f"{directory}/html: no pages found for the ground-truth ids")
    return gold, pages


def evaluate_extraction(
    directory: Path, extractor: Callable[[dict[str, Path]], Mapping[str, str]] | None = None
) -> dict[str, ExtractionScore]:
    """Score newsdesk (and plain trafilatura, as the baseline) on a benchmark directory."""
    gold, pages = load_benchmark(directory)
    systems: dict[str, Callable[[dict[str, Path]], Mapping[str, str]]] = {
        "newsdesk": extractor or _newsdesk_bodies,
        "trafilatura": _trafilatura_bodies,
    }
    results = {}
    for name, run in systems.items():
        start = time.perf_counter()
        predicted = run(pages)
        result = score_extraction(predicted, gold)
        result.seconds = time.perf_counter() - start
        results[name] = result
    return results


def _newsdesk_bodies(pages: dict[str, Path]) -> dict[str, str]:
    from ..extraction import iter_extract
    from ..model import Article
    from ..sources import iter_documents

    ids = {str(path): key for key, path in pages.items()}
    out: dict[str, str] = {}
    for item in iter_extract(iter_documents(sorted(pages.values()))):
        if isinstance(item, Article):
            out[ids.get(item.source, item.id)] = item.text
    return out


def _trafilatura_bodies(pages: dict[str, Path]) -> dict[str, str]:
    import trafilatura

    out = {}
    for key, path in pages.items():
        data = path.read_bytes()
        html = (gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data).decode("utf-8", errors="replace")
        out[key] = trafilatura.extract(html) or ""
    return out
