"""The WebSocket server on a real 127.0.0.1 socket: handshake, auth, subscriptions, commands."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from nimbus.cli.client import DaemonClient, DaemonClientError, daemon_url
from nimbus.daemon import codec
from nimbus.daemon.config import ConfigError
from nimbus.daemon.events import (
    Ask,
    AudioChunk,
    AudioOut,
    Command,
    Error,
    Ingest,
    Say,
    Search,
    Status,
    StatusReport,
    Stop,
    Transcript,
)
from tests.handlers.interfaces.ws_helpers import (
    Served,
    closed_code,
    hello,
    make_config,
    next_message,
    serve_ws,
    subscribe,
)


@pytest.fixture
def extra_settings() -> list[str]:
    return []


@pytest.fixture
async def served(state_dir: Path, watch_dir: Path, extra_settings: list[str]
                 ) -> AsyncIterator[Served]:
    async with serve_ws(state_dir, watch_dir, *extra_settings) as running_server:
        yield running_server


# --- handshake and auth ----------------------------------------------------------------------


async def test_welcome_daemon_file_and_daemon_client(served: Served) -> None:
    conn, welcome = await hello(served.url, site="kitchen-tab")
    assert welcome["type"] == "welcome"
    assert welcome["protocol"] == 1
    assert welcome["site"] == "kitchen-tab"
    assert "kitchen-tab" in welcome["sites"]
    assert welcome["audio"]["in"]["rate"] == 16000
    await conn.close()
    info = json.loads((served.config.state_path / "daemon.json").read_text())
    assert info["ws_url"] == served.url
    assert info["ws_url"].startswith("ws://127.0.0.1:")
    assert not info["ws_url"].endswith(":0/ws")
    assert daemon_url(served.config) == served.url
    async with DaemonClient.from_config(served.config) as client:
        assert client.site.startswith("ws-")
        replies = [e async for e in client.request(Status(site=client.site),
                                                   until=lambda e: True, timeout=10)]
        assert isinstance(replies[0], StatusReport)
        assert replies[0].cause is not None


@pytest.mark.parametrize("extra_settings", [['websocket.token="s3cret"']])
@pytest.mark.parametrize("token", [None, "", "wrong", "s3cret "])
async def test_bad_or_missing_token_closes_with_policy_violation_and_says_nothing(
    served: Served, token: str | None
) -> None:
    conn = await connect(served.url)
    message: dict[str, Any] = {"type": "hello", "protocol": 1}
    if token is not None:
        message["token"] = token
    await conn.send(json.dumps(message))
    assert await closed_code(conn) == 1008
    assert conn.close_reason == ""
    assert not served.recorder.of(Command, Error)
    async with DaemonClient(served.url, token="s3cret") as good:
        assert good.welcome["type"] == "welcome"
    with pytest.raises(DaemonClientError, match="token"):
        async with DaemonClient(served.url, token="nope"):
            pass


@pytest.mark.parametrize("extra_settings", [["websocket.hello_timeout_s=0.3"]])
async def test_no_hello_or_a_command_first_is_a_policy_violation(served: Served) -> None:
    silent = await connect(served.url)
    assert await closed_code(silent) == 1008
    rude = await connect(served.url)
    await rude.send('{"type":"cmd.ask","text":"let me in"}')
    assert await closed_code(rude) == 1008
    assert not served.recorder.of(Ask)


async def test_unsupported_protocol_version_is_refused_with_the_supported_one(
    served: Served,
) -> None:
    conn = await connect(served.url)
    await conn.send('{"type":"hello","protocol":99}')
    assert await closed_code(conn) == 1002
    assert "1" in (conn.close_reason or "")


def test_non_loopback_bind_without_token_refuses_to_start(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"websocket\.token"):
        make_config(tmp_path, tmp_path, 'websocket.host="0.0.0.0"')
    config = make_config(tmp_path, tmp_path, 'websocket.host="0.0.0.0"', 'websocket.token="x"')
    assert config.websocket.host == "0.0.0.0"


@pytest.mark.parametrize("extra_settings", [["websocket.max_clients=2"]])
async def test_max_clients(served: Served) -> None:
    first, _ = await hello(served.url)
    second, _ = await hello(served.url)
    third = await connect(served.url)
    assert await closed_code(third) == 1013
    await first.close()
    await second.close()


# --- subscriptions, commands, audio ---------------------------------------------------------


async def test_subscriptions_filter_by_type_and_site(served: Served) -> None:
    conn, _ = await hello(served.url, site="a")
    await subscribe(conn, ["transcript"], ["a"])
    await served.bus.publish(Transcript(site="b", text="not for you"))
    await served.bus.publish(Stop(site="a"))
    await served.bus.publish(Transcript(site="a", text="for you"))
    got = await next_message(conn, "transcript")
    assert got["text"] == "for you"
    assert got["site"] == "a"
    await subscribe(conn, "*")
    await served.bus.publish(Stop(site="zz", reason="all"))
    assert (await next_message(conn, "stop"))["reason"] == "all"
    await conn.close()


async def test_commands_reach_the_bus_with_the_clients_site(served: Served) -> None:
    async with DaemonClient(served.url, site="tab") as client:
        await client.subscribe([Command])
        ask = Ask(site=client.site, text="what time is it?")
        replies = [e async for e in client.request(ask, until=lambda e: True, timeout=10)]
        command = replies[0]
        assert isinstance(command, Command)
        assert (command.text, command.site, command.origin, command.cause) == (
            "what time is it?", "tab", "client", ask.id)
        await client.send(Say(site="tab", text="hello there"))
        await client.send(Stop(site="default", reason="cli"))
        await client.send(Search(site="tab", query="manual", k=3))
        say = await served.recorder.wait_for(Say)
        assert (say.site, say.text) == ("tab", "hello there")  # type: ignore[attr-defined]
        stop = await served.recorder.wait_for(Stop)
        assert (stop.site, stop.reason) == ("default", "cli")  # type: ignore[attr-defined]
        search = await served.recorder.wait_for(Search)
        assert search.k == 3  # type: ignore[attr-defined]


async def test_ingest_is_refused_outside_the_watched_folders(served: Served) -> None:
    doc = served.watch_dir / "notes.txt"
    doc.write_text("hello")
    conn, _ = await hello(served.url, site="tab")
    for bad in ["../../etc/passwd", f"{served.watch_dir}/../../etc/passwd", "/etc/passwd"]:
        await conn.send(json.dumps({"type": "cmd.ingest", "paths": [bad], "id": "i-bad"}))
        error = await next_message(conn, "error")
        assert error["code"] == "path_not_watched"
        assert error["cause"] == "i-bad"
    await conn.send(json.dumps({"type": "cmd.ingest", "paths": [str(doc)]}))
    ingest = await served.recorder.wait_for(Ingest)
    assert ingest.paths == (str(doc.resolve()),)  # type: ignore[attr-defined]
    assert len(served.recorder.of(Ingest)) == 1
    await conn.close()


async def test_microphone_audio_in_and_spoken_audio_out_as_binary_frames(served: Served) -> None:
    conn, _ = await hello(served.url, site="mic-tab")
    await subscribe(conn, ["audio.out"], ["mic-tab"])
    pcm = bytes(range(256)) * 4
    await conn.send(codec.encode_frame(AudioChunk(site="someone-else", audio=pcm, sequence=1)))
    chunk = await served.recorder.wait_for(AudioChunk)
    assert isinstance(chunk, AudioChunk)
    assert (chunk.site, chunk.audio, chunk.sequence) == ("mic-tab", pcm, 1)
    speech = bytes(range(200)) * 11
    await served.bus.publish(AudioOut(site="other", audio=b"\x00\x00" * 10))
    await served.bus.publish(AudioOut(site="mic-tab", audio=speech, rate=22050, text="Hi."))
    async with asyncio.timeout(10):
        frame = await conn.recv()
    assert isinstance(frame, bytes)
    out = codec.decode_frame(frame)
    assert isinstance(out, AudioOut)
    assert (out.site, out.audio, out.rate, out.text) == ("mic-tab", speech, 22050, "Hi.")
    await conn.close()


async def test_http_serves_the_browser_client_and_checks_origins(served: Served) -> None:
    base = served.url.replace("ws://", "http://").removesuffix("/ws")
    async with httpx.AsyncClient() as http:
        page = await http.get(base + "/")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert "<script" in page.text
        script = await http.get(base + "/app.js")
        assert script.status_code == 200
        assert "WebSocket" in script.text
        assert (await http.get(base + "/nope")).status_code == 404
        assert (await http.get(base + "/ws")).status_code == 426
    host = base.removeprefix("http://")
    conn = await connect(served.url, origin=f"http://{host}")  # type: ignore[arg-type]
    await conn.close()
    with pytest.raises(InvalidStatus) as refused:
        await connect(served.url, origin="http://evil.example")  # type: ignore[arg-type]
    assert refused.value.response.status_code == 403
