"""The web app under hostile load: errors that keep their security headers, writes refused before
their body is read, bodies bounded, ids that are not URL-safe, and concurrent first views of a
brief that make it once."""

from __future__ import annotations

import asyncio
import html
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update

import newsdesk.reconcile
from newsdesk.analysis import Analyzer
from newsdesk.errors import NewsdeskError
from newsdesk.ingest import ingest
from newsdesk.model import Article
from newsdesk.store import Store
from newsdesk.store.schema import stories
from newsdesk.web import WebSettings, create_app
from newsdesk.web import api as web_api
from newsdesk.web import pages as web_pages
from newsdesk.web.security import HEADERS

KEY = "hostile-key"


def _copy(web_db: Path, tmp_path: Path) -> Path:
    db = tmp_path / "copy.db"
    shutil.copy(web_db, db)
    return db


def _has_security_headers(response: Any) -> bool:
    return all(response.headers.get(name) == value for name, value in HEADERS.items())


# --- 1. errors -----------------------------------------------------------------------------------


def test_unhandled_errors_are_short_and_keep_the_security_headers(
    web_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("database at /srv/secret/news.db is on fire")

    monkeypatch.setattr(web_pages, "list_stories", broken)
    monkeypatch.setattr(web_api, "list_stories", broken)
    client = TestClient(create_app(WebSettings(str(web_db))), raise_server_exceptions=False)

    page = client.get("/")
    assert page.status_code == 500
    assert _has_security_headers(page)
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>" in page.text
    assert "secret" not in page.text
    assert "RuntimeError" not in page.text

    api = client.get("/api/stories")
    assert api.status_code == 500
    assert _has_security_headers(api)
    assert api.headers["content-type"] == "application/json"
    assert set(api.json()) == {"detail"}
    assert "secret" not in api.text
    assert "RuntimeError" not in api.text


def test_refusals_keep_the_security_headers(web_db: Path) -> None:
    client = TestClient(create_app(WebSettings(str(web_db), api_key=KEY, max_body_bytes=100)))
    responses = {
        404: client.get("/api/stories/no-such-story"),
        401: client.post("/api/articles", json={"id": "x", "text": "Some text."}),  # no key
        413: client.post("/api/articles", content=b"x" * 1000, headers={"X-API-Key": KEY}),  # too large
    }
    for status, response in responses.items():
        assert response.status_code == status
        assert _has_security_headers(response), status


# --- 2. writes: the key before the body, bodies bounded -----------------------------------------


def _asgi_post(app: FastAPI, path: str, chunks: list[bytes], headers: dict[str, str]) -> tuple[int, bytes, int]:
    """POST `chunks` straight through ASGI; the status, the body and how many chunks the app read."""
    read = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal read
        if read < len(chunks):
            read += 1
            return {"type": "http.request", "body": chunks[read - 1], "more_body": read < len(chunks)}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
        "state": {},
    }
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body, read


MB = [b"x" * 1_000_000] * 20  # a 20 MB body in 1 MB chunks, sent without Content-Length (chunked)


def test_writes_are_refused_before_the_body_is_read(web_db: Path) -> None:
    closed = create_app(WebSettings(str(web_db)))  # no API key: writes are off
    for path in ("/api/articles", "/api/files"):
        status, _, read = _asgi_post(closed, path, MB, {"content-type": "application/json"})
        assert (status, read) == (403, 0)

    keyed = create_app(WebSettings(str(web_db), api_key=KEY))
    for headers in ({}, {"X-API-Key": "wrong"}, {"Authorization": "Bearer wrong"}):
        status, _, read = _asgi_post(keyed, "/api/articles", MB, {"content-type": "application/json", **headers})
        assert (status, read) == (401, 0)


def test_a_wrong_key_is_401_whatever_the_body(web_db: Path) -> None:
    client = TestClient(create_app(WebSettings(str(web_db), api_key=KEY)))
    for body in (b"not json", b'{"id": ', b"\xff\xfe"):
        response = client.post(
            "/api/articles", content=body, headers={"X-API-Key": "wrong", "content-type": "application/json"}
        )
        assert response.status_code == 401, response.text


def test_bodies_over_the_limit_are_refused_while_streaming(web_db: Path, tmp_path: Path) -> None:
    settings = WebSettings(str(_copy(web_db, tmp_path)), api_key=KEY, max_body_bytes=2_500_000)
    app = create_app(settings)
    json_headers = {"content-type": "application/json", "X-API-Key": KEY}
    # chunked: the app stops reading once the count passes the limit, without buffering the rest
    status, body, read = _asgi_post(app, "/api/articles", MB, json_headers)
    assert status == 413
    assert read == 3
    assert b"2500000" in body
    # a declared Content-Length over the limit is refused before any of the body is read
    status, _, read = _asgi_post(app, "/api/articles", MB, {**json_headers, "content-length": str(20_000_000)})
    assert (status, read) == (413, 0)


def test_the_default_limits_refuse_a_huge_article_and_a_huge_upload(web_db: Path, tmp_path: Path) -> None:
    settings = WebSettings(str(_copy(web_db, tmp_path)), api_key=KEY)
    assert settings.max_body_bytes == 10_000_000
    assert settings.max_upload_bytes == 50_000_000
    client = TestClient(create_app(settings))
    huge = {"id": "huge", "text": "Floodwater reached the town. " * 400_000}  # 11.6 MB
    response = client.post("/api/articles", json=huge, headers={"X-API-Key": KEY})
    assert response.status_code == 413
    assert response.json()["detail"]
    small_uploads = TestClient(create_app(WebSettings(settings.db, api_key=KEY, max_upload_bytes=1000)))
    files = [("files", ("big.txt", b"Dock workers walked out.\n" * 100, "text/plain"))]
    assert small_uploads.post("/api/files", files=files, headers={"X-API-Key": KEY}).status_code == 413
    assert client.get("/api/articles/huge").status_code == 404


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDESK_MAX_BODY_BYTES", "1234")
    monkeypatch.setenv("NEWSDESK_MAX_UPLOAD_BYTES", "5678")
    settings = WebSettings.from_env("news.db")
    assert (settings.max_body_bytes, settings.max_upload_bytes) == (1234, 5678)
    assert WebSettings.from_env("news.db", max_body_bytes=99).max_body_bytes == 99
    monkeypatch.setenv("NEWSDESK_MAX_BODY_BYTES", "lots")
    with pytest.raises(NewsdeskError, match="NEWSDESK_MAX_BODY_BYTES"):
        WebSettings.from_env("news.db")


def test_broken_unicode_in_a_body_or_an_id_is_a_client_error(web_db: Path, tmp_path: Path) -> None:
    client = TestClient(create_app(WebSettings(str(_copy(web_db, tmp_path)), api_key=KEY)))
    headers = {"X-API-Key": KEY, "content-type": "application/json"}
    bodies = [
        b'{"id": "\\ud800", "text": "The levee held for six hours."}',  # valid JSON, not valid Unicode
        b'{"id": "ok", "text": "The levee held \\udfff for six hours."}',
        b'{"id": "\xff\xfe", "text": "The levee held for six hours."}',  # not UTF-8
    ]
    for body in bodies:
        response = client.post("/api/articles", content=body, headers=headers)
        assert 400 <= response.status_code < 500, (body, response.status_code, response.text)
    for path in ("/api/articles/%ED%A0%80", "/articles/%FF", "/api/stories/%ED%A0%80", "/stories/%FF%FE"):
        assert client.get(path).status_code == 404, path


# --- 3. ids that are not URL-safe ---------------------------------------------------------------

ODD_IDS = [
    "wire/2025/03/levee-holds",
    "feeds/../admin/levee-vote",
    "what?#now",
    "ledger/sources",  # its story's page must not be taken for the sources page of "story-ledger"
    "rates/100% up",
]
TOPICS = [
    "The Orrin levee held for six hours on Tuesday before engineers opened the spillway at Quarrytown.",
    "Councillors in Marrowby voted 7 to 2 to rebuild the harbour wall after the winter storms.",
    "The Kestrel Valley railway reopened on Friday after a landslide closed it for three weeks.",
    "Auditors found that the Fenwick water board spent 2 million pounds on unused pumps.",
    "Bakeries in Tollmere raised bread prices by 100 percent after the mill at Aldgrove burned down.",
]


@pytest.fixture(scope="module")
def odd_client(web_db: Path, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    db = tmp_path_factory.mktemp("odd") / "odd.db"
    shutil.copy(web_db, db)
    odd = [
        Article(id=i, text=f"{text}\n\n{text}", title=f"Odd id {n}", language="en", published=f"2025-05-0{n + 1}")
        for n, (i, text) in enumerate(zip(ODD_IDS, TOPICS, strict=True))
    ]
    with Store(db) as store:
        ingest(odd, store, Analyzer())
    return TestClient(create_app(WebSettings(str(db))))


def _links(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="(/(?:stories|articles|entities)/[^"]*)"', page)]


def test_odd_ids_are_linked_url_encoded_and_the_links_work(odd_client: TestClient) -> None:
    home = odd_client.get("/").text
    story_links = [link for link in _links(home) if link.startswith("/stories/")]
    seen: set[str] = set()
    article_links: set[str] = set()
    for story_link in story_links:
        story = odd_client.get(story_link)
        assert story.status_code == 200, story_link
        sources_link = next(link for link in _links(story.text) if link.endswith("/sources"))
        sources = odd_client.get(sources_link)
        assert sources.status_code == 200, sources_link
        for link in _links(story.text) + _links(sources.text):
            if link.startswith("/articles/"):
                article_links.add(link)
        seen.add(story_link)
    for link in article_links:
        article = odd_client.get(link)
        assert article.status_code == 200, link
        back = [b for b in _links(article.text) if b.startswith("/stories/")]
        assert back
        assert odd_client.get(back[0]).status_code == 200
    for odd in ODD_IDS:
        assert f"/articles/{quote(odd, safe='')}" in article_links, odd
        assert f"/stories/{quote('story-' + odd, safe='')}" in seen, odd
        record = odd_client.get(f"/api/articles/{quote(odd, safe='')}").json()
        assert record["id"] == odd
        story = odd_client.get(f"/api/stories/{quote(record['story'], safe='')}")
        assert story.status_code == 200
        assert odd in [a["id"] for a in story.json()["articles"]]


def test_an_encoded_slash_is_not_a_path_separator(odd_client: TestClient) -> None:
    own = odd_client.get(f"/stories/{quote('story-ledger/sources', safe='')}")
    assert own.status_code == 200
    assert "Sources side by side" not in own.text
    assert "Odd id 3" in own.text
    assert odd_client.get("/stories/story-ledger/sources").status_code == 404  # no story "story-ledger"
    # article ids with literal slashes are still served, as before
    assert odd_client.get("/api/articles/wire/2025/03/levee-holds").json()["id"] == "wire/2025/03/levee-holds"


# --- 4. briefs: one computation however many viewers ---------------------------------------------


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[list[str], threading.Event]]:
    """Brief computations, counted; each waits for the event (set by default) so that views overlap."""
    calls: list[str] = []
    release = threading.Event()
    release.set()
    real = newsdesk.reconcile.brief_stored

    def brief_stored(store: Store, group: str = "story", only: Any = ()) -> dict[str, Any]:
        calls.append(",".join(only))
        time.sleep(0.3)
        assert release.wait(60)
        return real(store, group, only)

    monkeypatch.setattr(newsdesk.reconcile, "brief_stored", brief_stored)
    yield calls, release
    release.set()


def _largest_story(db: Path) -> str:
    client = TestClient(create_app(WebSettings(str(db))))
    return max(client.get("/api/stories").json()["items"], key=lambda s: s["articles"])["id"]


def _set_brief(db: Path, story_id: str, change: Callable[[dict[str, Any]], None]) -> None:
    with Store(db) as store, store.engine.begin() as conn:
        data = dict(conn.execute(select(stories.c.data).where(stories.c.id == story_id)).scalar() or {})
        change(data)
        conn.execute(update(stories).where(stories.c.id == story_id).values(data=data))


def _at_once(count: int, view: Callable[[int], Any]) -> list[Any]:
    start = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(n: int) -> None:
        start.wait()
        results[n] = view(n)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def _story_app(web_db: Path, tmp_path: Path) -> tuple[Path, str, TestClient]:
    """A copy of the store, its largest story, and an app over it that makes no brief ahead of a view."""
    db = _copy(web_db, tmp_path)
    return db, _largest_story(db), TestClient(create_app(WebSettings(str(db), warm_min_articles=None)))


def test_concurrent_first_views_make_the_brief_once(
    web_db: Path, tmp_path: Path, counted: tuple[list[str], threading.Event]
) -> None:
    calls, _ = counted
    db, story_id, client = _story_app(web_db, tmp_path)
    _set_brief(db, story_id, lambda d: [d.pop("brief", None), d.pop("brief_key", None)])
    urls = [f"/stories/{story_id}", f"/api/stories/{story_id}", f"/api/stories/{story_id}/timeline"]
    responses = _at_once(9, lambda n: client.get(urls[n % 3]))
    assert [r.status_code for r in responses] == [200] * 9
    assert calls == [story_id]
    assert all("Key facts" in r.text for r in responses[::3])
    briefs = [r.json()["brief"] for r in responses[1::3]]
    assert all(b == briefs[0] and b["summary"] for b in briefs)


def test_a_stale_brief_is_shown_marked_while_one_new_brief_is_made(
    web_db: Path, tmp_path: Path, counted: tuple[list[str], threading.Event]
) -> None:
    calls, release = counted
    db, story_id, client = _story_app(web_db, tmp_path)
    assert "being updated" not in client.get(f"/stories/{story_id}").text  # makes the brief (or finds it made)
    calls.clear()
    # new articles arrived since the brief was made: its key no longer matches
    _set_brief(db, story_id, lambda d: d.update(brief_key="made-before-the-new-articles"))
    release.clear()  # the new brief takes as long as the test wants
    started = time.monotonic()
    responses = _at_once(8, lambda n: client.get(f"/stories/{story_id}" if n % 2 else f"/api/stories/{story_id}"))
    assert time.monotonic() - started < 20  # nobody waited for the new brief
    assert [r.status_code for r in responses] == [200] * 8
    assert all("being updated" in r.text and "Key facts" in r.text for r in responses[1::2])
    assert all(r.json()["brief_updating"] is True and r.json()["brief"]["summary"] for r in responses[::2])
    release.set()
    deadline = time.monotonic() + 60
    while "being updated" in client.get(f"/stories/{story_id}").text and time.monotonic() < deadline:
        time.sleep(0.1)
    assert client.get(f"/api/stories/{story_id}").json()["brief_updating"] is False
    assert "being updated" not in client.get(f"/stories/{story_id}").text
    assert calls == [story_id]
