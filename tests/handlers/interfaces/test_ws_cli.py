"""`nimbus status/stop/events` as real subprocesses talking to a real server over WebSocket."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from nimbus.daemon.events import Stop, Transcript
from tests.conftest import NIMBUS, write_config
from tests.handlers.interfaces.ws_helpers import Served, serve_ws, wait_until


@pytest.fixture
def extra_settings() -> list[str]:
    return []


@pytest.fixture
async def served(state_dir: Path, watch_dir: Path, extra_settings: list[str]
                 ) -> AsyncIterator[Served]:
    async with serve_ws(state_dir, watch_dir, *extra_settings) as running_server:
        yield running_server


async def nimbus(config: Path, *args: str, within: float = 60) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        *NIMBUS, "--config", str(config), *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), within)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def config_for(served: Served, tmp_path: Path) -> Path:
    # Same state dir as the running server: the CLI finds the random port in daemon.json.
    return write_config(tmp_path / "nimbus.toml", served.config.state_path, served.watch_dir)


async def test_status_readable_and_json(served: Served, tmp_path: Path) -> None:
    config = config_for(served, tmp_path)
    code, out, err = await nimbus(config, "status")
    assert code == 0, err
    assert f"at {served.url}" in out
    assert "uptime" in out
    code, out, err = await nimbus(config, "status", "--json")
    assert code == 0, err
    status = json.loads(out)
    assert status["version"] == "0.1.0"
    assert "bus" in status


async def test_stop_sends_a_stop_for_the_site(served: Served, tmp_path: Path) -> None:
    config = config_for(served, tmp_path)
    code, out, err = await nimbus(config, "stop", "--site", "kitchen")
    assert code == 0, err
    assert "kitchen" in out
    stop = await served.recorder.wait_for(Stop)
    assert (stop.site, stop.reason) == ("kitchen", "nimbus stop")  # type: ignore[attr-defined]
    code, out, _ = await nimbus(config, "stop", "--json")
    assert code == 0
    assert json.loads(out)["site"] == "default"


async def test_events_streams_json_lines(served: Served, tmp_path: Path) -> None:
    config = config_for(served, tmp_path)
    task = asyncio.create_task(nimbus(config, "events", "transcript", "--json", "--count", "2"))
    await wait_until(lambda: any(events and "transcript" in events
                                 for _, events in served.server.subscriptions()), within=60)
    await served.bus.publish(Transcript(site="a", text="first"))
    await served.bus.publish(Transcript(site="b", text="second"))
    code, out, err = await task
    assert code == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    assert [(x["type"], x["text"]) for x in lines] == [("transcript", "first"),
                                                        ("transcript", "second")]


async def test_no_daemon_is_a_clear_error(tmp_path: Path, state_dir: Path,
                                          watch_dir: Path) -> None:
    config = write_config(tmp_path / "nimbus.toml", state_dir, watch_dir)
    code, _, err = await nimbus(config, "status")
    assert code == 1
    assert "daemon" in err
