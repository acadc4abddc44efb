"""Scores for the per-article analysis: quote attribution, entity mentions, quantities, dates.

Gold comes from two places: the hand-made annotations of the project's demo
corpus (demo/gold/*.json, spans given as text + occurrence in the cleaned body)
and the entity mentions of the ECB+ and MEANTIME development sets.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import EvaluationError
from ..model import Analysis, Article, Mention, Quote

__all__ = ["PRF", "evaluate_analysis", "locate", "score_mentions", "score_quotes"]

QUOTE_OVERLAP = 0.3  # a predicted quote must cover this share of the gold quote
NAMED_TAGS = {"HUMAN_PART_PER", "HUMAN_PART_ORG", "HUMAN_PART_GPE", "LOC_GEO", "LOC_FAC", "PER", "ORG", "LOC"}
_NOT_NAME_START = frozenset("the a an he she it they this that his her its their who which we i you".split())
_FAMILY = {"GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}


@dataclass(slots=True)
class PRF:
    """Counts and the precision, recall and F1 they give."""

    tp: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: PRF) -> None:
        self.tp, self.predicted, self.gold = (
            self.tp + other.tp,
            self.predicted + other.predicted,
            self.gold + other.gold,
        )

    def to_json(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "predicted": self.predicted,
            "gold": self.gold,
        }


def locate(text: str, needle: str, occurrence: int = 0) -> tuple[int, int] | None:
    """Offsets of the n-th occurrence of `needle` in `text`, or None."""
    position = -1
    for _ in range(occurrence + 1):
        position = text.find(needle, position + 1)
        if position < 0:
            return None
    return position, position + len(needle)


def score_quotes(
    analysis: Analysis, gold: list[dict[str, Any]], speaker_forms: dict[str, set[str]], names: dict[str, set[str]]
) -> tuple[PRF, PRF]:
    """(attribution, span-only) counts for one article. A prediction matches a gold quote when it
    covers ≥30% of it; attribution also needs the speaker: the same person (by any of the gold
    entity's spellings) or, for an unnamed gold source, a prediction marked unnamed."""
    spans = [(locate(analysis.text, g["text"], g.get("occurrence", 0)), g) for g in gold]
    spans = [(s, g) for s, g in spans if s is not None]
    attribution, span_only = (
        PRF(predicted=len(analysis.quotes), gold=len(spans)),
        PRF(predicted=len(analysis.quotes), gold=len(spans)),
    )
    used: set[int] = set()
    used_span: set[int] = set()
    for (start, end), item in spans:
        candidates = [
            (i, q)
            for i, q in enumerate(analysis.quotes)
            if min(end, q.end) - max(start, q.start) >= QUOTE_OVERLAP * (end - start)
        ]
        free_span = [i for i, _ in candidates if i not in used_span]
        if free_span:
            used_span.add(free_span[0])
            span_only.tp += 1
        right = [i for i, q in candidates if i not in used and _same_speaker(q, item["speaker"], speaker_forms, names)]
        if right:
            used.add(right[0])
            attribution.tp += 1
    return attribution, span_only


def _same_speaker(quote: Quote, gold: str, speaker_forms: dict[str, set[str]], names: dict[str, set[str]]) -> bool:
    if gold.startswith("unnamed:"):
        return quote.unnamed
    if quote.entity is None:
        return False
    predicted = names.get(quote.entity, set()) | ({_key(quote.speaker)} if quote.speaker else set())
    gold_forms = speaker_forms.get(gold, set())
    return bool(predicted & gold_forms) or any(
        p.split()[-1] in {g.split()[-1] for g in gold_forms} for p in predicted if p and len(p.split()[-1]) > 3
    )


def score_mentions(predicted: list[Mention], gold: list[tuple[int, int, str]], typed: bool = True) -> PRF:
    """Mention detection: a prediction matches a gold mention it overlaps by half of the longer span
    (with a compatible type when `typed`); each gold mention is matched once."""
    counts = PRF(predicted=len(predicted), gold=len(gold))
    used: set[int] = set()
    for start, end, label in gold:
        for i, mention in enumerate(predicted):
            if i in used:
                continue
            overlap = min(end, mention.end) - max(start, mention.start)
            if overlap <= 0 or overlap < 0.5 * max(end - start, mention.end - mention.start):
                continue
            if typed and _FAMILY.get(label, label) != _FAMILY.get(mention.label, mention.label):
                continue
            used.add(i)
            counts.tp += 1
            break
    return counts


def evaluate_analysis(demo_dir: Path, data_dir: Path | None = None) -> dict[str, Any]:
    """Scores on the demo corpus gold, and entity-mention scores on ECB+/MEANTIME when present."""
    from ..analysis import Analyzer

    analyzer = Analyzer()
    started = time.perf_counter()
    results: dict[str, Any] = {"demo": _demo_scores(analyzer, demo_dir)}
    if data_dir is not None and (data_dir / "dev" / "clustering").is_dir():
        for name in ("ecbplus_dev", "meantime_airbus"):
            path = data_dir / "dev" / "clustering" / f"{name}.jsonl"
            if path.is_file():
                results[name] = _mention_set_scores(analyzer, path)
    results["seconds"] = round(time.perf_counter() - started, 1)
    return results


def _demo_scores(analyzer: Any, demo_dir: Path) -> dict[str, Any]:
    from ..extraction import iter_extract
    from ..sources import iter_documents

    gold = {name: _load(demo_dir / "gold" / f"{name}.json") for name in ("quotes", "entities", "quantities", "dates")}
    articles = [a for a in iter_extract(iter_documents([demo_dir / "corpus"])) if isinstance(a, Article)]
    titles = {a.id: a.title for a in articles}
    analyses = {a.article: _body(analyzer.resolve(a), titles.get(a.article)) for a in analyzer.analyze(articles)}
    names = {e.id: {_key(v) for v in [e.name, *e.variants]} for e in analyzer.registry.entities.values()}
    forms: dict[str, set[str]] = {k: {_key(v["name"])} for k, v in gold["entities"]["entities"].items()}
    for items in gold["entities"]["mentions"].values():
        for item in items:
            forms.setdefault(item["entity"], set()).add(_key(item["text"]))
    attribution, spans, direct, reported, english = PRF(), PRF(), PRF(), PRF(), PRF()
    mentions_typed, mentions_any = PRF(), PRF()
    for article_id, analysis in analyses.items():
        quotes = gold["quotes"].get(article_id, [])
        a, s = score_quotes(analysis, quotes, forms, names)
        attribution.add(a)
        spans.add(s)
        if analysis.language == "en":
            english.add(a)
        for kind, bucket in ((True, direct), (False, reported)):
            subset = [q for q in quotes if q["direct"] == kind]
            view = Analysis(analysis.article, analysis.text, quotes=[q for q in analysis.quotes if q.direct == kind])
            bucket.add(score_quotes(view, subset, forms, names)[0])
        gold_mentions = list(_located(analysis.text, gold["entities"]["mentions"].get(article_id, [])))
        mentions_typed.add(score_mentions(analysis.mentions, gold_mentions))
        mentions_any.add(score_mentions(analysis.mentions, gold_mentions, typed=False))
    return {
        "articles": len(analyses),
        "quote_attribution": attribution.to_json(),
        "quote_attribution_english": english.to_json(),
        "quote_spans": spans.to_json(),
        "direct_quotes": direct.to_json(),
        "reported_quotes": reported.to_json(),
        "entity_mentions": mentions_typed.to_json(),
        "entity_mentions_untyped": mentions_any.to_json(),
        "quantities": _value_scores(analyses, gold["quantities"], "quantities"),
        "dates": _value_scores(analyses, gold["dates"], "dates"),
    }


def _body(analysis: Analysis, title: str | None) -> Analysis:
    """The analysis of the body alone: the demo gold is annotated on the text below the headline
    (text handed in as text keeps its headline as the first paragraph)."""
    if not title or not analysis.text.startswith(title + "\n\n"):
        return analysis
    cut = len(title) + 2

    def shifted(items: list) -> list:
        return [replace(item, start=item.start - cut, end=item.end - cut) for item in items if item.start >= cut]

    quotes = [
        replace(
            q,
            speaker_start=q.speaker_start - cut if q.speaker_start is not None else None,
            speaker_end=q.speaker_end - cut if q.speaker_end is not None else None,
        )
        for q in shifted(analysis.quotes)
    ]
    return Analysis(
        analysis.article,
        analysis.text[cut:],
        analysis.language,
        mentions=shifted(analysis.mentions),
        quotes=quotes,
        quantities=shifted(analysis.quantities),
        dates=shifted(analysis.dates),
    )


def _value_scores(analyses: dict[str, Analysis], gold: dict[str, list[dict[str, Any]]], layer: str) -> dict[str, Any]:
    """Span detection (overlap) and, for matched spans, the share with the right value."""
    found, right = PRF(), 0
    for article_id, analysis in analyses.items():
        predicted = getattr(analysis, layer)
        items = [(locate(analysis.text, g["text"], g.get("occurrence", 0)), g) for g in gold.get(article_id, [])]
        items = [(s, g) for s, g in items if s is not None]
        found.predicted += len(predicted)
        found.gold += len(items)
        used: set[int] = set()
        for (start, end), item in items:
            match = next(
                (i for i, p in enumerate(predicted) if i not in used and p.start < end and start < p.end), None
            )
            if match is None:
                continue
            used.add(match)
            found.tp += 1
            right += _same_value(predicted[match].value, item.get("value"))
    return {**found.to_json(), "value_accuracy": round(right / found.tp, 4) if found.tp else 0.0}


def _same_value(predicted: Any, gold: Any) -> bool:
    if isinstance(gold, (int, float)) and isinstance(predicted, (int, float)):
        return abs(predicted - gold) <= 1e-6 * max(1.0, abs(gold))
    return predicted == gold


def _mention_set_scores(analyzer: Any, path: Path) -> dict[str, Any]:
    """Per language: recall of the set's named entity mentions, and the share of predictions that
    hit an annotated mention (a lower bound on precision: not every name is annotated)."""
    named_by_language: dict[str, PRF] = {}
    hits_by_language: dict[str, PRF] = {}
    articles, golds = [], {}
    for record in _records(path):
        sentences = set(record.get("coref_sentences") or range(len(record.get("sentences", []))))
        mentions = [m for m in record["mentions"] if m["kind"] == "entity" and m.get("sentence", 0) in sentences]
        golds[record["id"]] = (record, mentions, sentences)
        articles.append(
            Article(
                id=record["id"], text=record["text"], language=record.get("language"), published=record.get("published")
            )
        )
    for analysis in analyzer.analyze(articles):
        record, mentions, sentences = golds[analysis.article]
        bounds = [record["sentences"][i] for i in sentences if i < len(record.get("sentences", []))]
        predicted = [m for m in analysis.mentions if any(s <= m.start < e for s, e in bounds)]
        named = [(m["start"], m["end"], m["tag"]) for m in mentions if m["tag"] in NAMED_TAGS and _looks_named(m)]
        language = record.get("language", "?")
        named_by_language.setdefault(language, PRF()).add(score_mentions(predicted, named, typed=False))
        all_gold = [(m["start"], m["end"], m["tag"]) for m in mentions]
        hits_by_language.setdefault(language, PRF()).add(score_mentions(predicted, all_gold, typed=False))
    return {
        language: {
            "named_recall": round(named_by_language[language].recall, 4),
            "gold_named": named_by_language[language].gold,
            "precision_lower_bound": round(hits_by_language[language].precision, 4),
            "predicted": hits_by_language[language].predicted,
        }
        for language in sorted(named_by_language)
    }


def _looks_named(mention: dict[str, Any]) -> bool:
    words = mention["text"].split()
    return bool(words) and words[0][0].isupper() and words[0].lower() not in _NOT_NAME_START


def _located(text: str, items: Iterable[dict[str, Any]]) -> Iterator[tuple[int, int, str]]:
    for item in items:
        span = locate(text, item["text"], item.get("occurrence", 0))
        if span is not None:
            yield span[0], span[1], item.get("label", "")


def _records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _load(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise EvaluationError(f"{path}: cannot read gold file ({exc})") from None


def _key(text: str | None) -> str:
    from ..analysis.entities import name_key

    return name_key(text or "")
