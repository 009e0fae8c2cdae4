"""Wyoming faults on a real socket: a peer that stalls mid-frame is dropped after idle_timeout_s,
and a daemon says "ready" only once its Wyoming server listens.

The server here is the real WyomingServer on 127.0.0.1 (no models: nothing in these faults
reaches a model).
"""

from __future__ import annotations

import asyncio
import socket
import time
from pathlib import Path

from nimbus.app.lifecycle import Daemon
from nimbus.daemon.bus import Bus
from nimbus.daemon.config import Config, load_config
from nimbus.daemon.events import Error
from nimbus.daemon.notify import Notifier
from nimbus.daemon.testing import EventRecorder, running
from nimbus.handlers.interfaces.wyoming.handler import WyomingServer


def _config(tmp_path: Path, idle: float = 0.5) -> Config:
    return load_config(None, environ={}, overrides=[
        f'daemon.state_dir="{tmp_path / "state"}"', "wyoming.enabled=true", "wyoming.port=0",
        "wyoming.zeroconf=false", f"wyoming.idle_timeout_s={idle}"])


async def _closed_within(reader: asyncio.StreamReader, seconds: float) -> bytes:
    """Everything the server sent until it closed the connection (fails if it stays open)."""
    received = b""
    async with asyncio.timeout(seconds):
        while chunk := await reader.read(65536):
            received += chunk
    return received


async def test_a_peer_stalled_mid_frame_is_dropped_as_stalled(tmp_path: Path) -> None:
    bus = Bus()
    server = WyomingServer(_config(tmp_path), bus)
    async with EventRecorder(bus, Error) as recorder, running(server):
        async with asyncio.timeout(10):  # written once the server listens
            while not (tmp_path / "state" / "wyoming.json").exists():  # noqa: ASYNC110
                await asyncio.sleep(0.02)
        assert server.port is not None
        # Idle between frames is fine: a connection that says nothing stays open.
        idle_reader, idle_writer = await asyncio.open_connection("127.0.0.1", server.port)
        # A header announcing 1000 payload bytes, then 10 of them, then silence.
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(b'{"type": "audio-chunk", "data": {"rate": 16000, "width": 2, '
                     b'"channels": 1}, "payload_length": 1000}\n' + b"\0" * 10)
        await writer.drain()
        started = time.monotonic()
        answer = await _closed_within(reader, 5.0)
        assert time.monotonic() - started < 3.0
        assert b'"stalled"' in answer, answer
        # Half a header line, then silence: the same.
        reader2, writer2 = await asyncio.open_connection("127.0.0.1", server.port)
        writer2.write(b'{"type": "descr')
        await writer2.drain()
        assert b'"stalled"' in await _closed_within(reader2, 5.0)
        event = await recorder.wait_for(lambda e: isinstance(e, Error)
                                        and e.code == "wyoming_stalled", within=5)
        assert "payload" in event.message  # type: ignore[attr-defined]
        assert not idle_reader.at_eof(), "a quiet connection between frames is kept"
        for w in (writer, writer2, idle_writer):
            w.close()


class ConnectOnReady(Notifier):
    """systemd's side of READY=1 (systemd itself cannot run here): the moment the daemon says
    it is ready, a client connects to the Wyoming port, as a unit ordered After= it would."""

    def __init__(self, server: WyomingServer) -> None:
        super().__init__("")
        self._server = server
        self.connected: bool | None = None

    def ready(self, status: str = "") -> bool:
        try:
            assert self._server.port is not None
            socket.create_connection(("127.0.0.1", self._server.port), timeout=2).close()
            self.connected = True
        except OSError:
            self.connected = False
        return super().ready(status)


async def test_ready_only_once_the_wyoming_server_listens(tmp_path: Path) -> None:
    config = _config(tmp_path)
    bus = Bus()
    server = WyomingServer(config, bus)
    notifier = ConnectOnReady(server)
    daemon = Daemon(config, bus=bus, handlers=[server], notifier=notifier)
    task = asyncio.create_task(daemon.run(install_signal_handlers=False))
    try:
        await asyncio.wait_for(daemon.ready.wait(), 30)
        assert notifier.connected is True, "refused: READY came before the server listened"
    finally:
        daemon.request_stop("test over")
        await asyncio.wait_for(task, 10)
