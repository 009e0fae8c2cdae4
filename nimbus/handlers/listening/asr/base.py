"""The ASR engine contract: one utterance in, an :class:`AsrResult` out (local or remote)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

__all__ = ["AsrEngine", "AsrResult"]


@dataclass(frozen=True, slots=True, kw_only=True)
class AsrResult:
    """What Whisper heard in one utterance."""

    text: str
    language: str
    avg_logprob: float
    segments: tuple[tuple[float, float, str], ...]
    """(start s, end s, text) relative to the start of the audio."""


class AsrEngine(Protocol):
    """One utterance of 16 kHz float32 audio in, text out (blocking, one thread at a time)."""

    name: str

    def transcribe(self, audio: npt.NDArray[np.float32]) -> AsrResult: ...
