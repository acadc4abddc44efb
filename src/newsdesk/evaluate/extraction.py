"""Article-extraction scores: newsdesk against trafilatura alone, on every page set, in one run.

Two metrics, re-implemented (not copied) from their descriptions in the data sets' README:
- shingles (the Scrapinghub benchmark's): per page, texts are compared as multisets of
  4-gram `\\w+` shingles; TP/FP/FN are normalised to sum 1 so every page weighs the same;
  precision and recall are averaged over pages and F1 is the harmonic mean of the averages;
- segments (trafilatura's evaluation): each `with` segment must be found in the output, each
  `without` segment must not; counts are summed over pages, F1 = 2TP / (2TP + FP + FN).
Each set is also scored on its two halves (even and odd positions of the sorted page ids), so a
rule that only helps the pages it was tuned on shows.
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

__all__ = [
    "ExtractionScore",
    "PageSet",
    "SegmentScore",
    "evaluate_extraction",
    "load_page_set",
    "score_extraction",
    "score_segments",
    "shingles",
]

_TOKEN = re.compile(r"\w+", re.U)
_SPACE = re.compile(r"\s+")


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


@dataclass(slots=True)
class SegmentScore:
    """trafilatura's evaluation: `with` segments found (TP) or missed (FN), `without` ones found (FP)."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp + self.fp + self.fn else 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


def score_segments(predicted: Mapping[str, str], segments: Mapping[str, tuple[list[str], list[str]]]) -> SegmentScore:
    """Count `with` segments found and `without` segments found in each page's output (spacing folded)."""
    tp = fp = fn = 0
    for key, (wanted, unwanted) in segments.items():
        text = _SPACE.sub(" ", predicted.get(key) or "")
        for segment in wanted:
            if _SPACE.sub(" ", segment).strip() in text:
                tp += 1
            else:
                fn += 1
        fp += sum(1 for segment in unwanted if _SPACE.sub(" ", segment).strip() in text)
    return SegmentScore(tp, fp, fn)


@dataclass(slots=True)
class PageSet:
    """A page set: the page files, gold bodies (shingle metric) and gold segments (segment metric)."""

    name: str
    pages: dict[str, Path]
    bodies: dict[str, str] = field(default_factory=dict)
    segments: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)

    def half(self, which: int) -> list[str]:
        return [key for n, key in enumerate(sorted(self.pages)) if n % 2 == which]


def load_page_set(directory: Path) -> PageSet:
    """A page set in the Scrapinghub layout (`articleBody`) or the modern one (`main_content`, `with`,
    `without`): ground-truth.json and html/<id>.html(.gz)."""
    truth_file = directory / "ground-truth.json"
    if not truth_file.is_file():
        raise EvaluationError(f"{directory}: no ground-truth.json (expected html/ and ground-truth.json)")
    try:
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise EvaluationError(f"{truth_file}: unreadable ({exc})") from None
    if not isinstance(truth, dict):
        raise EvaluationError(f"{truth_file}: expected an object of page id -> gold")
    pages = {}
    for key in truth:
        for name in (f"{key}.html.gz", f"{key}.html"):
            if (directory / "html" / name).is_file():
                pages[key] = directory / "html" / name
                break
    if not pages:
        raise EvaluationError(f"{directory}/html: no pages found for the ground-truth ids")
    found = PageSet(directory.name, pages)
    for key, gold in truth.items():
        if key not in pages or not isinstance(gold, dict):
            continue
        body = gold.get("articleBody", gold.get("main_content"))
        if isinstance(body, str):
            found.bodies[key] = body
        if "with" in gold or "without" in gold:
            found.segments[key] = (list(gold.get("with") or []), list(gold.get("without") or []))
    return found


def evaluate_extraction(
    directory: Path, extractor: Callable[[dict[str, Path]], Mapping[str, str]] | None = None
) -> dict[str, dict[str, object]]:
    """Score newsdesk (as `newsdesk extract DIR` runs it) and trafilatura alone on one page set:
    per system, both metrics on the whole set and on its halves, pages returned and seconds."""
    page_set = load_page_set(directory)
    systems: dict[str, Callable[[dict[str, Path]], Mapping[str, str]]] = {
        "newsdesk": extractor or _newsdesk_bodies,
        "trafilatura": _trafilatura_bodies,
    }
    results: dict[str, dict[str, object]] = {}
    for name, run in systems.items():
        start = time.perf_counter()
        predicted = run(page_set.pages)
        seconds = time.perf_counter() - start
        result: dict[str, object] = {
            "pages": len(page_set.pages),
            "returned": sum(1 for key in page_set.pages if (predicted.get(key) or "").strip()),
            "seconds": round(seconds, 2),
        }
        halves = [page_set.half(0), page_set.half(1)]
        if page_set.bodies:
            result["shingles"] = score_extraction(predicted, page_set.bodies).to_json()
            result["shingles_halves"] = [
                round(score_extraction(predicted, {k: page_set.bodies[k] for k in h if k in page_set.bodies}).f1, 4)
                for h in halves
            ]
        if page_set.segments:
            result["segments"] = score_segments(predicted, page_set.segments).to_json()
            result["segments_halves"] = [
                round(score_segments(predicted, {k: page_set.segments[k] for k in h if k in page_set.segments}).f1, 4)
                for h in halves
            ]
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
    """trafilatura alone, as a user would call it: default options, comments left out."""
    import trafilatura

    out = {}
    for key, path in pages.items():
        data = path.read_bytes()
        html = (gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data).decode("utf-8", errors="replace")
        out[key] = trafilatura.extract(html, include_comments=False) or ""
    return out
