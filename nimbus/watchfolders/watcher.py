"""watchdog -> asyncio: file-system changes under the watched folders as plain `Change` values."""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Change", "FolderWatcher"]

log = logging.getLogger(__name__)

QUEUE_MAX = 10_000


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """One file-system change."""

    kind: str
    """created | modified | deleted | moved."""
    path: str
    dest: str = ""
    """For moved: the new path."""
    is_dir: bool = False


def _text(value: Any) -> str:
    return os.fsdecode(value) if isinstance(value, bytes) else str(value)


class FolderWatcher:
    """Runs a watchdog observer over folders (recursive) and hands changes to the event loop.

    Overflow policy: the hand-off queue holds QUEUE_MAX changes; when it is full the watchdog
    thread waits (the kernel's inotify queue buffers meanwhile), so memory stays bounded and no
    change is dropped by us. Changes are coalesced later, in the durable queue (one row a path).
    """

    def __init__(self, folders: Sequence[str]) -> None:
        self.folders = tuple(folders)
        self._queue: queue.Queue[Change] = queue.Queue(maxsize=QUEUE_MAX)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._arrived = asyncio.Event()
        self._stopped = threading.Event()
        self._observer: Any = None

    def start(self) -> None:
        from watchdog.events import FileSystemEvent, FileSystemEventHandler  # noqa: PLC0415
        from watchdog.observers import Observer  # noqa: PLC0415

        self._loop = asyncio.get_running_loop()
        watcher = self

        class _Handler(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                watcher._put(event)

        observer = Observer()
        for folder in self.folders:
            os.makedirs(folder, exist_ok=True)
            observer.schedule(_Handler(), folder, recursive=True)
        observer.daemon = True
        observer.start()
        self._observer = observer
        log.info("watching %s", ", ".join(self.folders))

    def _put(self, event: Any) -> None:
        kind = {"created": "created", "modified": "modified", "deleted": "deleted",
                "moved": "moved", "closed": "modified"}.get(str(event.event_type))
        if kind is None or (kind == "modified" and event.is_directory):
            return
        change = Change(kind=kind, path=_text(event.src_path),
                        dest=_text(getattr(event, "dest_path", "") or ""),
                        is_dir=bool(event.is_directory))
        while not self._stopped.is_set():
            try:
                self._queue.put(change, timeout=0.5)
                break
            except queue.Full:
                continue
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._arrived.set)

    async def changes(self, max_batch: int = 1000) -> list[Change]:
        """Wait for changes; return what has arrived (at most ``max_batch``)."""
        while True:
            batch: list[Change] = []
            while len(batch) < max_batch:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            if batch:
                return batch
            self._arrived.clear()
            if self._queue.empty():
                await self._arrived.wait()

    def stop(self) -> None:
        self._stopped.set()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
            self._observer = None
