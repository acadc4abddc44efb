"""Clean article text from raw documents: main text, metadata, boilerplate cut and kept aside.

`iter_extract` streams: it works on windows of documents (bounded memory), runs
the per-page work on all cores, and learns each site's repeated boilerplate
across the pages it has seen.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..analysis.language import detect_language
from ..errors import InputError
from ..model import Article, RawDocument
from ..sources.decode import MAX_BYTES
from .boilerplate import SiteMemory
from .dateline import is_stamp, published_from_text, published_from_url
from .html import PageText, fragment_text, page_text
from .junk import Cleaned, clean_text, pick_title, word_count
from .repair import repair_mojibake

__all__ = ["ExtractSettings", "extract", "extract_document", "iter_extract"]

LOGGER = logging.getLogger(__name__)
MIN_PARALLEL = 16
MAX_HEADLINE_WORDS = 25
DATE_YEARS = (1800, 2200)  # a publication date outside these years is a typo or an attack, not news
_YEAR = re.compile(r"\s*([+-]?\d{4,})-")
_BODY_TAG = re.compile(r"<\s*(body|html)\b", re.I)  # below this many pages a process pool costs more than it saves


@dataclass(slots=True)
class ExtractSettings:
    """Options for extraction, shared by the Python API and the CLI."""

    precision: bool = False  # trafilatura's precision mode (lost on the modern pages; see html.py)
    site_boilerplate: bool = True  # learn repeated lines per site across pages
    language: bool = True  # detect the language when the input does not give it
    jobs: int = field(default_factory=lambda: max(1, min(2, os.cpu_count() or 1)))
    window: int = 256  # documents held in memory at once
    max_bytes: int = MAX_BYTES


@dataclass(slots=True)
class _Extracted:
    """A worker's result: the article plus the lines before junk removal (for the site pass)."""

    article: Article
    lines: list[str]
    title_in_text: bool
    site: str | None
    keep_headline: bool = False


def extract(raw: RawDocument | str, **options: object) -> Article | None:
    """Clean one document (or a plain string); None when it holds no article text."""
    settings = ExtractSettings(**options)  # type: ignore[arg-type]
    if isinstance(raw, str):
        raw = RawDocument(id="text", source="<string>", kind="text", content=raw)
    try:
        return extract_document(raw, settings).article
    except InputError:
        return None


def extract_document(raw: RawDocument, settings: ExtractSettings) -> _Extracted:
    """Per-page work: main text, metadata, line-level junk removal, language."""
    title, url = raw.title, raw.url
    author, published, outlet = raw.author, raw.published, raw.outlet
    title_in_text = False
    if raw.kind == "html":
        page = page_text(raw.content, url=url, precision=settings.precision)
        if page is None and not _BODY_TAG.search(raw.content):
            page = PageText(text=fragment_text(raw.content))  # a bare fragment, e.g. a JSONL `html` field
        if page is None or not page.text.strip():
            raise InputError(raw.source, "no article text found in the page")
        body = page.text
        title = title or page.title
        url = url or page.url
        author, published, outlet = author or page.author, published or page.published, outlet or page.outlet
    elif raw.kind == "fragment":
        body = fragment_text(raw.content)
    else:
        body = raw.content
    # mojibake is repaired before any of newsdesk's stages read the text (trafilatura reads markup,
    # which mis-decoding leaves intact); what was repaired is kept for audit
    repaired: dict[str, list[str]] = {}
    body = _repair("text", body, repaired) or ""
    title, author = _repair("title", title, repaired), _repair("author", author, repaired)
    outlet = _repair("outlet", outlet, repaired)
    if raw.kind not in ("html", "fragment"):
        # .txt files carry their headline on the first line by contract; other text records
        # without a title often do too, when that line is shaped like a headline.
        title_in_text = raw.title_in_text or (not title and _headline_first(body))
    keep_headline = raw.kind == "text"  # text given as text keeps its headline; a page's body never had it
    cleaned = clean_text(body, title=title, title_in_text=title_in_text, keep_headline=keep_headline)
    if not cleaned.text.strip() and raw.kind == "html":
        # every line looked like junk: not sure enough to return nothing for a page trafilatura found text in
        cleaned = Cleaned("\n\n".join(line.strip() for line in body.split("\n") if line.strip()), title)
    if not cleaned.text.strip():
        raise InputError(raw.source, "no article text left after removing boilerplate")
    published = _in_years(published, raw.source)
    if not published:
        published = _in_years(published_from_text(cleaned.text, cleaned.removed) or published_from_url(url), raw.source)
    article = Article(
        id=raw.id,
        text=cleaned.text,
        title=cleaned.title or title,
        language=raw.language or (detect_language(cleaned.text) if settings.language else None),
        published=published,
        outlet=outlet,
        url=url,
        author=author,
        removed=cleaned.removed,
        source=raw.source,
        raw_kind=raw.kind,
        raw=raw.content,
        raw_hash=raw.raw_hash,
        metadata=dict(raw.metadata) | ({"repaired": repaired} if repaired else {}),
    )
    return _Extracted(article, body.split("\n"), title_in_text, _site_key(url, outlet), keep_headline)


def iter_extract(
    items: Iterable[RawDocument | InputError], settings: ExtractSettings | None = None
) -> Iterator[Article | InputError]:
    """Clean a stream of documents in input order; unreadable ones come through as InputError."""
    settings = settings or ExtractSettings()
    memory = SiteMemory() if settings.site_boilerplate else None
    pool: Executor | None = None
    try:
        window: list[RawDocument | InputError] = []
        for item in items:
            window.append(item)
            if len(window) >= settings.window:
                pool = pool or _pool(settings, len(window))
                yield from _process_window(window, settings, memory, pool)
                window = []
        if window:
            pool = pool or _pool(settings, len(window))
            yield from _process_window(window, settings, memory, pool)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _process_window(
    window: list[RawDocument | InputError],
    settings: ExtractSettings,
    memory: SiteMemory | None,
    pool: Executor | None,
) -> Iterator[Article | InputError]:
    docs = [item for item in window if isinstance(item, RawDocument)]
    if pool is not None and len(docs) >= MIN_PARALLEL:
        chunk = max(1, len(docs) // (4 * settings.jobs))
        results = list(pool.map(_safe_extract, docs, [settings] * len(docs), chunksize=chunk))
    else:
        results = [_safe_extract(doc, settings) for doc in docs]
    if memory is not None:
        for result in results:
            if isinstance(result, _Extracted):
                memory.add(result.site, result.lines)
    by_doc = iter(results)
    for item in window:
        if isinstance(item, InputError):
            yield item
            continue
        result = next(by_doc)
        if isinstance(result, InputError):
            yield result
        else:
            yield _apply_site_lines(result, memory)


def _apply_site_lines(result: _Extracted, memory: SiteMemory | None) -> Article:
    """Re-judge a page knowing which of its lines the same site repeats elsewhere."""
    article = result.article
    if memory is None:
        return article
    repeated = memory.repeated(result.site, result.lines)
    if not repeated:
        return article
    cleaned: Cleaned = clean_text(
        "\n".join(result.lines),
        title=None if result.title_in_text else article.title,
        site_lines=repeated,
        title_in_text=result.title_in_text,
        keep_headline=result.keep_headline,
    )
    if cleaned.text.strip():
        article.text, article.removed = cleaned.text, cleaned.removed
    return article


def _safe_extract(raw: RawDocument, settings: ExtractSettings) -> _Extracted | InputError:
    try:
        return extract_document(raw, settings)
    except InputError as exc:
        return exc
    except Exception as exc:
        LOGGER.debug("extraction crashed on %s", raw.source, exc_info=True)
        return InputError(raw.source, f"could not extract ({type(exc).__name__}: {exc})")


def _pool(settings: ExtractSettings, size: int) -> Executor | None:
    if settings.jobs <= 1 or size < MIN_PARALLEL:
        return None
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # platforms without fork: run in-process
        return None
    return ProcessPoolExecutor(
        max_workers=settings.jobs, mp_context=context, initializer=_die_with_parent, initargs=(os.getpid(),)
    )


def _die_with_parent(parent: int) -> None:
    """Runs in each worker: exit as soon as the parent is gone. A worker blocked on its task queue never
    notices a parent killed with SIGKILL (no cleanup runs), and would be left running for good."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="newsdesk-parent-watch", daemon=True).start()


def _headline_first(body: str) -> bool:
    """Whether the text opens with a headline (perhaps under a site label or a time stamp)."""
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    index = pick_title(lines)
    if index is None or index + 1 >= len(lines):
        return False
    first = lines[index]
    body = next((line for line in lines[index + 1 :] if not is_stamp(line)), "")  # a stamp may sit between
    return word_count(first) <= MAX_HEADLINE_WORDS and not first.endswith((".", ",", ";")) and len(body) > len(first)


def _in_years(published: str | None, source: str) -> str | None:
    """The date, or None (with a warning) when its year is outside `DATE_YEARS`: a page's metadata,
    a feed or a stamp in the text can be as wrong as a JSON field, and linking works in days."""
    year = _YEAR.match(published or "")
    if year and not DATE_YEARS[0] <= int(year.group(1)) <= DATE_YEARS[1]:
        LOGGER.warning("%s: publication date %r is outside the years %d-%d; ignored", source, published, *DATE_YEARS)
        return None
    return published


def _repair(name: str, value: str | None, repaired: dict[str, list[str]]) -> str | None:
    if not value:
        return value
    fixed, steps = repair_mojibake(value)
    if steps:
        repaired[name] = steps
    return fixed


def _site_key(url: str | None, outlet: str | None) -> str | None:
    if url:
        host = urlsplit(url).hostname or ""
        if host:
            return host.removeprefix("www.")
    return outlet.casefold() if outlet else None
