"""Every event on the Nimbus bus, as frozen dataclasses with stable wire names."""

from __future__ import annotations

import itertools
import os
import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

__all__ = [
    "ALL_EVENTS",
    "CONTROL_EVENTS",
    "Ask",
    "AssistantState",
    "AudioChunk",
    "AudioEvent",
    "AudioFormat",
    "AudioOut",
    "Command",
    "CommandExpected",
    "DocumentFailed",
    "DocumentIngested",
    "DocumentQueued",
    "DocumentRemoved",
    "Error",
    "Event",
    "EventType",
    "Ingest",
    "PhraseHeard",
    "PlaybackFinished",
    "PlaybackStarted",
    "ResponseDelta",
    "ResponseDone",
    "ResponseStarted",
    "Say",
    "Search",
    "SearchHit",
    "SearchResults",
    "Sentence",
    "Shutdown",
    "Source",
    "SpeechEnded",
    "SpeechSegment",
    "SpeechStarted",
    "StateChanged",
    "Status",
    "StatusReport",
    "Stop",
    "Transcript",
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
    COMMAND = "command"
    COMMAND_EXPECTED = "command.expected"
    STOP = "stop"
    STATE_CHANGED = "state.changed"
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
    SEARCH_RESULTS = "search.results"
    STATUS_REPORT = "status.report"
    ERROR = "error"
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


# --- listening -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AudioChunk(AudioEvent):
    """Live audio from a microphone, satellite, client or file."""

    type: ClassVar[EventType] = EventType.AUDIO_CHUNK
    sequence: int = 0
    """Position of this chunk in its site's stream, to detect drops and reordering."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SpeechStarted(Event):
    """Voice activity began on a site."""

    type: ClassVar[EventType] = EventType.SPEECH_STARTED
    offset: float = 0.0
    """Seconds into the site's stream where speech began (pre-roll included)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SpeechEnded(Event):
    """Voice activity ended on a site (after the hang-over)."""

    type: ClassVar[EventType] = EventType.SPEECH_ENDED
    offset: float = 0.0
    """Seconds into the site's stream where speech ended."""
    duration: float = 0.0
    """Length of the speech segment in seconds."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SpeechSegment(AudioEvent):
    """The audio of one utterance; `final` is False for a growing segment (partial ASR)."""

    type: ClassVar[EventType] = EventType.SPEECH_SEGMENT
    start: float = 0.0
    """Stream offset in seconds of the first sample."""
    final: bool = True
    same_speech_as: str | None = None
    """On a final segment: id of the partial segment (cut when the speaker paused) that holds
    the same speech - only trailing silence came after it - so its transcript can be reused."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Transcript(Event):
    """Text recognised in a speech segment."""

    type: ClassVar[EventType] = EventType.TRANSCRIPT
    text: str = ""
    final: bool = True
    language: str = ""
    start: float = 0.0
    """Stream offset in seconds."""
    end: float = 0.0
    avg_logprob: float = 0.0
    decode_seconds: float = 0.0
    """How long the ASR took for this transcript."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PhraseHeard(Event):
    """An action or stop phrase matched in a transcript."""

    type: ClassVar[EventType] = EventType.PHRASE_HEARD
    phrase: str = ""
    """The configured phrase that matched."""
    kind: str = "action"
    """"action" or "stop"."""
    heard: str = ""
    """The words the ASR actually produced."""
    score: float = 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Command(Event):
    """A request for the assistant to answer (from voice or any interface)."""

    type: ClassVar[EventType] = EventType.COMMAND
    text: str = ""
    origin: str = "voice"
    """voice | websocket | mqtt | cli."""
    use_docs: bool = True
    """Whether to ground the answer in the watched documents."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandExpected(Event):
    """The command the utterance in progress gives if it ends now (from a partial transcript).

    A hint, not a command: the responder reads the prompt for it ahead (retrieval and prefill)
    while the user finishes, and the real ``command`` that follows finds that work done.
    """

    type: ClassVar[EventType] = EventType.COMMAND_EXPECTED
    text: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Stop(Event):
    """Cancel whatever is running on a site: generation, synthesis, playback. Control lane."""

    type: ClassVar[EventType] = EventType.STOP
    target: str | None = None
    """Id of the response/command to cancel; None cancels everything on the site."""
    reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class StateChanged(Event):
    """The assistant's state on a site changed."""

    type: ClassVar[EventType] = EventType.STATE_CHANGED
    state: AssistantState = AssistantState.IDLE
    previous: AssistantState = AssistantState.IDLE


# --- responding ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """A document passage an answer used."""

    path: str
    page: int | None = None
    score: float = 0.0
    text: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseStarted(Event):
    """The responder began answering a command (cause = the command id)."""

    type: ClassVar[EventType] = EventType.RESPONSE_STARTED
    question: str = ""
    model: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseDelta(Event):
    """A piece of the streaming answer (cause = the response id)."""

    type: ClassVar[EventType] = EventType.RESPONSE_DELTA
    text: str = ""
    index: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseDone(Event):
    """The answer finished or was cancelled (cause = the response id)."""

    type: ClassVar[EventType] = EventType.RESPONSE_DONE
    text: str = ""
    cancelled: bool = False
    sources: tuple[Source, ...] = ()
    prompt_tokens: int = 0
    completion_tokens: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    """Stage timings in seconds, e.g. first_token, total."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Sentence(Event):
    """A speakable chunk cut from the response stream (cause = the response id)."""

    type: ClassVar[EventType] = EventType.SENTENCE
    text: str = ""
    index: int = 0
    final: bool = False
    """True for the last chunk of the response."""


# --- speaking --------------------------------------------------------------------------------


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


# --- documents -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentQueued(Event):
    """A file was queued for ingest."""

    type: ClassVar[EventType] = EventType.DOCUMENT_QUEUED
    path: str = ""
    reason: str = ""
    """created | modified | moved | startup | request."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentIngested(Event):
    """A file is indexed and searchable."""

    type: ClassVar[EventType] = EventType.DOCUMENT_INGESTED
    path: str = ""
    pages: int = 0
    chunks: int = 0
    seconds: float = 0.0
    skipped: bool = False
    """True when the content hash was unchanged and nothing was re-embedded."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentRemoved(Event):
    """A file's chunks were removed from the store."""

    type: ClassVar[EventType] = EventType.DOCUMENT_REMOVED
    path: str = ""
    chunks: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentFailed(Event):
    """A file could not be ingested; the store is unchanged for it."""

    type: ClassVar[EventType] = EventType.DOCUMENT_FAILED
    path: str = ""
    code: str = ""
    message: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchHit:
    """One search result."""

    path: str
    page: int | None = None
    score: float = 0.0
    text: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchResults(Event):
    """Answer to a Search command (cause = the search id)."""

    type: ClassVar[EventType] = EventType.SEARCH_RESULTS
    query: str = ""
    hits: tuple[SearchHit, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusReport(Event):
    """Answer to a Status command: a JSON-able snapshot of the daemon."""

    type: ClassVar[EventType] = EventType.STATUS_REPORT
    status: dict[str, Any] = field(default_factory=dict)


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


ALL_EVENTS: tuple[type[Event], ...] = (
    AudioChunk,
    SpeechStarted,
    SpeechEnded,
    SpeechSegment,
    Transcript,
    PhraseHeard,
    Command,
    CommandExpected,
    Stop,
    StateChanged,
    ResponseStarted,
    ResponseDelta,
    ResponseDone,
    Sentence,
    AudioOut,
    PlaybackStarted,
    PlaybackFinished,
    DocumentQueued,
    DocumentIngested,
    DocumentRemoved,
    DocumentFailed,
    SearchResults,
    StatusReport,
    Error,
    Shutdown,
    Ask,
    Say,
    Ingest,
    Search,
    Status,
)
"""Every concrete event class, one per EventType."""

CONTROL_EVENTS: tuple[type[Event], ...] = (Stop, Shutdown)
"""Events on the control lane: never dropped, delivered ahead of queued data."""
