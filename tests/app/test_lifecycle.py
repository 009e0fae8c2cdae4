"""The real `nimbus run` process: READY over sd_notify, watchdog pings, clean SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from nimbus.app.lifecycle import Daemon
from nimbus.daemon.bus import Bus
from nimbus.daemon.config import load_config
from nimbus.daemon.events import Error
from nimbus.daemon.testing import EventRecorder
from tests.conftest import NIMBUS, write_config


def _recv_until(server: socket.socket, wanted: bytes, deadline: float) -> list[bytes]:
    seen: list[bytes] = []
    while time.monotonic() < deadline:
        server.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            message = server.recv(4096)
        except TimeoutError:
            break
        seen.append(message)
        if wanted in message:
            return seen
    raise AssertionError(f"never received {wanted!r}; got {seen!r}")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_run_reports_ready_and_stops_cleanly(
    tmp_path: Path, state_dir: Path, watch_dir: Path, sig: signal.Signals
) -> None:
    config = write_config(tmp_path / "nimbus.toml", state_dir, watch_dir)
    sock_path = str(tmp_path / "notify.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(sock_path)
    env = {**os.environ, "NOTIFY_SOCKET": sock_path, "WATCHDOG_USEC": "400000"}
    env.pop("WATCHDOG_PID", None)
    proc = subprocess.Popen(
        [*NIMBUS, "--config", str(config), "run"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        messages = _recv_until(server, b"READY=1", time.monotonic() + 180)
        assert any(b"STATUS=loading models" in m for m in messages)
        _recv_until(server, b"WATCHDOG=1", time.monotonic() + 5)
        proc.send_signal(sig)
        _recv_until(server, b"STOPPING=1", time.monotonic() + 5)
        output, _ = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        server.close()
    assert proc.returncode == 0, output
    assert "nimbus ready" in output
    assert "nimbus stopped" in output
    assert "Traceback" not in output


def test_bad_config_exits_2_with_the_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[phrases]\nmode = "shout"\n')
    result = subprocess.run([*NIMBUS, "--config", str(bad), "run"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert "phrases.mode" in result.stderr


class _Crashy:
    name = "crashy"

    def __init__(self) -> None:
        self.runs = 0
        self.third_run = asyncio.Event()

    async def prepare(self) -> None:
        return None

    async def run(self) -> None:
        self.runs += 1
        if self.runs <= 2:
            raise RuntimeError(f"model threw on run {self.runs}")
        self.third_run.set()
        await asyncio.Event().wait()


async def test_crashing_handler_is_restarted_and_reported(tmp_path: Path) -> None:
    config = load_config(None, environ={"NIMBUS_CONFIG": str(tmp_path / "none.toml")})
    bus = Bus()
    crashy = _Crashy()
    daemon = Daemon(config, bus=bus, handlers=[crashy])
    async with EventRecorder(bus, Error) as recorder:
        task = asyncio.create_task(daemon.run(install_signal_handlers=False))
        await asyncio.wait_for(daemon.ready.wait(), 5)
        await asyncio.wait_for(crashy.third_run.wait(), 10)
        daemon.request_stop("test")
        assert await asyncio.wait_for(task, 5) == 0
    errors = recorder.of(Error)
    assert len(errors) == 2
    assert all(isinstance(e, Error) and e.code == "handler_crashed" for e in errors)
    assert "model threw on run 1" in getattr(errors[0], "message", "")


async def test_stop_while_loading_exits_cleanly(tmp_path: Path) -> None:
    class SlowLoader:
        name = "slow"

        async def prepare(self) -> None:
            await asyncio.sleep(60)

        async def run(self) -> None:
            raise AssertionError("never runs")

    config = load_config(None, environ={"NIMBUS_CONFIG": str(tmp_path / "none.toml")})
    daemon = Daemon(config, handlers=[SlowLoader()])
    task = asyncio.create_task(daemon.run(install_signal_handlers=False))
    await asyncio.sleep(0.05)
    daemon.request_stop("test")
    assert await asyncio.wait_for(task, 5) == 0
    assert not daemon.ready.is_set()
