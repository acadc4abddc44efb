"""Server time of the web pages on a large store: the story list with 10,000 stories, and the
page of one story of 200 articles (its brief cached after the first view).

Builds a temporary SQLite store: 200 real articles (the first 200 of the ECB+ development set
when ../shared is present, else the demo corpus repeated with numbered ids) ingested with full
analysis and put into one story, plus synthetic stories of 1-3 articles up to 10,000 stories.
Times come from the app's Server-Timing header (median of repeated requests), next to a baseline
request for a static file in the same process. Targets: list < 200 ms, story < 300 ms.

    python benchmarks/web_speed.py [--stories 10000] [--story-articles 200] [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import warnings
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ECB = ROOT.parent / "shared" / "data" / "dev" / "clustering" / "ecbplus_dev.jsonl"
TARGETS_MS = {"list": 200.0, "story": 300.0}
PLACES = ["Orrin", "Quarrytown", "Port Ellery", "Valmora", "Kestrel Bay", "Ashgrove", "Tarn", "Millbrook"]
EVENTS = ["flood", "strike", "fire", "election", "storm", "trial", "summit", "outage"]


def _real_articles(n: int) -> list:
    from newsdesk.extraction import iter_extract
    from newsdesk.model import Article
    from newsdesk.sources import iter_documents

    source = ECB if ECB.is_file() else ROOT / "demo" / "corpus"
    found = [a for a in iter_extract(iter_documents([str(source)])) if isinstance(a, Article)]
    return [replace(found[i % len(found)], id=f"{found[i % len(found)].id}-{i}") for i in range(n)]


def _fill_synthetic(store, stories: int) -> None:  # type: ignore[no-untyped-def]
    """Stories of 1-3 short articles each, written straight to the tables (analysis is not timed here)."""
    from sqlalchemy import insert

    from newsdesk.store.schema import articles, story_articles
    from newsdesk.store.schema import stories as stories_table

    rng = random.Random(7)
    now = datetime.now(UTC)
    article_rows, story_rows, member_rows = [], [], []
    for n in range(stories):
        place, event = rng.choice(PLACES), rng.choice(EVENTS)
        day = (datetime(2024, 1, 1) + timedelta(days=n % 700)).date().isoformat()
        story = f"synthetic-story-{n}"
        story_rows.append(
            {
                "id": story,
                "storyline": story,
                "title": f"{event.title()} in {place} ({n})",
                "data": {},
                "updated_at": now - timedelta(seconds=n),
            }
        )
        for k in range(rng.randint(1, 3)):
            article = f"synthetic-{n}-{k}"
            text = f"A {event} hit {place} on {day}. Officials counted {rng.randint(2, 900)} people affected."
            article_rows.append(
                {
                    "id": article,
                    "title": f"{event.title()} in {place}",
                    "text": text,
                    "language": "en",
                    "published": day,
                    "outlet": f"Outlet {rng.randint(1, 40)}",
                    "url": None,
                    "author": None,
                    "removed": [],
                    "metadata": {},
                    "source": "synthetic",
                    "raw_kind": "text",
                    "raw": text,
                    "raw_hash": article,
                    "content_hash": article,
                    "version": 1,
                    "ingested_at": now,
                    "updated_at": now,
                }
            )
            member_rows.append({"story": story, "article": article, "copy_of": None, "copy_kind": None})
    with store.engine.begin() as conn:
        conn.execute(insert(articles), article_rows)
        conn.execute(insert(stories_table), story_rows)
        conn.execute(insert(story_articles), member_rows)


def _median_ms(client, url: str, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        times.append(float(response.headers["server-timing"].split("dur=")[1]))
    return round(statistics.median(times), 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--story-articles", type=int, default=200)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient
    from sqlalchemy import delete, insert, update

    from newsdesk.analysis import Analyzer
    from newsdesk.ingest import ingest
    from newsdesk.store import Store
    from newsdesk.store.schema import stories as stories_table
    from newsdesk.store.schema import story_articles
    from newsdesk.web import WebSettings, create_app

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.db"
        started = time.perf_counter()
        with Store(db) as store:
            big = _real_articles(args.story_articles)
            ingest(big, store, Analyzer())
            with store.engine.begin() as conn:  # one story of all of them, however they clustered
                conn.execute(delete(story_articles).where(story_articles.c.article.in_([a.id for a in big])))
                conn.execute(delete(stories_table))
                conn.execute(
                    insert(stories_table).values(
                        id="big-story",
                        storyline="big-story",
                        title="Two hundred reports",
                        data={},
                        updated_at=datetime.now(UTC) + timedelta(days=1),
                    )
                )
                conn.execute(insert(story_articles), [{"story": "big-story", "article": a.id} for a in big])
            _fill_synthetic(store, args.stories - 1)
            with store.engine.begin() as conn:
                conn.execute(update(stories_table).where(stories_table.c.id == "big-story").values(data={}))
        build_s = time.perf_counter() - started
        client = TestClient(create_app(WebSettings(str(db))))
        baseline = _median_ms(client, "/static/app.css", args.runs)
        cold = time.perf_counter()
        client.get("/stories/big-story")  # computes and caches the brief
        cold_s = time.perf_counter() - cold
        result = {
            "stories": args.stories,
            "story_articles": args.story_articles,
            "build_s": round(build_s, 1),
            "baseline_static_ms": baseline,
            "list_ms": _median_ms(client, "/", args.runs),
            "list_page_50_ms": _median_ms(client, "/?offset=5000", args.runs),
            "list_search_ms": _median_ms(client, "/?q=flood+Orrin", args.runs),
            "api_stories_ms": _median_ms(client, "/api/stories", args.runs),
            "story_ms": _median_ms(client, "/stories/big-story", args.runs),
            "story_first_view_s": round(cold_s, 2),
            "sources_view_ms": _median_ms(client, "/stories/big-story/sources", args.runs),
            "targets_ms": TARGETS_MS,
        }
        result["list_vs_baseline"] = round(result["list_ms"] / max(baseline, 0.1), 1)
        result["story_vs_baseline"] = round(result["story_ms"] / max(baseline, 0.1), 1)
    print(json.dumps(result, indent=2))
    ok = result["list_ms"] < TARGETS_MS["list"] and result["story_ms"] < TARGETS_MS["story"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
