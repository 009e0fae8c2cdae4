"""A full disk under the store: a state the documents handler waits out, never the files' fault.

One warning and one ``error`` event (``disk_full``) when it starts, then a doubling pause between
tries (``retry_s``: first, longest), and a log line when a write succeeds again. Nothing is failed
or given up for it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from nimbus.daemon.events import Error, Event

__all__ = ["RETRY_S", "FullDisk"]

log = logging.getLogger(__name__)

RETRY_S = (0.5, 10.0)
"""Seconds: the first and the longest pause between two tries."""


class FullDisk:
    """Tracks whether the store's disk is full (the handler's single worker calls it)."""

    def __init__(self, publish: Callable[[Event], Awaitable[None]]) -> None:
        self._publish = publish
        self.retry_s = RETRY_S
        self._since: float | None = None
        self._tries = 0

    @property
    def full(self) -> bool:
        return self._since is not None

    async def hit(self, exc: Exception, *, pause: bool = True) -> None:
        """A write failed for lack of space: report it once, then pause before the next try."""
        if self._since is None:
            self._since = time.monotonic()
            self._tries = 0
            log.warning("the store's disk is full (%s): ingest waits for space and resumes by "
                        "itself; nothing is given up", exc)
            await self._publish(Error(
                code="disk_full", stage="ingest",
                message=f"no space left for the document store ({exc}): ingest is paused "
                        "and resumes by itself when space is freed"))
        if pause:
            first, longest = self.retry_s
            delay = min(longest, first * 2 ** self._tries)
            self._tries += 1
            await asyncio.sleep(delay)

    def written(self) -> None:
        """A write succeeded: if the disk was full, space is back."""
        if self._since is not None:
            log.info("space for the document store is back after %.0f s: ingest resumed",
                     time.monotonic() - self._since)
            self._since = None
