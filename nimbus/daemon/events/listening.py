"""Listening events: audio in, speech activity, transcripts, phrases, commands, stop, state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from nimbus.daemon.events.base import (
    AssistantState,
    AudioEvent,
    Event,
    EventType,
)

__all__ = [
    "ArbitrationLost",
    "AudioChunk",
    "Command",
    "CommandCandidate",
    "CommandExpected",
    "HeardWord",
    "PhraseHeard",
    "PhraseRejected",
    "SpeechEnded",
    "SpeechSegment",
    "SpeechStarted",
    "StateChanged",
    "Stop",
    "Transcript",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class AudioChunk(AudioEvent):
    """Live audio from a microphone, satellite, client or file.

    A chunk may end anywhere, even inside a sample: each stage that reads a site's stream carries
    an incomplete frame over to that site's next chunk (:class:`~nimbus.handlers.audio.convert.
    Resampler`).
    """

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
    pause: bool = False
    """On a partial segment: cut on the first silent frame after speech (the final that follows
    if no more speech comes holds the same speech)."""
    same_speech_as: str | None = None
    """On a final segment: id of the partial segment (cut when the speaker paused) that holds
    the same speech - only trailing silence came after it - so its transcript can be reused."""


@dataclass(frozen=True, slots=True, kw_only=True)
class HeardWord:
    """A transcript word with its time in the utterance and how sure the unprompted model is."""

    word: str
    start: float = 0.0
    """Seconds from the start of the utterance."""
    end: float = 0.0
    probability: float = 0.0
    """Mean token probability given the audio and the words before, without the phrase prompt."""
    match: float | None = None
    """On the first word of a candidate phrase, when a template is enrolled (``nimbus phrases
    enroll``): the acoustic distance of its audio to the template (0 = the same sound)."""
    rest: float | None = None
    """Mean unprompted probability of the word's tokens after its first ("bus" of " Nim" +
    "bus"); None for a one-token word."""
    pause_after: float | None = None
    """Next to a candidate phrase: the unprompted probability of a comma right after this word
    (did the speaker set the phrase apart?)."""


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
    words: tuple[HeardWord, ...] = ()
    """Word evidence, on final transcripts that hold a candidate action or stop phrase (the
    phrase stage verifies the candidate with it); empty otherwise."""
    verify_seconds: float = 0.0
    """How long computing ``words`` took (part of ``decode_seconds``)."""
    rescored: bool = False
    """The text is not the main model's decode but, for a noisy utterance, the version with the
    action phrase that verification confirmed: the noisy model's transcript
    (``asr.noisy_model``) or one rescoring found as likely (``asr.rescore_margin``)."""
    level_db: float = 0.0
    """Final transcripts: the speech's level above the segment's own noise floor, in dB (how
    well this site heard it; arbitration compares sites with it)."""
    denoised: bool = False
    """The speech stood less than ``asr.denoise_below_db`` above its noise: the audio was
    denoised, also decoded by ``asr.noisy_model``, and rescored when it holds no confirmed
    action phrase (docs/listening.md, Noise)."""


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
class PhraseRejected(Event):
    """A candidate phrase in a transcript that verification turned down (a near miss)."""

    type: ClassVar[EventType] = EventType.PHRASE_REJECTED
    phrase: str = ""
    kind: str = "action"
    """"action" or "stop"."""
    heard: str = ""
    """The whole transcript the candidate was found in."""
    score: float = 0.0
    """The phrase words' least unprompted probability (their tokens after each word's first;
    1.0 when the transcript had no word evidence)."""
    pause: float | None = None
    """The weaker of the unprompted comma probabilities before and after the phrase (did the
    speaker set it apart?); None without that evidence."""
    reason: str = ""
    """"unsure" (score below the threshold), "mid_sentence" (no pause before a phrase that does
    not open the utterance: it is inside a sentence), "run_on" (no pause after a phrase that
    does not close the utterance: it runs into the next word), or
    "repeated" (the transcript repeats it over and over: Whisper looping, not speech), or
    "not_alone" (a stop phrase with other words while the assistant is silent), or "unlike"
    (its audio is unlike every enrolled rendition of the phrase)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Command(Event):
    """A request for the assistant to answer (from voice or any interface)."""

    type: ClassVar[EventType] = EventType.COMMAND
    text: str = ""
    origin: str = "voice"
    """voice | websocket | mqtt | cli."""
    use_docs: bool = True
    """Whether to ground the answer in the watched documents."""
    conversation: str = ""
    """A client's conversation id: commands with the same id share conversation memory whatever
    their site or connection (Home Assistant's ``conversation_id``); empty = the site's."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandExpected(Event):
    """The command the utterance in progress gives if it ends now (from a partial transcript).

    A hint, not a command: the responder reads the prompt for it ahead (retrieval and prefill)
    while the user finishes, and the real ``command`` that follows finds that work done.
    """

    type: ClassVar[EventType] = EventType.COMMAND_EXPECTED
    text: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandCandidate(Event):
    """A voice command from a site in an arbitration group, before arbitration decides.

    The arbitration stage turns it into the ``command`` (the site that heard it best) or an
    ``arbitration.lost`` (another site of the group heard the same command better).
    """

    type: ClassVar[EventType] = EventType.COMMAND_CANDIDATE
    text: str = ""
    level_db: float = 0.0
    """The transcript's speech level above its noise floor."""
    avg_logprob: float = 0.0
    """The transcript's average log-probability (the ASR's confidence)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ArbitrationLost(Event):
    """Another site of the group heard the same command better and answers it; this one idles."""

    type: ClassVar[EventType] = EventType.ARBITRATION_LOST
    winner: str = ""
    """The site that answers."""
    text: str = ""
    """The command this site heard."""
    signal: str = "level"
    """What was compared: level (dB above the noise floor) or confidence (avg logprob)."""
    score: float = 0.0
    """This site's value of the signal."""
    winner_score: float = 0.0


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
