"""Story briefs for the web app: each made once however many viewers ask for it, and the briefs of
large stories made in the background so that their first view is fast.

A brief of a few articles takes well under a second and is made on request; one of hundreds
takes seconds (the claims of every article are embedded and aligned). `Briefs` makes sure one
computation per story runs at a time: concurrent first viewers wait for the same one, and once a
story has a brief, viewers after a change get the old brief (marked out of date) while a
background thread makes the new one. `BriefWarmer` makes large stories' briefs ahead of time: at
start-up for every large story whose cached brief is missing or stale, and after each submission
for the stories it changed.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from ..store import Store
from ..store.read import brief_key, cached_brief, stale_briefs, story_row

__all__ = ["BriefWarmer", "Briefs"]

LOGGER = logging.getLogger(__name__)

Brief = dict[str, Any]


class Briefs:
    """Single flight over `cached_brief`: at most one computation of a story's brief at a time."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._making: dict[str, Future[Brief | None]] = {}
        self._queued: set[str] = set()
        self._background: ThreadPoolExecutor | None = None

    def get(self, story_id: str) -> tuple[Brief | None, bool]:
        """The story's brief (None: unknown story, or nothing to brief) and whether it is out of date
        and being remade. Only a story's very first brief is waited for."""
        with self.store.engine.connect() as conn:
            row = story_row(conn, story_id)
            if row is None:
                return None, False
            key = brief_key(conn, story_id)
        data = row["data"] or {}
        old = data.get("brief")
        if old is not None and data.get("brief_key") == key:
            return old, False
        if old is not None:
            self.remake_later(story_id)
            return old, True
        return self.make(story_id), False

    def make(self, story_id: str) -> Brief | None:
        """Make the story's brief now, or wait for the making already under way."""
        with self._lock:
            future = self._making.get(story_id)
            mine = future is None
            if future is None:
                future = self._making[story_id] = Future()
        if not mine:
            return future.result()
        try:
            # cached_brief checks the cache first: a caller that missed a making that just ended
            # only pays for that check
            brief = cached_brief(self.store, story_id)
        except Exception as exc:
            future.set_exception(exc)
            raise
        else:
            future.set_result(brief)
            return brief
        finally:
            with self._lock:
                del self._making[story_id]

    def remake_later(self, story_id: str) -> None:
        """Queue the story for a background making, unless it is queued or being made already."""
        with self._lock:
            if story_id in self._queued or story_id in self._making:
                return
            self._queued.add(story_id)
            if self._background is None:  # one thread: remakes never take more than one core
                self._background = ThreadPoolExecutor(1, thread_name_prefix="newsdesk-brief")
            background = self._background
        try:
            background.submit(self._remake, story_id)
        except RuntimeError:  # shutting down: the brief stays stale until a view after the restart
            with self._lock:
                self._queued.discard(story_id)

    def _remake(self, story_id: str) -> None:
        with self._lock:
            self._queued.discard(story_id)
        try:
            self.make(story_id)
        except Exception:  # the next view shows the old brief again and queues another try
            LOGGER.exception("could not remake the brief of %s", story_id)

    def stop(self) -> None:
        with self._lock:
            background, self._background = self._background, None
        if background is not None:
            background.shutdown(wait=False, cancel_futures=True)


class BriefWarmer:
    def __init__(self, briefs: Briefs, min_articles: int = 10) -> None:
        self.briefs = briefs
        self.min_articles = min_articles
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self.done = 0

    def start(self) -> None:
        """Queue the stale large stories and start working through them."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="newsdesk-brief-warmer", daemon=True)
        self._thread.start()
        self._queue.put("*")  # the start-up scan runs on the worker, not in the caller

    def submit(self, story_ids: Iterable[str]) -> None:
        for story_id in story_ids:
            self._queue.put(story_id)

    def stop(self, timeout: float = 5.0) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout)
            self._thread = None

    def idle(self) -> bool:
        return self._queue.unfinished_tasks == 0

    def _run(self) -> None:
        while (story_id := self._queue.get()) is not None:
            try:
                if story_id == "*":
                    with self.briefs.store.engine.connect() as conn:
                        self.submit(stale_briefs(conn, self.min_articles))
                else:
                    self.briefs.make(story_id)  # shared with viewers: never made twice at once
                    self.done += 1
            except Exception:  # a failed warm-up only means the page computes the brief on request
                LOGGER.exception("could not prepare the brief of %s", story_id)
            finally:
                self._queue.task_done()
        self._queue.task_done()
