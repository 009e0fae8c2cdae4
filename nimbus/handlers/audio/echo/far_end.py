"""The echo reference: the exact PCM a local sink played, on the monotonic clock. Pure.

The speaker's playback thread hands each buffer it writes to :meth:`Reference.played` with the
time the write began; the microphone's reader thread asks :meth:`Reference.read` for the
samples that were playing at a moment of its own stream. Samples are kept at 16 kHz mono int16
in a ring (``keep_s``); what was never played, or is older than the ring, reads as silence.

Timing: a sink that is already playing queues each buffer right after the previous one, so the
timeline stays contiguous while each write begins before the audio already handed over has run
out (the write's own clock time jitters by up to a device buffer); a write that begins after it
ran out (the device drained, or underran because speech came slower than real time) anchors a
new stretch at the time it began - the device played silence in between, and so does the
reference. The fixed offset between this timeline and the
microphone's (device buffers, the room) is the echo delay the canceller estimates.

Thread-safe: one lock, held only to copy samples.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Final

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from nimbus.handlers.audio.convert import Resampler

__all__ = ["Reference"]

PIPELINE_RATE: Final = 16000
"""The reference's rate (the microphone's). Audio at other rates is resampled with PyAV, loaded
only then: a thin satellite hands over 16 kHz it resampled itself, and has no PyAV."""

_GAP_S: Final = 0.003
"""A write starting this long after the timeline's end begins a new stretch (the device ran dry
in between): an underrun that is not followed would leave the reference that much early for
the rest of the answer. Shorter gaps are the write's own clock jitter, not an underrun: each
re-anchor moves the echo path, and a linear canceller loses most of its high frequencies to a
step of a fraction of a millisecond (measured in the PulseAudio room: 4-5 such steps of
0.1-0.6 ms per answer took the ERLE from 11 dB to 5 dB)."""


class Reference:
    """A ring of played samples on the monotonic clock (see module docstring)."""

    def __init__(self, *, keep_s: float = 8.0, rate: int = PIPELINE_RATE) -> None:
        self.rate = rate
        self._ring = np.zeros(int(keep_s * rate), dtype=np.int16)
        self._lock = threading.Lock()
        self._origin: float | None = None
        """Clock time of sample index 0."""
        self._end = 0
        """Index one past the newest played sample."""
        self._resampler: Resampler | None = None
        self._resampler_rate = 0
        self.last_played: float | None = None
        """Clock time of the newest write (None before the first): a stalled sink shows here."""
        self.played_s = 0.0
        """Seconds of audio handed over in all."""
        self.sink = ""
        """Set by the sink that feeds this reference while it is open (its name)."""
        self.busy_since: float | None = None
        """Set by the sink while it is inside a write (clock time it began), else None: a
        write that never returns (a stalled device) shows here."""

    def played(self, pcm: bytes, *, rate: int, at: float) -> None:
        """A sink began writing ``pcm`` (int16 mono at ``rate``) to its device at time ``at``."""
        with self._lock:
            if rate == self.rate:
                samples = np.frombuffer(pcm[: len(pcm) - len(pcm) % 2], dtype="<i2")
            else:
                if self._resampler is None or self._resampler_rate != rate:
                    from nimbus.handlers.audio.convert import Resampler  # noqa: PLC0415

                    self._resampler, self._resampler_rate = Resampler(rate), rate
                samples = self._resampler.push(pcm)
            self.last_played = at
            self.played_s += len(pcm) / 2 / rate
            if self._origin is None:
                self._origin = at
            start = round((at - self._origin) * self.rate)
            if start > self._end + _GAP_S * self.rate:
                self._zero(self._end, start)
                self._end = start
            self._put(samples)

    def _zero(self, start: int, stop: int) -> None:
        size = len(self._ring)
        if stop - start >= size:
            self._ring[:] = 0
            return
        first, last = start % size, stop % size
        if first < last:
            self._ring[first:last] = 0
        elif stop > start:
            self._ring[first:] = 0
            self._ring[:last] = 0

    def _put(self, samples: npt.NDArray[np.int16]) -> None:
        size = len(self._ring)
        data = samples[-size:]
        index = self._end + len(samples) - len(data)
        first = index % size
        head = min(len(data), size - first)
        self._ring[first : first + head] = data[:head]
        self._ring[: len(data) - head] = data[head:]
        self._end += len(samples)

    def read(self, at: float, count: int) -> npt.NDArray[np.int16]:
        """``count`` samples that were playing from time ``at`` on (silence where none)."""
        out = np.zeros(count, dtype=np.int16)
        with self._lock:
            if self._origin is None:
                return out
            start = round((at - self._origin) * self.rate)
            size = len(self._ring)
            lo, hi = max(start, self._end - size, 0), min(start + count, self._end)
            index = lo
            while index < hi:
                first = index % size
                take = min(hi - index, size - first)
                out[index - start : index - start + take] = self._ring[first : first + take]
                index += take
        return out

    def playing_until(self) -> float | None:
        """Clock time at which the played audio ends (None before anything played)."""
        with self._lock:
            if self._origin is None:
                return None
            return self._origin + self._end / self.rate
