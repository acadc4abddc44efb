"""Readers: every input kind becomes RawDocuments with the contract's ids and metadata."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsdesk.errors import InputError
from newsdesk.model import RawDocument
from newsdesk.sources import iter_documents


def _docs(*inputs: object, **kw: object) -> list[RawDocument | InputError]:
    return list(iter_documents([str(i) for i in inputs], **kw))


def test_text_file_id_is_stem_and_title_first_line(fixtures: Path) -> None:
    [doc] = _docs(fixtures / "harbour-strike.txt")
    assert isinstance(doc, RawDocument)
    assert doc.id == "harbour-strike"
    assert doc.kind == "text"
    assert doc.title == "Dockworkers end three-day strike at Port Selwyn after pay deal"
    assert doc.title_in_text


def test_html_file_is_html_kind(fixtures: Path) -> None:
    [doc] = _docs(fixtures / "harbour-strike.html")
    assert isinstance(doc, RawDocument)
    assert (doc.id, doc.kind) == ("harbour-strike", "html")


def test_jsonl_text_html_and_extra_keys(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    rows = [
        {"id": "a", "text": "Alpha body.", "outlet": "Wire", "published": "2025-01-02", "section": "world"},
        {"id": 7, "html": "<html><body><p>Numeric id page.</p></body></html>", "language": "en"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    a, b = _docs(path)
    assert isinstance(a, RawDocument)
    assert isinstance(b, RawDocument)
    assert (a.id, a.kind, a.outlet, a.published, a.metadata) == (
        "a",
        "text",
        "Wire",
        "2025-01-02",
        {"section": "world"},
    )
    assert (b.id, b.kind, b.language) == ("7", "html", "en")
    assert a.source == f"{path}:1"
    assert b.source == f"{path}:2"


def test_jsonl_without_id_uses_url(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"url": "https://example.org/a", "text": "Body text here."}) + "\n")
    [doc] = _docs(path)
    assert isinstance(doc, RawDocument)
    assert doc.id.startswith("url-")
    assert doc.id == _docs(path)[0].id  # stable across runs


def test_jsonl_bad_published_is_dropped_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "Body text.", "published": "last Tuesday"}) + "\n")
    [doc] = _docs(path)
    assert isinstance(doc, RawDocument)
    assert doc.published is None


def test_directory_is_recursive_sorted_and_skips_hidden_and_unknown(tmp_path: Path, fixtures: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("Title B\n\nBody of b.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Title A\n\nBody of a.", encoding="utf-8")
    (tmp_path / ".hidden" / "c.txt").write_text("Hidden\n\nSkip me.", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "page.html.gz").write_bytes(gzip.compress((fixtures / "harbour-strike.html").read_bytes()))
    ids = [d.id for d in _docs(tmp_path) if isinstance(d, RawDocument)]
    assert ids == ["a", "page", "b"]


def test_stdin_jsonl_and_text() -> None:
    lines = b'{"id": "s1", "text": "One."}\n{"id": "s2", "text": "Two."}\n'
    docs = list(iter_documents(["-"], stdin=io.BytesIO(lines)))
    assert [d.id for d in docs if isinstance(d, RawDocument)] == ["s1", "s2"]
    [doc] = list(iter_documents(["-"], stdin=io.BytesIO(b"A headline\n\nSome body text.")))
    assert isinstance(doc, RawDocument)
    assert doc.kind == "text"
    assert doc.id.startswith("stdin-")


def test_warc_responses_become_html_documents(tmp_path: Path, fixtures: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    html = (fixtures / "harbour-strike.html").read_bytes()
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, ctype, body in [
            ("https://coastal-courier.example/a", "text/html; charset=utf-8", html),
            ("https://coastal-courier.example/logo.png", "image/png", b"\x89PNG..."),
        ]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            writer.write_record(record)
    docs = _docs(path)
    assert len(docs) == 1
    doc = docs[0]
    assert isinstance(doc, RawDocument)
    assert doc.kind == "html"
    assert doc.url == "https://coastal-courier.example/a"
    assert doc.id.startswith("warc-")
    assert "Port Selwyn" in doc.content


def test_rss_and_atom_entries(fixtures: Path) -> None:
    rss = [d for d in _docs(fixtures / "feed.rss") if isinstance(d, RawDocument)]
    assert [d.title for d in rss] == ["Port Selwyn strike ends with pay deal", "Ferry timetable changes for summer"]
    assert rss[0].outlet == "The Coastal Courier"
    assert rss[0].published == "2025-05-12T18:30:00Z"
    assert rss[0].kind == "fragment"
    [atom] = _docs(fixtures / "feed.atom")
    assert isinstance(atom, RawDocument)
    assert atom.url == "https://harbour-notes.example/pilot-boats"


def test_jsonl_html_fragment_is_extracted(tmp_path: Path) -> None:
    from newsdesk.extraction import iter_extract
    from newsdesk.model import Article

    path = tmp_path / "frag.jsonl"
    html = "<p>The harbour reopened on Monday after a three-day strike.</p><p>Share this article</p>"
    path.write_text(json.dumps({"id": "f1", "title": "Harbour reopens", "html": html}) + "\n", encoding="utf-8")
    [article] = list(iter_extract(iter_documents([path])))
    assert isinstance(article, Article)
    assert article.text == "The harbour reopened on Monday after a three-day strike."
    assert article.removed == ["Share this article"]
