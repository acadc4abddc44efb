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

__all__ = ["bcubed", "evaluate_stories", "fit_story_weights", "load_set", "split_at_gaps"]


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


SETS = ("ecbplus_dev", "meantime_airbus")


def load_set(path: Path) -> tuple[list[Article], list[str]]:
    """A clustering dev set read as the CLI reads it (junk filter, dates found in the text), with gold stories."""
    from ..extraction import ExtractSettings, iter_extract
    from ..sources import iter_documents

    gold = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                record = json.loads(line)
                gold[record["id"]] = record["story"]
    articles = [a for a in iter_extract(iter_documents([str(path)]), ExtractSettings()) if isinstance(a, Article)]
    return articles, [gold[a.id] for a in articles]


def split_at_gaps(gold: Sequence[str], articles: Sequence[Article], days: int = 7) -> list[str]:
    """Gold stories cut where their dated reports lie more than `days` apart (undated reports go with the
    largest part). ECB+ lumps follow-ups weeks or years apart into one sub-topic (a cable cut in August
    and another in October); newsdesk's stories are single events, so both scores are reported."""
    from ..linking.features import parse_date

    members: dict[str, list[int]] = defaultdict(list)
    for i, label in enumerate(gold):
        members[label].append(i)
    out = list(gold)
    for label, indexes in members.items():
        dated = sorted((d, i) for i in indexes if (d := parse_date(articles[i].published)))
        part, previous, sizes = 0, None, defaultdict(int)
        for day, i in dated:
            if previous is not None and (day - previous).days > days:
                part += 1
            out[i], previous = f"{label}#{part}", day
            sizes[part] += 1
        largest = max(sizes, key=sizes.__getitem__) if sizes else 0
        for i in indexes:
            if parse_date(articles[i].published) is None:
                out[i] = f"{label}#{largest}"
    return out


def evaluate_stories(data_dir: Path) -> dict[str, Any]:
    """Story BCubed on ECB+ and MEANTIME, and the share of MEANTIME stories whose translations share a story."""
    from ..analysis import Analyzer
    from ..linking.pipeline import cluster_articles

    results: dict[str, Any] = {}
    for name in SETS:
        path = data_dir / "dev" / "clustering" / f"{name}.jsonl"
        if not path.is_file():
            continue
        started = time.perf_counter()
        articles, gold = load_set(path)
        analyses = list(Analyzer().analyze(articles))
        assignments = cluster_articles(zip(articles, analyses, strict=True))
        p, r, f = bcubed([a.story for a in assignments], gold)
        entry: dict[str, Any] = {
            "articles": len(articles),
            "gold_stories": len(set(gold)),
            "predicted_stories": len({a.story for a in assignments}),
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
            "storylines": len({a.storyline for a in assignments}),
            "copies": sum(1 for a in assignments if a.copy and a.copy.kind == "copy"),
            "translations": sum(1 for a in assignments if a.copy and a.copy.kind == "translation"),
        }
        p, r, f = bcubed([a.story for a in assignments], split_at_gaps(gold, articles))
        entry["event_gold"] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}
        if name == "meantime_airbus":
            by_story: dict[str, set[str]] = defaultdict(set)
            for label, assignment in zip(gold, assignments, strict=True):
                by_story[label].add(assignment.story)
            entry["translations_together"] = round(sum(len(s) == 1 for s in by_story.values()) / len(by_story), 4)
        entry["seconds"] = round(time.perf_counter() - started, 1)
        results[name] = entry
    return results


def fit_story_weights(data_dir: Path, l2: float = 1.0, steps: int = 6000) -> dict[str, Any]:
    """Fit the story score's logistic-regression weights on the dev sets.

    Articles are added in time order with their gold story (teacher forcing); every candidate
    story the clusterer would consider becomes one example, positive when it is the article's
    gold event. Plain gradient descent: a dozen features need nothing heavier.
    """
    import numpy as np

    from ..analysis import Analyzer
    from ..linking.pipeline import iter_features, time_order
    from ..linking.stories import FEATURES, StoryClusterer

    rows: list[list[float]] = []
    labels: list[float] = []
    for name in SETS:
        path = data_dir / "dev" / "clustering" / f"{name}.jsonl"
        if not path.is_file():
            continue
        articles, gold = load_set(path)
        items = list(iter_features(zip(articles, Analyzer().analyze(articles), strict=True)))
        clusterer = StoryClusterer()
        story_of_gold: dict[str, str] = {}
        gold_of_story: dict[str, str] = {}
        for i in time_order([features for features, _ in items]):
            features, mentions = items[i]
            for candidate in clusterer.candidates(features, mentions):
                rows.append(candidate.features)
                labels.append(float(gold_of_story[candidate.story] == gold[i]))
            assignment = clusterer.assign(features, mentions, story_of_gold.get(gold[i]))
            story_of_gold[gold[i]] = assignment.story
            gold_of_story[assignment.story] = gold[i]
    if not rows:
        return {}
    x = np.hstack([np.ones((len(rows), 1)), np.asarray(rows)])
    y = np.asarray(labels)
    weights = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-x @ weights))
        gradient = x.T @ (p - y) / len(y)
        gradient[1:] += l2 * weights[1:] / len(y)
        weights -= 0.5 * gradient
    return {
        "examples": len(rows),
        "positives": int(y.sum()),
        "weights": [round(float(w), 2) for w in weights],
        "features": ["intercept", *FEATURES],
    }
