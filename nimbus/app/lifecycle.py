"""Daemon lifecycle: prepare handlers, report READY, run them in one TaskGroup, stop cleanly."""

from __future__ import annotations

import asyncio
import contextlib
import faulthandler
import logging
import signal
import time
from collections.abc import Sequence
from typing import Any

from nimbus.app.compose import build_handlers
from nimbus.daemon.bus import Bus
from nimbus.daemon.config import Config
from nimbus.daemon.events import Shutdown
from nimbus.daemon.handler import Handler, serving_event, supervise
from nimbus.daemon.notify import Notifier, watchdog_interval

__all__ = ["Daemon"]

log = logging.getLogger(__name__)

_HUNG_STOP_S = 15.0
"""Seconds after a stop request at which the daemon's threads' stacks are dumped."""


class Daemon:
    """One Nimbus process: a bus, its handlers, and the systemd conversation."""

    def __init__(
        self,
        config: Config,
        *,
        bus: Bus | None = None,
        handlers: Sequence[Handler] | None = None,
        notifier: Notifier | None = None,
    ) -> None:
        self.config = config
        self.bus = bus or Bus()
        self.notifier = notifier or Notifier()
        self.handlers: list[Handler] = (
            list(handlers) if handlers is not None
            else build_handlers(config, self.bus, info=self.info)
        )
        self.stopping = asyncio.Event()
        self.ready = asyncio.Event()
        self.load_seconds: dict[str, float] = {}

    def info(self) -> dict[str, Any]:
        return {
            "handlers": [h.name for h in self.handlers],
            "load_seconds": dict(self.load_seconds),
        }

    def request_stop(self, reason: str = "") -> None:
        if not self.stopping.is_set():
            log.info("stop requested%s", f" ({reason})" if reason else "")
            self.stopping.set()

    async def _prepare(self, handler: Handler) -> None:
        started = time.perf_counter()
        await handler.prepare()
        self.load_seconds[handler.name] = round(time.perf_counter() - started, 3)

    async def _watchdog(self, interval: float) -> None:
        while True:
            self.notifier.watchdog()
            await asyncio.sleep(interval)

    async def run(self, *, install_signal_handlers: bool = True) -> int:
        """Serve until a stop is requested (SIGINT/SIGTERM or :meth:`request_stop`); exit code."""
        loop = asyncio.get_running_loop()
        if install_signal_handlers:
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, self.request_stop, sig.name)
        try:
            return await self._serve()
        finally:
            if install_signal_handlers:
                for sig in (signal.SIGINT, signal.SIGTERM):
                    loop.remove_signal_handler(sig)
            self.notifier.close()

    async def _prepare_all(self) -> bool:
        """Load every handler; False if a stop arrived first (loading is abandoned)."""
        prepare: asyncio.Future[list[None]] = asyncio.ensure_future(
            asyncio.gather(*(self._prepare(h) for h in self.handlers))
        )
        stop_wait: asyncio.Future[Any] = asyncio.ensure_future(self.stopping.wait())
        pending: list[asyncio.Future[Any]] = [prepare, stop_wait]
        try:
            await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop_wait.cancel()
        if not prepare.done():
            prepare.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await prepare
            return False
        prepare.result()  # a failed prepare is fatal: it re-raises here
        return True

    async def _until_serving(self, supervised: dict[str, asyncio.Task[None]]) -> bool:
        """Wait until every handler with a ``serving`` event serves (servers listen, folders
        are watched): a client that connects on "ready" is never refused. False when a stop
        came first. A handler whose supervisor gave up before serving is logged and not
        waited for (the daemon serves without it, as after any give-up)."""
        waiting: dict[asyncio.Future[Any], str] = {}
        for handler in self.handlers:
            event = serving_event(handler)
            if event is not None and not event.is_set():
                waiting[asyncio.ensure_future(event.wait())] = handler.name
        stop = asyncio.ensure_future(self.stopping.wait())
        try:
            while waiting and not self.stopping.is_set():
                ended = {supervised[n]: n for n in waiting.values() if n in supervised}
                done, _ = await asyncio.wait([*waiting, *ended, stop],
                                             return_when=asyncio.FIRST_COMPLETED)
                for future in done:
                    if future in waiting:
                        del waiting[future]
                    elif future in ended:
                        name = ended[future]
                        log.error("%s stopped before it started serving", name)
                        for pending, owner in list(waiting.items()):
                            if owner == name:
                                pending.cancel()
                                del waiting[pending]
        finally:
            stop.cancel()
            for future in waiting:
                future.cancel()
        return not self.stopping.is_set()

    async def _serve(self) -> int:
        interval = watchdog_interval()
        self.notifier.status("loading models")
        started = time.perf_counter()
        async with asyncio.TaskGroup() as tg:
            background: list[asyncio.Task[None]] = []
            if interval:
                background.append(tg.create_task(self._watchdog(interval), name="sd-watchdog"))
            try:
                if not await self._prepare_all():
                    self.notifier.stopping("stopped while loading")
                    return 0
                supervised = {
                    h.name: tg.create_task(supervise(h, self.bus), name=f"handler:{h.name}")
                    for h in self.handlers
                }
                background += supervised.values()
                self.notifier.status("starting interfaces")
                if await self._until_serving(supervised):
                    ready_s = time.perf_counter() - started
                    self.notifier.ready(f"ready: {len(self.handlers)} handlers in {ready_s:.2f}s")
                    self.ready.set()
                    log.info(
                        "nimbus ready",
                        extra={
                            "handlers": ",".join(h.name for h in self.handlers),
                            "load_s": round(ready_s, 2),
                        },
                    )
                await self.stopping.wait()
                self.notifier.stopping("shutting down")
                log.info("shutting down")
                # A stop that hangs (seen rarely in CI: SIGTERM, then nothing for 30 s) shows
                # every thread's stack on stderr, so the next one says where it waits.
                faulthandler.dump_traceback_later(_HUNG_STOP_S, exit=False)
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(0.5):
                        await self.bus.publish(Shutdown(reason="stop requested"))
            finally:
                for task in background:
                    task.cancel()
        faulthandler.cancel_dump_traceback_later()
        log.info("nimbus stopped")
        return 0
