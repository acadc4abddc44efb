"""Persist articles (and later their annotations, entities, stories) in SQLite or PostgreSQL.

`Store` hides the engine: a path means an embedded SQLite file in WAL mode, a
`postgresql://` URL means a server. Writes go in one transaction per batch, so
a failure leaves what was stored before untouched.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, delete, event, func, insert, inspect, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from ..errors import StoreError
from ..model import Analysis, Article, DateRef, Entity, Mention, Quantity, Quote
from .schema import (
    SCHEMA_VERSION,
    WIDENED,
    annotations,
    article_entities,
    articles,
    entities,
    info,
    metadata,
    story_articles,
)
from .search import ensure_fts

__all__ = ["IngestReport", "Store"]

LOGGER = logging.getLogger(__name__)
BATCH = 200
RECENT_ENTITIES = 20_000  # identities a new run starts from (those of the newest articles)


@dataclass(slots=True)
class IngestReport:
    """What one ingest did: ids added, updated (content changed) and left unchanged."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    analyzed: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "added": len(self.added),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "analyzed": len(self.analyzed),
        }


_LOCK_KEY = 0x6E657773  # "news": the advisory lock writers of one PostgreSQL database take turns on


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
            if self.engine.dialect.name == "sqlite":
                with self.engine.begin() as conn:
                    ensure_fts(conn)
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

    def count(self, language: str | None = None, outlet: str | None = None) -> int:
        """How many articles are stored (in this language, from this outlet)."""
        query = select(func.count()).select_from(articles)
        if language:
            query = query.where(articles.c.language == language)
        if outlet:
            query = query.where(articles.c.outlet == outlet)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

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

    def needs_analysis(self, article_ids: list[str], version: str) -> set[str]:
        """Ids among these whose stored annotations are missing or from other text or code."""
        if not article_ids:
            return set()
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(articles.c.id, articles.c.content_hash, articles.c.analyzed_hash).where(
                    articles.c.id.in_(article_ids)
                )
            )
            return {row.id for row in rows if row.analyzed_hash != f"{row.content_hash}:{version}"}

    def save_analyses(self, analyses: list[Analysis], known: dict[str, Entity], version: str, conn: Any = None) -> None:
        """Replace the annotations of these articles and merge their entities, in one transaction (the
        caller's, when `conn` is given: see `transaction`)."""
        used = {m.entity for a in analyses for m in a.mentions if m.entity} | {
            q.entity for a in analyses for q in a.quotes if q.entity
        }
        try:
            with self._begin(conn) as conn:
                self._upsert_entities(conn, [known[e] for e in used if e in known])
                for analysis in analyses:
                    conn.execute(delete(annotations).where(annotations.c.article == analysis.article))
                    conn.execute(delete(article_entities).where(article_entities.c.article == analysis.article))
                    rows = _annotation_rows(analysis)
                    if rows:
                        conn.execute(insert(annotations), rows)
                    counts: dict[str, int] = {}
                    for mention in analysis.mentions:
                        if mention.entity:
                            counts[mention.entity] = counts.get(mention.entity, 0) + 1
                    if counts:
                        conn.execute(
                            insert(article_entities),
                            [{"article": analysis.article, "entity": e, "mentions": n} for e, n in counts.items()],
                        )
                    current = conn.execute(
                        select(articles.c.content_hash).where(articles.c.id == analysis.article)
                    ).scalar()
                    conn.execute(
                        update(articles)
                        .where(articles.c.id == analysis.article)
                        .values(analyzed_hash=f"{current}:{version}")
                    )
        except SQLAlchemyError as exc:
            raise StoreError(f"could not write annotations to {self.url}: {_reason(exc)}") from None

    def save_aliases(self, aliases: dict[str, str], conn: Any = None) -> None:
        """Mark stored entities that have since merged into another (their rows stay for old spans)."""
        if not aliases:
            return
        with self._begin(conn) as conn:
            stored = {row.id for row in conn.execute(select(entities.c.id).where(entities.c.id.in_(list(aliases))))}
            for old in stored:
                conn.execute(update(entities).where(entities.c.id == old).values(data={"same_as": aliases[old]}))

    def transaction(self) -> AbstractContextManager[Any]:
        """One unit of work: everything written through the connection it gives commits together or not
        at all (an ingest writes a batch's annotations and its stories this way, so a crash between the
        two cannot leave analysed articles without a story)."""
        return self.engine.begin()

    def unlinked(self, limit: int = 10_000) -> list[str]:
        """Ids of analysed articles that have no story: left so by a crash of a version of newsdesk that
        committed the two separately; the next ingest links them."""
        with self.engine.connect() as conn:
            linked = select(story_articles.c.article)
            query = (
                select(articles.c.id)
                .where(articles.c.analyzed_hash.is_not(None), articles.c.id.not_in(linked))
                .order_by(articles.c.published, articles.c.id)
                .limit(limit)
            )
            return [row.id for row in conn.execute(query)]

    @contextmanager
    def writer_lock(self, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """Hold the store's writer lock: two ingests into one store take turns (run side by side, one
        failed on the other's rows, or both split a story and made the same entity twice). `on_wait`
        is called once if another writer holds it. SQLite: an advisory lock on `<db>.lock` (POSIX);
        PostgreSQL: a session advisory lock."""
        if self.engine.dialect.name == "postgresql":
            with self.engine.connect() as conn:
                if not conn.execute(text("select pg_try_advisory_lock(:k)"), {"k": _LOCK_KEY}).scalar():
                    if on_wait is not None:
                        on_wait()
                    conn.execute(text("select pg_advisory_lock(:k)"), {"k": _LOCK_KEY})
                try:
                    yield
                finally:
                    conn.execute(text("select pg_advisory_unlock(:k)"), {"k": _LOCK_KEY})
            return
        database = self.engine.url.database
        try:
            import fcntl
        except ImportError:  # no POSIX locks (Windows): SQLite's own locking still keeps the file whole
            fcntl = None  # type: ignore[assignment]
        if fcntl is None or not database or database == ":memory:":
            yield
            return
        with open(f"{database}.lock", "a+b") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None:
                    on_wait()
                fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _begin(self, conn: Any) -> AbstractContextManager[Any]:
        return nullcontext(conn) if conn is not None else self.engine.begin()

    def get_analysis(self, article_id: str, article: Article | None = None) -> Analysis | None:
        """The stored annotations of one article, as an Analysis record (pass the article when it is
        already read, to save reading it again)."""
        article = article if article is not None and article.id == article_id else self.get(article_id)
        if article is None:
            return None
        result = Analysis(article=article.id, text=article.text, language=article.language)
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(annotations).where(annotations.c.article == article_id).order_by(annotations.c.start)
            ).mappings()
            for row in rows:
                _add_annotation(result, row)
        return result

    def iter_entities(self) -> Iterator[Entity]:
        """Every stored entity with its variants and the articles it appears in."""
        with self.engine.connect() as conn:
            links: dict[str, list[str]] = {}
            for row in conn.execute(select(article_entities.c.entity, article_entities.c.article)):
                links.setdefault(row.entity, []).append(row.article)
            for row in conn.execute(select(entities).order_by(entities.c.name)).mappings():
                if (row["data"] or {}).get("same_as"):
                    continue  # merged into another identity
                yield Entity(
                    row["id"], row["name"], row["label"], list(row["variants"]), sorted(links.get(row["id"], []))
                )

    def get_entities(self, ids: Iterable[str]) -> dict[str, Entity]:
        """The entities with these ids, each id mapped to its current identity (an id merged into
        another since it was stored maps to that one)."""
        wanted = set(ids)
        rows: dict[str, Any] = {}
        frontier = set(wanted)
        with self.engine.connect() as conn:
            while frontier:  # follow same_as links to the identities they merged into
                found = conn.execute(select(entities).where(entities.c.id.in_(list(frontier)))).mappings().all()
                rows.update({row["id"]: row for row in found})
                frontier = {t for row in found if (t := (row["data"] or {}).get("same_as")) and t not in rows}
        result: dict[str, Entity] = {}
        for entity_id in wanted:
            row, seen = rows.get(entity_id), set()
            while row is not None and (row["data"] or {}).get("same_as") and row["id"] not in seen:
                seen.add(row["id"])
                row = rows.get(row["data"]["same_as"])
            if row is not None:
                result[entity_id] = Entity(row["id"], row["name"], row["label"], list(row["variants"]))
        return result

    def recent_entities(self, limit: int = RECENT_ENTITIES) -> list[Entity]:
        """The entities of the most recently published articles, oldest first (merged-away ids left
        out): what a new run's identity registry starts from."""
        last = func.max(articles.c.published).label("last")
        query = (
            select(entities.c.id, entities.c.name, entities.c.label, entities.c.variants, entities.c.data, last)
            .join(article_entities, article_entities.c.entity == entities.c.id)
            .join(articles, articles.c.id == article_entities.c.article)
            .group_by(entities.c.id)
            .order_by(last.desc().nulls_last(), entities.c.id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            rows = [r for r in conn.execute(query).mappings() if not (r["data"] or {}).get("same_as")]
        return [Entity(r["id"], r["name"], r["label"], list(r["variants"])) for r in reversed(rows)]

    def _upsert_entities(self, conn: Any, items: list[Entity]) -> None:
        if not items:
            return
        stored = {
            row.id: list(row.variants)
            for row in conn.execute(
                select(entities.c.id, entities.c.variants).where(entities.c.id.in_([e.id for e in items]))
            )
        }
        for entity in items:
            if entity.id in stored:
                variants = stored[entity.id] + [v for v in entity.variants if v not in stored[entity.id]]
                conn.execute(update(entities).where(entities.c.id == entity.id).values(variants=variants))
            else:
                conn.execute(
                    insert(entities).values(
                        id=entity.id, name=entity.name, label=entity.label, variants=list(entity.variants), data={}
                    )
                )

    def _check_version(self) -> None:
        with self.engine.begin() as conn:
            found = conn.execute(select(info.c.value).where(info.c.key == "schema_version")).scalar()
            if found is None:
                conn.execute(insert(info).values(key="schema_version", value=str(SCHEMA_VERSION)))
            elif int(found) > SCHEMA_VERSION:
                raise StoreError(
                    f"database schema version {found} is newer than this newsdesk ({SCHEMA_VERSION}); upgrade newsdesk"
                )
            elif int(found) < SCHEMA_VERSION:
                _migrate(conn, int(found))
                conn.execute(update(info).where(info.c.key == "schema_version").values(value=str(SCHEMA_VERSION)))


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


def _migrate(conn: Any, found: int) -> None:
    """Bring an older database up to this schema (columns added since; tables are created as needed)."""
    columns = {c["name"] for c in inspect(conn).get_columns("articles")}
    if found < 2 and "analyzed_hash" not in columns:
        conn.execute(text("ALTER TABLE articles ADD COLUMN analyzed_hash VARCHAR(64)"))
    story_columns = {c["name"] for c in inspect(conn).get_columns("story_articles")}
    if found < 3 and "copy_kind" not in story_columns:
        conn.execute(text("ALTER TABLE story_articles ADD COLUMN copy_kind VARCHAR(16)"))
    if found < 4 and conn.dialect.name == "postgresql":
        for table, column, size in WIDENED:
            conn.execute(text(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE VARCHAR({size})"))
    feature_columns = {c["name"] for c in inspect(conn).get_columns("article_features")}
    if found < 5 and "head_vector" not in feature_columns:
        blob = "BYTEA" if conn.dialect.name == "postgresql" else "BLOB"
        conn.execute(text(f"ALTER TABLE article_features ADD COLUMN head_vector {blob}"))


def _annotation_rows(analysis: Analysis) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    base = {"article": analysis.article}
    for m in analysis.mentions:
        rows.append(
            {
                **base,
                "layer": "entity",
                "start": m.start,
                "end": m.end,
                "label": m.label,
                "text": m.text,
                "entity": m.entity,
                "data": {},
            }
        )
    for q in analysis.quotes:
        rows.append(
            {
                **base,
                "layer": "quote",
                "start": q.start,
                "end": q.end,
                "label": "direct" if q.direct else "reported",
                "text": q.text,
                "entity": q.entity,
                "data": {
                    "speaker": q.speaker,
                    "cue": q.cue,
                    "unnamed": q.unnamed,
                    "speaker_start": q.speaker_start,
                    "speaker_end": q.speaker_end,
                },
            }
        )
    for n in analysis.quantities:
        rows.append(
            {
                **base,
                "layer": "quantity",
                "start": n.start,
                "end": n.end,
                "label": n.unit,
                "text": n.text,
                "entity": None,
                "data": {"value": n.value, "unit": n.unit, "approximate": n.approximate, "predicate": n.predicate},
            }
        )
    for d in analysis.dates:
        rows.append(
            {
                **base,
                "layer": "date",
                "start": d.start,
                "end": d.end,
                "label": d.granularity,
                "text": d.text,
                "entity": None,
                "data": {"value": d.value, "granularity": d.granularity},
            }
        )
    return rows


def _add_annotation(result: Analysis, row: Any) -> None:
    data = dict(row["data"] or {})
    start, end, text_ = row["start"], row["end"], row["text"] or ""
    if row["layer"] == "entity":
        result.mentions.append(Mention(start, end, text_, row["label"] or "", row["entity"]))
    elif row["layer"] == "quote":
        result.quotes.append(
            Quote(
                start,
                end,
                text_,
                row["label"] == "direct",
                data.get("speaker"),
                row["entity"],
                data.get("cue"),
                bool(data.get("unnamed")),
                data.get("speaker_start"),
                data.get("speaker_end"),
            )
        )
    elif row["layer"] == "quantity":
        result.quantities.append(
            Quantity(
                start, end, text_, data.get("value"), data.get("unit"), data.get("approximate"), data.get("predicate")
            )
        )
    elif row["layer"] == "date":
        result.dates.append(DateRef(start, end, text_, data.get("value"), data.get("granularity")))
