"""Time `newsdesk brief`'s own work for one story of 50 articles, against analysis and linking of
the same articles in the same process.

Articles: the first 50 of the ECB+ development set when ../shared is present (several
look-alike events, all treated as one story here so the brief has 50 articles to align),
else the demo corpus repeated with numbered ids. The brief must add at most 1 s.

    python benchmarks/brief_speed.py [--articles 50] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ECB = ROOT.parent / "shared" / "data" / "dev" / "clustering" / "ecbplus_dev.jsonl"
TARGET_SECONDS = 1.0


def _articles(n: int) -> list:
    from newsdesk.extraction import iter_extract
    from newsdesk.model import Article
    from newsdesk.sources import iter_documents

    source = ECB if ECB.is_file() else ROOT / "demo" / "corpus"
    found = [a for a in iter_extract(iter_documents([str(source)])) if isinstance(a, Article)]
    return [replace(found[i % len(found)], id=f"{found[i % len(found)].id}-{i}") for i in range(n)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    from newsdesk.analysis import Analyzer
    from newsdesk.linking.features import Embedder
    from newsdesk.linking.pipeline import cluster_articles
    from newsdesk.reconcile import build_brief

    articles = _articles(args.articles)
    Analyzer().analyze(articles[:1])  # load models outside the timings
    Embedder.model()
    upstream, brief_times = [], []
    for _ in range(args.runs):
        Embedder._cache.clear()  # nothing carried over between runs
        started = time.perf_counter()
        analyzer = Analyzer()
        analyses = [analyzer.resolve(a) for a in analyzer.analyze(articles)]
        assignments = cluster_articles(zip(articles, analyses, strict=True))
        middle = time.perf_counter()
        one_story = [replace(a, story="one", storyline="one") for a in assignments]
        result = build_brief(articles, analyses, one_story, analyzer.registry.entities, analyzer.registry.resolve)
        done = time.perf_counter()
        upstream.append(middle - started)
        brief_times.append(done - middle)
    story = result["stories"][0]
    report = {
        "articles": len(articles),
        "facts": len(story["facts"]),
        "analysis_and_linking_s": round(min(upstream), 2),
        "brief_s": round(min(brief_times), 3),
        "brief_share_of_upstream": round(min(brief_times) / min(upstream), 3),
        "target_s": TARGET_SECONDS,
    }
    print(json.dumps(report, indent=2))
    return 0 if report["brief_s"] <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
