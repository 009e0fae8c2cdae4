"""Bulk echo delay: how long after the reference plays it is heard in the microphone. Pure.

Fed one 10 ms frame at a time with the RMS of the microphone and of the reference that played
at the same clock time, it cross-correlates the two envelopes over the last ``window_s`` and
takes the lag with the highest correlation, from ``-min_lag_s`` (the timestamps put the
reference later than it sounded) to ``max_lag_s``. Envelopes rather than samples:
the room's reverberation and a clipping speaker change the waveform, not when the syllables
come. A lag counts once two estimates in a row agree and the correlation is clear (double talk,
silence and music without the reference give none), so one noisy window never moves it.
"""

from __future__ import annotations

from typing import Final

import numpy as np

__all__ = ["DelayEstimator"]

_AGREE_FRAMES: Final = 2
"""Two estimates within this many frames of each other agree."""


class DelayEstimator:
    """Envelope cross-correlation delay estimate (see module docstring). Times in seconds."""

    def __init__(self, *, frame_s: float = 0.01, window_s: float = 3.0, max_lag_s: float = 1.0,
                 min_lag_s: float = 0.3, every_s: float = 0.5, min_correlation: float = 0.6,
                 active_share: float = 0.3) -> None:
        self.frame_s = frame_s
        self._window = round(window_s / frame_s)
        self._max_lag = round(max_lag_s / frame_s)
        self._min_lag = round(min_lag_s / frame_s)
        self._every = max(1, round(every_s / frame_s))
        self.min_correlation = min_correlation
        self._active_share = active_share
        size = self._window + self._max_lag + self._min_lag
        self._mic = np.zeros(size, dtype=np.float64)
        self._ref = np.zeros(size, dtype=np.float64)
        self._frames = 0
        self._candidate: int | None = None
        self.delay_s: float | None = None
        """The agreed delay, None until one was found."""
        self.correlation = 0.0
        """Correlation of the last estimate (0 when the window had too little reference)."""

    def push(self, mic_rms: float, ref_rms: float) -> bool:
        """One frame's envelopes; True when :attr:`delay_s` changed."""
        self._mic = np.roll(self._mic, -1)
        self._ref = np.roll(self._ref, -1)
        self._mic[-1], self._ref[-1] = mic_rms, ref_rms
        self._frames += 1
        if self._frames < len(self._mic) or self._frames % self._every:
            return False
        lag = self._estimate()
        if lag is None:
            self._candidate = None
            return False
        agreed = self._candidate is not None and abs(lag - self._candidate) <= _AGREE_FRAMES
        self._candidate = lag
        if not agreed:
            return False
        delay = lag * self.frame_s
        if self.delay_s is not None and abs(delay - self.delay_s) < 1.5 * self.frame_s:
            return False
        self.delay_s = delay
        return True

    def _estimate(self) -> int | None:
        """The best lag in frames (mic later than reference is positive), or None."""
        ref, first = self._ref, self._max_lag
        window = slice(first, first + self._window)  # the mic's window; ref slides around it
        floor = max(float(ref.max()) * 0.05, 1.0)
        if np.mean(ref[window] > floor) < self._active_share:
            self.correlation = 0.0
            return None
        mic = self._mic[window] - self._mic[window].mean()
        mic_norm = float(np.linalg.norm(mic))
        if mic_norm == 0.0:
            self.correlation = 0.0
            return None
        best, best_lag = -1.0, 0
        for lag in range(-self._min_lag, self._max_lag + 1):
            part = ref[first - lag : first - lag + self._window]
            part = part - part.mean()
            norm = float(np.linalg.norm(part))
            if norm == 0.0:
                continue
            value = float(np.dot(mic, part)) / (mic_norm * norm)
            if value > best:
                best, best_lag = value, lag
        self.correlation = best
        return best_lag if best >= self.min_correlation else None
