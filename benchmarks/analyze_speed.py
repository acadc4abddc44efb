"""Time `Analyzer.analyze` against running the same spaCy pipeline alone over the same texts.

Both use the one loaded English pipeline (same components), in this process,
best of N runs each. Texts: the ECB+ development articles when ../shared is
present, else the demo corpus repeated. Prints times, throughput and the ratio.

    python benchmarks/analyze_speed.py [--runs 3] [--limit 300]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ECB = ROOT.parent / "shared" / "data" / "dev" / "clustering" / "ecbplus_dev.jsonl"
TARGET_RATIO = 1.5


def _articles(limit: int) -> list:
    from newsdesk.extraction import iter_extract
    from newsdesk.model import Article
    from newsdesk.sources import iter_documents

    if ECB.is_file():
        items = []
        with ECB.open(encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                items.append(Article(id=record["id"], text=record["text"], language="en"))
                if len(items) >= limit:
                    break
        return items
    demo = [a for a in iter_extract(iter_documents([ROOT / "demo" / "corpus"])) if isinstance(a, Article)]
    english = [a for a in demo if a.language == "en"]
    return [
        Article(id=f"{a.id}-{i}", text=a.text, language="en") for i in range(limit // len(english) + 1) for a in english
    ][:limit]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=int, default=300, help="number of articles")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    from newsdesk.analysis import Analyzer
    from newsdesk.analysis.models import load_pipeline

    articles = _articles(args.limit)
    texts = [a.text for a in articles]
    nlp = load_pipeline("en").nlp
    list(nlp.pipe(texts[:5]))  # warm up
    analyzer = Analyzer()
    spacy_times, ours = [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=32):
            pass
        spacy_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        for _analysis in analyzer.analyze(articles):
            pass
        ours.append(time.perf_counter() - start)
    base, mine = min(spacy_times), min(ours)
    chars = sum(len(t) for t in texts)
    result = {
        "articles": len(texts),
        "characters": chars,
        "spacy_pipeline_alone_s": round(base, 2),
        "newsdesk_analyze_s": round(mine, 2),
        "articles_per_s": round(len(texts) / mine, 1),
        "ratio": round(mine / base, 2),
        "target": TARGET_RATIO,
    }
    print(json.dumps(result, indent=2))
    return 0 if result["ratio"] <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
