"""Cost of adding articles to the story clusterer as the corpus grows.

Times adding 1,000 synthetic articles (median of three consecutive batches) to a
clusterer that already holds 1,000 articles, and to one that holds 100,000 (same generator: events of a few
articles each, spread over two years, with names, dates, words and the 5-grams of a 400-word
text), and reports the ratio and the process's peak memory. Embeddings are synthetic unit vectors, so
this measures the linking itself, not the encoder. It also reports the cost per
article of the same-event decision (evidence against each candidate story's core,
and the model), and its share of the whole.

    python benchmarks/cluster_scaling.py [--large 100000] [--batch 1000]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta

import numpy as np

from newsdesk.linking.features import ArticleFeatures
from newsdesk.linking.stories import StoryClusterer

TARGET_RATIO = 1.5
REPEATS = 3


def synthetic(n: int, seed: int, start: int = 0) -> Iterator[tuple[ArticleFeatures, Counter]]:
    """Articles of events: each event has a centre, 1-8 reports, two names, its own words and a day.
    Made one at a time, so the peak memory measured is the clusterer's, not the input's."""
    rng = np.random.default_rng(seed)
    made, i = 0, start
    day0 = date(2023, 1, 1)
    while made < n:
        centre = rng.normal(size=512).astype(np.float32)
        day = day0 + timedelta(days=int(i / n * 730) if n else 0)
        names = Counter({("PERSON", f"p{rng.integers(10**6)}"): 3, ("GPE", f"g{rng.integers(500)}"): 2})
        words = [f"w{w}" for w in rng.integers(50_000, size=40)]
        for _ in range(int(rng.integers(1, 9))):
            vector = centre + rng.normal(scale=0.35, size=512).astype(np.float32)
            vector /= np.linalg.norm(vector)
            head = vector + rng.normal(scale=0.2, size=512).astype(np.float32)
            terms = Counter(rng.choice(words, size=60).tolist())
            body = Counter(rng.choice(words, size=200).tolist())
            features = ArticleFeatures(
                id=f"a{i}",
                vector=vector,
                head_vector=head / np.linalg.norm(head),
                language="en",
                published=day,
                terms=terms,
                head=Counter(rng.choice(words, size=10).tolist()),
                body=body,
                shingles=text_shingles(rng, words),
            )
            if made == n:
                return
            yield features, names
            made += 1
            i += 1


def text_shingles(rng: np.random.Generator, words: list[str], size: int = 400) -> frozenset[str]:
    """Word 5-grams of a 400-word text (what a real article brings for copy detection)."""
    text = rng.choice(words, size=size + 4).tolist()
    return frozenset(" ".join(text[k : k + 5]) for k in range(size))


class _Timed:
    """Wraps the clusterer's decision (candidates: evidence and model) to time it."""

    def __init__(self, clusterer: StoryClusterer) -> None:
        self.seconds = 0.0
        self._candidates = clusterer.candidates
        clusterer.candidates = self  # type: ignore[method-assign]

    def __call__(self, *args: object, **kwargs: object) -> object:
        started = time.perf_counter()
        try:
            return self._candidates(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            self.seconds += time.perf_counter() - started


def time_batch(prefill: int, batch: int, repeats: int = REPEATS) -> tuple[float, float]:
    """Median time to add `batch` new articles, over `repeats` consecutive batches (one run's timing
    swings with what else the machine and the garbage collector are doing), and the median time of
    those batches spent deciding which story each article joins."""
    clusterer = StoryClusterer()
    for features, names in synthetic(prefill, seed=1):
        clusterer.add(features, names)
    timed = _Timed(clusterer)
    timings, deciding = [], []
    for r in range(repeats):
        extra = list(synthetic(batch, seed=2 + r, start=prefill + r * batch))
        for features, _ in extra:  # each batch follows the corpus in time
            features.published = date(2025, 1, 2 + r)
        timed.seconds = 0.0
        started = time.perf_counter()
        for features, names in extra:
            clusterer.add(features, names)
        timings.append(time.perf_counter() - started)
        deciding.append(timed.seconds)
    return statistics.median(timings), statistics.median(deciding)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1_000)
    args = parser.parse_args()
    small, small_decision = time_batch(args.small, args.batch)
    large, large_decision = time_batch(args.large, args.batch)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "batch": args.batch,
        f"add_to_{args.small}_s": round(small, 2),
        f"add_to_{args.large}_s": round(large, 2),
        "ratio": round(large / small, 2),
        "ms_per_article": round(1000 * large / args.batch, 2),
        "decision_ms_per_article": round(1000 * large_decision / args.batch, 2),
        "decision_share": round(large_decision / large, 2),
        "decision_ratio": round(large_decision / small_decision, 2) if small_decision else None,
        "peak_memory_mb": round(peak_mb),
        "target": TARGET_RATIO,
    }
    print(json.dumps(result, indent=2))
    return 0 if result["ratio"] <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
