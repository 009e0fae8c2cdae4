"""DaemonClient against a real server: URL discovery, request chains, timeouts, shutdown."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from nimbus.cli.client import DaemonClient, DaemonClientError, daemon_url
from nimbus.daemon.events import (
    Ask,
    AudioChunk,
    Command,
    ResponseDelta,
    ResponseDone,
    ResponseStarted,
    Say,
)
from tests.handlers.interfaces.ws_helpers import Served, closed_code, hello, make_config, serve_ws


@pytest.fixture
async def served(state_dir: Path, watch_dir: Path) -> AsyncIterator[Served]:
    async with serve_ws(state_dir, watch_dir) as running_server:
        yield running_server


async def test_request_follows_the_cause_chain_until_done(served: Served) -> None:
    async with DaemonClient(served.url, site="cli") as client:
        await client.subscribe([Command, ResponseStarted, ResponseDelta, ResponseDone],
                               sites=[client.site])
        ask = Ask(site=client.site, text="hi")

        async def respond() -> None:
            # A stand-in responder on the bus: the chain ask -> command -> response.* is what
            # RESPONDING publishes (cause links), plus unrelated noise on the same site.
            command = await served.recorder.wait_for(Command)
            started = ResponseStarted(site="cli", cause=command.id)
            await served.bus.publish(ResponseDelta(site="cli", cause="someone-else", text="x"))
            await served.bus.publish(started)
            await served.bus.publish(ResponseDelta(site="cli", cause=started.id, text="Hel"))
            await served.bus.publish(ResponseDelta(site="cli", cause=started.id, text="lo"))
            await served.bus.publish(ResponseDone(site="cli", cause=started.id, text="Hello"))

        responder = asyncio.create_task(respond())
        seen = [event async for event in client.request(
            ask, until=lambda e: isinstance(e, ResponseDone), timeout=20)]
        await responder
        assert [e.type.value for e in seen] == ["command", "response.started", "response.delta",
                                               "response.delta", "response.done"]
        assert "".join(e.text for e in seen if isinstance(e, ResponseDelta)) == "Hello"


async def test_request_times_out_and_audio_is_sent_as_frames(served: Served) -> None:
    async with DaemonClient(served.url, site="cli") as client:
        with pytest.raises(TimeoutError):
            async for _ in client.request(Say(site="cli", text="x"), until=lambda e: False,
                                          timeout=0.3):
                pass
        await client.send(AudioChunk(site="ignored", audio=b"\x01\x00" * 256, sequence=9))
        chunk = await served.recorder.wait_for(AudioChunk)
        assert (chunk.site, chunk.sequence) == ("cli", 9)  # type: ignore[attr-defined]


async def test_unreachable_daemon_and_url_resolution(tmp_path: Path, served: Served) -> None:
    with pytest.raises(DaemonClientError, match="cannot connect"):
        async with DaemonClient("ws://127.0.0.1:9/ws", open_timeout=2):
            pass
    state = tmp_path / "other-state"
    state.mkdir()
    fixed = make_config(state, tmp_path, "websocket.port=8799")
    assert daemon_url(fixed) == "ws://127.0.0.1:8799/ws"
    # A stale daemon.json (dead pid) is ignored when the port is fixed...
    (state / "daemon.json").write_text(json.dumps({"pid": 2**22 + 17, "ws_url": "ws://x:1/ws"}))
    assert daemon_url(fixed) == "ws://127.0.0.1:8799/ws"
    # ...and used when it names a live process.
    (state / "daemon.json").write_text(json.dumps({"pid": os.getpid(), "ws_url": "ws://x:1/ws"}))
    assert daemon_url(fixed) == "ws://x:1/ws"
    random_port = make_config(tmp_path / "nowhere", tmp_path)
    with pytest.raises(DaemonClientError, match=r"daemon\.json"):
        daemon_url(random_port)


async def test_stopping_the_server_closes_clients_with_going_away(
    state_dir: Path, watch_dir: Path
) -> None:
    async with serve_ws(state_dir, watch_dir) as served:
        conn, _ = await hello(served.url)
        assert (state_dir / "daemon.json").exists()
    assert await closed_code(conn) == 1001
    assert not (state_dir / "daemon.json").exists()


async def test_while_models_load_clients_are_told_to_come_back(
    state_dir: Path, watch_dir: Path
) -> None:
    from nimbus.daemon.bus import Bus  # noqa: PLC0415
    from nimbus.daemon.testing import running  # noqa: PLC0415
    from nimbus.handlers.interfaces.websocket.handler import WebSocketServer  # noqa: PLC0415

    server = WebSocketServer(make_config(state_dir, watch_dir), Bus())
    await server.prepare()  # bound (daemon.json written), handlers not running yet
    assert daemon_url(make_config(state_dir, watch_dir)) == server.url
    with pytest.raises(DaemonClientError, match="loading models"):
        async with DaemonClient(server.url):
            pass
    async with running(server), DaemonClient(server.url) as client:
        assert client.welcome["type"] == "welcome"
