"""Story clustering scores on every dev set and dense stream, for the shipped model and held out.

Sets (each read as `newsdesk cluster` reads it):

- `ecbplus`: ECB+ topics 1-35, two look-alike events per topic; BCubed F1 against the gold
  sub-topics (`raw`) and against them cut at week-long gaps between dated reports (`event`).
- `ecbplus_undated`: the same with publication dates removed, so time cannot tell events apart.
- `meantime`: thirty Wikinews stories in four languages each.
- `semeval`: every article of the SemEval-2022 Task 8 pairs (ten languages, one news period, no
  dates) in one run, scored on its rated pairs (`streams.pair_scores`).
- `fortnight_ecbplus`: ten ECB+ events of one field (crime, sports) in two weeks, most reports
  naming one head of state in their lead (`streams.fortnight`), several seeded draws.
- `fortnight_<name>`, `holdout_<name>`: the hand-written fortnights in `benchmarks/streams/` (ten
  events by five outlets each, one country's news, nearly everything naming its leader; Lusara's in
  five languages). The model is fitted on the `fortnight_` ones, never on the `holdout_` one.

`held_out` scores each set with a model fitted without it: ECB+ by topic halves, MEANTIME by
story halves, SemEval by halves of its pair graph, each hand-written fortnight left out whole.
Topic halves are reported per set so that a rule tuned to one half shows.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..model import Article
from .streams import ECB_FIELDS, RatedPair, fortnight, pair_scores

__all__ = [
    "Corpus",
    "bcubed",
    "evaluate_stories",
    "fit_same_event",
    "load_corpora",
    "load_set",
    "split_at_gaps",
]

STREAMS = Path(__file__).resolve().parents[3] / "benchmarks" / "streams"  # hand-written fortnights
FORTNIGHT_DRAWS = (("crime", range(6)), ("sports", range(4)))


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


def load_set(path: Path, key: str = "story") -> tuple[list[Article], list[str]]:
    """A clustering set read as the CLI reads it (junk filter, dates found in the text), with the gold
    story of each article from its `key` field."""
    from ..extraction import ExtractSettings, iter_extract
    from ..sources import iter_documents

    gold = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                record = json.loads(line)
                gold[str(record["id"])] = record[key]
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


@dataclass(slots=True)
class Corpus:
    """One evaluation set, analysed and featurised once: gold stories, or rated pairs."""

    name: str
    articles: list[Article]
    gold: list[str]  # gold story per article (for rated streams: the same-story pairs joined)
    features: list[Any] = field(default_factory=list)  # ArticleFeatures per article
    halves: list[int] = field(default_factory=list)  # 0/1 per article: which half it is held out in
    raw_gold: list[str] | None = None  # ECB+: the sub-topics before cutting at gaps
    pairs: list[RatedPair] | None = None  # SemEval: the rated pairs it is scored on
    train: bool = True  # whether the model learns from it (ECB+-built fortnights only test)
    topics: list[str] = field(default_factory=list)


def load_corpora(data_dir: Path | None, streams: Path = STREAMS, quick: bool = False) -> list[Corpus]:
    """Every set available: the dev sets under `data_dir` and the hand-written fortnights."""
    from .same_event import pair_components, same_story_groups
    from .streams import semeval_articles, undated

    corpora: list[Corpus] = []
    clustering = data_dir / "dev" / "clustering" if data_dir else None
    if clustering and (clustering / "ecbplus_dev.jsonl").is_file():
        articles, gold = load_set(clustering / "ecbplus_dev.jsonl")
        topics = [g.split("_")[0] for g in gold]
        halves = [int(t) % 2 for t in topics]
        corpora.append(Corpus("ecbplus", articles, split_at_gaps(gold, articles), halves=halves, raw_gold=gold))
        corpora[-1].topics = topics
        corpora.append(Corpus("ecbplus_undated", undated(articles), list(gold), halves=halves, topics=topics))
        if not quick:
            for field_name, seeds in FORTNIGHT_DRAWS:
                for seed in seeds:
                    drawn, labels = fortnight(articles, corpora[0].gold, seed, ECB_FIELDS[field_name])
                    corpora.append(Corpus(f"fortnight_ecbplus_{field_name}_{seed}", drawn, labels, train=False))
    if clustering and (clustering / "meantime_airbus.jsonl").is_file():
        articles, gold = load_set(clustering / "meantime_airbus.jsonl")
        order = {g: n for n, g in enumerate(sorted(set(gold)))}
        corpora.append(Corpus("meantime", articles, gold, halves=[order[g] % 2 for g in gold]))
    semeval = data_dir / "dev" / "similarity" / "semeval_train.csv" if data_dir else None
    if semeval and semeval.is_file() and not quick:
        articles, pairs = semeval_articles(semeval)
        components = pair_components(pairs)
        order = {c: n for n, c in enumerate(sorted(set(components.values())))}
        halves = [order[components[a.id]] % 2 if a.id in components else 0 for a in articles]
        gold = same_story_groups([a.id for a in articles], pairs)
        corpora.append(Corpus("semeval", articles, gold, halves=halves, pairs=pairs))
    for path in sorted(streams.glob("*.jsonl")) if streams.is_dir() else []:
        articles, gold = load_set(path, key="event")
        # holdout_* streams are never trained on: `make test` checks the shipped model on one
        corpora.append(Corpus(path.stem, articles, gold, train=not path.stem.startswith("holdout_")))
    return corpora


def featurise(corpora: Iterable[Corpus], log: Callable[[str], None] = lambda _: None) -> None:
    """Analyse every article and compute its linking features, as `newsdesk cluster` does."""
    from ..analysis import Analyzer
    from ..linking.pipeline import iter_features

    for corpus in corpora:
        started = time.perf_counter()
        analyses = list(Analyzer().analyze(corpus.articles))
        corpus.features = [f for f, _ in iter_features(zip(corpus.articles, analyses, strict=True))]
        log(f"{corpus.name}: {len(corpus.articles)} articles analysed in {time.perf_counter() - started:.0f} s")


def cluster(corpus: Corpus, model: Any = None, only: Sequence[int] | None = None, settings: Any = None) -> list[str]:
    """The story of each article (of `only`, when given) clustered in one run."""
    from ..linking.pipeline import cluster_features

    indexes = list(range(len(corpus.features))) if only is None else list(only)
    assignments = cluster_features([_fresh(corpus.features[i]) for i in indexes], settings, model)
    return [a.story for a in assignments]


def score(corpus: Corpus, stories: Sequence[str], only: Sequence[int] | None = None) -> dict[str, Any]:
    """Scores of a clustering of the corpus (or of the articles `only`)."""
    indexes = list(range(len(corpus.articles))) if only is None else list(only)
    if corpus.pairs is not None:
        story_of = {corpus.articles[i].id: s for i, s in zip(indexes, stories, strict=True)}
        wanted = {corpus.articles[i].id for i in indexes}
        return pair_scores(story_of, [p for p in corpus.pairs if p.first in wanted and p.second in wanted])
    gold = [corpus.gold[i] for i in indexes]
    p, r, f = bcubed(stories, gold)
    result: dict[str, Any] = {"f1": round(f, 4), "precision": round(p, 4), "recall": round(r, 4)}
    result |= {"articles": len(indexes), "gold_stories": len(set(gold)), "stories": len(set(stories))}
    if corpus.raw_gold is not None:
        result["raw_f1"] = round(bcubed(stories, [corpus.raw_gold[i] for i in indexes])[2], 4)
    if corpus.topics:  # ECB+: how the two topic halves fare within this clustering
        for half in (0, 1):
            part = [k for k, i in enumerate(indexes) if corpus.halves[i] == half]
            if part:
                f_half = bcubed([stories[k] for k in part], [gold[k] for k in part])[2]
                result[f"{'even' if half == 0 else 'odd'}_topics_f1"] = round(f_half, 4)
    return result


def evaluate_stories(
    data_dir: Path | None, held_out: bool = True, log: Callable[[str], None] = lambda _: None
) -> dict[str, Any]:
    """Scores of the shipped model on every set, and (held_out) of models fitted without each set."""
    corpora = load_corpora(data_dir)
    featurise(corpora, log)
    results: dict[str, Any] = {}
    for corpus in corpora:
        started = time.perf_counter()
        results[corpus.name] = {"shipped_model": score(corpus, cluster(corpus))}
        results[corpus.name]["seconds"] = round(time.perf_counter() - started, 1)
    draws = [results[c.name]["shipped_model"]["f1"] for c in corpora if c.name.startswith("fortnight_ecbplus")]
    if draws:
        results["fortnight_ecbplus_mean"] = {"f1": round(sum(draws) / len(draws), 4), "min": min(draws)}
    if held_out:
        for name, entry in held_out_scores(corpora, log).items():
            results[name]["held_out"] = entry
    return results


def held_out_scores(
    corpora: Sequence[Corpus], log: Callable[[str], None] = lambda _: None, settings: Any = None
) -> dict[str, Any]:
    """Each set scored with a model fitted without it (halves for the dev sets, whole for fortnights)."""
    from ..linking.same_event import SameEventModel
    from .same_event import fit_classifier

    examples = {c.name: corpus_examples(c) for c in corpora if c.train}
    out: dict[str, Any] = {}
    for corpus in corpora:
        if not corpus.train:
            continue
        if corpus.halves:
            parts = []
            for half in (0, 1):
                train = [ex.subset([h != half for h in ex.halves]) for ex in examples.values()]
                model = SameEventModel.of(fit_classifier(train))
                only = [i for i, h in enumerate(corpus.halves) if h == half]
                if corpus.pairs is not None:  # a rated stream is clustered whole, scored on the held-out pairs
                    stories = cluster(corpus, model, settings=settings)
                    keep = [i for i in range(len(corpus.articles)) if corpus.halves[i] == half]
                    parts.append(score(corpus, [stories[i] for i in keep], keep))
                else:
                    parts.append(score(corpus, cluster(corpus, model, only, settings), only))
            out[corpus.name] = {"halves": parts, **_pooled(parts)}
        else:
            train = [ex for name, ex in examples.items() if name != corpus.name]
            model = SameEventModel.of(fit_classifier(train))
            out[corpus.name] = score(corpus, cluster(corpus, model, settings=settings))
        log(f"{corpus.name}: held out {out[corpus.name].get('f1')}")
    return out


def _pooled(parts: Sequence[dict[str, Any]]) -> dict[str, float]:
    """Article-weighted (or pair-weighted) means of the halves' scores."""
    weights = [p.get("articles", p.get("pairs", 1)) for p in parts]
    total = sum(weights) or 1
    return {
        key: round(sum(p[key] * w for p, w in zip(parts, weights, strict=True)) / total, 4)
        for key in ("f1", "precision", "recall")
    }


def corpus_examples(corpus: Corpus) -> Any:
    """Training examples of a corpus, each tagged with the half of the article it was made for."""
    from .same_event import rated_examples, replay_examples

    features = [_fresh(f) for f in corpus.features]
    if corpus.pairs is not None:
        return rated_examples(corpus.name, features, corpus.pairs, corpus.gold, corpus.halves)
    return replay_examples(corpus.name, features, corpus.gold, corpus.halves or None)


def fit_same_event(
    data_dir: Path | None, out: Path | None = None, log: Callable[[str], None] = lambda _: None
) -> dict[str, Any]:
    """Fit the same-event model on every training set and write it into the package."""
    from ..linking import same_event
    from .same_event import fit_classifier, save_model

    corpora = [c for c in load_corpora(data_dir) if c.train]
    featurise(corpora, log)
    examples = [corpus_examples(c) for c in corpora]
    classifier = fit_classifier(examples)
    meta = {
        "sets": {ex.name: {"examples": len(ex.rows), "positives": int(sum(ex.labels))} for ex in examples},
        "fitted_by": "newsdesk eval stories --fit",
    }
    path = out or Path(same_event.__file__).with_name(same_event.MODEL_FILE)
    digest = save_model(classifier, path, meta)
    return {"model": str(path), "sha256": digest, **meta}


def _fresh(features: Any) -> Any:
    """A copy the clusterer may annotate (it sets MinHash values and mentions on what it is given)."""
    return replace(features)
