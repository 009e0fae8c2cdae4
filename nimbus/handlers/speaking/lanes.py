"""Per-site speaking state: responses being spoken, their queues, and each turn's stage times.

Plain data shared by the speaker handler (the reader and scheduler), synthesis and playback.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Final, Protocol, TypeVar

from nimbus.daemon.events import Sentence
from nimbus.handlers.speaking.sentences import SentenceChunker
from nimbus.handlers.speaking.sinks import AudioSink, RateConverter

__all__ = [
    "NETWORK_SINK",
    "PLAYBACK_AHEAD",
    "SENTENCE_BACKLOG",
    "ErrorReporter",
    "HeardCommand",
    "QueuedAudio",
    "QueuedSentence",
    "SiteLane",
    "SpokenResponse",
    "TurnTimes",
    "keep_only",
    "only",
]

T = TypeVar("T")

NETWORK_SINK: Final = "network"
"""The sink name of a site whose client plays the audio.out frames itself."""
SENTENCE_BACKLOG: Final = 2048
PLAYBACK_AHEAD: Final = 2
"""Synthesized chunks waiting for the speaker: synthesis runs at most this far ahead."""


class ErrorReporter(Protocol):
    """Publishes an error event for one site (the speaker handler's)."""

    def __call__(self, code: str, message: str, *, site: str, cause: str | None = None
                 ) -> Awaitable[None]: ...


@dataclass(slots=True, eq=False)
class SpokenResponse:
    """One answer or `say` being spoken on a site."""

    id: str
    """ResponseStarted id, or the Say id."""
    site: str
    cause: str | None
    voice: str
    chunker: SentenceChunker | None
    """None once the text is complete."""
    say: bool = False
    """A `say` (not superseded by a newer answer)."""
    rate: int = 0
    """The voice's sample rate, once synthesis began."""
    received: float = field(default_factory=time.perf_counter)
    cancel: threading.Event = field(default_factory=threading.Event)
    woken: asyncio.Event = field(default_factory=asyncio.Event)
    """Set with ``cancel``: wakes a paced synthesis task."""
    sentences: int = 0
    audio_index: int = 0
    audio_s: float = 0.0
    first_audio: float | None = None
    playing: bool = False
    writing: bool = False
    """The sink thread is writing this response's audio now (it reports its own end)."""
    finished: bool = False
    played_s: float = 0.0
    first_sound: float | None = None
    network: RateConverter | None = None
    local: RateConverter | None = None
    turn: TurnTimes | None = None
    """Daemon-clock times of this answer's stages, for its playback.finished timings."""

    def cancelled(self) -> bool:
        return self.cancel.is_set()

    def stop(self) -> None:
        self.cancel.set()
        self.woken.set()


@dataclass(slots=True)
class TurnTimes:
    """When each stage of one answer happened (``time.monotonic()``, the events' clock).

    ``speech_end`` and ``transcript`` are known only for a spoken command: they are the
    end of the utterance and its final transcript that the command came from.
    """

    command: float
    speech_end: float | None = None
    transcript: float | None = None
    first_token: float | None = None
    first_sentence: float | None = None
    first_audio: float | None = None

    def timings(self) -> dict[str, float]:
        """Seconds from the end of the user's speech (or from the command) to each stage."""
        stages = {"transcript": self.transcript, "first_token": self.first_token,
                  "first_sentence": self.first_sentence, "first_audio": self.first_audio}
        out = {f"command_to_{name}": at - self.command
               for name, at in stages.items() if at is not None and name != "transcript"}
        if self.speech_end is not None:
            out |= {f"speech_end_to_{name}": at - self.speech_end
                    for name, at in stages.items() if at is not None}
        return out


@dataclass(slots=True)
class HeardCommand:
    """The latest spoken command on a site: what its turn timings start from."""

    speech_end: float | None = None
    transcript_id: str | None = None
    transcript: float | None = None
    command_id: str | None = None
    command: float | None = None
    voice: bool = False


@dataclass(frozen=True, slots=True)
class QueuedSentence:
    response: SpokenResponse
    sentence: Sentence | None
    """None marks the end of the response."""


@dataclass(frozen=True, slots=True)
class QueuedAudio:
    response: SpokenResponse
    pcm: bytes
    rate: int
    final: bool


@dataclass(slots=True, eq=False)
class SiteLane:
    """One site's speaking state."""

    site: str
    sink: AudioSink | None
    responses: dict[str, SpokenResponse] = field(default_factory=dict)
    """Responses not yet fully spoken, in arrival order."""
    # Sentences are tiny and come from our own reader, which must never block (it also reads
    # stops): put_nowait, and a sentence beyond this backlog is dropped with an error event.
    sentences: asyncio.Queue[QueuedSentence] = field(
        default_factory=lambda: asyncio.Queue(maxsize=SENTENCE_BACKLOG))
    # Synthesized audio for the sink; a full queue makes synthesis wait (back-pressure: it runs
    # at most PLAYBACK_AHEAD chunks ahead of the speaker).
    playback: asyncio.Queue[QueuedAudio] = field(
        default_factory=lambda: asyncio.Queue(maxsize=PLAYBACK_AHEAD))
    gain: float = 1.0
    """Playback volume (ducked while the user speaks)."""
    abort: asyncio.Future[None] | None = None
    heard: HeardCommand = field(default_factory=HeardCommand)


def only(response: SpokenResponse) -> Callable[[SpokenResponse], bool]:
    return lambda r: r is response


def keep_only(queue: asyncio.Queue[T], keep: Callable[[T], bool]) -> None:
    """Remove the queued items that ``keep`` rejects, preserving order (no awaits)."""
    items: list[T] = []
    while True:
        try:
            items.append(queue.get_nowait())
        except asyncio.QueueEmpty:
            break
    for item in items:
        if keep(item):
            queue.put_nowait(item)
