"""A linear echo canceller in numpy: a partitioned-block frequency-domain adaptive filter. Pure.

WebRTC's AEC3 ends in a residual-echo suppressor made for calls: while the answer plays it
also attenuates and gates the user (double talk), and Whisper then mishears a short "Yonder".
This engine keeps the user's speech intact instead: it subtracts an adaptive estimate of the
echo and nothing else by default (``suppress`` adds a gentle post-filter, see below).

* **Filter.** Overlap-save multi-delay filter (MDF, Soo & Pang 1990): 10 ms blocks, a 20 ms
  FFT, ``filter_s`` of room cut into block-long partitions, normalised per frequency bin by the
  reference's smoothed power, gradient constrained (each partition's update is an FFT of a
  causal block) so it converges to the room's impulse response and not an alias of it.
* **Double talk.** Two filters (Speex's scheme): a *background* filter adapts on every block; a
  *foreground* filter makes the output and takes the background's coefficients only while the
  background cancels clearly better. When the user speaks the background is disturbed - it
  then cancels worse, is not copied, and is reset to the foreground once clearly worse - so the
  output filter never learns the user's voice.
* **Post-filter** (``suppress`` > 0): per bin, the residual echo is estimated as
  ``suppress`` x the echo estimate's power, and the bin's gain is a Wiener gain
  ``1 - residual / output`` floored at ``floor_db``; where the user dominates a bin the gain stays
  near 1. It needs its own windowed overlap-add, so it adds ``latency`` (one block).

Output is int16, as long as the input; ``latency`` samples late.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

__all__ = ["LinearEngine"]

_BLOCK: Final = 160
_FLOOR: Final = 0.05
"""Regularisation of the step's norm, as a share of the mean bin's power: bins where the
reference has next to nothing do not get huge steps."""
_QUIET_RMS: Final = 30.0
"""A reference this quiet (int16 RMS, about -60 dBFS) over the whole filter gets almost no
step: without an absolute floor the step's norm shrinks with the reference at the end of every
answer, and the background filter, stepping by its last few LSB of decaying tail against the
room's own tail in the microphone, blew up in the silence between answers (measured: |W| 0.6
-> 5.5); the next answer's first block copied it into the foreground, which then cancelled
nothing (ERLE 40 dB -> 0 dB) - a canceller that is warm across answers, as the daemon keeps
it, was worse than a fresh one."""
_EPS: Final = 1e-3


class LinearEngine:
    """Partitioned-block frequency-domain NLMS with foreground/background filters (see module)."""

    name = "nimbus-mdf"

    def __init__(self, *, rate: int = 16000, filter_s: float = 0.4, step: float = 0.5,
                 suppress: float = 0.0, floor_db: float = -12.0, leak: bool = False) -> None:
        if rate != 16000:
            raise ValueError(f"LinearEngine runs at 16000 Hz, not {rate}")
        self.reach_s = filter_s + 0.05
        """The caller shifts the reference for delays past this less its margin (0.1 s): the
        filter then still holds 50 ms of the room after the direct path."""
        self.parts = max(1, round(filter_s * rate / _BLOCK))
        self.step = step
        self.suppress = suppress
        self.floor = 10 ** (floor_db / 20)
        self.adaptive_leak = leak
        self.latency = _BLOCK if suppress > 0 else 0
        """Samples the output lags its input (the post-filter's overlap-add)."""
        bins = _BLOCK + 1
        self._window = np.sqrt(np.hanning(2 * _BLOCK + 1)[:-1])
        self._bins = bins
        self._quiet = self.parts * 2 * _BLOCK * _QUIET_RMS ** 2
        """``_QUIET_RMS`` as a per-bin power summed over the partitions (``_span``'s scale)."""
        self.reset()

    @classmethod
    def for_speech(cls) -> LinearEngine:
        """The daemon's settings: chosen on the bargein benchmark's dev split (see
        docs/listening.md)."""
        return cls(filter_s=0.4, step=1.0, suppress=2.0, floor_db=-12.0)

    def reset(self) -> None:
        bins, parts = self._bins, self.parts
        self._x = np.zeros((parts, bins), np.complex128)
        """Reference spectra, newest first."""
        self._far_prev = np.zeros(_BLOCK)
        self._fg = np.zeros((parts, bins), np.complex128)
        self._bg = np.zeros((parts, bins), np.complex128)
        self._span = np.zeros(bins)
        """Per bin: the reference's power summed over the partitions (the step's norm)."""
        self._davg = 0.0
        self._dvar = 0.0
        self._e_prev = np.zeros(_BLOCK)
        self._y_prev = np.zeros(_BLOCK)
        self._ola = np.zeros(_BLOCK)
        self._pey = 0.0
        self._pyy = 0.0
        self.leak = 1.0
        """Share of the echo estimate's power left in the output (estimated: the regression
        of the output's power spectrum on the echo estimate's)."""
        self.errors = np.zeros((0, _BLOCK))
        """The last call's output before the post-filter, in step with its input."""
        self.foreground_updates = 0
        self.passed_through = 0
        """Blocks where the output filter would have made the microphone louder."""
        self.background_resets = 0

    def process(self, near: npt.NDArray[np.int16], far: npt.NDArray[np.int16]
                ) -> npt.NDArray[np.int16]:
        """Whole 10 ms blocks of microphone and reference -> the microphone less the echo."""
        count = len(near) // _BLOCK
        out = np.empty(count * _BLOCK)
        nears = near[: count * _BLOCK].astype(np.float64).reshape(count, _BLOCK)
        fars = far[: count * _BLOCK].astype(np.float64).reshape(count, _BLOCK)
        self.errors = np.empty((count, _BLOCK))
        for i in range(count):
            out[i * _BLOCK : (i + 1) * _BLOCK] = self._block(nears[i], fars[i], i)
        return np.clip(np.round(out), -32768, 32767).astype(np.int16)

    def _block(self, near: npt.NDArray[np.float64], far: npt.NDArray[np.float64], index: int
               ) -> npt.NDArray[np.float64]:
        x = np.fft.rfft(np.concatenate([self._far_prev, far]))
        self._far_prev = far
        oldest = self._x[-1]
        self._x[1:] = self._x[:-1]
        self._x[0] = x
        self._span += (x.real ** 2 + x.imag ** 2) - (oldest.real ** 2 + oldest.imag ** 2)
        np.maximum(self._span, 0.0, out=self._span)
        y_fg_spec = np.einsum("pb,pb->b", self._fg, self._x)
        y_bg_spec = np.einsum("pb,pb->b", self._bg, self._x)
        y_fg = np.fft.irfft(y_fg_spec)[_BLOCK:]
        y_bg = np.fft.irfft(y_bg_spec)[_BLOCK:]
        e_fg, e_bg = near - y_fg, near - y_bg
        self._adapt(e_bg)
        self._choose(e_fg, e_bg, y_fg, y_bg)
        if float(e_fg @ e_fg) > 2.0 * float(near @ near) + 1.0:
            # The output filter adds more than it takes (the echo path jumped): pass the
            # microphone through rather than make it louder, until a filter fits again.
            self.passed_through += 1
            e_fg, y_fg = near, np.zeros(_BLOCK)
        self.errors[index] = e_fg
        if self.suppress <= 0:
            return e_fg
        return self._postfilter(e_fg, y_fg)

    def _adapt(self, error: npt.NDArray[np.float64]) -> None:
        e = np.fft.rfft(np.concatenate([np.zeros(_BLOCK), error]))
        span = self._span
        if not np.any(span):
            return
        norm = self.step / (span + _FLOOR * (1.0 + span.mean()) + self._quiet)
        gradient = np.conj(self._x) * (e * norm)
        causal = np.fft.irfft(gradient, axis=1)
        causal[:, _BLOCK:] = 0.0
        self._bg += np.fft.rfft(causal, axis=1)

    def _choose(self, e_fg: npt.NDArray[np.float64], e_bg: npt.NDArray[np.float64],
                y_fg: npt.NDArray[np.float64], y_bg: npt.NDArray[np.float64]) -> None:
        """Copy the background into the foreground when it cancels clearly better; reset it
        to the foreground when it cancels clearly worse (Speex MDF's rule)."""
        sff = float(e_fg @ e_fg)
        see = float(e_bg @ e_bg)
        diff = y_fg - y_bg
        dbf = float(diff @ diff) + 1.0
        gain = sff - see
        self._davg = 0.6 * self._davg + 0.4 * gain
        self._dvar = 0.36 * self._dvar + 0.16 * sff * dbf
        if gain * abs(gain) > sff * dbf or (self._davg > 0
                                            and self._davg ** 2 > 0.0625 * self._dvar):
            self._fg = self._bg.copy()
            self._davg = self._dvar = 0.0
            self.foreground_updates += 1
        elif -gain * abs(gain) > 4 * sff * dbf:
            self._bg = self._fg.copy()
            self._davg = self._dvar = 0.0
            self.background_resets += 1

    def _postfilter(self, e: npt.NDArray[np.float64], y: npt.NDArray[np.float64]
                    ) -> npt.NDArray[np.float64]:
        frame_e = np.concatenate([self._e_prev, e]) * self._window
        frame_y = np.concatenate([self._y_prev, y]) * self._window
        self._e_prev, self._y_prev = e, y
        spec_e, spec_y = np.fft.rfft(frame_e), np.fft.rfft(frame_y)
        power_e = spec_e.real ** 2 + spec_e.imag ** 2
        power_y = spec_y.real ** 2 + spec_y.imag ** 2
        if self.adaptive_leak:
            self._estimate_leak(power_e, power_y)
        residual = self.suppress * self.leak * power_y
        gain = np.maximum(self.floor, 1.0 - residual / (power_e + _EPS))
        frame = np.fft.irfft(spec_e * gain) * self._window
        out = self._ola + frame[:_BLOCK]
        self._ola = frame[_BLOCK:]
        return out

    def _estimate_leak(self, power_e: npt.NDArray[np.float64], power_y: npt.NDArray[np.float64]
                       ) -> None:
        """Speex's leak estimate: how much of the echo estimate's power variation is in the
        output's (the user's speech does not vary with it, so double talk does not raise it)."""
        dy = power_y - power_y.mean()
        de = power_e - power_e.mean()
        yy = float(dy @ dy)
        if yy <= 1e3:
            return
        rate = 0.05
        self._pey = (1 - rate) * self._pey + rate * float(de @ dy)
        self._pyy = (1 - rate) * self._pyy + rate * yy
        self.leak = min(max(self._pey / (self._pyy + 1.0), 0.005), 1.0)

