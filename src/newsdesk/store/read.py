"""Read-side queries for browsing a store: stories with their counts, one story's articles,
entities and the stories they appear in, article search. Everything pages (limit/offset), so a
page costs the same whatever the size of the store.

A story's brief is computed from the stored annotations the first time it is asked for and
kept in the story row until the story's articles change.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import String, distinct, func, select, update

from .schema import article_entities, articles, entities, stories, story_articles
from .search import matching_articles

if TYPE_CHECKING:
    from . import Store

__all__ = [
    "Page",
    "StoryFilter",
    "article_rows",
    "article_story",
    "brief_key",
    "cached_brief",
    "entity_stories",
    "list_entities",
    "list_stories",
    "search_articles",
    "stale_briefs",
]

MAX_LIMIT = 200
# What a list shows of an article (never its text).
SUMMARY = (articles.c.id, articles.c.title, articles.c.outlet, articles.c.language, articles.c.published)


@dataclass(slots=True)
class StoryFilter:
    """Which stories to list: all of these that are given must hold."""

    text: str | None = None  # words in the title or text of one of its articles
    entity: str | None = None  # an entity id named in one of its articles
    since: str | None = None  # ISO date: an article published on or after it
    until: str | None = None  # ISO date: an article published on or before it
    language: str | None = None
    outlet: str | None = None


@dataclass(slots=True)
class Page:
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int

    def to_json(self) -> dict[str, Any]:
        return {"items": self.items, "total": self.total, "limit": self.limit, "offset": self.offset}


def list_stories(conn: Any, where: StoryFilter, limit: int = 50, offset: int = 0) -> Page:
    """Stories matching the filter, most recently updated first, with counts of articles, outlets
    and languages and the span of their publication dates."""
    chosen = select(stories.c.id)
    member = select(story_articles.c.story).join(articles, articles.c.id == story_articles.c.article)
    narrowed = False
    if where.text:
        member = member.where(articles.c.id.in_(matching_articles(conn, where.text)))
        narrowed = True
    if where.entity:
        member = member.where(
            articles.c.id.in_(select(article_entities.c.article).where(article_entities.c.entity == where.entity))
        )
        narrowed = True
    if where.since:
        member, narrowed = member.where(articles.c.published >= where.since), True
    if where.until:
        # a datetime on the last day sorts after the bare date: compare with the next character
        member, narrowed = member.where(articles.c.published <= where.until + "\uffff"), True
    if where.language:
        member, narrowed = member.where(articles.c.language == where.language), True
    if where.outlet:
        member, narrowed = member.where(articles.c.outlet == where.outlet), True
    if narrowed:
        chosen = chosen.where(stories.c.id.in_(member))
    total = conn.execute(select(func.count()).select_from(chosen.subquery())).scalar_one()
    page = conn.execute(
        chosen.add_columns(stories.c.title, stories.c.storyline, stories.c.updated_at)
        .order_by(stories.c.updated_at.desc(), stories.c.id)
        .limit(limit)
        .offset(offset)
    ).all()
    ids = [row.id for row in page]
    counts = {
        row.story: row
        for row in conn.execute(
            select(
                story_articles.c.story,
                func.count().label("articles"),
                func.count(distinct(articles.c.outlet)).label("outlets"),
                func.count(distinct(articles.c.language)).label("languages"),
                func.min(articles.c.published).label("first"),
                func.max(articles.c.published).label("last"),
            )
            .join(articles, articles.c.id == story_articles.c.article)
            .where(story_articles.c.story.in_(ids))
            .group_by(story_articles.c.story)
        )
    }
    items = []
    for row in page:
        c = counts.get(row.id)
        items.append(
            {
                "id": row.id,
                "title": row.title,
                "storyline": row.storyline,
                "articles": c.articles if c else 0,
                "outlets": c.outlets if c else 0,
                "languages": c.languages if c else 0,
                "first_published": c.first if c else None,
                "last_published": c.last if c else None,
                "updated_at": row.updated_at.isoformat() if row.updated_at else None,
            }
        )
    return Page(items, total, limit, offset)


def story_row(conn: Any, story_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(stories).where(stories.c.id == story_id)).mappings().first()
    return dict(row) if row else None


def article_story(conn: Any, article_id: str) -> str | None:
    """The story an article is in (None until it is clustered)."""
    return conn.execute(select(story_articles.c.story).where(story_articles.c.article == article_id)).scalar()


def article_rows(conn: Any, story_id: str, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """The articles of a story (no text), oldest first, with the article each copies or translates."""
    query = (
        select(*SUMMARY, articles.c.url, story_articles.c.copy_of, story_articles.c.copy_kind)
        .join(story_articles, story_articles.c.article == articles.c.id)
        .where(story_articles.c.story == story_id)
        .order_by(articles.c.published.is_(None), articles.c.published, articles.c.id)
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return [dict(row) for row in conn.execute(query).mappings()]


def cached_brief(store: Store, story_id: str) -> dict[str, Any] | None:
    """The story's brief record, computed from stored annotations on first request and kept until
    the story's articles (or their annotations) change. None for an unknown story."""
    from ..reconcile import brief_stored

    with store.engine.connect() as conn:
        row = story_row(conn, story_id)
        if row is None:
            return None
        key = brief_key(conn, story_id)
    data = dict(row["data"] or {})
    if data.get("brief_key") == key and "brief" in data:
        return data["brief"]
    found = [s for s in brief_stored(store, "story", [story_id])["stories"] if s["id"] == story_id]
    brief = found[0] if found else None
    if brief is not None:
        data.update(brief=brief, brief_key=key)
        with store.engine.begin() as conn:
            conn.execute(update(stories).where(stories.c.id == story_id).values(data=data))
    return brief


def brief_key(conn: Any, story_id: str) -> str:
    """What a story's cached brief was made from: its articles and the versions of their annotations."""
    members = conn.execute(
        select(articles.c.id, articles.c.analyzed_hash)
        .join(story_articles, story_articles.c.article == articles.c.id)
        .where(story_articles.c.story == story_id)
        .order_by(articles.c.id)
    ).all()
    return hashlib.sha256("\n".join(f"{m.id}\t{m.analyzed_hash}" for m in members).encode("utf-8")).hexdigest()


def stale_briefs(conn: Any, min_articles: int, limit: int = 1000) -> list[str]:
    """Stories of at least `min_articles` whose cached brief is missing or out of date, largest first."""
    sizes = conn.execute(
        select(story_articles.c.story, func.count().label("n"))
        .group_by(story_articles.c.story)
        .having(func.count() >= min_articles)
        .order_by(func.count().desc(), story_articles.c.story)
        .limit(limit)
    ).all()
    stale = []
    for size in sizes:
        data = conn.execute(select(stories.c.data).where(stories.c.id == size.story)).scalar() or {}
        if data.get("brief_key") != brief_key(conn, size.story):
            stale.append(size.story)
    return stale


def entity_row(conn: Any, entity_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(entities).where(entities.c.id == entity_id)).mappings().first()
    return dict(row) if row else None


def entity_stories(conn: Any, entity_id: str, limit: int = 50, offset: int = 0) -> Page:
    """The stories an entity appears in, with how many of their articles name it."""
    query = (
        select(
            stories.c.id,
            stories.c.title,
            func.count().label("articles"),
            func.sum(article_entities.c.mentions).label("mentions"),
            func.max(stories.c.updated_at).label("updated_at"),
        )
        .join(story_articles, story_articles.c.story == stories.c.id)
        .join(article_entities, article_entities.c.article == story_articles.c.article)
        .where(article_entities.c.entity == entity_id)
        .group_by(stories.c.id, stories.c.title)
    )
    total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = conn.execute(query.order_by(func.count().desc(), stories.c.id).limit(limit).offset(offset)).all()
    items = [{"id": r.id, "title": r.title, "articles": r.articles, "mentions": int(r.mentions or 0)} for r in rows]
    return Page(items, total, limit, offset)


def list_entities(conn: Any, query: str | None, label: str | None, limit: int = 50, offset: int = 0) -> Page:
    """Current identities (merged-away ids left out), most named first; `query` matches any part
    of the name or of a variant, ignoring case."""
    named = func.count(article_entities.c.article).label("articles")
    base = (
        select(entities.c.id, entities.c.name, entities.c.label, entities.c.variants, named)
        .outerjoin(article_entities, article_entities.c.entity == entities.c.id)
        .where(func.coalesce(entities.c.data["same_as"].as_string(), "") == "")
        .group_by(entities.c.id)  # the key: its other columns follow (PostgreSQL cannot group JSON)
    )
    if query:
        pattern = f"%{query.lower()}%"
        base = base.where(
            func.lower(entities.c.name).like(pattern) | func.lower(func.cast(entities.c.variants, String)).like(pattern)
        )
    if label:
        base = base.where(entities.c.label == label)
    total = conn.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    rows = conn.execute(base.order_by(named.desc(), entities.c.name, entities.c.id).limit(limit).offset(offset))
    items = [
        {"id": r.id, "name": r.name, "label": r.label, "variants": list(r.variants), "articles": r.articles}
        for r in rows
    ]
    return Page(items, total, limit, offset)


def search_articles(conn: Any, query: str, limit: int = 50, offset: int = 0) -> Page:
    """Articles whose title or text holds all the words, newest first, with their story."""
    matched = matching_articles(conn, query)
    base = (
        select(*SUMMARY, story_articles.c.story)
        .outerjoin(story_articles, story_articles.c.article == articles.c.id)
        .where(articles.c.id.in_(matched))
    )
    total = conn.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    rows = conn.execute(
        base.order_by(articles.c.published.desc().nulls_last(), articles.c.id).limit(limit).offset(offset)
    ).mappings()
    return Page([dict(r) for r in rows], total, limit, offset)
