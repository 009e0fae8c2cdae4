"""Read a RIFF/WAVE file's samples with numpy alone (the thin satellite has no PyAV).

Reads integer PCM (8-bit unsigned, 16/24/32-bit signed), IEEE float (32/64-bit) and
WAVE_FORMAT_EXTENSIBLE files whose sub-format is one of those, any rate and channel count; for
anything else (A-law, ADPCM, MP3 in WAV, RF64, big-endian RIFX, a truncated file) it raises
:class:`WavFormatError` saying what the file is and how to convert it.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

__all__ = ["WavFormatError", "WavInfo", "read_wav"]

_PCM: Final = 0x0001
_FLOAT: Final = 0x0003
_EXTENSIBLE: Final = 0xFFFE
_GUID_TAIL: Final = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
"""Bytes 2..15 of every KSDATAFORMAT_SUBTYPE GUID whose first two bytes are a format tag."""
_UNKNOWN_SIZES: Final = (0, 0xFFFFFFFF)
"""Data sizes written by streaming tools that did not know the length: read to the end."""
_NAMES: Final = {
    0x0002: "Microsoft ADPCM", 0x0006: "A-law", 0x0007: "mu-law", 0x0011: "IMA ADPCM",
    0x0031: "GSM 6.10", 0x0050: "MPEG", 0x0055: "MP3", 0x00FF: "AAC", 0x2000: "AC-3",
    0xF1AC: "FLAC",
}
CONVERT: Final = "convert it with e.g. sox in.wav -e signed -b 16 out.wav"


class WavFormatError(ValueError):
    """A file that is not a WAV this reader can decode; the message says why."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WavInfo:
    """What a WAV file holds."""

    rate: int
    channels: int
    encoding: str
    """e.g. "16-bit PCM", "32-bit float", "24-bit PCM (extensible)"."""


def _chunks(data: bytes) -> dict[bytes, tuple[int, int]]:
    """tag -> (offset, declared length) of each chunk after the 12-byte RIFF header; the first
    of a repeated tag wins. Stops at the data chunk when its length is unknown."""
    found: dict[bytes, tuple[int, int]] = {}
    position = 12
    while position + 8 <= len(data):
        tag = data[position:position + 4]
        (length,) = struct.unpack_from("<I", data, position + 4)
        found.setdefault(tag, (position + 8, length))
        if tag == b"data" and length in _UNKNOWN_SIZES:
            break
        position += 8 + length + (length & 1)
    return found


def _format_name(tag: int) -> str:
    return f"format 0x{tag:04X} ({_NAMES.get(tag, 'unknown')})"


def _decode(raw: bytes, tag: int, width: int) -> npt.NDArray[np.float32] | None:
    """Samples in [-1, 1), or None when (tag, width) is not a layout this reader knows."""
    if tag == _PCM and width == 1:
        return (np.frombuffer(raw, np.uint8).astype(np.float32) - 128.0) / 128.0
    if tag == _PCM and width in (2, 4):
        ints = np.frombuffer(raw, f"<i{width}")
        return (ints.astype(np.float64) / float(2 ** (8 * width - 1))).astype(np.float32)
    if tag == _PCM and width == 3:
        triples = np.frombuffer(raw, np.uint8).reshape(-1, 3).astype(np.int32)
        ints = triples[:, 0] | (triples[:, 1] << 8) | (triples[:, 2] << 16)
        ints = np.where(ints >= 1 << 23, ints - (1 << 24), ints)
        return (ints / float(1 << 23)).astype(np.float32)
    if tag == _FLOAT and width in (4, 8):
        floats = np.frombuffer(raw, f"<f{width}").astype(np.float32)
        return np.nan_to_num(floats, nan=0.0, posinf=1.0, neginf=-1.0)
    return None


def read_wav(path: Path) -> tuple[npt.NDArray[np.float32], WavInfo]:
    """The file's samples as float32, shape (frames, channels), and what it holds; raises
    :class:`WavFormatError` naming the reason a file cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise WavFormatError(f"{exc.strerror or exc}") from None
    head = data[:4]
    if head == b"RF64":
        raise WavFormatError(f"an RF64 (over 4 GiB) WAV, which this reader does not read; "
                             f"{CONVERT}")
    if head == b"RIFX":
        raise WavFormatError(f"a big-endian (RIFX) WAV, which this reader does not read; {CONVERT}")
    if len(data) < 12 or head != b"RIFF" or data[8:12] != b"WAVE":
        raise WavFormatError("not a WAV file (no RIFF/WAVE header)")
    chunks = _chunks(data)
    if b"fmt " not in chunks:
        raise WavFormatError("a WAV file without a format (fmt) chunk")
    if b"data" not in chunks:
        raise WavFormatError("a WAV file without a data chunk (no audio)")
    offset, length = chunks[b"fmt "]
    fmt = data[offset:offset + length]
    if len(fmt) < 16:
        raise WavFormatError(f"a WAV file whose format chunk is {len(fmt)} bytes (16 at least)")
    tag, channels, rate, _, align, bits = struct.unpack_from("<HHIIHH", fmt)
    extensible = tag == _EXTENSIBLE
    if extensible:
        if len(fmt) < 40:
            raise WavFormatError("a WAVE_FORMAT_EXTENSIBLE file whose format chunk is "
                                 f"{len(fmt)} bytes (40 needed)")
        subformat = fmt[24:40]
        if subformat[2:] != _GUID_TAIL:
            raise WavFormatError(f"a WAVE_FORMAT_EXTENSIBLE file with sub-format "
                                 f"{subformat.hex()}, which is neither PCM nor float; {CONVERT}")
        (tag,) = struct.unpack_from("<H", subformat)
    if channels < 1 or rate < 1:
        raise WavFormatError(f"a WAV file that declares {channels} channels at {rate} Hz")
    width = align // channels if align and align % channels == 0 else (bits + 7) // 8
    kind = {_PCM: "PCM", _FLOAT: "float"}.get(tag)
    if kind is None:
        raise WavFormatError(f"{_format_name(tag)} audio; the satellite reads PCM (8/16/24/32-bit)"
                             f" or float (32/64-bit) WAVs: {CONVERT}")
    encoding = f"{bits}-bit {kind}" + (" (extensible)" if extensible else "")
    start, declared = chunks[b"data"]
    present = len(data) - start
    if declared not in _UNKNOWN_SIZES and present < declared:
        raise WavFormatError(f"truncated: its header promises {declared} bytes of audio but only "
                             f"{present} are there")
    raw = data[start:start + (present if declared in _UNKNOWN_SIZES else declared)]
    frame = width * channels
    raw = raw[:len(raw) - len(raw) % frame]
    samples = _decode(raw, tag, width)
    if samples is None:
        raise WavFormatError(f"{encoding} samples in {8 * width}-bit containers, which this reader "
                             f"does not read (PCM: 8/16/24/32-bit, float: 32/64-bit); {CONVERT}")
    if samples.size == 0:
        raise WavFormatError("a WAV file that holds no audio samples")
    info = WavInfo(rate=rate, channels=channels, encoding=encoding)
    return samples.reshape(-1, channels), info
