"""Dense-stream story benchmarks built from the dev data, where topic alone cannot separate events.

ECB+ topics lie far apart, so a rule fitted there can learn that "same week and a famous
name in common" means "same event". A real feed is a stream of many same-domain events:

- `semeval_stream`: every article of the SemEval-2022 Task 8 pairs (ten languages, one news
  period, no dates) clustered in one run, scored on the rated pairs: same story (Overall <= 1.5)
  must share a story, different (>= 3.5) must not.
- `undated`: a set with its publication dates removed, so time cannot tell look-alike events apart.
- `fortnight`: ten events of five reports each, dated inside two weeks, most reports naming the
  same head of state in their lead (a name in most of a stream's articles is no evidence).
"""

from __future__ import annotations

import csv
import random
import sys
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from ..model import Article, RawDocument

__all__ = [
    "DIFFERENT_STORY",
    "SAME_STORY",
    "RatedPair",
    "fortnight",
    "pair_scores",
    "read_semeval",
    "semeval_articles",
    "undated",
]

SAME_STORY = 1.5  # SemEval "Overall" is 1 (same) .. 4 (unrelated); the task's own cut-offs for clear cases
DIFFERENT_STORY = 3.5


@dataclass(slots=True, frozen=True)
class RatedPair:
    first: str
    second: str
    same: bool  # rated the same story (True) or a different one (False)
    languages: str  # "de-en"


def read_semeval(path: Path) -> tuple[list[RawDocument], list[RatedPair]]:
    """The articles of the SemEval CSV (each once, as JSONL records would give them: id, text,
    language) and its clearly rated pairs."""
    csv.field_size_limit(sys.maxsize)
    documents: dict[str, RawDocument] = {}
    pairs: list[RatedPair] = []
    with path.open(encoding="utf-8", newline="") as stream:
        for row_number, row in enumerate(csv.DictReader(stream), start=2):
            ids = row["pair_id"].split("_")
            for doc_id, text, language in zip(
                ids, (row["text1"], row["text2"]), (row["lang1"], row["lang2"]), strict=True
            ):
                if doc_id not in documents and text.strip():
                    documents[doc_id] = RawDocument(
                        id=doc_id, source=f"{path.name}:{row_number}", kind="text", content=text, language=language
                    )
            overall = float(row["Overall"])
            if overall <= SAME_STORY or overall >= DIFFERENT_STORY:
                pairs.append(RatedPair(ids[0], ids[1], overall <= SAME_STORY, f"{row['lang1']}-{row['lang2']}"))
    return list(documents.values()), pairs


def semeval_articles(path: Path) -> tuple[list[Article], list[RatedPair]]:
    """The SemEval articles read as `newsdesk cluster` reads JSONL records, with the rated pairs."""
    from ..extraction import ExtractSettings, iter_extract

    documents, pairs = read_semeval(path)
    articles = [a for a in iter_extract(documents, ExtractSettings()) if isinstance(a, Article)]
    return articles, pairs


def pair_scores(story_of: dict[str, str], pairs: Sequence[RatedPair]) -> dict[str, float]:
    """Precision, recall and F1 of "shares a story" against the rated pairs (pairs with an article
    missing from the clustering count as not sharing one)."""
    tp = fp = fn = 0
    for pair in pairs:
        a, b = story_of.get(pair.first), story_of.get(pair.second)
        together = a is not None and a == b
        if pair.same:
            tp += together
            fn += not together
        else:
            fp += together
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "pairs": len(pairs)}


def undated(articles: Sequence[Article]) -> list[Article]:
    """Copies of the articles with their publication dates removed."""
    return [replace(article, published=None) for article in articles]


# A head of state who turns up in most reports of the fortnight, in their lead. Fictional, so no
# dev article names him by chance; the phrasings vary so the sentence itself is not a shared shingle.
HEAD_OF_STATE = "President Daniel Okafor"
_CAMEOS = (
    "{name}'s office said it was following the matter closely.",
    "The news came as {name} prepared for a week of meetings in Marovia's capital.",
    "{name} was briefed on the events, a spokesman for Marovia's government said.",
    "Opposition leaders in Marovia used the occasion to criticise {name}.",
    "It was another busy day for {name} and his cabinet in Marovia.",
    "Aides to {name} declined to comment further on Thursday.",
    "Marovia's {name} is expected to address the issue in a speech next week.",
)


# ECB+ topics by field: a fortnight drawn from one field is a stream of same-domain events.
ECB_FIELDS = {
    "crime": (3, 8, 13, 14, 16, 18, 19, 21, 22, 24, 26, 32, 33),
    "sports": (5, 7, 10, 25, 29, 31, 35),
}


def fortnight(
    articles: Sequence[Article],
    gold: Sequence[str],
    seed: int,
    topics: Collection[int] | None = None,
    events: int = 10,
    reports: int = 5,
    named_share: float = 0.85,
    start: date = date(2024, 3, 4),
) -> tuple[list[Article], list[str]]:
    """A synthetic fortnight: `events` gold events of the given ECB+ `topics` (at most two per
    topic, so look-alike events can share the fortnight) of `reports` articles each from five
    outlets, each event on its own day in two weeks and its reports within two days of it;
    `named_share` of the reports name the head of state in their lead. Deterministic for a seed."""
    rng = random.Random(seed)
    members: dict[str, list[int]] = defaultdict(list)
    for i, label in enumerate(gold):
        members[label].append(i)
    eligible = sorted(
        label
        for label, indexes in members.items()
        if len(indexes) >= reports and (topics is None or int(label.split("_")[0]) in topics)
    )
    rng.shuffle(eligible)
    chosen: list[str] = []
    per_topic: dict[str, int] = defaultdict(int)
    for label in eligible:
        topic = label.split("_")[0]
        if per_topic[topic] < 2 and len(chosen) < events:
            chosen.append(label)
            per_topic[topic] += 1
    out: list[Article] = []
    labels: list[str] = []
    for label in chosen:
        day = start + timedelta(days=rng.randrange(14))
        for outlet, i in enumerate(sorted(rng.sample(members[label], reports)), start=1):
            article = articles[i]
            text = article.text
            if rng.random() < named_share:
                text = _name_in_lead(text, rng.choice(_CAMEOS).format(name=HEAD_OF_STATE))
            published = day + timedelta(days=rng.randrange(3))
            out.append(
                replace(
                    article,
                    id=f"{article.id}@{seed}",
                    text=text,
                    published=published.isoformat(),
                    outlet=f"outlet-{outlet}",
                )
            )
            labels.append(label)
    order = sorted(range(len(out)), key=lambda k: (out[k].published or "", rng.random()))  # a feed: time order
    return [out[k] for k in order], [labels[k] for k in order]


def _name_in_lead(text: str, sentence: str) -> str:
    """The text with `sentence` after its first line or sentence (so it falls in the lead)."""
    cut = text.find("\n")
    if cut < 0 or cut > 400:
        dot = text.find(". ")
        cut = dot + 1 if 0 <= dot < 400 else len(text)
    return text[:cut] + "\n" + sentence + "\n" + text[cut:].lstrip("\n")


def topic_halves(topics: Sequence[str]) -> Iterator[tuple[str, list[int]]]:
    """Indexes of the even and of the odd ECB+ topics ("3_ecb" is topic 3)."""
    for name, parity in (("even_topics", 0), ("odd_topics", 1)):
        yield name, [i for i, t in enumerate(topics) if int(str(t).split("_")[0]) % 2 == parity]
