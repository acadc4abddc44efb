"""Persist articles (and later their annotations, entities, stories) in SQLite or PostgreSQL.

`Store` hides the engine: a path means an embedded SQLite file in WAL mode, a
`postgresql://` URL means a server. Writes go in one transaction per batch, so
a failure leaves what was stored before untouched.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, delete, event, func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from ..errors import StoreError
from ..model import Article
from .schema import SCHEMA_VERSION, annotations, articles, info, metadata

__all__ = ["IngestReport", "Store"]

LOGGER = logging.getLogger(__name__)
BATCH = 200


@dataclass(slots=True)
class IngestReport:
    """What one ingest did: ids added, updated (content changed) and left unchanged."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"added": len(self.added), "updated": len(self.updated), "unchanged": len(self.unchanged)}


class Store:
    """The article database; use as a context manager or call `close()`."""

    def __init__(self, location: str | Path = "newsdesk.db") -> None:
        self.url = _url(location)
        try:
            self.engine: Engine = create_engine(self.url, future=True)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
            metadata.create_all(self.engine)
            self._check_version()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open database {location}: {_reason(exc)}") from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    def add_articles(self, items: Iterable[Article], batch: int = BATCH) -> IngestReport:
        """Insert new articles, update changed ones, skip identical ones; one transaction per batch."""
        report = IngestReport()
        pending: list[Article] = []
        for article in items:
            pending.append(article)
            if len(pending) >= batch:
                self._write_batch(pending, report)
                pending = []
        if pending:
            self._write_batch(pending, report)
        return report

    def get(self, article_id: str) -> Article | None:
        """One stored article, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(articles).where(articles.c.id == article_id)).mappings().first()
        return _article(row) if row else None

    def iter_articles(
        self, limit: int | None = None, offset: int = 0, language: str | None = None, outlet: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """Summaries of stored articles (no text), newest first, streamed."""
        query = select(
            articles.c.id,
            articles.c.title,
            articles.c.outlet,
            articles.c.language,
            articles.c.published,
            articles.c.url,
            func.length(articles.c.text).label("chars"),
            articles.c.version,
            articles.c.updated_at,
        ).order_by(articles.c.published.desc(), articles.c.id)
        if language:
            query = query.where(articles.c.language == language)
        if outlet:
            query = query.where(articles.c.outlet == outlet)
        if limit is not None:
            query = query.limit(limit)
        query = query.offset(offset)
        with self.engine.connect() as conn:
            for row in conn.execution_options(stream_results=True).execute(query).mappings():
                item = dict(row)
                item["updated_at"] = item["updated_at"].isoformat() if item["updated_at"] else None
                yield item

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(articles)).scalar_one())

    def _write_batch(self, batch: list[Article], report: IngestReport) -> None:
        latest: dict[str, Article] = {}
        for article in batch:  # the same id twice in one batch: the later record wins
            latest[article.id] = article
        now = datetime.now(UTC)
        try:
            with self.engine.begin() as conn:
                known = {
                    row.id: (row.raw_hash, row.content_hash)
                    for row in conn.execute(
                        select(articles.c.id, articles.c.raw_hash, articles.c.content_hash).where(
                            articles.c.id.in_(list(latest))
                        )
                    )
                }
                for article in latest.values():
                    if article.id not in known:
                        conn.execute(
                            insert(articles).values(**_row(article), version=1, ingested_at=now, updated_at=now)
                        )
                        report.added.append(article.id)
                    elif known[article.id] == (article.raw_hash, article.content_hash):
                        report.unchanged.append(article.id)
                    else:
                        conn.execute(
                            update(articles)
                            .where(articles.c.id == article.id)
                            .values(**_row(article), version=articles.c.version + 1, updated_at=now)
                        )
                        # spans into the old text are meaningless now; analysis re-creates them
                        conn.execute(delete(annotations).where(annotations.c.article == article.id))
                        report.updated.append(article.id)
        except SQLAlchemyError as exc:
            raise StoreError(
                f"could not write to {self.url}: {_reason(exc)} (nothing from this batch was stored)"
            ) from None

    def _check_version(self) -> None:
        with self.engine.begin() as conn:
            found = conn.execute(select(info.c.value).where(info.c.key == "schema_version")).scalar()
            if found is None:
                conn.execute(insert(info).values(key="schema_version", value=str(SCHEMA_VERSION)))
            elif int(found) > SCHEMA_VERSION:
                raise StoreError(
                    f"database schema version {found} is newer than this newsdesk ({SCHEMA_VERSION}); upgrade newsdesk"
                )


def _url(location: str | Path) -> str:
    text = str(location)
    if "://" in text:
        return text.replace("postgres://", "postgresql://", 1)
    path = Path(text).expanduser()
    if path.exists() and path.is_dir():
        raise StoreError(f"{path} is a directory, not a database file")
    if path.exists() and path.stat().st_size > 0:
        with path.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise StoreError(f"{path} exists but is not a SQLite database")
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _row(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "text": article.text,
        "language": article.language,
        "published": article.published,
        "outlet": article.outlet,
        "url": article.url,
        "author": article.author,
        "removed": list(article.removed),
        "metadata": json.loads(json.dumps(article.metadata, default=str)),
        "source": article.source,
        "raw_kind": article.raw_kind,
        "raw": article.raw,
        "raw_hash": article.raw_hash,
        "content_hash": article.content_hash,
    }


def _article(row: Any) -> Article:
    return Article(
        id=row["id"],
        text=row["text"],
        title=row["title"],
        language=row["language"],
        published=row["published"],
        outlet=row["outlet"],
        url=row["url"],
        author=row["author"],
        removed=list(row["removed"] or []),
        source=row["source"],
        raw_kind=row["raw_kind"],
        raw=row["raw"],
        raw_hash=row["raw_hash"],
        metadata=dict(row["metadata"] or {}),
    )


def _reason(exc: SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).split("\n")[0]
