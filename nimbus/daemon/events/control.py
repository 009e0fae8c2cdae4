"""Errors, lifecycle, and the commands clients send."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from nimbus.daemon.events.base import (
    Event,
    EventType,
)

__all__ = ["Ask", "Error", "Ingest", "SatelliteState", "Say", "Search", "Shutdown", "Status"]


# --- errors and lifecycle --------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Error(Event):
    """Something failed; the daemon keeps serving. `code` is stable, `message` is for people."""

    type: ClassVar[EventType] = EventType.ERROR
    code: str = ""
    message: str = ""
    stage: str = ""
    """Which handler reported it (asr, llm, tts, ingest, websocket, mqtt, ...)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SatelliteState(Event):
    """A network satellite Nimbus drives (e.g. a Wyoming satellite) connected or went away."""

    type: ClassVar[EventType] = EventType.SATELLITE_STATE
    state: str = "disconnected"
    """connected | disconnected."""
    uri: str = ""
    name: str = ""
    """What the satellite calls itself (its describe/info)."""
    area: str = ""
    message: str = ""
    """Why it is disconnected, or what it is running."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Shutdown(Event):
    """The daemon is stopping. Control lane."""

    type: ClassVar[EventType] = EventType.SHUTDOWN
    reason: str = ""


# --- commands clients send -------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Ask(Event):
    """Client asks a question in text (becomes a Command)."""

    type: ClassVar[EventType] = EventType.ASK
    text: str = ""
    use_docs: bool = True
    conversation: str = ""
    """Optional conversation id: asks with the same id share conversation memory (a follow-up
    from another site or connection); empty = the site's conversation."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Say(Event):
    """Client asks the assistant to speak a text."""

    type: ClassVar[EventType] = EventType.SAY
    text: str = ""
    voice: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Ingest(Event):
    """Client asks to ingest paths (must lie inside a watched folder)."""

    type: ClassVar[EventType] = EventType.INGEST
    paths: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Search(Event):
    """Client searches the document store."""

    type: ClassVar[EventType] = EventType.SEARCH
    query: str = ""
    k: int = 5


@dataclass(frozen=True, slots=True, kw_only=True)
class Status(Event):
    """Client asks for a status report."""

    type: ClassVar[EventType] = EventType.STATUS
