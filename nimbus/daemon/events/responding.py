"""Responding events: an answer's start, streamed text, end and sentences."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from nimbus.daemon.events.base import (
    Event,
    EventType,
)

__all__ = ["Grounding", "Intent", "ResponseDelta", "ResponseDone", "ResponseStarted", "Sentence",
           "Source", "Timer"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """A document passage an answer used."""

    path: str
    page: int | None = None
    score: float = 0.0
    text: str = ""
    ocr: bool = False
    """The passage was read by OCR from a scan or photo."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Grounding:
    """How an answer was held to its evidence before it was spoken."""

    status: str = ""
    """supported (every sentence passed the gate), fell_back (a sentence failed: the best
    evidence sentence was spoken instead), quoted (``llm.grounded_style = "extractive"``: the
    best evidence sentence was read, no model), not_found (a question about the user's documents
    that they cannot answer), general (no documents used: not checked), unchecked (the gate is
    off), intent (an everyday intent done: the time, a timer, a greeting…), memory (something
    the user told it was stored, or an answer from those notes), home (home control handed to
    Home Assistant or published on MQTT), declined (an honest "I can't know that" / "I'm not
    sure" with no fact, or bad input refused), "" (no answer: an error or a cancel before any
    text)."""
    supported: tuple[str, ...] = ()
    """Checkable items (numbers, dates, names…) of the spoken sentences found in the evidence."""
    unsupported: tuple[str, ...] = ()
    """Items found in no evidence: their sentence was withheld."""
    withheld: tuple[str, ...] = ()
    """The model's sentences that were not spoken."""
    fallback: str = ""
    """The evidence sentence spoken instead, with its source."""
    evidence: tuple[Source, ...] = ()
    """The evidence sentences the model was given, best first (score: cosine + overlap)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Intent(Event):
    """A command the intent stage claimed before the LLM (cause = the command id).

    The responder publishes it instead of answering; the intents handler does it and answers.
    MQTT publishes it on ``P/<site>/intent`` for automations.
    """

    type: ClassVar[EventType] = EventType.INTENT
    name: str = ""
    """time, date, weekday, timer_set, timer_list, timer_cancel, timer_remaining, alarm_set,
    alarm_list, alarm_cancel, capabilities, greeting, thanks, goodbye, how_are_you, repeat,
    never_mind, remember, home_control, realtime, unsupported (slot ``what``: music, call,
    message, order, list, directions: what it cannot do, said plainly)."""
    slots: dict[str, str] = field(default_factory=dict)
    text: str = ""
    """What the user said."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Timer(Event):
    """A timer or alarm changed: started, finished (ringing), silenced or cancelled."""

    type: ClassVar[EventType] = EventType.TIMER
    timer: str = ""
    """The timer's id."""
    state: str = ""
    """started | finished | silenced | cancelled."""
    kind: str = "timer"
    """timer | alarm."""
    name: str = ""
    seconds: float = 0.0
    """The duration it was set for (timers)."""
    due: str = ""
    """When it rings, ISO 8601 with the user's time zone."""


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
    grounding: Grounding = field(default_factory=Grounding)


@dataclass(frozen=True, slots=True, kw_only=True)
class Sentence(Event):
    """A speakable chunk cut from the response stream (cause = the response id)."""

    type: ClassVar[EventType] = EventType.SENTENCE
    text: str = ""
    index: int = 0
    final: bool = False
    """True for the last chunk of the response."""
