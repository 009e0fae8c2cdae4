"""The handler contract: one object per pipeline stage, meeting the others only on the bus."""

from __future__ import annotations

import asyncio
import logging
import random
from typing import Protocol, runtime_checkable

from nimbus.daemon.bus import Bus
from nimbus.daemon.events import Error

__all__ = ["Handler", "serving_event", "supervise"]

log = logging.getLogger(__name__)


@runtime_checkable
class Handler(Protocol):
    """A pipeline stage.

    ``prepare`` loads models and opens resources (off the event loop for anything blocking);
    ``run`` serves until it is cancelled. A handler that starts serving inside ``run`` (a server
    that listens, a folder watcher) also has a ``serving: asyncio.Event`` it sets once it does;
    the daemon reports READY only after every ``prepare`` returned and every ``serving`` is set.
    Handlers never call each other: they subscribe and publish on the bus.
    """

    name: str

    async def prepare(self) -> None: ...

    async def run(self) -> None: ...


def serving_event(handler: Handler) -> asyncio.Event | None:
    """The event a handler sets once it serves, or None when it is ready after ``prepare``."""
    event = getattr(handler, "serving", None)
    return event if isinstance(event, asyncio.Event) else None


async def supervise(
    handler: Handler, bus: Bus, *, max_restarts: int = 5, backoff_s: float = 0.5
) -> None:
    """Run a handler; if it crashes, log it, publish an error event and restart it with backoff.

    Per-item errors are the handler's own business (it turns them into error events); this is the
    last line that keeps one broken stage from taking the daemon down.
    """
    restarts = 0
    while True:
        try:
            await handler.run()
        except (asyncio.CancelledError, KeyboardInterrupt):
            raise
        except Exception as exc:
            restarts += 1
            log.exception("handler %s crashed (%d/%d)", handler.name, restarts, max_restarts)
            await bus.publish(
                Error(
                    code="handler_crashed",
                    message=f"{handler.name} crashed: {type(exc).__name__}: {exc}",
                    stage=handler.name,
                )
            )
            if restarts > max_restarts:
                break
            delay = random.uniform(0, backoff_s * 2**restarts)
            await asyncio.sleep(delay)
        else:
            return
    log.error("handler %s gave up after %d restarts", handler.name, max_restarts)
