"""Shared helpers for the document tests: configs, a running handler, store inspection."""

from __future__ import annotations

import asyncio
import contextlib
import io
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pymupdf
from PIL import Image

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


FORMATS = Path(__file__).parents[2] / "benchmarks" / "data" / "formats" / "documents"
"""The documents of the formats benchmark (every household format)."""


def encrypted_docx() -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile  # noqa: PLC0415 - only this test encrypts

    out = io.BytesIO()
    OOXMLFile(io.BytesIO((FORMATS / "school-trip-letter.docx").read_bytes())).encrypt("pw", out)
    return out.getvalue()


def blank_photo() -> bytes:
    image = Image.linear_gradient("L").resize((600, 400)).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    return buffer.getvalue()


def long_scan(pages: int) -> bytes:
    """An image-only PDF of ``pages`` pages (one small image, drawn on every page)."""
    buffer = io.BytesIO()
    Image.new("L", (200, 280), 255).save(buffer, format="PNG")
    doc = pymupdf.open()
    xref = 0
    for _ in range(pages):
        page = doc.new_page(width=200, height=280)
        xref = page.insert_image(page.rect, stream=buffer.getvalue()) if not xref else \
            page.insert_image(page.rect, xref=xref)
    return bytes(doc.tobytes())
