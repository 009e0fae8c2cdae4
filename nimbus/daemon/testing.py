"""Test harness shipped with the package: record bus events, run a handler, compare sequences."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from nimbus.daemon.bus import Bus
from nimbus.daemon.events import AudioEvent, Event
from nimbus.daemon.handler import Handler

__all__ = ["DaemonProcess", "EventRecorder", "running", "strip"]


def strip(event: Event, *keep: str) -> tuple[str, dict[str, Any]]:
    """An event without id/time/cause (and without audio bytes) for order/snapshot comparisons.

    With ``keep`` names, only those fields are kept.
    """
    fields = {
        f.name: getattr(event, f.name)
        for f in dataclasses.fields(event)
        if f.name not in ("id", "time", "cause", "audio")
    }
    if isinstance(event, AudioEvent):
        fields["audio_bytes"] = len(event.audio)
    if keep:
        fields = {k: v for k, v in fields.items() if k in keep}
    return event.type.value, fields


class EventRecorder:
    """Records every event published on a bus (lossless), with waiting helpers."""

    def __init__(self, bus: Bus, *types: type[Event], maxsize: int = 100_000) -> None:
        self.events: list[Event] = []
        self._bus = bus
        self._types = types or (Event,)
        self._maxsize = maxsize
        self._task: asyncio.Task[None] | None = None
        self._arrived = asyncio.Condition()

    async def __aenter__(self) -> EventRecorder:
        subscription = self._bus.subscribe(
            *self._types, maxsize=self._maxsize, lossy_audio=False, name="recorder"
        )

        async def pump() -> None:
            async with subscription:
                async for event in subscription:
                    async with self._arrived:
                        self.events.append(event)
                        self._arrived.notify_all()

        self._task = asyncio.create_task(pump(), name="event-recorder")
        await asyncio.sleep(0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def of(self, *types: type[Event]) -> list[Event]:
        return [e for e in self.events if isinstance(e, types)]

    def types(self, *, skip: Iterable[type[Event]] = ()) -> list[str]:
        skipped = tuple(skip)
        return [e.type.value for e in self.events if not (skipped and isinstance(e, skipped))]

    async def wait_for(
        self, predicate: Callable[[Event], bool] | type[Event], within: float = 30.0
    ) -> Event:
        """The first recorded event matching; waits for it up to ``within`` seconds."""
        check: Callable[[Event], bool]
        if isinstance(predicate, type):
            cls = predicate
            check = lambda e: isinstance(e, cls)  # noqa: E731
        else:
            check = predicate
        async with asyncio.timeout(within), self._arrived:
            while True:
                for event in self.events:
                    if check(event):
                        return event
                await self._arrived.wait()


@contextlib.asynccontextmanager
async def running(*handlers: Handler) -> AsyncIterator[None]:
    """Prepare and run handlers for the duration of the block, then cancel them."""
    for handler in handlers:
        await handler.prepare()
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(h.run(), name=f"test:{h.name}") for h in handlers]
        await asyncio.sleep(0)
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()


class DaemonProcess:
    """A real `nimbus run` subprocess for end-to-end tests and benchmarks.

    Starts the daemon with a config file, waits until its WebSocket server wrote
    ``<state_dir>/daemon.json`` with ``"ready": true`` (once every model is loaded), and stops
    it with SIGTERM. Output goes to ``log_path`` so a failing test can show it.
    """

    def __init__(self, config_path: Path, state_dir: Path, *, log_path: Path | None = None,
                 env: dict[str, str] | None = None, prefix: Sequence[str] = ()) -> None:
        self.config_path = config_path
        self.prefix = tuple(prefix)
        """Put before the command line, e.g. ``("taskset", "-c", "0")``."""
        self.state_dir = state_dir
        self.log_path = log_path or state_dir / "daemon.log"
        self.env = {**os.environ, **(env or {})}
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def info_path(self) -> Path:
        return self.state_dir / "daemon.json"

    def start(self, *, ready_within: float = 300.0) -> str:
        """Start and wait for readiness; the daemon's WebSocket URL."""
        self.info_path.unlink(missing_ok=True)
        with self.log_path.open("ab") as log_file:
            self.process = subprocess.Popen(
                [*self.prefix, sys.executable, "-m", "nimbus.cli", "--config",
                 str(self.config_path), "run"],
                stdout=log_file, stderr=subprocess.STDOUT, env=self.env,
            )
        deadline = time.monotonic() + ready_within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"daemon exited with {self.process.returncode}:\n{self.log()}")
            try:
                info = json.loads(self.info_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                time.sleep(0.1)
                continue
            if info.get("pid") == self.process.pid and info.get("ready"):
                return str(info["ws_url"])
            time.sleep(0.1)
        raise TimeoutError(f"daemon not ready within {ready_within}s:\n{self.log()}")

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-20_000:]
        except OSError:
            return ""

    def stop(self, *, within: float = 30.0) -> int:
        """SIGTERM, wait, return the exit code (SIGKILL if it does not go)."""
        if self.process is None:
            return 0
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=within)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
