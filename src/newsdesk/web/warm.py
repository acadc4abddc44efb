"""Compute the briefs of large stories in the background, so their first view is fast.

A brief of a few articles takes well under a second and is made on request; one of hundreds
takes seconds (the claims of every article are embedded and aligned). The warmer makes those
ahead of time: at start-up for every large story whose cached brief is missing or stale, and
after each submission for the stories it changed.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterable

from ..store import Store
from ..store.read import cached_brief, stale_briefs

__all__ = ["BriefWarmer"]

LOGGER = logging.getLogger(__name__)


class BriefWarmer:
    def __init__(self, store: Store, min_articles: int = 10) -> None:
        self.store = store
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
                    with self.store.engine.connect() as conn:
                        self.submit(stale_briefs(conn, self.min_articles))
                else:
                    cached_brief(self.store, story_id)
                    self.done += 1
            except Exception:  # a failed warm-up only means the page computes the brief on request
                LOGGER.exception("could not prepare the brief of %s", story_id)
            finally:
                self._queue.task_done()
        self._queue.task_done()
