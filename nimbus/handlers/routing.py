"""Core handlers every daemon runs: the event log, and the router for ask/status commands."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from nimbus import __version__
from nimbus.daemon.bus import Bus
from nimbus.daemon.events import (
    ALL_EVENTS,
    Ask,
    AssistantState,
    AudioChunk,
    AudioEvent,
    Command,
    Error,
    Event,
    StateChanged,
    Status,
    StatusReport,
)

__all__ = ["CommandRouter", "EventLogger", "describe"]

log = logging.getLogger("nimbus.events")


def describe(event: Event) -> str:
    """A short human summary of an event's payload for the log line."""
    quoted = ("text", "message")
    names = ("text", "query", "path", "phrase", "state", "code", "message", "reason")
    parts = [
        f"{name}={str(value)[:120]!r}" if name in quoted else f"{name}={value}"
        for name in names
        if (value := getattr(event, name, None))
    ]
    if isinstance(event, AudioEvent):
        parts.append(f"audio={event.duration:.2f}s@{event.rate}Hz")
    parts += [name for name in ("final", "cancelled") if getattr(event, name, False)]
    return " ".join(parts)


class EventLogger:
    """Logs one line per event at INFO (live audio chunks only at DEBUG)."""

    name = "event-log"

    def __init__(self, bus: Bus) -> None:
        self._bus = bus

    async def prepare(self) -> None:
        return None

    async def run(self) -> None:
        # Live audio chunks (dozens a second) are logged only at DEBUG.
        types = (Event,) if log.isEnabledFor(logging.DEBUG) else tuple(
            cls for cls in ALL_EVENTS if cls is not AudioChunk
        )
        async with self._bus.subscribe(*types, name=self.name, maxsize=1024) as events:
            async for event in events:
                log.info(
                    "%s site=%s %s",
                    event.type.value,
                    event.site,
                    describe(event),
                    extra={"event": event.type.value, "site": event.site, "event_id": event.id},
                )


class CommandRouter:
    """Turns client `ask` into a `command`, and answers `status` with a status report."""

    name = "router"

    def __init__(self, bus: Bus, *, info: Callable[[], dict[str, Any]] | None = None) -> None:
        self._bus = bus
        self._info = info or dict
        self._started = time.monotonic()
        self._states: dict[str, AssistantState] = {}

    async def prepare(self) -> None:
        return None

    async def run(self) -> None:
        async with self._bus.subscribe(Ask, Status, StateChanged, name=self.name) as events:
            async for event in events:
                match event:
                    case Ask() if not event.text.strip():
                        # No Command at all: an empty question never reaches the model.
                        await self._bus.publish(Error(
                            code="empty_command", stage="router", site=event.site,
                            cause=event.id,
                            message="cmd.ask needs a non-empty \"text\": nothing to answer"))
                    case Ask():
                        await self._bus.publish(
                            Command(
                                site=event.site,
                                cause=event.id,
                                text=event.text,
                                origin="client",
                                use_docs=event.use_docs,
                                conversation=event.conversation,
                            )
                        )
                    case StateChanged():
                        self._states[event.site] = event.state
                    case Status():
                        await self._bus.publish(
                            StatusReport(site=event.site, cause=event.id, status=self.snapshot())
                        )

    def snapshot(self) -> dict[str, Any]:
        return {
            "version": __version__,
            "uptime_s": round(time.monotonic() - self._started, 3),
            "sites": {site: state.value for site, state in sorted(self._states.items())},
            "bus": {
                "published": self._bus.published,
                "subscriptions": len(self._bus.subscriptions),
                "dropped_audio": sum(s.dropped for s in self._bus.subscriptions),
            },
            **self._info(),
        }
