"""Ids in URLs. Article ids come from the sources and may hold any character ("wire/2025/x",
"a/../b", "what?#"); story ids are made from them. A link carries an id as one path segment,
percent-encoded with nothing left safe, and routes decode it.

ASGI servers hand the app the path already decoded, where "a%2Fb" and "a/b" are the same string:
`EncodedSlashes` routes on the path as sent instead, with "%2F" and "%25" left encoded, and the
`id` / `idpath` convertors decode them in the parameter alone.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote_to_bytes

from starlette.convertors import Convertor, register_url_convertor
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["EncodedSlashes", "quote_id"]

_KEPT = re.compile(rb"%(2[Ff]|25)")
_ESCAPE = re.compile(r"%(2F|25)")


def quote_id(value: object) -> str:
    """An id as one URL path segment: "/", "?", "#" and "%" encoded too."""
    return quote(str(value), safe="")


def route_path(raw_path: bytes) -> str:
    """The raw path decoded as servers decode it (UTF-8, errors replaced), except that "%2F" and
    "%25" stay encoded (and a "%" the decoding produces is re-encoded) so the result decodes back
    unambiguously."""
    pieces = _KEPT.split(raw_path)
    out = []
    for n, piece in enumerate(pieces):
        if n % 2:  # the captured "2F" / "25"
            out.append("%" + piece.decode("ascii").upper())
        else:
            out.append(unquote_to_bytes(piece).decode("utf-8", "replace").replace("%", "%25"))
    return "".join(out)


def _decode(value: str) -> str:
    return _ESCAPE.sub(lambda m: "/" if m[1] == "2F" else "%", value)


class EncodedSlashes:
    """Routes on the raw path so that an encoded slash stays inside its segment."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw = scope.get("raw_path") if scope["type"] in ("http", "websocket") else None
        if raw is not None:
            path = route_path(raw)
            if _decode(path) == scope["path"]:  # a server that decodes otherwise keeps its own path
                scope = {**scope, "path": path}
        await self.app(scope, receive, send)


class IdConvertor(Convertor[str]):
    """One path segment holding an id, "%2F" and "%25" decoded."""

    regex = "[^/]+"

    def convert(self, value: str) -> str:
        return _decode(value)

    def to_string(self, value: str) -> str:
        return quote_id(value)


class IdPathConvertor(IdConvertor):
    """An id that may also be sent with literal slashes (`/api/articles/wire/2025/x`, as before)."""

    regex = r"[\s\S]+"  # not ".+", which stops at a line break: an id holding one was a 404


register_url_convertor("id", IdConvertor())
register_url_convertor("idpath", IdPathConvertor())
