"""Full-text search over article titles and texts: SQLite FTS5 on the embedded store.

The index is an external-content FTS5 table kept in step with `articles` by triggers, so
every write path (ingest, updates, deletes) maintains it without code of its own. On
PostgreSQL (or a SQLite built without FTS5) search falls back to a case-insensitive
substring match, slower but with the same results for plain words.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import and_, false, or_, select, text
from sqlalchemy.exc import OperationalError

from .schema import articles

__all__ = ["ensure_fts", "fts_available", "fts_query", "matching_articles"]

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 16

_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
    "title, text, content='articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS articles_fts_insert AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text); "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END",
)


def ensure_fts(conn: Any) -> bool:
    """Create the FTS5 index and its triggers if missing (indexing articles stored before it);
    False where this SQLite has no FTS5."""
    existed = conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'articles_fts'")).first() is not None
    if existed:
        return True
    try:
        for statement in _CREATE:
            conn.execute(text(statement))
    except OperationalError:  # an SQLite compiled without FTS5: search falls back to LIKE
        return False
    conn.execute(text("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')"))
    return True


def fts_available(conn: Any) -> bool:
    if conn.dialect.name != "sqlite":
        return False
    return conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'articles_fts'")).first() is not None


def fts_query(query: str) -> str:
    """A user's search words as an FTS5 query: every word must appear (prefix match on the last
    one, as people type). Operators and quotes in the input are treated as text, never syntax."""
    words = _WORD.findall(query)[:MAX_TERMS]
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def matching_articles(conn: Any, query: str) -> Any:
    """A selectable of the ids of articles matching the search words (all of them)."""
    if not _WORD.search(query):  # nothing to look for: no article matches
        return select(articles.c.id).where(false())
    if fts_available(conn):
        match = fts_query(query)
        return select(articles.c.id).where(
            text("articles.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :q)").bindparams(q=match)
        )
    words = _WORD.findall(query)[:MAX_TERMS]
    clauses = [or_(articles.c.title.ilike(f"%{w}%"), articles.c.text.ilike(f"%{w}%")) for w in words]
    return select(articles.c.id).where(and_(*clauses))
