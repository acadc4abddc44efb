"""A bounded load test of `newsdesk serve` over loopback: readers, API writers and an analysing
`newsdesk ingest` run against one SQLite store at once. No 5xx, every submission answered 2xx, the
ingest succeeds, and afterwards every submitted and every ingested article is in the store, analysed
and in a story.

Both writers analyse, so both write entities and stories: they must take turns on the store's writer
lock (without it, one of them failed on the other's entity, UNIQUE constraint failed: entities.id).
The server loads its analysis models on the first submission, and a story's first brief imports the
reconciliation code (several seconds each); both happen while the readers run, so the load phase also
covers the server's cold start under traffic. About 20 s on two cores.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from newsdesk.web.paths import quote_id

httpx = pytest.importorskip("httpx")

KEY = "load-test-key"
LOAD_SECONDS = 4.0  # the least time readers and writers run side by side
HARD_LIMIT = 90.0  # the load phase fails past this, whatever is still running (it takes ~20 s)
POSTERS = 2
READERS = 3
POSTS_EACH = 2  # requests per writer thread at least (every second one a batch of two)
PAUSE = 0.05  # seconds between a reader's requests: load, without starving the writers of the server's GIL
INGESTED = 8  # articles in the `newsdesk ingest` run beside the server
SEED = ["seed/0 odd?#%", "seed/1 odd?#%", "seed/2\nline"]  # ids that need percent-encoding in a URL

PLACES = ["Port Elvan", "Marrowby", "Tollmere", "Quarrytown", "Aldgrove", "Fenwick", "Kestrel Bay", "Orrin"]
EVENTS = [
    ("dock workers ended a strike", "after the harbour board offered a pay rise of {n} percent"),
    ("the council voted to rebuild the sea wall", "at a cost of {n} million pounds, officials said"),
    ("the railway reopened", "{n} days after a landslide closed the line"),
    ("floodwater reached the town centre", "and {n} families left their homes overnight"),
    ("the water board cut supplies", "to {n} streets while engineers repaired a burst main"),
]


def _article(article_id: str, n: int) -> dict[str, Any]:
    """A short English news report, different for every n."""
    place = PLACES[n % len(PLACES)]
    what, detail = EVENTS[n % len(EVENTS)]
    figure = 10 + n
    text = (
        f"In {place}, {what} on Tuesday {detail.format(n=figure)}.\n\n"
        f"Residents of {place} said the decision had been expected for weeks. "
        f"Mayor Helen Carrow told reporters that {figure} inspectors would visit the site on Friday.\n\n"
        f"The regional authority said it would publish a full report on the events in {place} next month."
    )
    return {
        "id": article_id,
        "title": f"{place}: {what} ({figure})",
        "text": text,
        "outlet": f"Load Gazette {n % 3}",
        "published": f"2025-04-{1 + n % 28:02d}",
        "language": "en",
    }


def _write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _newsdesk(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsdesk", *args]


@dataclass
class Outcome:
    """What the threads saw; list.append is atomic, so threads share these without a lock."""

    statuses: list[tuple[str, str, int]] = field(default_factory=list)  # (method, url, status)
    errors: list[str] = field(default_factory=list)  # exceptions and broken expectations
    posted: list[str] = field(default_factory=list)  # ids whose POST was answered 2xx
    known_articles: list[str] = field(default_factory=list)  # ids a GET must find
    known_stories: list[str] = field(default_factory=list)
    posts_done: dict[int, int] = field(default_factory=dict)  # requests answered, by writer thread


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[bytes]]]:
    """A seeded store (stored without analysis: its articles have pages but no story yet) and a
    `newsdesk serve` on a free loopback port, writes on."""
    try:
        port = _free_port()
    except OSError as exc:
        pytest.skip(f"no loopback TCP: {exc}")
    db = tmp_path / "load.db"
    seed = tmp_path / "seed.jsonl"
    _write_jsonl(seed, [_article(article_id, n) for n, article_id in enumerate(SEED)])
    done = subprocess.run(
        _newsdesk("ingest", str(seed), "--db", str(db), "--no-analyze"), capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    env = {**os.environ, "NEWSDESK_API_KEY": KEY}
    env.pop("NEWSDESK_READ_KEY", None)
    log = (tmp_path / "server.log").open("wb")
    proc = subprocess.Popen(
        _newsdesk("serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)),
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the server exited with {proc.returncode}: {_tail(tmp_path / 'server.log')}")
            try:
                if httpx.get(f"{base}/api/articles?limit=1", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not answer within 30 s: {_tail(tmp_path / 'server.log')}")
            time.sleep(0.1)
        yield base, db, proc
    finally:
        proc.terminate()
        try:
            proc.wait(3)  # its brief warmer may be mid-brief: shutdown waits up to 5 s for it
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        log.close()


def _tail(path: Path, chars: int = 4000) -> str:
    return path.read_text(encoding="utf-8", errors="replace")[-chars:]


def _reader(base: str, n: int, stop: threading.Event, out: Outcome) -> None:
    fixed = [
        "/",
        "/api/stories",
        "/api/stories?q=harbour&limit=5",
        "/api/articles?limit=20",
        "/api/articles?q=strike%20harbour",
        "/search?q=Marrowby",
        "/search?q=%22sea%20wall%22%20OR",
        "/api/entities?q=Carrow",
        "/?since=2025-04-02&offset=1",
    ]
    step = n
    with httpx.Client(base_url=base, timeout=60) as client:
        while not stop.wait(PAUSE):
            step += 1
            choice = step % 4
            if choice == 0 or not (out.known_articles or out.known_stories):
                urls = [(fixed[step % len(fixed)], None)]
            elif choice in (1, 2) and out.known_articles:
                article = out.known_articles[step % len(out.known_articles)]
                urls = [(f"/api/articles/{quote_id(article)}", 200), (f"/articles/{quote_id(article)}", 200)]
            elif out.known_stories:
                story = out.known_stories[step % len(out.known_stories)]
                # a story can be merged into another by a later article: gone (404) is allowed
                urls = [(f"/api/stories/{quote_id(story)}", None), (f"/stories/{quote_id(story)}", None)]
            else:
                urls = [("/api/stories?limit=50", None)]
            for url, expected in urls:
                try:
                    response = client.get(url)
                except httpx.HTTPError as exc:
                    out.errors.append(f"GET {url}: {type(exc).__name__}: {exc}")
                    continue
                out.statuses.append(("GET", url, response.status_code))
                if expected is not None and response.status_code != expected:
                    out.errors.append(f"GET {url}: {response.status_code}, expected {expected}")
                if url.split("?")[0] == "/api/stories" and response.status_code == 200:
                    for item in response.json()["items"]:
                        if item["id"] not in out.known_stories:
                            out.known_stories.append(item["id"])


def _poster(base: str, n: int, stop: threading.Event, out: Outcome) -> None:
    headers = {"X-API-Key": KEY}
    sent = 0
    with httpx.Client(base_url=base, timeout=90, headers=headers) as client:
        while not stop.is_set() or sent < POSTS_EACH:
            sent += 1
            number = 100 * (n + 1) + sent
            ids = [f"post/{n}/{sent} ü?#%"]
            body: Any = _article(ids[0], number)
            if sent % 2 == 0:  # every second request a list of two
                ids.append(f"post/{n}/{sent}b")
                body = [body, _article(ids[1], number + 50)]
            try:
                response = client.post("/api/articles", json=body)
            except httpx.HTTPError as exc:
                out.errors.append(f"POST {ids}: {type(exc).__name__}: {exc}")
                continue
            finally:
                out.posts_done[n] = sent
            out.statuses.append(("POST", ",".join(ids), response.status_code))
            if not 200 <= response.status_code < 300:
                out.errors.append(f"POST {ids}: {response.status_code} {response.text[:500]}")
                continue
            report = response.json()
            if report["added"] + report["updated"] + report["unchanged"] != len(ids) or report["failed"]:
                out.errors.append(f"POST {ids}: {report}")
            out.posted.extend(ids)
            out.known_articles.extend(ids)


def test_readers_writers_and_an_ingest_side_by_side(
    server: tuple[str, Path, subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    base, db, proc = server
    out = Outcome(known_articles=list(SEED))
    ingested = [_article(f"ingest/{n}", 1000 + n) for n in range(INGESTED)]
    feed = tmp_path / "more.jsonl"
    _write_jsonl(feed, ingested)

    stop = threading.Event()
    threads = [threading.Thread(target=_reader, args=(base, n, stop, out), daemon=True) for n in range(READERS)]
    threads += [threading.Thread(target=_poster, args=(base, n, stop, out), daemon=True) for n in range(POSTERS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    cli_log = tmp_path / "ingest.log"
    with (tmp_path / "ingest.out").open("wb") as cli_out, cli_log.open("wb") as cli_err:
        cli = subprocess.Popen(
            _newsdesk("ingest", str(feed), "--db", str(db)),  # analysed: it writes entities and stories too
            stdout=cli_out,
            stderr=cli_err,
        )
        try:
            while time.monotonic() - started < HARD_LIMIT:
                writers_started = len(out.posts_done) == POSTERS  # each has had its first (slow) answer
                if time.monotonic() - started >= LOAD_SECONDS and writers_started and cli.poll() is not None:
                    break
                time.sleep(0.1)
            took = time.monotonic() - started
            stop.set()
            for thread in threads:
                thread.join(max(1.0, HARD_LIMIT + 30 - (time.monotonic() - started)))
            stuck = [t.name for t in threads if t.is_alive()]
        finally:
            stop.set()
            if cli.poll() is None:
                cli.kill()
                cli.wait(10)
    assert took < HARD_LIMIT, f"the load phase did not end within {HARD_LIMIT} s: {out.posts_done}, {cli.returncode}"
    assert not stuck, f"threads still waiting on the server: {stuck}"
    assert proc.poll() is None, "the server died under load"

    server_errors = [s for s in out.statuses if s[2] >= 500]
    assert not server_errors, server_errors[:20]
    assert not out.errors, out.errors[:20]
    assert cli.returncode == 0, _tail(cli_log)
    summary = json.loads((tmp_path / "ingest.out").read_text(encoding="utf-8").strip().splitlines()[-1])
    assert summary["added"] + summary["updated"] + summary["unchanged"] == INGESTED, summary
    assert len(out.posted) >= POSTERS * POSTS_EACH
    gets = sum(1 for s in out.statuses if s[0] == "GET")
    assert gets >= READERS * 3, f"only {gets} reads in the load phase"

    expected = set(out.posted) | {a["id"] for a in ingested} | set(SEED)
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        stored = {row[0] for row in connection.execute("select id from articles")}
        analysed = {row[0] for row in connection.execute("select id from articles where analyzed_hash is not null")}
    finally:
        connection.close()
    assert expected <= stored, sorted(expected - stored)[:20]
    # the seed was stored without analysis; everything else was analysed, none of it left half-written
    assert expected - analysed == set(SEED), sorted(expected - analysed)[:20]
    with httpx.Client(base_url=base, timeout=30) as client:
        listed = client.get("/api/articles", params={"limit": 1}).json()
        assert listed["total"] == len(stored)
        for article_id in [*out.posted, *(a["id"] for a in ingested)]:
            found = client.get(f"/api/articles/{quote_id(article_id)}")
            assert found.status_code == 200, article_id
            assert found.json()["story"], article_id
    log = _tail(tmp_path / "server.log", 20_000)
    assert "Traceback" not in log, log
