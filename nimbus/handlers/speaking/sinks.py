"""Audio sinks for synthesized speech: a PyAudio speaker, a WAV file, and rate conversion.

Sinks are synchronous and owned by one playback thread (the speaker handler's executor). A
sink writes small buffers (``buffer_ms``) and checks a cancel flag between them, so a stop
silences it within one buffer; :meth:`AudioSink.abort` then throws away what the device still
holds (PortAudio discards pending buffers when an active stream is closed).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import wave
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final, Protocol

import av
import numpy as np
import numpy.typing as npt

from nimbus.daemon.config import Config
from nimbus.handlers.audio.devices import (
    AudioDeviceError,
    DeviceInfo,
    describe_devices,
    list_devices,
    pick,
    quiet_native_stderr,
)
from nimbus.handlers.audio.echo.far_end import Reference

__all__ = [
    "AudioSink",
    "PyAudioSink",
    "RateConverter",
    "WavSink",
    "list_output_devices",
    "open_sink",
    "pick_output_device",
]

log = logging.getLogger(__name__)

BUFFER_MS: Final = 50
"""Size of one device write: the longest a stop waits before the sink stops writing. With 20-30
ms buffers ALSA's pulse plugin underran here (a 3 s write took 4.8 s, with gaps)."""


class AudioSink(Protocol):
    """Where the local site's speech goes. Call from one thread only."""

    name: str
    rate: int
    """Rate the sink plays (16-bit mono); callers convert to it with :class:`RateConverter`."""

    def write(self, pcm: bytes, cancel: threading.Event, gain: Callable[[], float]) -> float:
        """Play int16 mono PCM at :attr:`rate`, buffer by buffer, until done or ``cancel`` is
        set; ``gain()`` is read per buffer (ducking). Returns the seconds written."""
        ...

    def drain(self) -> None:
        """Block until what was written has been heard (end of a response)."""
        ...

    def abort(self) -> None:
        """Drop whatever the device still holds, at once (after a stop)."""
        ...

    def close(self) -> None: ...


class RateConverter:
    """Streaming int16 mono resampler to a fixed rate (pass-through when rates match)."""

    def __init__(self, rate_in: int, rate_out: int) -> None:
        if rate_in <= 0 or rate_out <= 0:
            raise ValueError(f"bad rates {rate_in} -> {rate_out}")
        self.rate_in = rate_in
        self.rate_out = rate_out
        self._swr = (
            None if rate_in == rate_out
            else av.AudioResampler(format="s16", layout="mono", rate=rate_out)
        )
        self._pts = 0
        self._carry = b""  # a piece may end inside a sample: its odd byte waits for the next

    def push(self, pcm: bytes) -> bytes:
        pcm = self._carry + pcm
        usable = len(pcm) - len(pcm) % 2
        self._carry = pcm[usable:]
        if self._swr is None:
            return pcm[:usable]
        if not usable:
            return b""
        samples = np.frombuffer(pcm, dtype="<i2", count=usable // 2).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = self.rate_in
        frame.pts = self._pts
        self._pts += samples.size
        return self._collect(self._swr.resample(frame))

    def flush(self) -> bytes:
        self._carry = b""
        if self._swr is None:
            return b""
        return self._collect(self._swr.resample(None))

    @staticmethod
    def _collect(frames: list[av.AudioFrame]) -> bytes:
        if not frames:
            return b""
        return b"".join(f.to_ndarray().reshape(-1).astype("<i2").tobytes() for f in frames)


def _scaled(pcm: bytes, gain: float) -> bytes:
    if gain >= 0.999:
        return pcm
    samples: npt.NDArray[np.int16] = np.frombuffer(pcm, dtype="<i2")
    return (samples.astype(np.float32) * gain).astype("<i2").tobytes()


def _buffers(pcm: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(pcm), size):
        yield pcm[start : start + size]


# --- PyAudio ---------------------------------------------------------------------------------


def list_output_devices(pa: Any) -> list[DeviceInfo]:
    return list_devices(pa, "output", fallback_rate=48000)


def _describe(devices: list[DeviceInfo]) -> str:
    return describe_devices(devices, "output")


def pick_output_device(pa: Any, wanted: str) -> DeviceInfo:
    """``audio.output_device``: "" = the default, digits = an index, else a name substring."""
    return pick(pa, wanted, "output", fallback_rate=48000)


class PyAudioSink:
    """A PortAudio output stream on a device chosen by name or index.

    The rate is the voice's own when the device takes it, else the device's default (the
    caller resamples). The stream is opened lazily and closed on :meth:`abort`. With a
    ``reference`` (echo cancellation), every buffer is handed to it, as played (after the
    ducking gain), stamped with the time its write began: never later than it sounds, so the
    echo's delay against the reference is always positive (the device's buffers, the room, the
    microphone's buffers), which the canceller finds.
    """

    name = "speaker"

    def __init__(self, device: str = "", *, preferred_rate: int = 22050,
                 buffer_ms: int = BUFFER_MS, reference: Reference | None = None) -> None:
        import pyaudio  # noqa: PLC0415 - optional `audio` extra, loaded only for a speaker

        with quiet_native_stderr():
            self._pa: Any = pyaudio.PyAudio()
        try:
            self.device = pick_output_device(self._pa, device)
            self.rate = self._pick_rate(preferred_rate)
        except BaseException:
            self._pa.terminate()
            raise
        self._format = self._pa.get_format_from_width(2)
        self._frames = max(1, self.rate * buffer_ms // 1000)
        self._stream: Any = None
        self.reference = reference
        try:  # open now: a device that cannot play is a start-up problem, not a mid-answer one
            self._open().stop_stream()
        except Exception as exc:
            self._pa.terminate()
            raise AudioDeviceError(
                "audio_output_failed",
                f"cannot play on {self.device.index}: {self.device.name!r} at {self.rate} Hz: "
                f"{exc}; {_describe(list_output_devices(self._pa))}") from exc
        log.info("speaker: %d: %r at %d Hz", self.device.index, self.device.name, self.rate)
        if reference is not None:
            reference.sink = f"speaker {self.device.name!r}"

    def _pick_rate(self, preferred: int) -> int:
        for rate in (preferred, self.device.default_rate, 48000, 44100, 16000):
            with contextlib.suppress(ValueError):
                if self._pa.is_format_supported(
                    rate, output_device=self.device.index, output_channels=1,
                    output_format=self._pa.get_format_from_width(2),
                ):
                    return rate
        return self.device.default_rate

    def _open(self) -> Any:
        if self._stream is None:
            self._stream = self._pa.open(
                format=self._format, channels=1, rate=self.rate, output=True,
                output_device_index=self.device.index, frames_per_buffer=self._frames,
            )
        elif self._stream.is_stopped():
            self._stream.start_stream()
        return self._stream

    def write(self, pcm: bytes, cancel: threading.Event, gain: Callable[[], float]) -> float:
        stream = self._open()
        written = 0
        reference = self.reference
        if reference is not None:
            reference.busy_since = time.monotonic()
        try:
            for buffer in _buffers(pcm, self._frames * 2):
                if cancel.is_set():
                    break
                played = _scaled(buffer, gain())
                if reference is not None:
                    reference.played(played, rate=self.rate, at=time.monotonic())
                stream.write(played, len(buffer) // 2)
                written += len(buffer)
        finally:
            if reference is not None:
                reference.busy_since = None
        return written / 2 / self.rate

    def drain(self) -> None:
        if self._stream is not None and self._stream.is_active():
            self._stream.stop_stream()  # Pa_StopStream: returns once the buffers are played

    def abort(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            with contextlib.suppress(Exception):
                stream.close()  # closing an active stream discards its pending buffers

    def close(self) -> None:
        self.abort()
        if self.reference is not None:
            self.reference.sink = ""
        with contextlib.suppress(Exception):
            self._pa.terminate()


# --- WAV file --------------------------------------------------------------------------------


class WavSink:
    """Appends everything spoken to one 16-bit mono WAV file (header valid after each write).

    Not paced: a file is "played" as fast as it is written.
    """

    name = "wav"

    def __init__(self, path: Path, *, rate: int) -> None:
        self.path = path
        self.rate = rate
        path.parent.mkdir(parents=True, exist_ok=True)
        self._wav: wave.Wave_write | None = wave.open(str(path), "wb")  # noqa: SIM115 - kept open
        self._wav.setnchannels(1)
        self._wav.setsampwidth(2)
        self._wav.setframerate(rate)

    def write(self, pcm: bytes, cancel: threading.Event, gain: Callable[[], float]) -> float:
        if self._wav is None or cancel.is_set():
            return 0.0
        self._wav.writeframes(_scaled(pcm, gain()))  # patches the header each time
        return len(pcm) / 2 / self.rate

    def drain(self) -> None:
        return None

    def abort(self) -> None:
        return None

    def close(self) -> None:
        wav, self._wav = self._wav, None
        if wav is not None:
            wav.close()


def open_sink(config: Config, *, rate: int, reference: Reference | None = None
              ) -> tuple[AudioSink | None, str]:
    """The local sink that ``audio.output`` asks for (blocking) and, if none, why not.

    ``reference``: a speaker hands what it plays to it (echo cancellation)."""
    audio = config.audio
    if audio.output == "none":
        return None, ""
    if audio.output == "wav":
        return WavSink(Path(audio.output_wav).expanduser(), rate=rate), ""
    try:
        return PyAudioSink(audio.output_device, preferred_rate=rate, reference=reference), ""
    except ImportError:
        problem = "PyAudio is not installed (pip install 'nimbus-assistant[audio]')"
    except Exception as exc:  # AudioDeviceError names the devices; PortAudio errors are OSError
        problem = getattr(exc, "message", None) or f"cannot open the speaker: {exc}"
    return None, problem
