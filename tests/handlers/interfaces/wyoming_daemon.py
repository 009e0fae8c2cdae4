"""The daemon the package's conftest.py shares between the Wyoming server tests and the
real-Home-Assistant tests: a `nimbus run` with the Wyoming server and the MQTT bridge."""

from __future__ import annotations

import contextlib
import json
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from nimbus.daemon.testing import DaemonProcess
from tests.conversation import daemon_config
from tests.mosquitto import Mosquitto

__all__ = ["WyomingDaemon", "start_wyoming_daemon"]

WAIT = 180.0
"""Generous: the two cores are shared by the daemon's models and the test."""


@dataclass
class WyomingDaemon:
    root: Path
    watch_dir: Path
    daemon: DaemonProcess
    url: str
    """The daemon's WebSocket URL."""
    port: int
    """Its Wyoming server's port."""
    broker: Mosquitto
    service_name: str
    """What it announces over zeroconf."""


def _wyoming_port(state_dir: Path, daemon: DaemonProcess, timeout: float = 30.0) -> int:
    """The port from ``wyoming.json`` (written just after the daemon says it is ready)."""
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(OSError, ValueError):
            state = json.loads((state_dir / "wyoming.json").read_text(encoding="utf-8"))
            assert daemon.process is not None
            assert state["pid"] == daemon.process.pid
            return int(state["port"])
        if time.monotonic() > deadline:
            raise TimeoutError(f"no wyoming.json within {timeout:g} s:\n{daemon.log()}")
        time.sleep(0.05)


@contextlib.contextmanager
def start_wyoming_daemon(root: Path) -> Iterator[WyomingDaemon]:
    """Broker and daemon in ``root``; both stopped afterwards."""
    state_dir, watch_dir = root / "state", root / "watched"
    state_dir.mkdir()
    watch_dir.mkdir()
    broker = Mosquitto(root)
    service_name = f"nimbus-test-{secrets.token_hex(3)}"
    config = daemon_config(
        root / "nimbus.toml", state_dir=state_dir, watch_dir=watch_dir,
        # General questions go to the model, not the reference book: the conversation tests
        # here follow a conversation's turns into the model's prompt (prompt_tokens).
        llm={"reference": '""'},
        extra=(
            # No noisy-speech model: the test speech is clean, and it is seconds of start-up.
            '[asr]\nnoisy_model = ""\n\n'
            "[wyoming]\nenabled = true\nport = 0\nidle_timeout_s = 2.0\n"
            f'zeroconf = true\nzeroconf_name = "{service_name}"\n'
            'zeroconf_address = "127.0.0.1"\nmax_payload_bytes = 262144\n\n'
            # Two sites, one in an area: Home Assistant gets a device for each.
            f'[mqtt]\nenabled = true\nhost = "127.0.0.1"\nport = {broker.port}\n'
            'areas = ["kitchen=Kitchen"]\n\n'
            # A second voice: every configured voice is offered to Home Assistant.
            "[voices.quick]\nengine = \"piper\"\nspeed = 1.3\n"
        ),
    )
    daemon = DaemonProcess(config, state_dir, log_path=root / "daemon.log")
    try:
        broker.start()
        url = daemon.start(ready_within=WAIT)
        yield WyomingDaemon(root, watch_dir, daemon, url, _wyoming_port(state_dir, daemon),
                            broker, service_name)
    finally:
        daemon.stop()
        broker.stop()
