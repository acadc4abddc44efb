"""Story clustering scores: BCubed F1 against gold stories, and how often translations meet.

ECB+ has two look-alike events per topic (the hard case); MEANTIME has each
story in four languages (translations must land together).
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

from ..model import Article

__all__ = ["bcubed", "evaluate_stories"]


def bcubed(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 of a clustering (one label per item) against gold labels."""
    by_pred: dict[Hashable, set[int]] = defaultdict(set)
    by_gold: dict[Hashable, set[int]] = defaultdict(set)
    for i, (p, g) in enumerate(zip(predicted, gold, strict=True)):
        by_pred[p].add(i)
        by_gold[g].add(i)
    n = len(gold)
    if n == 0:
        return 0.0, 0.0, 0.0
    precision = sum(len(by_pred[p] & by_gold[g]) / len(by_pred[p]) for p, g in zip(predicted, gold, strict=True)) / n
    recall = sum(len(by_pred[p] & by_gold[g]) / len(by_gold[g]) for p, g in zip(predicted, gold, strict=True)) / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate_stories(data_dir: Path) -> dict[str, Any]:
    """Story BCubed on ECB+ and MEANTIME, and the share of MEANTIME stories whose translations share a story."""
    from ..analysis import Analyzer
    from ..linking.pipeline import cluster_articles

    results: dict[str, Any] = {}
    for name in ("ecbplus_dev", "meantime_airbus"):
        path = data_dir / "dev" / "clustering" / f"{name}.jsonl"
        if not path.is_file():
            continue
        started = time.perf_counter()
        records = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
        articles = [
            Article(
                id=r["id"],
                text=r["text"],
                title=r.get("title"),
                language=r.get("language"),
                published=r.get("published"),
                outlet=r.get("outlet"),
            )
            for r in records
        ]
        analyses = list(Analyzer().analyze(articles))
        assignments = cluster_articles(zip(articles, analyses, strict=True))
        gold = [r["story"] for r in records]
        p, r, f = bcubed([a.story for a in assignments], gold)
        entry: dict[str, Any] = {
            "articles": len(records),
            "gold_stories": len(set(gold)),
            "predicted_stories": len({a.story for a in assignments}),
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
            "storylines": len({a.storyline for a in assignments}),
            "copies": sum(1 for a in assignments if a.copy and a.copy.kind == "copy"),
            "translations": sum(1 for a in assignments if a.copy and a.copy.kind == "translation"),
        }
        if name == "meantime_airbus":
            by_story: dict[str, set[str]] = defaultdict(set)
            for record, assignment in zip(records, assignments, strict=True):
                by_story[record["story"]].add(assignment.story)
            entry["translations_together"] = round(sum(len(s) == 1 for s in by_story.values()) / len(by_story), 4)
        entry["seconds"] = round(time.perf_counter() - started, 1)
        results[name] = entry
    return results
