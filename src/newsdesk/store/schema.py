"""Database schema (SQLAlchemy Core), portable between SQLite and PostgreSQL.

Articles keep their raw input next to the cleaned text so later stages can be
re-run; annotations are character spans into `articles.text`; entities, stories
and their links have their tables now so later stages add rows, not migrations.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

__all__ = [
    "SCHEMA_VERSION",
    "WIDENED",
    "annotations",
    "article_entities",
    "article_features",
    "articles",
    "entities",
    "info",
    "metadata",
    "stories",
    "story_articles",
]

SCHEMA_VERSION = 5
STORY_ID = 520  # "story-" + the id of its first article (up to 512)
# Columns widened since version 3 (SQLite ignores VARCHAR lengths; PostgreSQL enforces them).
WIDENED = (
    ("articles", "analyzed_hash", 96),
    ("stories", "id", STORY_ID),
    ("stories", "storyline", STORY_ID),
    ("story_articles", "story", STORY_ID),
)
metadata = MetaData()

info = Table(
    "newsdesk_info",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(512), primary_key=True),
    Column("title", Text),
    Column("text", Text, nullable=False),
    Column("language", String(16)),
    Column("published", String(40)),  # ISO 8601 as given: date or datetime, with or without zone
    Column("outlet", Text),
    Column("url", Text),
    Column("author", Text),
    Column("removed", JSON, nullable=False),  # boilerplate lines cut from the body, for audit
    Column("metadata", JSON, nullable=False),
    Column("source", Text, nullable=False),
    Column("raw_kind", String(16), nullable=False),
    Column("raw", Text, nullable=False),
    Column("raw_hash", String(64), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("analyzed_hash", String(96)),  # content_hash + analysis version when annotations were made
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index("ix_articles_content_hash", articles.c.content_hash)
Index("ix_articles_published", articles.c.published)

entities = Table(
    "entities",
    metadata,
    Column("id", String(128), primary_key=True),
    Column("name", Text, nullable=False),
    Column("label", String(32), nullable=False),
    Column("variants", JSON, nullable=False),
    Column("data", JSON, nullable=False),
)

annotations = Table(
    "annotations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article", String(512), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("layer", String(32), nullable=False),  # entity, quote, quantity, date, ...
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("label", String(64)),
    Column("text", Text),
    Column("entity", String(128), ForeignKey("entities.id", ondelete="SET NULL")),
    Column("data", JSON, nullable=False),
)
Index("ix_annotations_article_layer", annotations.c.article, annotations.c.layer)
Index("ix_annotations_entity", annotations.c.entity)

article_entities = Table(
    "article_entities",
    metadata,
    Column("article", String(512), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("entity", String(128), ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
    Column("mentions", Integer, nullable=False),
)

stories = Table(
    "stories",
    metadata,
    Column("id", String(STORY_ID), primary_key=True),
    Column("storyline", String(STORY_ID)),
    Column("title", Text),
    Column("data", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index("ix_stories_storyline", stories.c.storyline)

story_articles = Table(
    "story_articles",
    metadata,
    Column("story", String(STORY_ID), ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("article", String(512), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("copy_of", String(512)),  # the article this one copies or translates, if any
    Column("copy_kind", String(16)),  # "copy" or "translation"
)
Index("ix_story_articles_article", story_articles.c.article)

# What the online story clusterer needs to resume where the last ingest stopped.
article_features = Table(
    "article_features",
    metadata,
    Column("article", String(512), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("published", String(10)),
    Column("language", String(16)),
    Column("vector", LargeBinary, nullable=False),  # 512 float16
    Column("head_vector", LargeBinary),  # 512 float16: the head (title and first sentence); since schema 5
    Column("minhash", LargeBinary),  # 64 uint64 hash values of the text's shingles
    Column("mentions", JSON, nullable=False),  # [[label, key, count], ...]
    # {"dates": [...], "numbers": [...], "terms": {word: count}, "head": {...}, "body": {...}, "fit": p}
    Column("keys", JSON, nullable=False),
)
Index("ix_article_features_published", article_features.c.published)
