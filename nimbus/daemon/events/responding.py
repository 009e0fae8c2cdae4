"""Responding events: an answer's start, streamed text, end and sentences."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from nimbus.daemon.events.base import (
    Event,
    EventType,
)

__all__ = ["ResponseDelta", "ResponseDone", "ResponseStarted", "Sentence", "Source"]


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
