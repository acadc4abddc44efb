"""API keys, request limits and response headers.

Writes need the operator's key (none configured: writes are off). Reads are open unless a read
key is configured. Every response carries a Content-Security-Policy that allows only the app's
own stylesheet and script: even if hostile article text slipped past escaping, it could not run.

FastAPI reads and parses a request body before it runs the dependencies that check keys, so
`WriteGuard` checks the key of a write, and bounds its body, before the body is read at all.
"""

from __future__ import annotations

import base64
import hmac
import time
from typing import TYPE_CHECKING

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:
    from .app import WebSettings

__all__ = ["CSP", "HEADERS", "SecurityHeaders", "WriteGuard", "check_key", "write_refusal"]

CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'; connect-src 'self'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SecurityHeaders:
    """Adds `HEADERS` (unless a response set its own) and Server-Timing to every response the app
    sends. A plain ASGI wrapper of `send`: it neither buffers nor re-streams bodies."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                # Server-Timing: what the server spent on this response, visible in browser dev tools
                headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class WriteGuard:
    """Writes to the API (any method but GET, HEAD and OPTIONS under /api/): refused before a byte of
    the body is read unless writes are on and the key is right; refused with 413 when the declared
    Content-Length is over the limit, or, without one (chunked), as soon as the bytes read pass it."""

    def __init__(self, app: ASGIApp, settings: WebSettings) -> None:
        self.app = app
        self.settings = settings

    def limit(self, path: str) -> int:
        return self.settings.max_upload_bytes if path == "/api/files" else self.settings.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"].removeprefix(scope.get("root_path", "")) if scope["type"] == "http" else ""
        if not path.startswith("/api/") or scope["method"] in READ_ONLY_METHODS:
            await self.app(scope, receive, send)
            return
        limit = self.limit(path)
        refusal = write_refusal(Request(scope), self.settings.api_key) or _length_refusal(Headers(scope=scope), limit)
        if refusal is not None:
            response = JSONResponse({"detail": refusal.detail}, refusal.status_code, headers=refusal.headers)
            await response(scope, receive, send)
            return
        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:  # FastAPI passes an HTTPException raised while reading through
                    raise _too_large(limit)
            return message

        await self.app(scope, receive_within_limit, send)


def _length_refusal(headers: Headers, limit: int) -> HTTPException | None:
    declared = headers.get("content-length")
    if declared is None:
        return None
    if not declared.isascii() or not declared.isdigit():
        return HTTPException(400, "Content-Length is not a number")
    return _too_large(limit) if int(declared) > limit else None


def _too_large(limit: int) -> HTTPException:
    return HTTPException(413, f"the request body is over the {limit}-byte limit")


def presented_key(request: Request) -> str | None:
    """The key a client sent: `X-API-Key: KEY`, `Authorization: Bearer KEY`, or as the password of
    HTTP Basic auth (what a browser sends after its login prompt; the user name is ignored)."""
    key = request.headers.get("x-api-key")
    if key:
        return key
    auth = request.headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    token = token.strip()
    if scheme.lower() == "bearer" and token:
        return token
    if scheme.lower() == "basic" and token:
        try:
            return base64.b64decode(token, validate=True).decode("utf-8").partition(":")[2] or None
        except (ValueError, UnicodeDecodeError):
            return None
    return None


def key_refusal(request: Request, expected: str | None, what: str) -> HTTPException | None:
    """The 401 for a request without the expected key (compared in constant time); None if it has it."""
    if expected is None:
        return None
    given = presented_key(request)
    if given is None or not hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        # pages ask the browser for the key (its login prompt: any user name, the key as password)
        challenge = "Bearer" if request.url.path.startswith("/api") else 'Basic realm="newsdesk"'
        detail = f"{what} need an API key (X-API-Key header)"
        return HTTPException(status_code=401, detail=detail, headers={"WWW-Authenticate": challenge})
    return None


def check_key(request: Request, expected: str | None, what: str) -> None:
    """Refuse the request unless it carries the expected key."""
    if (refusal := key_refusal(request, expected, what)) is not None:
        raise refusal


def write_refusal(request: Request, api_key: str | None) -> HTTPException | None:
    """403 while writes are off (no key configured), 401 without the key; None for a keyed write."""
    if api_key is None:
        return HTTPException(403, "writes are off: the operator has configured no API key (NEWSDESK_API_KEY)")
    return key_refusal(request, api_key, "writes")
