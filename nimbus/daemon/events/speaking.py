"""Speaking events: synthesized audio and playback."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from nimbus.daemon.events.base import (
    AudioEvent,
    Event,
    EventType,
)

__all__ = ["AudioOut", "PlaybackFinished", "PlaybackStarted"]


@dataclass(frozen=True, slots=True, kw_only=True)
class AudioOut(AudioEvent):
    """Synthesized speech for one sentence, in order (cause = the sentence id)."""

    type: ClassVar[EventType] = EventType.AUDIO_OUT
    text: str = ""
    index: int = 0
    """Order of this chunk within its response."""
    final: bool = False
    """True on the last audio chunk of the response."""
    response: str | None = None
    """Id of the response this audio speaks."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaybackStarted(Event):
    """A sink began playing audio for a response."""

    type: ClassVar[EventType] = EventType.PLAYBACK_STARTED
    response: str | None = None
    sink: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaybackFinished(Event):
    """A sink finished (or was cut off) playing audio for a response."""

    type: ClassVar[EventType] = EventType.PLAYBACK_FINISHED
    response: str | None = None
    sink: str = ""
    cancelled: bool = False
    seconds: float = 0.0
    """Audio seconds played."""
    timings: dict[str, float] = field(default_factory=dict)
