"""The web app: REST API under /api, server-rendered pages, one store behind both.

`create_app` builds a FastAPI application over a store; `newsdesk serve` runs it with uvicorn.
"""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from importlib.resources import files
from typing import TYPE_CHECKING, Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import NewsdeskError
from ..store import Store
from .paths import EncodedSlashes
from .security import HEADERS, SecurityHeaders, WriteGuard
from .warm import Briefs, BriefWarmer

if TYPE_CHECKING:
    from ..analysis import Analyzer

__all__ = ["WebSettings", "create_app"]


@dataclass(slots=True)
class WebSettings:
    """How the app runs. `from_env` reads the keys and limits from the environment variables in `ENV`."""

    db: str = "newsdesk.db"
    api_key: str | None = None  # needed for writes; None: writes are off
    read_key: str | None = None  # needed for reads when set; None: reads are open
    max_upload_bytes: int = 50_000_000  # one POST /api/files request, all its files together
    warm_min_articles: int | None = 10  # stories this large get their brief made in the background; None: never
    max_body_bytes: int = 10_000_000  # one POST /api/articles request (and any other API write)

    ENV: ClassVar[dict[str, str]] = {
        "api_key": "NEWSDESK_API_KEY",
        "read_key": "NEWSDESK_READ_KEY",
        "max_body_bytes": "NEWSDESK_MAX_BODY_BYTES",
        "max_upload_bytes": "NEWSDESK_MAX_UPLOAD_BYTES",
    }

    @classmethod
    def from_env(cls, db: str, **overrides: Any) -> WebSettings:
        settings = cls(db)
        for name, variable in cls.ENV.items():
            value = os.environ.get(variable)
            if not value:
                continue
            if name.startswith("max_"):
                if not value.isascii() or not value.isdigit():
                    raise NewsdeskError(f"{variable} must be a whole number of bytes, not {value!r}")
                setattr(settings, name, int(value))
            else:
                setattr(settings, name, value)
        for name, value in overrides.items():
            if value is not None:
                setattr(settings, name, value)
        return settings


@dataclass(slots=True)
class AppState:
    settings: WebSettings
    store: Store
    briefs: Briefs
    lock: threading.Lock = field(default_factory=threading.Lock)  # one ingest at a time
    warmer: BriefWarmer | None = None
    _analyzer: Analyzer | None = None

    def analyzer(self) -> Analyzer:
        if self._analyzer is None:
            from ..analysis import Analyzer

            self._analyzer = Analyzer()
        return self._analyzer


def create_app(settings: WebSettings | str) -> FastAPI:
    """The app over the store named in the settings (a SQLite path or a postgresql:// URL)."""
    from .api import router as api_router
    from .pages import router as page_router

    if isinstance(settings, str):
        settings = WebSettings(settings)
    store = Store(settings.db)
    state = AppState(settings, store, Briefs(store))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if settings.warm_min_articles is not None:
            state.warmer = BriefWarmer(state.briefs, settings.warm_min_articles)
            state.warmer.start()
        yield
        if state.warmer is not None:
            state.warmer.stop()
        state.briefs.stop()
        state.store.close()

    app = FastAPI(
        lifespan=lifespan,
        title="newsdesk",
        version=__version__,
        description="Stories, briefs, articles and entities found by newsdesk. Lists page with limit/offset.",
        docs_url=None,  # the Swagger page loads scripts from a CDN: air-gapped machines cannot
        redoc_url=None,
    )
    app.state.newsdesk = state
    # the last added runs first: paths are fixed up, then every response gets its headers, then
    # writes are checked before their bodies are read
    app.add_middleware(WriteGuard, settings=settings)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(EncodedSlashes)
    app.include_router(api_router)
    app.include_router(page_router)

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        return _static(name)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, exc.detail, exc.headers)

    # Starlette answers an unhandled exception outside every middleware, so this response gets
    # its security headers here; the exception is still raised on to the server, which logs it.
    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        return _error(request, 500, "the server could not answer this request (the error is logged)", HEADERS)

    return app


def _error(request: Request, status: int, detail: Any, headers: Mapping[str, str] | None) -> Response:
    """JSON for the API, a page for everything else."""
    if request.url.path.startswith("/api") or request.url.path == "/openapi.json":
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)
    from .render import render

    try:
        page = render("error.html.j2", status=status, detail=str(detail))
    except Exception:  # an error page must not fail in turn
        page = f"<!DOCTYPE html><title>{status}</title><h1>Error {status}</h1>"
    return HTMLResponse(page, status_code=status, headers=headers)


_STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}


def _static(name: str) -> Response:
    from .render import render

    if name == "brief.css":  # the brief's own stylesheet, shared with `newsdesk brief --format html`
        return Response(render("_brief.css.j2"), media_type=_STATIC_TYPES[".css"], headers=_CACHE)
    suffix = name[name.rfind(".") :] if "." in name else ""
    resource = files("newsdesk.web") / "static" / name
    if "/" in name or suffix not in _STATIC_TYPES or not resource.is_file():
        return Response("not found", status_code=404, media_type="text/plain")
    return Response(resource.read_bytes(), media_type=_STATIC_TYPES[suffix], headers=_CACHE)


_CACHE = {"Cache-Control": "public, max-age=3600"}
