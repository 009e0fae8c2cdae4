"""One spoken take from a live source: wait for speech, end it after a short silence.

Blocking; ``nimbus phrases enroll --record`` calls it once per take. Silero VAD and the
daemon's segmenter decide where the utterance is. Time is counted in samples read, never on a
clock: the timeout is that many seconds of microphone audio, which a microphone delivers in
that many seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from nimbus.daemon.config import VadConfig
from nimbus.handlers.audio.convert import PIPELINE_RATE, to_float32
from nimbus.handlers.listening.vad.engine import FRAME_SAMPLES, SileroVad, VadState
from nimbus.handlers.listening.vad.segmenter import Ended, Segmenter, SegmenterSettings

__all__ = ["NoSpeech", "TakeSettings", "record_take"]


class NoSpeech(Exception):
    """No speech began within the timeout."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TakeSettings:
    """How a take is cut; speech detection itself follows ``[vad]``."""

    vad: VadConfig
    silence_ms: int = 600
    """The take ends this long after the speech: longer than the daemon's hang-over, since a
    user reading a prompt may pause inside a two-word phrase."""
    max_s: float = 4.0
    """A phrase said alone is short; past this the take ends anyway (pre-roll included)."""
    timeout_s: float = 10.0
    """Audio without speech before the take is given up."""


def record_take(
    read: Callable[[], bytes], vad: SileroVad, settings: TakeSettings,
) -> npt.NDArray[np.int16]:
    """Read 16 kHz mono s16le chunks from ``read`` until one utterance has ended; its samples
    (with the segmenter's pre-roll and the silence after it). ``NoSpeech`` at the timeout."""
    segmenter = Segmenter(SegmenterSettings(
        threshold=settings.vad.threshold,
        min_speech_ms=settings.vad.min_speech_ms,
        silence_ms=settings.silence_ms,
        preroll_ms=settings.vad.preroll_ms,
        max_speech_s=settings.max_s,
    ))
    state = VadState()
    timeout = int(settings.timeout_s * PIPELINE_RATE)
    pending = np.zeros(0, np.int16)
    while True:
        chunk = np.frombuffer(read(), dtype="<i2").astype(np.int16)
        pending = np.concatenate([pending, chunk]) if pending.size else chunk
        whole = len(pending) - len(pending) % FRAME_SAMPLES
        for start in range(0, whole, FRAME_SAMPLES):
            frame = pending[start : start + FRAME_SAMPLES]
            probability = vad.probability(state, to_float32(frame))
            for event in segmenter.process(frame, probability):
                if isinstance(event, Ended):
                    return event.audio
            if not segmenter.active and segmenter.position >= timeout:
                raise NoSpeech(f"no speech in {settings.timeout_s:g} s")
        pending = pending[whole:]
