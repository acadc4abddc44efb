"""API keys and response headers.

Writes need the operator's key (none configured: writes are off). Reads are open unless a read
key is configured. Every response carries a Content-Security-Policy that allows only the app's
own stylesheet and script: even if hostile article text slipped past escaping, it could not run.
"""

from __future__ import annotations

import base64
import hmac
import time

from fastapi import HTTPException, Request
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.types import ASGIApp

__all__ = ["CSP", "SecurityHeaders", "check_key"]

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


class SecurityHeaders(BaseHTTPMiddleware):
    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)

    async def dispatch(self, request: Request, call_next):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        response = await call_next(request)
        # Server-Timing: what the server spent on this response, visible in browser dev tools
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response


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


def check_key(request: Request, expected: str | None, what: str) -> None:
    """Refuse the request unless it carries the expected key (compared in constant time)."""
    if expected is None:
        return
    given = presented_key(request)
    if given is None or not hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        # pages ask the browser for the key (its login prompt: any user name, the key as password)
        challenge = "Bearer" if request.url.path.startswith("/api") else 'Basic realm="newsdesk"'
        detail = f"{what} need an API key (X-API-Key header)"
        raise HTTPException(status_code=401, detail=detail, headers={"WWW-Authenticate": challenge})
