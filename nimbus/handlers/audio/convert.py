"""PCM conversion: stateful streaming resampling and mixdown to 16 kHz mono int16."""

from __future__ import annotations

from typing import Final

import av
import numpy as np
import numpy.typing as npt

__all__ = ["PIPELINE_RATE", "Resampler", "to_float32", "to_int16"]

PIPELINE_RATE: Final = 16000
"""Every stage after the sources works on 16 kHz mono int16."""

_FORMATS: Final = {2: ("s16", np.int16), 4: ("s32", np.int32)}


def to_float32(pcm: npt.NDArray[np.int16]) -> npt.NDArray[np.float32]:
    """int16 samples -> float32 in [-1, 1)."""
    return (pcm.astype(np.float32) / 32768.0).astype(np.float32, copy=False)


def to_int16(samples: npt.NDArray[np.floating]) -> npt.NDArray[np.int16]:
    """float samples in [-1, 1] -> int16 (clipped)."""
    return np.clip(np.round(samples * 32767.0), -32768, 32767).astype(np.int16)


class Resampler:
    """Streaming converter from interleaved PCM (any rate, channels, 16/32-bit) to 16 kHz mono s16.

    Stateful, so chunk boundaries leave no clicks; pass-through when the input already is
    16 kHz mono 16-bit. A piece may end anywhere, even inside a sample: the bytes of an
    incomplete frame are carried to the next piece (HTTP bodies, MQTT and WebSocket clients cut
    streams at arbitrary byte boundaries). Not thread-safe: one per stream.
    """

    def __init__(self, rate: int, *, channels: int = 1, width: int = 2) -> None:
        if width not in _FORMATS:
            raise ValueError(f"unsupported sample width {width} (16- or 32-bit PCM)")
        if rate <= 0 or channels <= 0:
            raise ValueError(f"bad audio format: rate={rate} channels={channels}")
        self.rate = rate
        self.channels = channels
        self.width = width
        self.passthrough = rate == PIPELINE_RATE and channels == 1 and width == 2
        self._format, self._dtype = _FORMATS[width]
        self._swr = av.AudioResampler(format="s16", layout="mono", rate=PIPELINE_RATE)
        self._pts = 0
        self._carry = b""
        """The bytes of the last piece's incomplete frame (fewer than one frame)."""

    @property
    def pending(self) -> int:
        """Bytes of an incomplete frame waiting for the rest of it."""
        return len(self._carry)

    def push(self, pcm: bytes) -> npt.NDArray[np.int16]:
        """Convert one piece of raw little-endian interleaved PCM, cut anywhere; may return fewer
        samples (a partial frame at its end waits for the next piece)."""
        if self._carry:
            pcm = self._carry + pcm
        frame_bytes = self.width * self.channels
        usable = len(pcm) - len(pcm) % frame_bytes
        self._carry = pcm[usable:]
        if usable == 0:
            return np.zeros(0, dtype=np.int16)
        if self.passthrough:
            return np.frombuffer(pcm, dtype="<i2", count=usable // 2).astype(np.int16)
        samples = np.frombuffer(pcm, dtype=np.dtype(self._dtype).newbyteorder("<"),
                                count=usable // self.width)
        samples = samples.astype(self._dtype, copy=False)
        if self.channels > 1:  # mixdown: the mean of the channels
            mixed = samples.reshape(-1, self.channels).mean(axis=1, dtype=np.float64)
            samples = np.round(mixed).astype(self._dtype)
        frame = av.AudioFrame.from_ndarray(
            samples.reshape(1, -1), format=self._format, layout="mono"
        )
        frame.sample_rate = self.rate
        frame.pts = self._pts
        self._pts += usable // frame_bytes
        return self._collect(self._swr.resample(frame))

    def flush(self) -> npt.NDArray[np.int16]:
        """The samples still buffered inside the resampler (call once at end of stream).

        A partial frame left over at the end of the stream is no sample at all: it is dropped.
        """
        self._carry = b""
        if self.passthrough:
            return np.zeros(0, dtype=np.int16)
        return self._collect(self._swr.resample(None))

    @staticmethod
    def _collect(frames: list[av.AudioFrame]) -> npt.NDArray[np.int16]:
        if not frames:
            return np.zeros(0, dtype=np.int16)
        return np.concatenate([f.to_ndarray().reshape(-1) for f in frames]).astype(np.int16)
