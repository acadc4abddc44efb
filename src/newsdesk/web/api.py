"""The REST API: JSON under /api. Lists page with `limit` and `offset` and say their `total`.

Reads are open unless the operator sets a read key; writes (submitting articles) always need
the API key, and are off when none is configured.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, File, HTTPException, Query, Request, UploadFile
from sqlalchemy import func, select

from ..errors import InputError, NewsdeskError
from ..model import RawDocument
from ..store.read import (
    MAX_LIMIT,
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
from ..store.schema import story_articles
from .app import AppState
from .security import check_key, write_refusal

__all__ = ["router"]

MAX_OFFSET = 10_000_000


def state(request: Request) -> AppState:
    return request.app.state.newsdesk


def reader(request: Request) -> AppState:
    app = state(request)
    check_key(request, app.settings.read_key, "reads")
    return app


def writer(request: Request) -> AppState:
    """The same check WriteGuard makes before the body is read, for a router mounted without it."""
    app = state(request)
    if (refusal := write_refusal(request, app.settings.api_key)) is not None:
        raise refusal
    return app


Reader = Annotated[AppState, Depends(reader)]
Writer = Annotated[AppState, Depends(writer)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]
router = APIRouter(prefix="/api", tags=["api"])


@router.get("/stories", summary="List or search stories")
def stories(
    app: Reader,
    q: Annotated[str | None, Query(max_length=500, description="Words in one of the story's articles.")] = None,
    entity: Annotated[str | None, Query(max_length=200, description="An entity id named in the story.")] = None,
    since: Annotated[date | None, Query(description="Has an article published on or after this date.")] = None,
    until: Annotated[date | None, Query(description="Has an article published on or before this date.")] = None,
    language: Annotated[str | None, Query(max_length=16)] = None,
    outlet: Annotated[str | None, Query(max_length=500)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Stories, most recently updated first, with counts of articles, outlets and languages."""
    where = StoryFilter(
        q, entity, since.isoformat() if since else None, until.isoformat() if until else None, language, outlet
    )
    with app.store.engine.connect() as conn:
        return list_stories(conn, where, limit, offset).to_json()


@router.get("/stories/{story_id:id}", summary="One story with its brief")
def story(app: Reader, story_id: str) -> dict[str, Any]:
    """The story, its articles (who copies whom) and its brief (summary, facts, quotes, timeline, entities).
    `brief_updating`: articles changed since the brief was made, and a new one is being made."""
    with app.store.engine.connect() as conn:
        row = story_row(conn, story_id)
        if row is None:
            raise HTTPException(404, f"no story {story_id!r}")
        members = article_rows(conn, story_id)
    brief, updating = app.briefs.get(story_id)
    return {
        "id": row["id"],
        "title": row["title"],
        "storyline": row["storyline"],
        "updated_at": row["updated_at"].isoformat() if row["updated_at"] else None,
        "articles": members,
        "brief": brief,
        "brief_updating": updating,
    }


@router.get("/stories/{story_id:id}/articles", summary="A story's articles, paged")
def story_articles_page(app: Reader, story_id: str, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """The story's articles (no text), oldest first, each with the article it copies or translates."""
    with app.store.engine.connect() as conn:
        if story_row(conn, story_id) is None:
            raise HTTPException(404, f"no story {story_id!r}")
        total = conn.execute(
            select(func.count()).select_from(story_articles).where(story_articles.c.story == story_id)
        ).scalar_one()
        items = article_rows(conn, story_id, limit, offset)
    return {"items": items, "total": total, "limit": limit, "offset": offset}


@router.get("/stories/{story_id:id}/timeline", summary="A story's timeline")
def timeline(app: Reader, story_id: str) -> dict[str, Any]:
    """Dated happenings of the story, each with its sources."""
    brief, _ = app.briefs.get(story_id)
    if brief is None:
        raise HTTPException(404, f"no story {story_id!r}")
    return {"id": story_id, "timeline": brief.get("timeline", [])}


@router.get("/articles", summary="List or search articles")
def articles(
    app: Reader,
    q: Annotated[str | None, Query(max_length=500, description="Full-text search (all words).")] = None,
    language: Annotated[str | None, Query(max_length=16)] = None,
    outlet: Annotated[str | None, Query(max_length=500)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Articles (no text), newest first; with `q`, those holding all its words."""
    if q and q.strip():
        with app.store.engine.connect() as conn:
            page = search_articles(conn, q, limit, offset)
        return page.to_json()
    items = list(app.store.iter_articles(limit=limit, offset=offset, language=language, outlet=outlet))
    total = app.store.count(language=language, outlet=outlet)
    return {"items": items, "total": total, "limit": limit, "offset": offset}


@router.get("/articles/{article_id:idpath}", summary="One article with its annotations")
def article(app: Reader, article_id: str) -> dict[str, Any]:
    """Cleaned text, the junk removed from it, metadata, and annotations as character spans."""
    found = app.store.get(article_id)
    if found is None:
        raise HTTPException(404, f"no article {article_id!r}")
    analysis = app.store.get_analysis(article_id, found)
    record = found.to_json()
    record["annotations"] = (
        {k: v for k, v in analysis.to_json().items() if k not in ("id", "text")} if analysis is not None else None
    )
    with app.store.engine.connect() as conn:
        record["story"] = article_story(conn, article_id)
    return record


@router.get("/entities", summary="List or search entities")
def entities(
    app: Reader,
    q: Annotated[str | None, Query(max_length=200, description="Part of a name or variant.")] = None,
    label: Annotated[str | None, Query(max_length=32, description="PERSON, ORG, GPE, ...")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Entities with their variants and how many articles name them, most named first."""
    with app.store.engine.connect() as conn:
        return list_entities(conn, q, label, limit, offset).to_json()


@router.get("/entities/{entity_id:id}", summary="One entity and the stories it appears in")
def entity(app: Reader, entity_id: str, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    with app.store.engine.connect() as conn:
        row = entity_row(conn, entity_id)
        if row is None:
            raise HTTPException(404, f"no entity {entity_id!r}")
        merged_into = (row["data"] or {}).get("same_as")
        stories_page = entity_stories(conn, entity_id, limit, offset)
    return {
        "id": row["id"],
        "name": row["name"],
        "label": row["label"],
        "variants": list(row["variants"]),
        "same_as": merged_into,
        "stories": stories_page.to_json(),
    }


@router.post("/articles", summary="Submit articles (JSON)", status_code=200)
def submit_json(
    app: Writer,
    body: Annotated[
        Any,
        Body(
            description='One article object, a list of them, or {"articles": [...]}: `id`, `text` or `html`, '
            "optional `title`, `url`, `outlet`, `published`, `language`.",
        ),
    ],
) -> dict[str, Any]:
    """Extract, analyse, store and cluster the articles; returns what was added, updated and failed."""
    from ..sources.jsonl import record_document

    if isinstance(body, bytes):  # FastAPI parses only JSON content types and hands anything else over raw
        raise HTTPException(415, "send the articles as JSON, with the header Content-Type: application/json")
    records = body.get("articles") if isinstance(body, dict) and "articles" in body else body
    if not isinstance(records, list):
        records = [records]
    documents: list[RawDocument | InputError] = []
    for n, record in enumerate(records, 1):
        try:
            _check_unicode(record, f"request:{n}")
            documents.append(record_document(record, f"request:{n}"))
        except InputError as exc:
            documents.append(exc)
    return _ingest(app, documents)


def _check_unicode(record: Any, source: str) -> None:
    """JSON may escape a lone surrogate ("\\ud800"), which no database or page can hold: refuse it."""
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(source, "not valid Unicode (a lone surrogate escape such as \\ud800)") from None
    except RecursionError:
        raise InputError(source, "nested too deeply") from None


@router.post("/files", summary="Submit article files")
async def submit_files(app: Writer, files: Annotated[list[UploadFile], File(description="Article files")]) -> dict:
    """Files as `newsdesk ingest` reads them (.html, .txt, .jsonl, .warc, feeds, gzipped or not).
    The whole request is bounded by the upload limit (413 past it)."""
    from ..sources import iter_bytes

    documents: list[RawDocument | InputError] = []
    for upload in files:
        documents.extend(iter_bytes(upload.filename or "upload", await upload.read()))
    return _ingest(app, documents)


def _ingest(app: AppState, documents: list[RawDocument | InputError]) -> dict[str, Any]:
    from ..extraction import ExtractSettings, iter_extract
    from ..ingest import ingest

    errors = [d for d in documents if isinstance(d, InputError)]
    raws = [d for d in documents if not isinstance(d, InputError)]
    extracted = []
    for item in iter_extract(iter(raws), ExtractSettings(jobs=1)):
        (errors if isinstance(item, InputError) else extracted).append(item)
    failed = [{"source": e.source, "error": e.problem} for e in errors]
    if not extracted:
        raise HTTPException(422, {"message": "no article could be read", "failed": failed})
    # app.lock: one submission at a time in this server; the store's writer lock: taking turns with
    # `newsdesk ingest` and other servers on the same store (side by side, both made the same entity
    # and one failed on the UNIQUE constraint: a 500 here, or the other's ingest lost)
    with app.lock, app.store.writer_lock():
        try:
            report = ingest(iter(extracted), app.store, app.analyzer())
        except NewsdeskError as exc:
            raise HTTPException(500, str(exc)) from None
    if app.warmer is not None and report.analyzed:
        with app.store.engine.connect() as conn:
            app.warmer.submit(
                conn.execute(
                    select(story_articles.c.story).where(story_articles.c.article.in_(report.analyzed)).distinct()
                ).scalars()
            )
    return {**report.to_json(), "failed": failed, "articles_in_db": app.store.count()}
