"""The configured microphone as a blocking stream of 16 kHz mono int16 PCM (PyAudio).

The daemon's ``MicrophoneSource`` reads it on a thread; ``nimbus phrases enroll --record``
reads it directly. Opening raises :class:`AudioDeviceError` (naming the devices that exist)
when ``audio.input_device`` matches nothing.
"""

from __future__ import annotations

import contextlib
from typing import Any

from nimbus.daemon.config import AudioConfig
from nimbus.handlers.audio.convert import PIPELINE_RATE, Resampler
from nimbus.handlers.audio.devices import (
    DeviceInfo,
    describe_devices,
    list_devices,
    pick,
    quiet_native_stderr,
)

__all__ = ["InputStream", "describe_input_devices", "list_input_devices", "pick_device"]


def _pyaudio() -> Any:
    import pyaudio  # noqa: PLC0415 - optional extra, loaded only when a microphone is used

    with quiet_native_stderr():
        return pyaudio.PyAudio()


def list_input_devices(pa: Any) -> list[DeviceInfo]:
    return list_devices(pa, "input", fallback_rate=PIPELINE_RATE)


def describe_input_devices() -> str:
    """The input devices that exist, in words (for an error that a device did not open)."""
    try:
        pa = _pyaudio()
    except Exception as exc:  # no PortAudio at all: that is the answer
        return f"no input devices can be listed ({exc})"
    try:
        return describe_devices(list_input_devices(pa), "input")
    finally:
        pa.terminate()


def pick_device(pa: Any, wanted: str) -> DeviceInfo:
    """The device named by ``audio.input_device``: "" = default, digits = index, else substring."""
    return pick(pa, wanted, "input", fallback_rate=PIPELINE_RATE)


class InputStream:
    """An open PyAudio input stream; :meth:`read` blocks for one ``audio.chunk_ms`` chunk."""

    def __init__(self, config: AudioConfig) -> None:
        self._config = config
        self._pa = _pyaudio()
        try:
            self.device = pick_device(self._pa, config.input_device)
            self.rate, self.channels = self._format()
            self._frames = max(1, self.rate * config.chunk_ms // 1000)
            self._stream = self._pa.open(
                format=self._pa.get_format_from_width(2),
                channels=self.channels,
                rate=self.rate,
                input=True,
                input_device_index=self.device.index,
                frames_per_buffer=self._frames,
            )
        except BaseException:
            self._pa.terminate()
            raise
        self._resampler = Resampler(self.rate, channels=self.channels)

    def _format(self) -> tuple[int, int]:
        channels = min(self._config.input_channels, self.device.channels)
        wanted = self._config.input_rate or PIPELINE_RATE
        for rate in (wanted, self.device.default_rate):
            with contextlib.suppress(ValueError):
                if self._pa.is_format_supported(
                    rate,
                    input_device=self.device.index,
                    input_channels=channels,
                    input_format=self._pa.get_format_from_width(2),
                ):
                    return rate, channels
        return self.device.default_rate, channels

    @property
    def resampled(self) -> bool:
        return self.rate != PIPELINE_RATE or self.channels != 1

    def read(self) -> bytes:
        """The next chunk as 16 kHz mono s16le (resampling may make it shorter or empty)."""
        data = self._stream.read(self._frames, exception_on_overflow=False)
        return self._resampler.push(data).tobytes()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._stream.stop_stream()
        with contextlib.suppress(Exception):
            self._stream.close()
        with contextlib.suppress(Exception):
            self._pa.terminate()

    def __enter__(self) -> InputStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
