"""Score cross-document entity identity on ECB+ and MEANTIME with BCubed, next to the exact-string and
last-word baselines, so that changes to linking are measured rather than guessed.

Gold mentions are the named people, organisations and places with a cross-document instance id; each
is mapped to the identity of the predicted mention that overlaps it most (none: a singleton of its
own), so mentions the NER misses count against us. Articles are read as `newsdesk analyze` reads
them (extracted, junk lines cut); gold offsets are carried over to the cleaned text, and gold
mentions in cut lines count as missed. Run `python -m newsdesk.evaluate.identities
[DATA_DIR]` to print the scores.
"""

from __future__ import annotations

import difflib
import json
import logging
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import EvaluationError
from ..model import Analysis, Article, Mention

__all__ = ["GoldMention", "bcubed", "evaluate_identities", "gold_mentions", "identity_scores"]

LOGGER = logging.getLogger(__name__)
SETS = {"ecbplus": "ecbplus_dev.jsonl", "meantime": "meantime_airbus.jsonl"}
NAMED_TAGS = frozenset(
    {"HUMAN_PART_PER", "HUMAN_PART_ORG", "HUMAN_PART_GPE", "HUMAN_PART_FAC", "LOC_GEO", "LOC_FAC", "PER", "ORG", "LOC"}
)
NOT_NAME_START = frozenset("the a an he she it they this that his her its their who which we i you".split())


@dataclass(slots=True, frozen=True)
class GoldMention:
    """A named mention with its cross-document instance."""

    article: str
    language: str | None
    start: int
    end: int
    text: str
    cluster: str


def evaluate_identities(
    data_dir: Path, stories: int | None = None, registry: Callable[[], Any] | None = None
) -> dict[str, Any]:
    """BCubed of `IdentityRegistry` and of both baselines on each set (MEANTIME also for English
    alone); `stories` keeps only the first stories of each set, for a quick check."""
    from ..linking.identities import IdentityRegistry

    results: dict[str, Any] = {}
    started = time.perf_counter()
    for name, filename in SETS.items():
        path = Path(data_dir) / "dev" / "clustering" / filename
        if not path.is_file():
            raise EvaluationError(f"{path}: gold set not found (expected under <data>/dev/clustering/)")
        results[name] = _evaluate_set(path, stories, registry or IdentityRegistry)
    results["seconds"] = round(time.perf_counter() - started, 1)
    return results


def identity_scores(
    gold: Sequence[GoldMention], predicted: Sequence[Hashable], found: Sequence[str | None]
) -> dict[str, Any]:
    """Ours and the baselines for these gold mentions, over all languages and per language.
    `found` is the text of the predicted mention each gold mention was mapped to (None: missed)."""
    scores: dict[str, Any] = {"all": _compare(gold, predicted, found)}
    languages = sorted({g.language for g in gold if g.language})
    if len(languages) > 1:
        for language in languages:
            keep = [i for i, g in enumerate(gold) if g.language == language]
            scores[language] = _compare(*([seq[i] for i in keep] for seq in (gold, predicted, found)))
    return scores


def bcubed(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> dict[str, float]:
    """BCubed precision, recall and F1 of a clustering of items against the gold clustering."""
    if not gold:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    gold_sets: dict[Hashable, set[int]] = defaultdict(set)
    predicted_sets: dict[Hashable, set[int]] = defaultdict(set)
    for i, (g, p) in enumerate(zip(gold, predicted, strict=True)):
        gold_sets[g].add(i)
        predicted_sets[p].add(i)
    precision = recall = 0.0
    for g, p in zip(gold, predicted, strict=True):
        shared = len(gold_sets[g] & predicted_sets[p])
        precision += shared / len(predicted_sets[p])
        recall += shared / len(gold_sets[g])
    precision, recall = precision / len(gold), recall / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def gold_mentions(record: dict[str, Any]) -> list[GoldMention]:
    """The record's named mentions of people, organisations and places that have an instance id,
    in the annotated sentences only (ECB+ annotates a selection)."""
    annotated = set(record.get("coref_sentences") or range(len(record.get("sentences", []))))
    return [
        GoldMention(record["id"], record.get("language"), m["start"], m["end"], m["text"], m["cluster"])
        for m in record.get("mentions", [])
        if m.get("kind") == "entity"
        and m.get("cluster")
        and m.get("tag") in NAMED_TAGS
        and m.get("sentence", 0) in annotated
        and _looks_named(m["text"])
    ]


def _evaluate_set(path: Path, stories: int | None, registry: Callable[[], Any]) -> dict[str, Any]:
    from ..analysis import Analyzer

    records = _ordered(_select(_read(path), stories))
    started = time.perf_counter()
    articles = _as_the_cli_reads(path, records)
    analyzer = Analyzer(registry=registry())
    analyses = {a.article: a for a in analyzer.analyze(articles)}
    cleaned = {a.id: a.text for a in articles}
    gold = [g for r in records for g in gold_mentions(r)]
    moved = {r["id"]: _offset_map(r["text"], cleaned.get(r["id"], "")) for r in records}
    found = [_overlapping(_moved(g, moved[g.article]), analyses.get(g.article)) for g in gold]
    predicted = [analyzer.registry.resolve(m.entity) if m else f"unmatched-{i}" for i, m in enumerate(found)]
    result = identity_scores(gold, predicted, [m.text if m else None for m in found])
    result.update(
        articles=len(records),
        gold_mentions=len(gold),
        gold_instances=len({g.cluster for g in gold}),
        seconds=round(time.perf_counter() - started, 1),
    )
    LOGGER.info("%s: %s", path.name, result["all"])
    return result


def _compare(gold: Sequence[GoldMention], predicted: Sequence[Hashable], found: Sequence[str | None]) -> dict[str, Any]:
    """Ours; the baselines on the gold spans (as published) and on our spans (same mentions missed as
    ours, so the difference is linking alone); and the ceiling our missed mentions leave."""
    clusters = [g.cluster for g in gold]
    missed = [f"unmatched-{i}" for i in range(len(gold))]
    return {
        "ours": bcubed(clusters, predicted),
        "exact_string": bcubed(clusters, [g.text for g in gold]),
        "last_word": bcubed(clusters, [_last_word(g.text) for g in gold]),
        "exact_string_our_spans": bcubed(clusters, [f or m for f, m in zip(found, missed, strict=True)]),
        "last_word_our_spans": bcubed(
            clusters, [_last_word(f) if f else m for f, m in zip(found, missed, strict=True)]
        ),
        "ceiling_our_spans": bcubed(clusters, [c if f else m for c, f, m in zip(clusters, found, missed, strict=True)]),
        "mentions": len(gold),
        "mentions_found": sum(f is not None for f in found),
    }


def _as_the_cli_reads(path: Path, records: list[dict[str, Any]]) -> list[Article]:
    """The records' articles as `newsdesk analyze` sees them: extracted (junk lines cut, dates
    found), in the records' order."""
    from ..extraction import ExtractSettings, iter_extract
    from ..sources import iter_documents

    wanted = {r["id"] for r in records}
    extracted = {
        a.id: a
        for a in iter_extract(iter_documents([str(path)]), ExtractSettings())
        if isinstance(a, Article) and a.id in wanted
    }
    return [extracted[r["id"]] for r in records if r["id"] in extracted]


def _offset_map(original: str, cleaned: str) -> list[tuple[int, int, int]]:
    """Blocks of the original text found unchanged in the cleaned text: (original start, cleaned
    start, length). Gold offsets index the original; our spans index the cleaned text."""
    matcher = difflib.SequenceMatcher(None, original, cleaned, autojunk=False)
    return [(b.a, b.b, b.size) for b in matcher.get_matching_blocks() if b.size]


def _moved(gold: GoldMention, blocks: list[tuple[int, int, int]]) -> GoldMention:
    """The gold mention at its place in the cleaned text (an empty span when that text was cut)."""

    def where(offset: int) -> int | None:
        for a, b, size in blocks:
            if a <= offset < a + size:
                return b + offset - a
        return None

    start, last = where(gold.start), where(gold.end - 1)
    if start is None or last is None:
        return replace(gold, start=0, end=0)
    return replace(gold, start=start, end=last + 1)


def _last_word(text: str) -> str:
    return text.split()[-1]


def _overlapping(gold: GoldMention, analysis: Analysis | None) -> Mention | None:
    """The predicted mention, linked to an identity, that overlaps the gold one most."""
    best, overlap = None, 0
    for mention in analysis.mentions if analysis else ():
        shared = min(gold.end, mention.end) - max(gold.start, mention.start)
        if shared > overlap and mention.entity:
            best, overlap = mention, shared
    return best


def _looks_named(text: str) -> bool:
    words = text.split()
    return bool(words) and words[0][0].isupper() and words[0].lower() not in NOT_NAME_START


def _select(records: list[dict[str, Any]], stories: int | None) -> list[dict[str, Any]]:
    """All records, or those of the first `stories` stories (every language of each)."""
    if stories is None:
        return records
    chosen: list[str] = []
    for record in records:
        if record.get("story") not in chosen:
            chosen.append(record.get("story"))
    keep = set(chosen[:stories])
    return [r for r in records if r.get("story") in keep]


def _ordered(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Publication order when every record is dated, else file order (the registry is incremental)."""
    if all(r.get("published") for r in records):
        return sorted(records, key=lambda r: r["published"])
    return records


def _article(record: dict[str, Any]) -> Article:
    return Article(
        id=record["id"], text=record["text"], language=record.get("language"), published=record.get("published")
    )


def _read(path: Path) -> list[dict[str, Any]]:
    try:
        with path.open(encoding="utf-8") as lines:
            return [json.loads(line) for line in lines if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        raise EvaluationError(f"{path}: cannot read gold set ({exc})") from None


def _main(argv: Iterable[str]) -> None:
    args = list(argv)
    data_dir = Path(args[0]) if args else Path(__file__).resolve().parents[4] / "shared" / "data"
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    print(json.dumps(evaluate_identities(data_dir), indent=2))


if __name__ == "__main__":
    _main(sys.argv[1:])
