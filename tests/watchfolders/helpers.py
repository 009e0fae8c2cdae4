"""Shared helpers for the document tests: configs, a running handler, store inspection."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import Config, load_config
from nimbus.daemon.events import Event
from nimbus.daemon.testing import EventRecorder, running
from nimbus.watchfolders.embedder import Embedder
from nimbus.watchfolders.handler import DocumentsHandler
from nimbus.watchfolders.sqlite import connect


def make_config(tmp_path: Path, watch_dir: Path, *extra: str) -> Config:
    return load_config(
        None,
        overrides=[f'daemon.state_dir="{tmp_path / "state"}"', f'watch.folders=["{watch_dir}"]',
                   "watch.settle_s=0.4", *extra],
        environ={},
    )


@contextlib.asynccontextmanager
async def documents(config: Config, embedder: Embedder
                    ) -> AsyncIterator[tuple[Bus, EventRecorder, DocumentsHandler]]:
    """A real DocumentsHandler (real watcher, real store) with every event recorded."""
    bus = Bus()
    handler = DocumentsHandler(config, bus, embedder=embedder)
    try:
        async with EventRecorder(bus) as recorder, running(handler):
            yield bus, recorder, handler
    finally:
        await handler.close()


async def wait_count(recorder: EventRecorder, predicate: Callable[[Event], bool], count: int = 1,
                     within: float = 60.0) -> list[Event]:
    """Wait until at least ``count`` recorded events match; return them."""
    async with asyncio.timeout(within):
        while True:
            found = [e for e in recorder.events if predicate(e)]
            if len(found) >= count:
                return found
            await asyncio.sleep(0.05)


def rows(config: Config, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    """Query the store through a separate read connection (as another process would)."""
    conn = connect(config.store_path, readonly=True)
    try:
        return [tuple(r) for r in conn.execute(sql, args).fetchall()]
    finally:
        conn.close()


def docs(config: Config) -> dict[str, tuple[str, int, int, str | None]]:
    """path -> (status, chunks, ingests, error_code)."""
    return {r[0]: (r[1], r[2], r[3], r[4]) for r in rows(
        config, "SELECT path, status, chunks, ingests, error_code FROM documents")}


def chunk_texts(config: Config, path: str) -> list[str]:
    return [r[0] for r in rows(config, "SELECT c.text FROM chunks c JOIN documents d ON "
                               "d.id = c.doc_id WHERE d.path = ? ORDER BY c.seq", path)]
