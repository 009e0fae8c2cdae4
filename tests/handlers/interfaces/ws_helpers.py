"""Shared helpers for the WebSocket tests: a served WebSocketServer and small protocol clients."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import Config, load_config
from nimbus.daemon.testing import EventRecorder, running
from nimbus.handlers.interfaces.websocket.handler import WebSocketServer
from nimbus.handlers.routing import CommandRouter

__all__ = ["Served", "closed_code", "hello", "make_config", "next_message", "serve_ws",
           "status_round_trip", "subscribe", "wait_until"]


@dataclass
class Served:
    config: Config
    bus: Bus
    server: WebSocketServer
    recorder: EventRecorder
    watch_dir: Path

    @property
    def url(self) -> str:
        return self.server.url


def make_config(state_dir: Path, watch_dir: Path, *extra: str) -> Config:
    return load_config(None, environ={}, overrides=[
        f'daemon.state_dir="{state_dir}"', f'watch.folders=["{watch_dir}"]', "websocket.port=0",
        *extra,
    ])


@contextlib.asynccontextmanager
async def serve_ws(state_dir: Path, watch_dir: Path, *settings: str) -> AsyncIterator[Served]:
    config = make_config(state_dir, watch_dir, *settings)
    bus = Bus()
    server = WebSocketServer(config, bus)
    async with EventRecorder(bus) as recorder, running(server, CommandRouter(bus)):
        yield Served(config, bus, server, recorder, watch_dir)


async def hello(url: str, **fields: Any) -> tuple[ClientConnection, dict[str, Any]]:
    conn = await connect(url, compression=None, max_queue=None)
    await conn.send(json.dumps({"type": "hello", "protocol": 1, **fields}))
    welcome = json.loads(await conn.recv())
    return conn, welcome


async def next_message(conn: ClientConnection, wanted: str, within: float = 10
                       ) -> dict[str, Any]:
    async with asyncio.timeout(within):
        while True:
            message = await conn.recv()
            if isinstance(message, str):
                data: dict[str, Any] = json.loads(message)
                if data.get("type") == wanted:
                    return data


async def subscribe(conn: ClientConnection, events: list[str] | str, sites: Any = "*") -> None:
    await conn.send(json.dumps({"type": "subscribe", "events": events, "sites": sites}))
    await next_message(conn, "subscribed")


async def closed_code(conn: ClientConnection, within: float = 10) -> int | None:
    """Read until the server closes the connection; its close code."""
    with pytest.raises(ConnectionClosed):  # noqa: PT012 - read until closed
        async with asyncio.timeout(within):
            while True:
                await conn.recv()
    return conn.close_code


async def status_round_trip(conn: ClientConnection) -> dict[str, Any]:
    await conn.send('{"type":"status"}')
    return await next_message(conn, "status.report")




async def wait_until(predicate: Callable[[], bool], within: float = 10) -> None:
    """Poll a condition on server state that has no event to wait on."""
    async with asyncio.timeout(within):
        while not predicate():  # noqa: ASYNC110 - polling state owned by another task
            await asyncio.sleep(0.01)
