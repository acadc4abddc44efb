"""Property tests of the API's input: whatever JSON (or bytes) a client POSTs to /api/articles and
whatever query string or id it GETs, the answer is never a 5xx, always carries the security headers,
and a submission is accepted (2xx) only when at least one of its records is a readable article.

Submissions are stored without analysis here (the analyzer is swapped for none): what is under test
is how the API reads its input, and loading the language models for whatever language arbitrary
text looks like would cost seconds per language. The tests at the end run the real analysis: on
English articles with any metadata, and on articles in a language
whose spaCy tokenizer needs a package newsdesk does not install.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, quote_from_bytes

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from newsdesk.sources.limits import MAX_DEPTH
from newsdesk.web import WebSettings, create_app
from newsdesk.web.app import AppState
from newsdesk.web.paths import quote_id
from newsdesk.web.security import HEADERS

KEY = "property-key"
WRITE = {"X-API-Key": KEY, "content-type": "application/json"}
SOME = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FEW = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# article texts the extraction keeps whole
TEXTS = [
    "The Orrin levee held for six hours on Tuesday before engineers opened the spillway at Quarrytown.",
    "Councillors in Marrowby voted 7 to 2 to rebuild the harbour wall after the winter storms.",
    "Les dockers du port de Tollmere ont repris le travail lundi après trois semaines de grève.",
    "Bakeries in Tollmere raised bread prices by 100 percent after the mill at Aldgrove burned down.",
]
ENGLISH = [t for t in TEXTS if not t.startswith("Les")]
SEEDED = ["seed/one", "seed two?#%", "9" * 40, "séed/ü 🙂"]  # stored before the tests: ids a GET finds

# --- strategies ----------------------------------------------------------------------------------

# text that may hold lone surrogates: json.dumps writes them as "\ud800" escapes, valid JSON that is
# not valid Unicode
any_text = st.text(st.characters(exclude_categories=()), max_size=30)
# past 64 bits and up to Python's limit of 4300 digits on reading an int from text
huge_ints = st.builds(lambda digits, sign: sign * (10**digits - 1), st.integers(19, 4300), st.sampled_from([1, -1]))
leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | huge_ints
    | st.floats()  # NaN and Infinity too: Python's JSON reads them
    | any_text
)
json_values = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
    max_leaves=15,
)
FIELDS = ["id", "text", "html", "title", "url", "outlet", "published", "language", "author"]
dates = (
    st.dates().map(str)
    | st.datetimes().map(lambda d: d.isoformat() + "Z")
    | st.sampled_from(
        ["1799-12-31", "1800-01-01", "2200-12-31T23:59:59+14:00", "2201-01-01", "0001-01-01", "2025-02-30", "now"]
    )
)
ids = st.text(max_size=20) | st.integers() | huge_ints | st.none() | json_values
records = st.fixed_dictionaries(
    {},
    optional={
        "id": ids,
        "text": st.sampled_from(TEXTS) | any_text | json_values,
        "html": st.sampled_from([f"<p>{t}</p>" for t in TEXTS]) | any_text | json_values,
        "title": json_values,
        "url": st.text(max_size=30) | json_values,
        "outlet": json_values,
        "published": dates | json_values,
        "language": st.sampled_from(["en", "fr", "xx", "", "EN-gb"]) | json_values,
        "author": json_values,
        "extra": json_values,
    },
) | st.dictionaries(st.sampled_from(FIELDS) | any_text, json_values, max_size=5)
# a record the API must take: an id with something in it and a text the extraction keeps
good_records = st.fixed_dictionaries(
    {"id": st.text(min_size=1, max_size=20).filter(str.strip), "text": st.sampled_from(TEXTS)},
    optional={
        "url": json_values,
        "outlet": json_values,
        "published": dates | json_values,
        "author": json_values,
        "metadata": json_values,
    },
)
items = records | good_records | json_values
bodies = (
    items | st.lists(items, max_size=5) | st.fixed_dictionaries({"articles": st.lists(items, max_size=5) | json_values})
)

# --- helpers -------------------------------------------------------------------------------------


class _NoAnalysis(AppState):
    """The app's state with no analyzer: submissions are stored, not analysed."""

    __slots__ = ()

    def analyzer(self) -> Any:
        return None


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("api-property") / "news.db"
    app = create_app(WebSettings(str(db), api_key=KEY))
    app.state.newsdesk.__class__ = _NoAnalysis
    with TestClient(app, raise_server_exceptions=False) as test_client:
        seed = [{"id": i, "text": t, "title": f"Seed {n}"} for n, (i, t) in enumerate(zip(SEEDED, TEXTS, strict=True))]
        assert test_client.post("/api/articles", json=seed, headers=WRITE).status_code == 200
        yield test_client


def _check_headers(response: Any) -> None:
    missing = {k: response.headers.get(k) for k, v in HEADERS.items() if response.headers.get(k) != v}
    assert not missing, (response.request.method, str(response.request.url)[:300], response.status_code, missing)


def _answered(response: Any) -> None:
    """Not a server error, and the security headers are there."""
    assert response.status_code < 500, (str(response.request.url)[:300], response.status_code, response.text[:500])
    _check_headers(response)


def _depth(value: Any) -> int:
    """How deep the deepest value sits: 0 for the value itself (iterative: bodies nest thousands deep)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


def _records(body: Any) -> list[Any]:
    """The records the API reads out of a body, as /api/articles documents it."""
    records = body.get("articles") if isinstance(body, dict) and "articles" in body else body
    return records if isinstance(records, list) else [records]


def _valid_unicode(value: Any) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, RecursionError):
        return False
    return True


def _readable(record: Any) -> bool:
    """Could the record be an article? (Necessary, not sufficient: the extraction may still find no
    article text in it.)"""
    if not isinstance(record, dict) or not _valid_unicode(record) or _depth(record) > MAX_DEPTH:
        return False
    html, text = record.get("html"), record.get("text")
    if not ((isinstance(html, str) and html.strip()) or (isinstance(text, str) and text.strip())):
        return False
    doc_id = record.get("id")
    if doc_id is None or (isinstance(doc_id, str) and not doc_id.strip()):
        url = record.get("url")
        return isinstance(url, str) and bool(url)
    return isinstance(doc_id, (str, int))


def _good(record: Any) -> bool:
    """A record the API must accept: readable, one of the known texts, no html to take its place."""
    if not _readable(record) or record.get("text") not in TEXTS or "html" in record or "title" in record:
        return False
    return isinstance(record.get("id"), int) or (isinstance(record.get("id"), str) and bool(record["id"].strip()))


def _check_submission(client: TestClient, body: Any, response: Any) -> None:
    _answered(response)
    records = _records(body)
    if 200 <= response.status_code < 300:
        assert any(_readable(r) for r in records), (body, response.text)
        report = response.json()
        stored = report["added"] + report["updated"] + report["unchanged"]
        assert 1 <= stored <= len(records) - len(report["failed"]), report
        assert len(report["failed"]) >= sum(not _readable(r) for r in records), report
    else:
        assert response.status_code in (400, 413, 422), (response.status_code, response.text[:500])
    good = [r for r in records if _good(r)]
    if good:
        assert response.status_code == 200, (good, response.text[:500])
        for record in good:
            found = client.get(f"/api/articles/{quote_id(record['id'])}")
            assert found.status_code == 200, (record["id"], found.text[:300])
            _check_headers(found)


# --- POST /api/articles --------------------------------------------------------------------------


@SOME
@given(body=bodies)
def test_any_json_body(client: TestClient, body: Any) -> None:
    # ensure_ascii: lone surrogates travel as "\udXXX" escapes; NaN and Infinity as Python writes them
    try:
        raw = json.dumps(body).encode("ascii")
    except (ValueError, RecursionError):
        assume(False)
    response = client.post("/api/articles", content=raw, headers=WRITE)
    _check_submission(client, body, response)


@FEW
@given(
    surrogate=st.integers(0xD800, 0xDFFF),
    where=st.sampled_from(["id", "text", "title", "key", "nested"]),
    with_good=st.booleans(),
)
def test_lone_surrogate_escapes_refuse_their_record_only(
    client: TestClient, surrogate: int, where: str, with_good: bool
) -> None:
    escape = f"\\u{surrogate:04x}"
    fields = {
        "id": f'"id": "s{escape}", "text": "{TEXTS[0]}"',
        "text": f'"id": "surrogate-text", "text": "{TEXTS[0]} {escape}"',
        "title": f'"id": "surrogate-title", "text": "{TEXTS[0]}", "title": "T {escape}"',
        "key": f'"id": "surrogate-key", "text": "{TEXTS[0]}", "k{escape}": 1',
        "nested": f'"id": "surrogate-nested", "text": "{TEXTS[0]}", "extra": [{{"a": ["{escape}"]}}]',
    }
    record = "{" + fields[where] + "}"
    good = {"id": f"good-beside-{surrogate}", "text": TEXTS[1]}
    raw = f"[{record}, {json.dumps(good)}]" if with_good else record
    response = client.post("/api/articles", content=raw.encode(), headers=WRITE)
    _answered(response)
    if with_good:
        assert response.status_code == 200, response.text
        assert len(response.json()["failed"]) == 1, response.text
    else:
        assert response.status_code == 422, response.text


@FEW
@given(
    depth=st.integers(1, 5000),
    shape=st.sampled_from(["array", "object", "in-record", "in-list"]),
    with_good=st.booleans(),
)
def test_deeply_nested_bodies(client: TestClient, depth: int, shape: str, with_good: bool) -> None:
    if shape == "array":
        nested = "[" * depth + "]" * depth
    elif shape == "object":
        nested = '{"a": ' * depth + "1" + "}" * depth
    else:
        nested = f'{{"id": "deep-{depth}", "text": "{TEXTS[2]}", "x": ' + "[" * depth + "]" * depth + "}"
    good = json.dumps({"id": f"beside-deep-{depth}", "text": TEXTS[3]})
    raw = f"[{nested}, {good}]" if with_good or shape == "in-list" else nested
    response = client.post("/api/articles", content=raw.encode(), headers=WRITE)
    _answered(response)
    deep_record_ok = shape == "in-record" and depth <= MAX_DEPTH  # its innermost list sits `depth` deep
    if with_good or shape == "in-list":
        # the good record is read unless the whole body is too deep to parse at all (400)
        assert response.status_code in (200, 400), response.text[:300]
    elif deep_record_ok:
        assert response.status_code == 200, response.text[:300]
    else:
        assert response.status_code in (400, 422), response.text[:300]


@FEW
@given(digits=st.integers(1, 20_000), where=st.sampled_from(["id", "published", "extra", "body"]))
def test_huge_integers(client: TestClient, digits: int, where: str) -> None:
    number = "9" * digits
    raw = {
        "body": number,
        "id": f'{{"id": {number}, "text": "{TEXTS[0]}"}}',
        "published": f'{{"id": "huge-published-{digits}", "text": "{TEXTS[0]}", "published": {number}}}',
        "extra": f'{{"id": "huge-extra-{digits}", "text": "{TEXTS[0]}", "extra": [{number}]}}',
    }[where]
    response = client.post("/api/articles", content=raw.encode(), headers=WRITE)
    _answered(response)
    if where == "body" or digits > 4300:  # past Python's limit on the digits of an int read from text
        assert response.status_code in (400, 422), response.text[:300]
    else:
        assert response.status_code == 200, response.text[:300]
        if where == "id":
            found = client.get(f"/api/articles/{number}")
            assert found.status_code == 200
            assert found.json()["id"] == number


@SOME
@given(
    data=st.binary(max_size=600)
    | st.sampled_from(
        [
            b"",
            b"\xef\xbb\xbf" + json.dumps({"id": "bom", "text": TEXTS[0]}).encode(),
            json.dumps({"id": "utf16", "text": TEXTS[0]}).encode("utf-16"),
            json.dumps({"id": "utf32", "text": TEXTS[0]}).encode("utf-32-le"),
            b'{"id": "trailing", "text": "x"} junk',
            b'{"id": "\xff\xfe", "text": "' + TEXTS[0].encode() + b'"}',
            b"NaN",
            b"[" * 100_000,
        ]
    ),
    content_type=st.sampled_from(
        [
            "application/json",
            "application/json; charset=utf-8",
            "application/json; charset=latin-1",
            "application/vnd.api+json",
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "multipart/form-data; boundary=xyz",
            "",
        ]
    ),
)
def test_any_bytes_as_the_body(client: TestClient, data: bytes, content_type: str) -> None:
    headers = {"X-API-Key": KEY, "content-type": content_type}
    response = client.post("/api/articles", content=data, headers=headers)
    _answered(response)
    if 200 <= response.status_code < 300:
        try:
            body = json.loads(data)
        except ValueError:
            pytest.fail(f"bytes that are not JSON were taken: {data[:200]!r} -> {response.text}")
        assert any(_readable(r) for r in _records(body)), (data[:200], response.text)
    else:
        assert response.status_code in (400, 413, 415, 422), (response.status_code, response.text[:300])
    json_type = content_type.startswith(("application/json", "application/vnd.api+json"))
    if data and not json_type:
        assert response.status_code == 415, (content_type, response.status_code, response.text[:300])


# --- GET with arbitrary query strings and ids ------------------------------------------------------

LISTS = ["/api/stories", "/api/articles", "/api/entities", "/", "/search"]
WITH_ID = [
    "/api/stories/{}",
    "/api/stories/{}/articles",
    "/api/stories/{}/timeline",
    "/api/articles/{}",
    "/api/entities/{}",
    "/stories/{}",
    "/stories/{}/sources",
    "/articles/{}",
    "/entities/{}",
    "/static/{}",
]
PARAMS = ["q", "limit", "offset", "since", "until", "entity", "language", "outlet", "label"]
param_values = (
    st.binary(max_size=40).map(lambda b: quote_from_bytes(b, safe=""))
    | st.text(max_size=40).map(lambda t: quote(t, safe=""))
    | st.integers().map(str)
    | huge_ints.map(str)
    | dates.map(lambda d: quote(d, safe=""))
    | st.sampled_from(["", "-1", "0", "1", "500", "501", "10000001", "1e3", "0x10", "%00", "%", "%zz", "+", "a+b"])
)
queries = st.lists(st.tuples(st.sampled_from(PARAMS) | st.text(max_size=5), param_values), max_size=6).map(
    lambda pairs: "&".join(f"{quote(k, safe='')}={v}" for k, v in pairs)
)
path_ids = (
    st.binary(min_size=1, max_size=40).map(lambda b: quote_from_bytes(b, safe=""))  # %FF, %2F, %00 ...
    | st.binary(min_size=1, max_size=40).map(lambda b: quote_from_bytes(b, safe="/"))  # literal slashes too
    | st.text(min_size=1, max_size=40).map(quote_id)
    | st.sampled_from([quote_id(i) for i in SEEDED] + ["..", "%2E%2E", "a/../b", "%2F", "%25", "%252F", "%"])
)


@SOME
@given(path=st.sampled_from(LISTS), query=queries)
def test_lists_with_any_query_string(client: TestClient, path: str, query: str) -> None:
    response = client.get(f"{path}?{query}")
    _answered(response)
    assert response.status_code in (200, 400, 404, 422), (query, response.status_code)


@SOME
@given(template=st.sampled_from(WITH_ID), article_id=path_ids, query=queries)
def test_any_id_in_a_path(client: TestClient, template: str, article_id: str, query: str) -> None:
    response = client.get(template.format(article_id) + (f"?{query}" if query else ""))
    _answered(response)
    assert response.status_code in (200, 400, 404, 405, 422), (article_id, response.status_code)


def test_seeded_ids_are_found_through_their_encoded_paths(client: TestClient) -> None:
    for article_id in SEEDED:
        for path in (f"/api/articles/{quote_id(article_id)}", f"/articles/{quote_id(article_id)}"):
            response = client.get(path)
            assert response.status_code == 200, path
            _check_headers(response)
    assert client.get("/api/articles/seed/one").status_code == 200  # literal slashes, as before


# --- with the real analysis ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def analysing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("api-property-analysed") / "news.db"
    with TestClient(create_app(WebSettings(str(db), api_key=KEY)), raise_server_exceptions=False) as test_client:
        yield test_client


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    batch=st.lists(
        st.fixed_dictionaries(
            {"id": st.text(min_size=1, max_size=12).filter(str.strip), "text": st.sampled_from(ENGLISH)},
            optional={
                "title": json_values,
                "url": json_values,
                "outlet": json_values,
                "published": dates | json_values,
                "author": json_values,
                "extra": json_values,
            },
        ).map(lambda record: {**record, "language": "en"}),
        min_size=1,
        max_size=3,
    )
)
def test_analysed_submissions_with_any_metadata(analysing: TestClient, batch: list[dict[str, Any]]) -> None:
    response = analysing.post("/api/articles", content=json.dumps(batch).encode(), headers=WRITE)
    _answered(response)
    taken = [r for r in batch if _valid_unicode(r)]  # lone surrogates refuse a record, nothing else does
    assert response.status_code == (200 if taken else 422), response.text[:500]
    for record in taken:
        found = analysing.get(f"/api/articles/{quote_id(record['id'])}")
        _answered(found)
        assert found.status_code == 200
        assert found.json()["story"], found.json()
        page = analysing.get(f"/articles/{quote_id(record['id'])}")
        _answered(page)
        assert page.status_code == 200


@pytest.mark.parametrize("language", ["ja", "th", "ko", "vi", "zh"])
def test_an_article_in_a_language_without_a_tokenizer_is_not_a_server_error(
    analysing: TestClient, language: str
) -> None:
    response = analysing.post(
        "/api/articles", json={"id": f"in-{language}", "text": TEXTS[0], "language": language}, headers=WRITE
    )
    _answered(response)
