"""Decode audio files (WAV/FLAC/MP3/OGG/M4A via PyAV) into 16 kHz mono, streaming or whole."""

from __future__ import annotations

import os
import struct
from collections.abc import Generator
from pathlib import Path
from typing import Final

import av
import numpy as np
import numpy.typing as npt

from nimbus.handlers.audio.convert import PIPELINE_RATE, to_float32

__all__ = ["AudioFileError", "iter_audio_file", "read_audio_file"]

_UNKNOWN_SIZES: Final = (0, 0xFFFFFFFF)
"""WAV data sizes written by streaming tools that did not know the length."""


class AudioFileError(Exception):
    """An audio file that cannot be read. ``code`` is stable; ``message`` is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def _wav_shortfall(path: Path) -> tuple[int, int] | None:
    """(declared, present) data bytes when a RIFF/WAVE file ends before its header says."""
    try:
        with path.open("rb") as handle:
            head = handle.read(12)
            if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
                return None
            size = path.stat().st_size
            while True:
                chunk = handle.read(8)
                if len(chunk) < 8:
                    return None
                tag, length = chunk[:4], struct.unpack("<I", chunk[4:])[0]
                if tag == b"data":
                    present = size - handle.tell()
                    if length not in _UNKNOWN_SIZES and present < length:
                        return length, present
                    return None
                handle.seek(length + (length & 1), os.SEEK_CUR)
    except OSError:
        return None


def _open(path: Path) -> av.container.InputContainer:
    if not path.exists():
        raise AudioFileError("file_not_found", f"{path}: no such file")
    if path.is_dir():
        raise AudioFileError("not_a_file", f"{path} is a directory, not an audio file")
    if path.stat().st_size == 0:
        raise AudioFileError("audio_empty", f"{path} is empty (0 bytes)")
    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, OSError, UnicodeDecodeError) as exc:
        raise AudioFileError(
            "audio_unreadable",
            f"{path} is not a readable audio file (WAV, FLAC, MP3, OGG, M4A): {exc}",
        ) from None
    if not container.streams.audio:
        container.close()
        raise AudioFileError("no_audio_stream", f"{path} has no audio stream")
    return container


def iter_audio_file(
    path: str | Path, *, block_s: float = 0.5
) -> Generator[npt.NDArray[np.int16], None, None]:
    """Yield the file as 16 kHz mono int16 blocks of about ``block_s`` seconds, decoding lazily.

    Raises :class:`AudioFileError` before the first block for a missing/unreadable file, and
    after the last good block for a file that is truncated or corrupt part-way.
    """
    path = Path(path).expanduser()
    container = _open(path)
    block = max(1, int(block_s * PIPELINE_RATE))
    resampler = av.AudioResampler(format="s16", layout="mono", rate=PIPELINE_RATE)
    pending: list[npt.NDArray[np.int16]] = []
    buffered = 0
    decoded = 0
    try:
        stream = container.streams.audio[0]
        try:
            for frame in container.decode(stream):
                frame.pts = None  # let the resampler count samples; some files have bad pts
                for out in resampler.resample(frame):
                    pending.append(out.to_ndarray().reshape(-1).astype(np.int16))
                    buffered += out.samples
                while buffered >= block:
                    joined = np.concatenate(pending)
                    yield joined[:block]
                    decoded += block
                    pending, buffered = [joined[block:]], len(joined) - block
            for out in resampler.resample(None):
                pending.append(out.to_ndarray().reshape(-1).astype(np.int16))
        except av.error.FFmpegError as exc:
            if pending:
                yield np.concatenate(pending)
            seconds = (decoded + buffered) / PIPELINE_RATE
            raise AudioFileError(
                "audio_corrupt", f"{path} is corrupt or truncated after {seconds:.2f} s: {exc}",
            ) from None
    finally:
        container.close()
    if pending and (rest := np.concatenate(pending)).size:
        decoded += rest.size
        yield rest
    shortfall = _wav_shortfall(path)
    if shortfall is not None:
        declared, present = shortfall
        raise AudioFileError(
            "audio_truncated",
            f"{path} is truncated: its header promises {declared} bytes of audio but only "
            f"{present} are there ({decoded / PIPELINE_RATE:.2f} s were read)",
        )
    if decoded == 0:
        raise AudioFileError("audio_empty", f"{path} holds no audio samples")


def read_audio_file(path: str | Path) -> npt.NDArray[np.float32]:
    """The whole file as float32 mono 16 kHz in [-1, 1]; :class:`AudioFileError` if unreadable."""
    blocks = list(iter_audio_file(path, block_s=30.0))
    return to_float32(np.concatenate(blocks))
