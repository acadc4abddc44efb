"""The SQLite store: idempotent ingest, in-place updates, WAL, schema ready for later stages."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import insert

from newsdesk.errors import StoreError
from newsdesk.extraction import iter_extract
from newsdesk.model import Article, RawDocument
from newsdesk.sources import iter_documents
from newsdesk.store import Store
from newsdesk.store.schema import annotations


def _articles(*inputs: Path) -> list[Article]:
    return [a for a in iter_extract(iter_documents(inputs)) if isinstance(a, Article)]


def test_ingest_is_idempotent_and_updates_changed_articles(tmp_path: Path, demo_corpus: Path) -> None:
    db = tmp_path / "news.db"
    with Store(db) as store:
        first = store.add_articles(_articles(demo_corpus))
        assert len(first.added) == 12
        assert not first.updated
        again = store.add_articles(_articles(demo_corpus))
        assert (len(again.added), len(again.updated), len(again.unchanged)) == (0, 0, 12)
        assert store.count() == 12

    changed = tmp_path / "meridianpost-geneva-dam-talks.txt"
    original = (demo_corpus / "meridianpost-geneva-dam-talks.txt").read_text(encoding="utf-8")
    changed.write_text(original.replace("Geneva", "Genève", 1) + "\nA correction was appended on Tuesday evening.\n")
    with Store(db) as store:
        report = store.add_articles(_articles(changed))
        assert report.updated == ["meridianpost-geneva-dam-talks"]
        assert store.count() == 12
        stored = store.get("meridianpost-geneva-dam-talks")
        assert stored is not None
        assert "A correction was appended" in stored.text
        [row] = [r for r in store.iter_articles() if r["id"] == "meridianpost-geneva-dam-talks"]
        assert row["version"] == 2


def test_stored_article_round_trips(tmp_path: Path, fixtures: Path) -> None:
    [article] = _articles(fixtures / "harbour-strike.html")
    with Store(tmp_path / "x.db") as store:
        store.add_articles([article])
        got = store.get("harbour-strike")
    assert got is not None
    assert (got.text, got.title, got.removed, got.url) == (article.text, article.title, article.removed, article.url)
    assert got.raw == article.raw
    assert got.raw_kind == "html"
    assert got.content_hash == article.content_hash


def test_sqlite_uses_wal_and_changed_text_drops_stale_spans(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    doc = RawDocument(id="a", source="a", kind="text", content="Headline\n\nThe first version of the body text.")
    with Store(db) as store:
        store.add_articles(_articles_from(doc))
        with store.engine.begin() as conn:  # an annotation as later stages will write them
            conn.execute(insert(annotations).values(article="a", layer="entity", start=4, end=9, data={}))
        doc.content = doc.content.replace("first", "second")
        store.add_articles(_articles_from(doc))
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT count(*) FROM annotations").fetchone()[0] == 0


def _articles_from(doc: RawDocument) -> list[Article]:
    return [a for a in iter_extract([doc]) if isinstance(a, Article)]


def test_failed_batch_leaves_earlier_data_intact(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    good = RawDocument(id="keep", source="k", kind="text", content="Kept\n\nThis article must survive a failed batch.")
    with Store(db) as store:
        store.add_articles(_articles_from(good))
        broken = _articles_from(RawDocument(id="new", source="n", kind="text", content="New\n\nA new article body."))
        broken[0].metadata = {"bad": object()}  # serialises as a string, so write a truly bad row instead
        broken[0].id = None  # type: ignore[assignment]  # violates NOT NULL: the whole batch must roll back
        with pytest.raises(StoreError):
            store.add_articles(broken)
        assert store.count() == 1
        assert store.get("keep") is not None


def test_refuses_directory_as_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="directory"):
        Store(tmp_path)


def test_merged_stories_move_their_articles(tmp_path: Path) -> None:
    from collections import Counter

    import numpy as np

    from newsdesk.linking.features import ArticleFeatures
    from newsdesk.linking.stories import StoryAssignment
    from newsdesk.store.linking import save_assignment, story_rows

    with Store(tmp_path / "news.db") as store:
        store.add_articles([Article(id=i, text=f"Ferry crews struck again, report {i}.") for i in ("a", "b", "c")])
        vector = np.ones(512, dtype=np.float32) / np.sqrt(512)
        with store.engine.begin() as conn:
            for assignment in (
                StoryAssignment("a", "story-a", "story-a"),
                StoryAssignment("b", "story-b", "story-b"),
                StoryAssignment("c", "story-a", "story-a", merged=["story-b"]),
            ):
                save_assignment(conn, assignment, ArticleFeatures(assignment.article, vector), Counter(), None)
            rows = list(story_rows(conn))
    assert [(r["id"], r["articles"]) for r in rows] == [("story-a", ["a", "b", "c"])]


def test_entities_merged_since_they_were_stored_resolve_to_their_identity(tmp_path: Path) -> None:
    from newsdesk.model import Analysis, Entity, Mention

    with Store(tmp_path / "news.db") as store:
        store.add_articles([Article("a", "Alexander Grushko spoke. Grushko left.", title="Talks")])
        analysis = Analysis("a", "Alexander Grushko spoke. Grushko left.")
        analysis.mentions = [Mention(0, 17, "Alexander Grushko", "PERSON", "person-1")]
        analysis.mentions.append(Mention(25, 32, "Grushko", "PERSON", "person-2"))
        known = {
            "person-1": Entity("person-1", "Alexander Grushko", "PERSON", ["Alexander Grushko"]),
            "person-2": Entity("person-2", "Grushko", "PERSON", ["Grushko"]),
        }
        store.save_analyses([analysis], known, "v1")
        store.save_aliases({"person-2": "person-1"})
        found = store.get_entities(["person-1", "person-2", "person-9"])
    assert {key: entity.id for key, entity in found.items()} == {"person-1": "person-1", "person-2": "person-1"}
    assert found["person-2"].name == "Alexander Grushko"


def test_a_schema_4_store_gains_head_vectors_and_resumes_its_stories(tmp_path: Path, demo_corpus: Path) -> None:
    """Stores written before the same-event model (schema 4) have no head vectors nor fits: they are
    migrated in place, their stories resume, and new articles still join them."""
    import json

    from click.testing import CliRunner
    from sqlalchemy import text

    from newsdesk.cli import cli

    db = tmp_path / "news.db"
    talks = [demo_corpus / "meridianpost-geneva-dam-talks.txt", demo_corpus / "globalledger-varsha-talks.html"]
    assert CliRunner().invoke(cli, ["ingest", str(talks[0]), "--db", str(db)]).exit_code == 0
    with Store(db) as store, store.engine.begin() as conn:
        conn.execute(text("ALTER TABLE article_features DROP COLUMN head_vector"))
        conn.execute(text("UPDATE article_features SET keys = json_remove(keys, '$.fit', '$.head', '$.body')"))
        conn.execute(text("UPDATE newsdesk_info SET value = '4' WHERE key = 'schema_version'"))
    result = CliRunner().invoke(cli, ["ingest", str(talks[1]), "--db", str(db)])
    assert result.exit_code == 0, result.output
    with Store(db) as store, store.engine.connect() as conn:
        assert conn.execute(text("SELECT value FROM newsdesk_info WHERE key = 'schema_version'")).scalar() == "5"
        heads = dict(conn.execute(text("SELECT article, head_vector IS NOT NULL FROM article_features")).all())
    assert heads == {"meridianpost-geneva-dam-talks": 0, "globalledger-varsha-talks": 1}
    rows = [json.loads(line) for line in CliRunner().invoke(cli, ["stories", "--db", str(db)]).stdout.splitlines()]
    assert [sorted(r["articles"]) for r in rows] == [sorted(t.stem for t in talks)]
