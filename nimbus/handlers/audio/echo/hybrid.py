"""The daemon's echo canceller: the linear filter where it fits the room, AEC3 where not. Pure.

The linear canceller (:mod:`.linear`) keeps the user's voice whole over the answer, so the stop
phrase is heard, but it needs a few seconds of the answer to fit the room and a stable echo
path: after a start, or a jump of the path (the speaker's device ran dry and restarted with
another latency, in real time), it leaves most of the echo. AEC3 (:mod:`.engine`) removes the
echo within a second and follows such jumps, but dips and gates the user while the answer
plays. Both run on every frame (their CPU adds up: about 35 ms per audio second); the output
is the linear one while the linear filter is known to cancel well, else AEC3's.

"Cancels well" is measured where only the echo is in the microphone: on frames where AEC3
removed more than ``quiet_db`` (AEC3 has then judged there is no one speaking: double talk
would leave more), the linear filter's own reduction (microphone over its output, before its
post-filter, smoothed over about ``smooth_s`` of such frames) must be at least ``good_db``
(8 dB: its post-filter then takes off about 10 dB more; at 12 dB the user 3 s into a first
answer still got AEC3's output, 7 dB quieter, in the test room of
tests/handlers/audio/test_echo_linear.py). A jump of the echo path shows within the next
second of echo.

A frame of double talk was meant never to enter the measure, but it does where AEC3 gates the
user: its suppressor then takes more than ``quiet_db`` off the user's frames as well, they
count as echo, and the measure falls within 0.1 s of the user beginning (measured: 35 dB ->
6 dB at 0 dB SER, with a canceller warm from an earlier answer) - the output flipped to
AEC3's exactly while the user spoke, and AEC3 gated them. So once the linear output is chosen
it is kept until the measure has stayed below ``good_db`` for ``hold_s`` (2.5 s: longer than
"Nimbus, stop, what time is it?" and the 0.5 s the measure takes to recover after it); an echo
path that really jumped is AEC3's again ``hold_s`` later.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from nimbus.handlers.audio.echo.engine import Aec3Engine
from nimbus.handlers.audio.echo.linear import LinearEngine

__all__ = ["HybridEngine"]

_BLOCK: Final = 160
_ACTIVE: Final = 1e4 * _BLOCK
"""Microphone energy per frame (RMS 100, about -50 dBFS) below which nothing is measured."""


class HybridEngine:
    """Linear canceller with AEC3 as its fallback (see module docstring)."""

    name = "nimbus-hybrid"

    def __init__(self, *, good_db: float = 8.0, quiet_db: float = 20.0,
                 smooth_s: float = 0.5, hold_s: float = 2.5) -> None:
        self.linear = LinearEngine.for_speech()
        self.aec3 = Aec3Engine()
        self.reach_s = min(self.linear.reach_s, self.aec3.reach_s)
        self.latency = self.linear.latency
        self._good = 10 ** (good_db / 10)
        self._quiet = 10 ** (-quiet_db / 10)
        self._decay = 1.0 - _BLOCK / 16000 / smooth_s
        self._hold = round(hold_s * 16000 / _BLOCK)
        self.reset()

    def reset(self) -> None:
        self.linear.reset()
        self.aec3.reset()
        self._delayed = np.zeros(self.latency, np.int16)
        self._near_power = 0.0
        self._left_power = 0.0
        self._linear = False
        """Whether the output is the linear canceller's."""
        self._bad = 0
        """Blocks since the measure fell below ``good_db`` while the output was linear."""
        self.linear_blocks = 0
        """Blocks whose output was the linear canceller's (the rest were AEC3's)."""
        self.blocks = 0

    @property
    def linear_db(self) -> float | None:
        """The linear filter's reduction of echo alone, as measured (None: not yet)."""
        if self._near_power <= 0.0:
            return None
        return float(10 * np.log10(self._near_power / max(self._left_power, 1e-9)))

    def process(self, near: npt.NDArray[np.int16], far: npt.NDArray[np.int16]
                ) -> npt.NDArray[np.int16]:
        count = len(near) // _BLOCK
        size = count * _BLOCK
        near, far = near[:size], far[:size]
        strong = self.aec3.process(near, far)  # in step with near
        linear = self.linear.process(near, far)  # ``latency`` behind
        left = self.linear.errors.reshape(count, _BLOCK)  # before its post-filter, in step
        wide = near.astype(np.float64).reshape(count, _BLOCK)
        near_energy = np.einsum("ij,ij->i", wide, wide)
        strong_wide = strong.astype(np.float64).reshape(count, _BLOCK)
        strong_energy = np.einsum("ij,ij->i", strong_wide, strong_wide)
        left_energy = np.einsum("ij,ij->i", left, left)
        if self.latency:  # AEC3's output made as late as the linear one
            strong = np.concatenate([self._delayed, strong])
            self._delayed = strong[len(strong) - self.latency :]
            strong = strong[:size]
        out = np.empty(size, np.int16)
        for i in range(count):
            if near_energy[i] > _ACTIVE and strong_energy[i] < self._quiet * near_energy[i]:
                self._near_power = self._decay * self._near_power + float(near_energy[i])
                self._left_power = self._decay * self._left_power + float(left_energy[i])
            part = slice(i * _BLOCK, (i + 1) * _BLOCK)
            self.blocks += 1
            if self._near_power > self._good * self._left_power > 0.0:
                self._linear, self._bad = True, 0
            elif self._linear:
                self._bad += 1
                self._linear = self._bad < self._hold
            if self._linear:
                out[part] = linear[part]
                self.linear_blocks += 1
            else:
                out[part] = strong[part]
        return out
