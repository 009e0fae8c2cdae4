"""The world the faults benchmark probes: one real `nimbus run` (WebSocket, Wyoming, MQTT on a
real mosquitto, a watched folder), with helpers to watch it live, restart it, and read its store.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nimbus.cli.client import DaemonClient
from nimbus.daemon.events import Status, StatusReport
from nimbus.daemon.testing import DaemonProcess
from nimbus.watchfolders.sqlite import connect
from tests.conversation import daemon_config
from tests.mosquitto import Mosquitto

__all__ = ["World", "rss_mb"]

WAIT = 300.0
"""Longest start-up (models load on two shared cores)."""


def rss_mb(pid: int | None) -> float | None:
    """Resident memory of a process in MB (None when it is gone)."""
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


@dataclass
class World:
    root: Path
    state: Path = field(init=False)
    watch: Path = field(init=False)
    outside: Path = field(init=False)
    broker: Mosquitto = field(init=False)
    daemon: DaemonProcess = field(init=False)
    url: str = ""
    wyoming_port: int = 0
    starts: int = 0

    def __post_init__(self) -> None:
        self.state, self.watch, self.outside = (self.root / "state", self.root / "watched",
                                                self.root / "elsewhere")
        for folder in (self.state, self.watch, self.outside, self.root / "mosquitto"):
            folder.mkdir(parents=True, exist_ok=True)
        self.broker = Mosquitto(self.root / "mosquitto")
        config = daemon_config(
            self.root / "nimbus.toml", state_dir=self.state, watch_dir=self.watch,
            mqtt_port=self.broker.port,
            extra="[wyoming]\nenabled = true\nport = 0\nzeroconf = false\nidle_timeout_s = 2.0\n",
        )
        # faulthandler: a native crash (SIGSEGV, abort) leaves every thread's stack in the log.
        self.daemon = DaemonProcess(config, self.state, log_path=self.root / "daemon.log",
                                    env={"PYTHONFAULTHANDLER": "1"})
        self.exits: list[int] = []
        """Exit codes of daemons that died (negative: killed by that signal)."""

    # --- the daemon --------------------------------------------------------------------------

    def start(self) -> None:
        self.broker.start() if self.broker.process is None else None
        self.url = self.daemon.start(ready_within=WAIT)
        self.starts += 1
        import json  # noqa: PLC0415

        self.wyoming_port = int(json.loads((self.state / "wyoming.json").read_text())["port"])

    @property
    def pid(self) -> int | None:
        process = self.daemon.process
        return process.pid if process is not None and process.poll() is None else None

    def alive(self) -> bool:
        process = self.daemon.process
        if process is not None and process.poll() is not None and \
                len(self.exits) < self.starts:
            self.exits.append(process.returncode)
        return self.pid is not None

    def rss(self) -> float | None:
        return rss_mb(self.pid)

    def kill9(self) -> None:
        if self.pid is not None:
            os.kill(self.pid, signal.SIGKILL)
            assert self.daemon.process is not None
            self.daemon.process.wait(30)
            self.exits.append(-signal.SIGKILL)

    def stop(self) -> None:
        self.daemon.stop()
        self.broker.stop()

    async def healthy(self, within: float = 30.0) -> bool:
        """Does the daemon answer a status request over WebSocket within ``within`` s?"""
        try:
            async with asyncio.timeout(within), DaemonClient(self.url, site="prober") as client:
                async for event in client.request(Status(), until=lambda e: isinstance(
                        e, StatusReport), timeout=within):
                    if isinstance(event, StatusReport):
                        return True
        except (TimeoutError, OSError, Exception):
            return False
        return False

    # --- the store ---------------------------------------------------------------------------

    def sql(self, query: str, *args: Any) -> list[tuple[Any, ...]]:
        conn = connect(self.state / "nimbus.sqlite3", readonly=True)
        try:
            return [tuple(r) for r in conn.execute(query, args).fetchall()]
        finally:
            conn.close()

    def docs(self, prefix: Path) -> dict[str, tuple[str, str | None]]:
        """path -> (status, error_code) for documents under ``prefix``."""
        like = str(prefix).rstrip("/") + "/%"
        return {r[0]: (r[1], r[2]) for r in self.sql(
            "SELECT path, status, error_code FROM documents WHERE path LIKE ?", like)}

    async def until(self, check: Callable[[], bool], within: float) -> bool:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            with contextlib.suppress(Exception):  # the store may be mid-write or not yet made
                if check():
                    return True
            await asyncio.sleep(0.25)
        return False

    def queued(self) -> int:
        return int(self.sql("SELECT count(*) FROM queue")[0][0])
