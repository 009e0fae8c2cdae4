"""faster-whisper speech recognition: one utterance of 16 kHz float32 audio in, text out."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from nimbus.daemon.config import AsrConfig
from nimbus.daemon.models import resolve_asr
from nimbus.daemon.threads import thread_plan

__all__ = ["AsrResult", "WhisperEngine", "build_prompt"]

log = logging.getLogger(__name__)

_MIN_SAMPLES = 1600
"""Below 0.1 s there is nothing to recognise."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AsrResult:
    """What Whisper heard in one utterance."""

    text: str
    language: str
    avg_logprob: float
    segments: tuple[tuple[float, float, str], ...]
    """(start s, end s, text) relative to the start of the audio."""


def build_prompt(initial_prompt: str, words: Sequence[str]) -> str:
    """The initial prompt: the configured text plus the phrases, so Whisper spells them right."""
    phrases = ". ".join(w.strip() for w in words if w.strip())
    parts = [p for p in (initial_prompt.strip(), f"{phrases}." if phrases else "") if p]
    return " ".join(parts)


class WhisperEngine:
    """A loaded faster-whisper model. Synchronous; call it from one worker thread at a time."""

    def __init__(self, config: AsrConfig, *, prompt_words: Sequence[str] = ()) -> None:
        from faster_whisper import WhisperModel  # noqa: PLC0415 - heavy, loaded off the loop

        location = resolve_asr(config.model)
        model = str(location.path) if location.path is not None else location.spec
        self.config = config
        self.name = location.name
        self.prompt = build_prompt(config.initial_prompt, prompt_words) or None
        self.threads = config.cpu_threads or thread_plan().asr
        self._model = WhisperModel(
            model,
            device=config.device,
            compute_type=config.compute_type,
            cpu_threads=self.threads,
        )
        log.info("ASR model loaded: %s (%s, %s, %d threads)", location.name, location.source,
                 config.compute_type, self.threads)

    def transcribe(self, audio: npt.NDArray[np.float32]) -> AsrResult:
        """Recognise one utterance (float32 mono 16 kHz in [-1, 1])."""
        language = self.config.language or None
        if audio.size < _MIN_SAMPLES:
            return AsrResult(text="", language=language or "", avg_logprob=0.0, segments=())
        segments, info = self._model.transcribe(
            np.ascontiguousarray(audio, dtype=np.float32),
            beam_size=self.config.beam_size,
            language=language,
            initial_prompt=self.prompt,
            condition_on_previous_text=False,
            vad_filter=False,
            temperature=0.0,
        )
        parts = [
            (float(s.start), float(s.end), s.text.strip(), float(s.avg_logprob)) for s in segments
        ]
        kept = [p for p in parts if p[2]]
        logprob = sum(p[3] for p in kept) / len(kept) if kept else 0.0
        return AsrResult(
            text=" ".join(p[2] for p in kept),
            language=info.language,
            avg_logprob=logprob,
            segments=tuple((p[0], p[1], p[2]) for p in kept),
        )

    @property
    def model(self) -> Any:
        """The loaded faster-whisper ``WhisperModel`` (for decoders that drive it directly)."""
        return self._model
