"""Persist story assignments and the features the online clusterer resumes from."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
from sqlalchemy import delete, func, insert, or_, select, update

from ..linking.features import ArticleFeatures
from ..linking.stories import StoryAssignment, shift
from .schema import article_features, articles, stories, story_articles

__all__ = ["load_recent", "save_assignment", "story_members", "story_rows", "sync_storylines"]


def save_assignment(
    conn: Any, assignment: StoryAssignment, features: ArticleFeatures, mentions: Counter, minhash: np.ndarray | None
) -> None:
    """Record one article's story (creating the story row if new) and its clustering features; stories
    the article showed to be the same event move into it."""
    now = datetime.now(UTC)
    for gone in assignment.merged:
        conn.execute(update(story_articles).where(story_articles.c.story == gone).values(story=assignment.story))
        conn.execute(update(stories).where(stories.c.storyline == gone).values(storyline=assignment.storyline))
        conn.execute(delete(stories).where(stories.c.id == gone))
    title = conn.execute(select(articles.c.title).where(articles.c.id == assignment.article)).scalar()
    exists = conn.execute(select(stories.c.id).where(stories.c.id == assignment.story)).scalar()
    if exists is None:
        conn.execute(
            insert(stories).values(
                id=assignment.story, storyline=assignment.storyline, title=title, data={}, updated_at=now
            )
        )
    conn.execute(
        update(stories)
        .where(stories.c.storyline == assignment.story)
        .values(storyline=assignment.storyline, updated_at=now)
    )
    conn.execute(
        update(stories).where(stories.c.id == assignment.story).values(storyline=assignment.storyline, updated_at=now)
    )
    conn.execute(delete(story_articles).where(story_articles.c.article == assignment.article))
    copy = assignment.copy
    conn.execute(
        insert(story_articles).values(
            story=assignment.story,
            article=assignment.article,
            copy_of=copy.original if copy else None,
            copy_kind=copy.kind if copy else None,
        )
    )
    conn.execute(delete(article_features).where(article_features.c.article == assignment.article))
    conn.execute(
        insert(article_features).values(
            article=assignment.article,
            published=features.published.isoformat() if features.published else None,
            language=features.language,
            vector=features.vector.astype(np.float16).tobytes(),
            head_vector=features.head_vector.astype(np.float16).tobytes() if features.head_vector is not None else None,
            minhash=minhash.astype(np.uint64).tobytes() if minhash is not None else None,
            mentions=[[label, key, n] for (label, key), n in mentions.items()],
            keys={
                "dates": sorted(features.dates),
                "numbers": sorted(features.numbers),
                "terms": dict(features.terms),
                "head": dict(features.head),
                "body": dict(features.body),
                "fit": assignment.fit,  # how well it fits its story: which members the story is judged by
            },
        )
    )


def sync_storylines(conn: Any, clusterer: Any) -> None:
    """Write the storyline of every story the clusterer holds (merges reach earlier stories)."""
    for story_id in clusterer.story_ids():
        line = clusterer.storyline(story_id)
        conn.execute(
            update(stories).where((stories.c.id == story_id) & (stories.c.storyline != line)).values(storyline=line)
        )


def load_recent(
    conn: Any, keep_days: int
) -> Iterator[tuple[ArticleFeatures, Counter, str, str, Any, Any, float | None]]:
    """Features of the articles of the last `keep_days` (before the newest), in time order, with
    their story, storyline, MinHash values, original and fit to their story."""
    newest = conn.execute(select(func.max(article_features.c.published))).scalar()
    query = (
        select(
            article_features,
            story_articles.c.story,
            story_articles.c.copy_of,
            story_articles.c.copy_kind,
            stories.c.storyline,
        )
        .join(story_articles, story_articles.c.article == article_features.c.article)
        .join(stories, stories.c.id == story_articles.c.story)
        .order_by(article_features.c.published, article_features.c.article)
    )
    if newest:
        cutoff = shift(date.fromisoformat(newest), -keep_days).isoformat()
        query = query.where((article_features.c.published >= cutoff) | (article_features.c.published.is_(None)))
    for row in conn.execute(query).mappings():
        vector = np.frombuffer(row["vector"], dtype=np.float16).astype(np.float32)
        minhash = np.frombuffer(row["minhash"], dtype=np.uint64) if row["minhash"] else None
        keys = row["keys"] or {}
        head = row["head_vector"]
        features = ArticleFeatures(
            id=row["article"],
            vector=vector,
            language=row["language"],
            published=date.fromisoformat(row["published"]) if row["published"] else None,
            dates=frozenset(keys.get("dates", [])),
            numbers=frozenset(keys.get("numbers", [])),
            terms=Counter(keys.get("terms", {})),
            head=Counter(keys.get("head", {})),
            body=Counter(keys.get("body", {})),
            head_vector=np.frombuffer(head, dtype=np.float16).astype(np.float32) if head else None,
        )
        mentions = Counter({(label, key): n for label, key, n in row["mentions"]})
        fit = keys.get("fit", 1.0) if not row["copy_of"] or row["copy_kind"] == "translation" else keys.get("fit")
        story, line = row["story"], row["storyline"] or row["story"]
        yield features, mentions, story, line, minhash, row["copy_of"], fit


def story_rows(conn: Any) -> Iterator[dict[str, Any]]:
    """Stories with their article ids, for listing."""
    members: dict[str, list[str]] = {}
    for row in conn.execute(select(story_articles.c.story, story_articles.c.article)):
        members.setdefault(row.story, []).append(row.article)
    for row in conn.execute(select(stories).order_by(stories.c.updated_at.desc())).mappings():
        yield {
            "id": row["id"],
            "storyline": row["storyline"],
            "title": row["title"],
            "articles": sorted(members.get(row["id"], [])),
        }


def story_members(
    conn: Any, group: str = "story", only: Collection[str] = ()
) -> Iterator[tuple[str, list[StoryAssignment]]]:
    """Each stored story (or storyline, with group="storyline") with its articles' assignments, one
    group at a time, largest first; with `only`, just the groups holding one of these story or
    storyline ids."""
    from ..linking.copies import CopyLink

    key = stories.c.storyline if group == "storyline" else story_articles.c.story
    joined = story_articles.join(stories, stories.c.id == story_articles.c.story)
    sizes = (
        select(key.label("group"), func.count().label("n"))
        .select_from(joined)
        .group_by(key)
        .order_by(func.count().desc(), key)
    )
    if only:  # the groups of these ids only, found in SQL rather than by reading every group
        wanted = list(only)
        holding = or_(key.in_(wanted), story_articles.c.story.in_(wanted), stories.c.storyline.in_(wanted))
        sizes = sizes.where(key.in_(select(key).select_from(joined).where(holding)))
    for size in conn.execute(sizes).all():
        rows = conn.execute(
            select(story_articles, stories.c.storyline)
            .join(stories, stories.c.id == story_articles.c.story)
            .where(key == size.group)
            .order_by(story_articles.c.article)
        ).mappings()
        members = [
            StoryAssignment(
                row["article"],
                row["story"],
                row["storyline"] or row["story"],
                CopyLink(row["article"], row["copy_of"], row["copy_kind"] or "copy", 1.0) if row["copy_of"] else None,
            )
            for row in rows
        ]
        yield size.group, members
