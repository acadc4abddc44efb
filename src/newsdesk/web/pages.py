"""Server-rendered pages: story list, story (brief, facts, quotes, timeline, sources side by side),
article (text with its annotations highlighted, removed junk viewable), entity, search.

Pages read the same queries as the API; every value reaches HTML through autoescaped templates.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from ..report.view import build_story_views
from ..store.read import (
    Page,
    StoryFilter,
    article_rows,
    article_story,
    entity_row,
    entity_stories,
    list_entities,
    list_stories,
    search_articles,
    story_row,
)
from ..store.schema import articles as articles_table
from .api import MAX_OFFSET, Reader
from .render import render, segments

__all__ = ["router"]

PAGE = 50
SIDE_BY_SIDE = 3  # articles per screen in the sources view
router = APIRouter(include_in_schema=False)
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]


@router.get("/", response_class=HTMLResponse)
def story_list(
    request: Request,
    app: Reader,
    q: Annotated[str | None, Query(max_length=500)] = None,
    since: date | None = None,
    until: date | None = None,
    language: Annotated[str | None, Query(max_length=16)] = None,
    offset: Offset = 0,
) -> HTMLResponse:
    where = StoryFilter(
        q or None, None, since.isoformat() if since else None, until.isoformat() if until else None, language or None
    )
    with app.store.engine.connect() as conn:
        page = list_stories(conn, where, PAGE, offset)
    params = {"q": q or "", "since": since or "", "until": until or "", "language": language or ""}
    return HTMLResponse(render("stories.html.j2", page=page, params=params, pager=_pager(request, page)))


@router.get("/stories/{story_id:id}", response_class=HTMLResponse)
def story_page(app: Reader, story_id: str) -> HTMLResponse:
    row, members = _story_or_404(app, story_id)
    brief, updating = app.briefs.get(story_id)
    texts = _texts(app, _cited_articles(brief))
    view = build_story_views({"stories": [brief]}, texts)[0] if brief else None
    return HTMLResponse(
        render(
            "story.html.j2",
            row=row,
            members=members,
            story=view,
            fold_sources_over=30,
            brief=brief,
            updating=updating,
        )
    )


@router.get("/stories/{story_id:id}/sources", response_class=HTMLResponse)
def sources_page(request: Request, app: Reader, story_id: str, offset: Offset = 0) -> HTMLResponse:
    """The story's articles side by side, a few at a time, annotations highlighted."""
    row, members = _story_or_404(app, story_id)
    shown = []
    for member in members[offset : offset + SIDE_BY_SIDE]:
        article = app.store.get(member["id"])
        if article is not None:
            analysis = app.store.get_analysis(article.id, article)
            shown.append({"article": article, "member": member, "segments": segments(article.text, analysis)})
    pager = _pager(request, Page([], len(members), SIDE_BY_SIDE, offset))
    return HTMLResponse(render("sources.html.j2", row=row, shown=shown, total=len(members), pager=pager))


@router.get("/articles/{article_id:idpath}", response_class=HTMLResponse)
def article_page(app: Reader, article_id: str) -> HTMLResponse:
    article = app.store.get(article_id)
    if article is None:
        raise HTTPException(404, f"There is no article {article_id!r}.")
    analysis = app.store.get_analysis(article_id, article)
    with app.store.engine.connect() as conn:
        story = article_story(conn, article_id)
        story_title = story_row(conn, story)["title"] if story else None
    counts = _annotation_counts(analysis)
    return HTMLResponse(
        render(
            "article.html.j2",
            article=article,
            segments=segments(article.text, analysis),
            story=story,
            story_title=story_title,
            counts=counts,
        )
    )


@router.get("/entities/{entity_id:id}", response_class=HTMLResponse)
def entity_page(request: Request, app: Reader, entity_id: str, offset: Offset = 0) -> HTMLResponse:
    with app.store.engine.connect() as conn:
        row = entity_row(conn, entity_id)
        if row is None:
            raise HTTPException(404, f"There is no entity {entity_id!r}.")
        page = entity_stories(conn, entity_id, PAGE, offset)
        merged = (row["data"] or {}).get("same_as")
    return HTMLResponse(render("entity.html.j2", entity=row, page=page, merged=merged, pager=_pager(request, page)))


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    app: Reader,
    q: Annotated[str, Query(max_length=500)] = "",
    offset: Offset = 0,
) -> HTMLResponse:
    """Stories, entities and articles matching the words."""
    with app.store.engine.connect() as conn:
        found_stories = list_stories(conn, StoryFilter(q), 10, 0) if q.strip() else None
        found_entities = list_entities(conn, q.strip(), None, 10, 0) if q.strip() else None
        found_articles = search_articles(conn, q, PAGE, offset) if q.strip() else None
    return HTMLResponse(
        render(
            "search.html.j2",
            q=q,
            stories=found_stories,
            entities=found_entities,
            articles=found_articles,
            pager=_pager(request, found_articles) if found_articles else None,
        )
    )


def _story_or_404(app: Any, story_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    with app.store.engine.connect() as conn:
        row = story_row(conn, story_id)
        if row is None:
            raise HTTPException(404, f"There is no story {story_id!r}.")
        return row, article_rows(conn, story_id)


def _pager(request: Request, page: Page) -> dict[str, Any]:
    """Links to the previous and next pages, keeping the other query parameters."""

    def link(offset: int) -> str:
        return str(request.url.include_query_params(offset=offset))

    return {
        "first": page.offset + 1 if page.total else 0,
        "last": min(page.offset + page.limit, page.total),
        "total": page.total,
        "previous": link(max(0, page.offset - page.limit)) if page.offset > 0 else None,
        "next": link(page.offset + page.limit) if page.offset + page.limit < page.total else None,
    }


def _cited_articles(node: Any) -> set[str]:
    """Every article id a brief cites (values of "article" keys, at any depth): the texts whose
    snippets the page shows."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("article"), str):
                found.add(item["article"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _texts(app: Any, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    with app.store.engine.connect() as conn:
        rows = conn.execute(select(articles_table.c.id, articles_table.c.text).where(articles_table.c.id.in_(ids)))
        return {row.id: row.text for row in rows}


def _annotation_counts(analysis: Any) -> dict[str, int]:
    if analysis is None:
        return {}
    return {
        "entities": len(analysis.mentions),
        "quotes": len(analysis.quotes),
        "quantities": len(analysis.quantities),
        "dates": len(analysis.dates),
    }
