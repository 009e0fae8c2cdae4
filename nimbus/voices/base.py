"""The voice engine contract: synchronous text in, int16 mono PCM chunks out."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol, runtime_checkable

__all__ = ["VoiceEngine", "VoiceError"]


class VoiceError(Exception):
    """A voice cannot be loaded or cannot speak a text; ``code`` is stable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@runtime_checkable
class VoiceEngine(Protocol):
    """A loaded voice. Synchronous and stateful: call it from one worker thread at a time."""

    name: str
    sample_rate: int
    """Rate of the PCM that :meth:`synthesize` yields (16-bit mono)."""
    language: str
    """What the voice speaks ("en-us", "de", ...): text in another script is not sent to it."""

    def synthesize(self, text: str) -> Iterator[bytes]:
        """Speak ``text``: little-endian int16 mono PCM, in order, streamed chunk by chunk.

        Yields nothing for text with nothing speakable; raises :class:`VoiceError` on failure.
        """
        ...
