"""The base of every event: wire names, the Event and AudioEvent dataclasses, ids."""

from __future__ import annotations

import itertools
import os
import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import ClassVar

__all__ = [
    "DEFAULT_SITE",
    "AssistantState",
    "AudioEvent",
    "AudioFormat",
    "Event",
    "EventType",
    "new_id",
]

DEFAULT_SITE = "default"

_counter = itertools.count()
_prefix = f"{os.getpid():x}"


def new_id() -> str:
    """A process-unique, sortable, short event id."""
    return f"{_prefix}-{time.monotonic_ns():x}-{next(_counter):x}"


class EventType(StrEnum):
    """Stable wire names. Never rename one: clients match on these strings."""

    AUDIO_CHUNK = "audio.chunk"
    SPEECH_STARTED = "speech.started"
    SPEECH_ENDED = "speech.ended"
    SPEECH_SEGMENT = "speech.segment"
    TRANSCRIPT = "transcript"
    PHRASE_HEARD = "phrase.heard"
    PHRASE_REJECTED = "phrase.rejected"
    COMMAND = "command"
    COMMAND_EXPECTED = "command.expected"
    COMMAND_CANDIDATE = "command.candidate"
    ARBITRATION_LOST = "arbitration.lost"
    STOP = "stop"
    STATE_CHANGED = "state.changed"
    INTENT = "intent"
    TIMER = "timer"
    RESPONSE_STARTED = "response.started"
    RESPONSE_DELTA = "response.delta"
    RESPONSE_DONE = "response.done"
    SENTENCE = "sentence"
    AUDIO_OUT = "audio.out"
    PLAYBACK_STARTED = "playback.started"
    PLAYBACK_FINISHED = "playback.finished"
    DOCUMENT_QUEUED = "document.queued"
    DOCUMENT_INGESTED = "document.ingested"
    DOCUMENT_REMOVED = "document.removed"
    DOCUMENT_FAILED = "document.failed"
    DOCUMENT_PROGRESS = "document.progress"
    SEARCH_RESULTS = "search.results"
    STATUS_REPORT = "status.report"
    ERROR = "error"
    SATELLITE_STATE = "satellite.state"
    SHUTDOWN = "shutdown"
    ASK = "cmd.ask"
    SAY = "cmd.say"
    INGEST = "cmd.ingest"
    SEARCH = "cmd.search"
    STATUS = "cmd.status"


class AssistantState(StrEnum):
    """What the assistant is doing on one site."""

    IDLE = "idle"
    LISTENING = "listening"
    THINKING = "thinking"
    SPEAKING = "speaking"


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Fields every event carries."""

    type: ClassVar[EventType]

    site: str = DEFAULT_SITE
    """Which microphone, satellite or client this event belongs to."""
    id: str = field(default_factory=new_id)
    """Unique id; later events point back to it through `cause`."""
    time: float = field(default_factory=time.monotonic)
    """`time.monotonic()` when the event was made (meaningful within one process)."""
    cause: str | None = None
    """Id of the event this one answers or follows from (an answer points at its question)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AudioFormat:
    """Raw little-endian PCM layout."""

    rate: int = 16000
    width: int = 2
    channels: int = 1

    @property
    def bytes_per_second(self) -> int:
        return self.rate * self.width * self.channels


@dataclass(frozen=True, slots=True, kw_only=True)
class AudioEvent(Event):
    """An event whose payload is raw PCM; travels as a binary frame on the wire."""

    audio: bytes = b""
    """Little-endian signed PCM."""
    rate: int = 16000
    width: int = 2
    channels: int = 1

    @property
    def format(self) -> AudioFormat:
        return AudioFormat(rate=self.rate, width=self.width, channels=self.channels)

    @property
    def duration(self) -> float:
        """Seconds of audio in the payload."""
        return len(self.audio) / (self.rate * self.width * self.channels)
