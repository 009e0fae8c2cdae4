"""Echo cancellation for one microphone: its chunks, minus what the local sink played. Pure.

:class:`EchoCanceller` takes the microphone's 16 kHz chunks with the clock time each was read,
cuts them into the engine's 10 ms frames, and pairs every frame with the reference samples that
were playing ``delay`` earlier (:class:`~.reference.Reference`), ``delay`` coming from
:class:`~.delay.DelayEstimator` less a margin (the engine's own filter finds the rest, from 0
to its ``reach_s``; shorter delays are not shifted at all). The engine (AEC3,
:mod:`.engine`) keeps its adaptive state for the life of the canceller, across utterances and
answers. The output has the same length as the
input, 10 ms later (one frame of latency).

It measures as it goes: the echo return loss enhancement (ERLE: microphone power over output
power, in dB) over the frames where the reference was playing, smoothed over about 2 s; the
delay; whether the reference is there at all. No clock, no thread: times come in as arguments.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final, Protocol

import numpy as np
import numpy.typing as npt

from nimbus.handlers.audio.echo.delay import DelayEstimator
from nimbus.handlers.audio.echo.far_end import Reference

__all__ = ["FRAME", "EchoCanceller", "EchoEngine", "EchoStats"]

FRAME: Final = 160
"""10 ms at 16 kHz: the engine's frame."""
_RATE: Final = 16000
_MARGIN_S: Final = 0.1
"""A delay past the engine's reach less this is shifted to this much: the engine wants the
echo a little after its reference, never before, and room for the room's tail. A shift
restarts the engine (it re-adapts from scratch; left to chase a jump in the delay AEC3 took
several seconds)."""
_REANCHOR_S: Final = 0.25
"""A chunk whose read time is this far from the microphone's running clock re-anchors it (the
device dropped audio, or was reopened)."""
_ECHO_TAIL_S: Final = 0.5
"""The microphone's clock is corrected only this long after the reference stopped playing
(between answers): while it plays, or its echo may still ring, it advances by the samples."""
_SLEW: Final = 0.002
"""Share of the gap between the running clock and a chunk's read time closed per chunk."""
_ERLE_DECAY: Final = 0.995
"""Per-frame decay of the ERLE sums: about 2 s of playing frames."""
_ACTIVE_RMS: Final = 30.0
"""Reference RMS (int16) above which a frame counts as playing (about -60 dBFS)."""


class EchoEngine(Protocol):
    """An echo canceller with a 10 ms frame (AEC3); blocking, one thread."""

    def process(self, near: npt.NDArray[np.int16], far: npt.NDArray[np.int16]
                ) -> npt.NDArray[np.int16]:
        """Whole frames of microphone and reference (same length) -> the microphone cleaned."""
        ...

    def reset(self) -> None:
        """Forget the adapted state (the reference was shifted)."""
        ...

    @property
    def reach_s(self) -> float:
        """Delays up to this long the engine finds by itself: the reference is not shifted."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class EchoStats:
    """What the canceller measured so far."""

    erle_db: float | None
    """Echo return loss enhancement over the last ~2 s of playing frames (None: none yet)."""
    delay_ms: float | None
    """The bulk delay found between the reference and the microphone (None: not found yet)."""
    playing_s: float
    """Seconds of microphone audio processed while the reference played."""
    processed_s: float
    """Seconds of microphone audio processed in all."""


def _rms(frames: npt.NDArray[np.int16]) -> npt.NDArray[np.float64]:
    wide = frames.astype(np.float64)
    levels: npt.NDArray[np.float64] = np.sqrt(np.mean(wide * wide, axis=-1))
    return levels


class EchoCanceller:
    """Cancels the reference's echo from one microphone stream (see module docstring)."""

    def __init__(self, engine: EchoEngine, reference: Reference, *,
                 delay: DelayEstimator | None = None) -> None:
        self.engine = engine
        self.reference = reference
        self.delay = delay or DelayEstimator(frame_s=FRAME / _RATE, window_s=2.0)
        self._reach_s = engine.reach_s - _MARGIN_S
        self._pending = np.zeros(0, dtype=np.int16)
        self._out = np.zeros(FRAME, dtype=np.int16)
        self._clock: float | None = None
        """Clock time of the next sample to arrive."""
        self._mic_power = 0.0
        self._out_power = 0.0
        self._playing_frames = 0
        self._frames = 0
        self._bulk = 0.0
        self.resets = 0
        """Times the engine was restarted for a new bulk delay."""

    @property
    def bulk_s(self) -> float:
        """How far back the reference is read: the estimated delay less the margin."""
        found = self.delay.delay_s
        if found is None or 0.0 <= found <= self._reach_s:
            return 0.0
        return found - _MARGIN_S  # negative: the timestamps put the reference too late

    def process(self, mic: npt.NDArray[np.int16], read_at: float) -> npt.NDArray[np.int16]:
        """One microphone chunk read at clock time ``read_at`` -> as many cleaned samples."""
        observed = read_at - len(mic) / _RATE
        until = self.reference.playing_until()
        echoing = until is not None and until + _ECHO_TAIL_S > observed
        if self._clock is None or abs(observed - self._clock) > _REANCHOR_S:
            self._clock = observed
        elif echoing:  # the clock moves by the samples alone: a linear filter's echo path
            pass  # must not jump (a 0.1 ms step costs it most of its high frequencies)
        elif observed < self._clock:  # a chunk is never read before it was captured: the
            self._clock = observed  # earliest read times are the truest
        else:  # late reads (bursty delivery) pull only slowly: the device clock drifts
            self._clock += _SLEW * (observed - self._clock)
        start = self._clock - len(self._pending) / _RATE
        self._clock += len(mic) / _RATE
        samples = np.concatenate([self._pending, mic])
        whole = len(samples) - len(samples) % FRAME
        self._pending = samples[whole:]
        if whole:
            near = samples[:whole]
            count = whole // FRAME
            bulk = self.bulk_s
            if bulk != self._bulk:
                self._bulk = bulk
                self.engine.reset()
                self.resets += 1
            far = self.reference.read(start - bulk, whole)
            heard = self.reference.read(start, whole) if bulk else far
            cleaned = self.engine.process(near, far)
            self._measure(near.reshape(count, FRAME), cleaned.reshape(count, FRAME),
                          far.reshape(count, FRAME), heard.reshape(count, FRAME))
            self._out = np.concatenate([self._out, cleaned])
        result, self._out = self._out[: len(mic)], self._out[len(mic) :]
        if len(result) < len(mic):  # only before the first whole frame
            result = np.concatenate([np.zeros(len(mic) - len(result), np.int16), result])
        return result

    def _measure(self, near: npt.NDArray[np.int16], cleaned: npt.NDArray[np.int16],
                 far: npt.NDArray[np.int16], heard: npt.NDArray[np.int16]) -> None:
        mic_rms, out_rms, far_rms = _rms(near), _rms(cleaned), _rms(far)
        for mic_level, ref_level in zip(mic_rms, _rms(heard), strict=True):
            self.delay.push(float(mic_level), float(ref_level))
        for mic_level, out_level, far_level in zip(mic_rms, out_rms, far_rms, strict=True):
            self._frames += 1
            if far_level < _ACTIVE_RMS:
                continue
            self._playing_frames += 1
            self._mic_power = self._mic_power * _ERLE_DECAY + float(mic_level) ** 2
            self._out_power = self._out_power * _ERLE_DECAY + float(out_level) ** 2

    def stats(self) -> EchoStats:
        erle = None
        if self._playing_frames and self._mic_power > 0:
            erle = 10 * math.log10(self._mic_power / max(self._out_power, 1e-3))
        found = self.delay.delay_s
        return EchoStats(
            erle_db=None if erle is None else round(erle, 1),
            delay_ms=None if found is None else round(found * 1000),
            playing_s=round(self._playing_frames * FRAME / _RATE, 2),
            processed_s=round(self._frames * FRAME / _RATE, 2))
