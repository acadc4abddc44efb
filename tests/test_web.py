"""The REST API and the pages (`newsdesk serve`), through FastAPI's test client, on the demo corpus
plus one hostile article."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.conftest import HOSTILE

from newsdesk.evaluate.brief import check_citations
from newsdesk.store import Store
from newsdesk.store.read import stale_briefs
from newsdesk.store.search import fts_query
from newsdesk.web import WebSettings, create_app

KEY = "test-write-key"


@pytest.fixture(scope="module")
def client(web_db: Path) -> TestClient:
    return TestClient(create_app(WebSettings(str(web_db))))


@pytest.fixture
def writable(web_db: Path, tmp_path: Path) -> TestClient:
    """A client over a copy of the database, with writes on."""
    db = tmp_path / "copy.db"
    shutil.copy(web_db, db)
    return TestClient(create_app(WebSettings(str(db), api_key=KEY)))


def _stories(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/api/stories", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_story_list_counts_articles_outlets_and_languages(client: TestClient, web_db: Path) -> None:
    page = _stories(client)
    with Store(web_db) as store:
        assert sum(item["articles"] for item in page["items"]) == store.count()
    assert page["total"] == len(page["items"]) >= 3
    accord = next(s for s in page["items"] if "Varsha" in (s["title"] or "") and s["languages"] == 2)
    assert accord["outlets"] >= 2
    assert accord["first_published"] <= accord["last_published"]


def test_story_list_pages(client: TestClient) -> None:
    everything = _stories(client)["items"]
    second = _stories(client, limit=1, offset=1)
    assert second["total"] == len(everything)
    assert [s["id"] for s in second["items"]] == [everything[1]["id"]]
    assert _stories(client, limit=1, offset=len(everything))["items"] == []
    assert client.get("/api/stories", params={"limit": 0}).status_code == 422
    assert client.get("/api/stories", params={"limit": 10_000}).status_code == 422


def test_story_filters_by_words_entity_dates_and_language(client: TestClient) -> None:
    bushfire = _stories(client, q="bushfire")["items"]
    assert bushfire
    assert all("Varsha" not in (s["title"] or "") for s in bushfire)
    entity = client.get("/api/entities", params={"q": "Brunner"}).json()["items"][0]
    named = {s["id"] for s in _stories(client, entity=entity["id"])["items"]}
    assert named
    assert named == {s["id"] for s in client.get(f"/api/entities/{entity['id']}").json()["stories"]["items"]}
    assert not named & {s["id"] for s in bushfire}
    assert _stories(client, since="2030-01-01")["total"] == 0
    early = _stories(client, until="2025-03-04")["items"]
    assert early
    assert all(s["first_published"][:10] <= "2025-03-04" for s in early)
    assert all(s["languages"] >= 1 for s in _stories(client, language="fr")["items"])
    assert _stories(client, language="fr")["total"] < _stories(client)["total"]


def test_story_has_a_brief_whose_citations_hold(client: TestClient, web_db: Path) -> None:
    page = _stories(client)
    checked = 0
    with Store(web_db) as store:
        for item in page["items"]:
            story = client.get(f"/api/stories/{item['id']}").json()
            assert len(story["articles"]) == item["articles"]
            brief = story["brief"]
            assert brief["id"] == item["id"]
            texts = {a["id"]: store.get(a["id"]).text for a in story["articles"]}
            assert check_citations({"stories": [brief]}, texts) == []
            checked += bool(brief["summary"])
    assert checked >= 2
    first = page["items"][0]
    paged = client.get(f"/api/stories/{first['id']}/articles", params={"limit": 2, "offset": 1}).json()
    assert paged["total"] == first["articles"]
    assert len(paged["items"]) == min(2, first["articles"] - 1)
    timeline = client.get(f"/api/stories/{first['id']}/timeline").json()
    assert all(entry["sources"] for entry in timeline["timeline"])


def test_article_carries_text_junk_and_annotation_spans(client: TestClient) -> None:
    listed = client.get("/api/articles", params={"limit": 100}).json()["items"]
    with_junk = 0
    for item in listed:
        article = client.get(f"/api/articles/{item['id']}").json()
        text = article["text"]
        for mention in article["annotations"]["entities"]:
            assert text[mention["start"] : mention["end"]] == mention["text"]
        assert article["story"]
        with_junk += bool(article["removed"])
    assert with_junk >= 1
    assert client.get("/api/articles/no-such-article").status_code == 404
    french = client.get("/api/articles", params={"language": "fr"}).json()
    assert french["total"] == len(french["items"]) >= 1
    assert french["total"] < len(listed)


def test_full_text_search_finds_words_and_treats_operators_as_text(client: TestClient) -> None:
    found = client.get("/api/articles", params={"q": "bushfire evacuat"}).json()
    assert found["total"] >= 1
    assert all(item["story"] for item in found["items"])
    assert client.get("/api/articles", params={"q": "Geneve"}).json()["total"] >= 1  # accents ignored
    for hostile_query in ['"', "NEAR(a b", "a OR", "*", "title:x", "\x00"]:
        assert client.get("/api/articles", params={"q": hostile_query}).status_code == 200
    assert fts_query('dam" OR (x') == '"dam" "OR" "x"*'


def test_entities_have_variants_and_stories(client: TestClient) -> None:
    people = client.get("/api/entities", params={"label": "PERSON"}).json()["items"]
    assert people
    assert all(p["label"] == "PERSON" for p in people)
    brunner = next(p for p in people if "Brunner" in p["name"])
    assert len(brunner["variants"]) >= 2
    detail = client.get(f"/api/entities/{brunner['id']}").json()
    assert detail["stories"]["total"] >= 1
    assert client.get("/api/entities/nobody").status_code == 404


def test_writes_are_off_without_a_configured_key(client: TestClient) -> None:
    response = client.post("/api/articles", json={"id": "x", "text": "Some text."})
    assert response.status_code == 403
    assert "NEWSDESK_API_KEY" in response.json()["detail"]


def test_writes_need_the_right_key(writable: TestClient) -> None:
    record = {"id": "x", "text": "Some text."}
    assert writable.post("/api/articles", json=record).status_code == 401
    assert writable.post("/api/articles", json=record, headers={"X-API-Key": "wrong"}).status_code == 401


def test_submitted_articles_are_stored_searchable_and_clustered(writable: TestClient) -> None:
    before = writable.get("/api/articles").json()["total"]
    record = {
        "id": "quarrytown-flood",
        "title": "Floodwater reaches Quarrytown",
        "published": "2025-04-02",
        "outlet": "Valley Courier",
        "text": "Floodwater from the Orrin river reached Quarrytown on Wednesday, and 300 residents left "
        "their homes. Mayor Tomasz Wielgus said the levee held for six hours before it gave way.",
    }
    response = writable.post("/api/articles", json={"articles": [record]}, headers={"Authorization": f"Bearer {KEY}"})
    assert response.status_code == 200, response.text
    assert response.json()["added"] == 1
    assert writable.get("/api/articles").json()["total"] == before + 1
    assert writable.get("/api/articles", params={"q": "Quarrytown levee"}).json()["items"][0]["id"] == record["id"]
    stored = writable.get(f"/api/articles/{record['id']}").json()
    assert stored["story"]
    assert any(e["text"] == "Tomasz Wielgus" for e in stored["annotations"]["entities"])


def test_submitted_files_are_read_like_ingest_reads_them(writable: TestClient) -> None:
    files = [
        (
            "files",
            (
                "harbour-strike.txt",
                b"Dockers strike at Port Ellery\n\nDock workers at Port Ellery walked out on "
                b"Monday over pay, and 40 ships waited offshore.\n",
                "text/plain",
            ),
        ),
        ("files", ("broken.jsonl", b'{"id": "a", "text": ""}\nnot json\n', "application/jsonl")),
    ]
    response = writable.post("/api/files", files=files, headers={"X-API-Key": KEY})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["added"] == 1
    assert {f["source"] for f in body["failed"]} == {"broken.jsonl:1", "broken.jsonl:2"}
    assert writable.get("/api/articles/harbour-strike").status_code == 200


def test_a_submission_with_nothing_readable_is_refused_with_reasons(writable: TestClient) -> None:
    response = writable.post("/api/articles", json=[{"title": "no id, no text"}], headers={"X-API-Key": KEY})
    assert response.status_code == 422
    failed = response.json()["detail"]["failed"]
    assert failed[0]["source"] == "request:1"
    assert "text" in failed[0]["error"]


def test_search_index_follows_updated_articles(writable: TestClient) -> None:
    changed = {**HOSTILE, "text": HOSTILE["text"].replace("Wednesday", "Saturday") + " Observers called it marmalade."}
    response = writable.post("/api/articles", json=changed, headers={"X-API-Key": KEY})
    assert response.json()["updated"] == 1
    assert writable.get("/api/articles", params={"q": "marmalade"}).json()["total"] == 1
    ids = [a["id"] for a in writable.get("/api/articles", params={"q": "Wednesday Kaltavia"}).json()["items"]]
    assert HOSTILE["id"] not in ids


def test_read_key_guards_reads_when_configured(web_db: Path) -> None:
    keyed = TestClient(create_app(WebSettings(str(web_db), read_key="reader")))
    assert keyed.get("/api/stories").status_code == 401
    assert keyed.get("/").status_code == 401
    assert keyed.get("/api/stories", headers={"X-API-Key": "reader"}).status_code == 200
    page = keyed.get("/")
    assert page.headers["www-authenticate"].startswith("Basic")  # a browser shows its login prompt
    assert keyed.get("/", auth=("anyone", "reader")).status_code == 200
    assert keyed.get("/", auth=("anyone", "wrong")).status_code == 401


def test_hostile_article_renders_as_text_everywhere(client: TestClient) -> None:
    article_page = client.get(f"/articles/{HOSTILE['id']}").text
    story_id = client.get(f"/api/articles/{HOSTILE['id']}").json()["story"]
    pages = [
        article_page,
        client.get(f"/stories/{story_id}").text,
        client.get(f"/stories/{story_id}/sources").text,
        client.get("/search", params={"q": "dam talks"}).text,
        client.get("/").text,
    ]
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in article_page
    assert "&lt;img src=x onerror=alert(4)&gt;" in article_page
    for page in pages:
        assert "<script" not in page
        assert "<img" not in page
        assert "<b onmouseover" not in page
        assert "javascript:" not in page


def test_pages_send_a_content_security_policy(client: TestClient) -> None:
    for url in ("/", "/api/stories", "/search?q=dam", "/no-such-page"):
        policy = client.get(url).headers["content-security-policy"]
        assert "default-src 'none'" in policy
        assert "script-src 'self'" in policy


def test_pages_render_and_link_to_each_other(client: TestClient) -> None:
    home = client.get("/")
    assert home.status_code == 200
    story_id = _stories(client)["items"][0]["id"]
    assert f'href="/stories/{story_id}"' in home.text
    story = client.get(f"/stories/{story_id}").text
    assert "Key facts" in story
    assert 'href="/entities/' in story
    assert f'href="/stories/{story_id}/sources"' in story
    sources = client.get(f"/stories/{story_id}/sources").text
    assert 'class="ann ann-entity"' in sources
    entity_link = story.split('href="/entities/', 1)[1].split('"', 1)[0]
    assert client.get(f"/entities/{entity_link}").status_code == 200
    search = client.get("/search", params={"q": "Brunner"}).text
    assert "Brunner" in search
    assert "Entities (" in search


def test_unknown_pages_are_html_404s_and_unknown_api_paths_json(client: TestClient) -> None:
    page = client.get("/stories/no-such-story")
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]
    assert "no-such-story" in page.text
    api = client.get("/api/stories/no-such-story")
    assert api.status_code == 404
    assert json.loads(api.text)["detail"]


def test_static_files_are_served_and_nothing_else(client: TestClient) -> None:
    css = client.get("/static/app.css")
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert client.get("/static/brief.css").status_code == 200
    assert client.get("/static/..%2f..%2fpyproject.toml").status_code == 404
    assert client.get("/static/__init__.py").status_code == 404


def test_openapi_schema_lists_the_api(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/api/stories", "/api/stories/{story_id}", "/api/articles", "/api/entities", "/api/files"} <= paths
    assert not any(p == "/" or p.startswith("/stories") for p in paths)


def test_large_stories_get_their_brief_ahead_of_the_first_view(web_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "warm.db"
    shutil.copy(web_db, db)
    client = TestClient(create_app(WebSettings(str(db))))
    largest = max(s["articles"] for s in client.get("/api/stories").json()["items"])
    with Store(db) as store, store.engine.connect() as conn:
        everything = stale_briefs(conn, min_articles=1)  # nothing cached in a fresh copy
    with TestClient(create_app(WebSettings(str(db), warm_min_articles=largest))) as warm_client:
        warmer = warm_client.app.state.newsdesk.warmer
        deadline = time.monotonic() + 120
        while not warmer.idle() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert warmer.done >= 1
    with Store(db) as store, store.engine.connect() as conn:
        assert stale_briefs(conn, min_articles=largest) == []
        left = stale_briefs(conn, min_articles=1)  # smaller stories wait for their first view
    assert 0 < len(left) < len(everything)
