"""The satellite's WAV reader against files written by sox: every PCM and float layout sox
writes decodes to the samples sox itself reads from it, and every other file is refused with
the reason."""

from __future__ import annotations

import re
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest

from nimbus.cli.satellite_io import read_wav_16k
from nimbus.cli.wav_reader import WavFormatError, read_wav

RATE = 22050


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """0.3 s of a chirp plus noise in three channels at 22.05 kHz, 32-bit float."""
    path = tmp_path_factory.mktemp("wav") / "source.wav"
    subprocess.run(["sox", "-n", "-r", str(RATE), "-c", "3", "-e", "float", "-b", "32",
                    str(path), "synth", "0.3", "sine", "200-3000", "whitenoise", "sine", "500",
                    "vol", "0.6"], check=True)
    return path


def _sox_reads(path: Path) -> np.ndarray:
    """What sox decodes from ``path``, as float64 in [-1, 1), (frames, channels)."""
    raw = subprocess.run(["sox", str(path), "-t", "raw", "-e", "float", "-b", "64", "-"],
                         capture_output=True, check=True).stdout
    channels = int(subprocess.run(["soxi", "-c", str(path)], capture_output=True, text=True,
                                  check=True).stdout)
    return np.frombuffer(raw, "<f8").reshape(-1, channels)


@pytest.mark.parametrize(("options", "encoding", "step"), [
    (["-b", "8", "-e", "unsigned", "-c", "2"], "8-bit PCM", 1 / 128),
    (["-e", "signed", "-b", "16", "-c", "1"], "16-bit PCM", 1 / 32768),
    (["-e", "signed", "-b", "16"], "16-bit PCM (extensible)", 1 / 32768),  # 3 channels: extensible
    (["-e", "signed", "-b", "24"], "24-bit PCM (extensible)", 2 ** -23),
    (["-e", "signed", "-b", "32"], "32-bit PCM (extensible)", 2 ** -31),
    (["-e", "float", "-b", "32", "-c", "2"], "32-bit float", 2 ** -24),
    (["-e", "float", "-b", "64"], "64-bit float", 2 ** -24),
])
def test_each_layout_decodes_to_what_sox_reads(source: Path, tmp_path: Path, options: list[str],
                                               encoding: str, step: float) -> None:
    path = tmp_path / "x.wav"
    subprocess.run(["sox", str(source), *options, str(path)], check=True)
    samples, info = read_wav(path)
    expected = _sox_reads(path)
    assert info.encoding == encoding
    assert (info.rate, info.channels) == (RATE, expected.shape[1])
    assert samples.shape == expected.shape
    assert np.abs(samples - expected).max() <= step
    assert np.abs(samples).max() > 0.3


def _extensible(path: Path) -> bytes:
    """``path`` (a plain WAV) with its format chunk rewritten as WAVE_FORMAT_EXTENSIBLE (sox
    writes float files only in the plain form)."""
    data = path.read_bytes()
    at = data.index(b"fmt ")
    (size,) = struct.unpack_from("<I", data, at + 4)
    tag, channels, rate, byte_rate, align, bits = struct.unpack_from("<HHIIHH", data, at + 8)
    guid = struct.pack("<H", tag) + bytes.fromhex("000000001000800000aa00389b71")
    fmt = struct.pack("<HHIIHHHHI", 0xFFFE, channels, rate, byte_rate, align, bits, 22, bits,
                      0) + guid
    body = data[12:at] + b"fmt " + struct.pack("<I", len(fmt)) + fmt + data[at + 8 + size:]
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body


@pytest.mark.parametrize("bits", ["32", "64"])
def test_an_extensible_float_file_decodes_to_what_sox_reads(source: Path, tmp_path: Path,
                                                             bits: str) -> None:
    plain = tmp_path / "plain.wav"
    subprocess.run(["sox", str(source), "-e", "float", "-b", bits, str(plain)], check=True)
    (tmp_path / "ext.wav").write_bytes(_extensible(plain))
    samples, info = read_wav(tmp_path / "ext.wav")
    assert info.encoding == f"{bits}-bit float (extensible)"
    expected = _sox_reads(tmp_path / "ext.wav")  # sox reads the rewritten header too
    assert samples.shape == expected.shape == (int(0.3 * RATE), 3)
    assert np.abs(samples - expected).max() <= 2 ** -24


def test_a_24_bit_extensible_file_becomes_16k_mono_pcm(source: Path, tmp_path: Path) -> None:
    path = tmp_path / "x.wav"
    subprocess.run(["sox", str(source), "-e", "signed", "-b", "24", str(path)], check=True)
    pcm = np.frombuffer(read_wav_16k(path), "<i2")
    mono = subprocess.run(["sox", str(path), "-t", "raw", "-e", "signed", "-b", "16", "-c", "1",
                           "-r", "16000", "-"], capture_output=True, check=True).stdout
    expected = np.frombuffer(mono, "<i2")
    assert abs(pcm.size - expected.size) <= 1
    assert 0.5 < np.abs(pcm).max() / np.abs(expected).max() < 2


@pytest.mark.parametrize(("options", "reason"), [
    (["-e", "a-law"], "format 0x0006 (A-law) audio"),
    (["-e", "u-law"], "format 0x0007 (mu-law) audio"),
    (["-e", "ima-adpcm", "-c", "1"], "format 0x0011 (IMA ADPCM) audio"),
])
def test_other_encodings_are_refused_with_their_name(source: Path, tmp_path: Path,
                                                     options: list[str], reason: str) -> None:
    path = tmp_path / "x.wav"
    subprocess.run(["sox", str(source), *options, str(path)], check=True)
    with pytest.raises(WavFormatError, match=r"sox in\.wav -e signed -b 16 out\.wav") as caught:
        read_wav(path)
    assert reason in str(caught.value)


def test_broken_files_say_what_is_wrong(source: Path, tmp_path: Path) -> None:
    whole = tmp_path / "whole.wav"
    subprocess.run(["sox", str(source), "-e", "signed", "-b", "16", str(whole)], check=True)
    data = whole.read_bytes()
    cases = {
        "cut.wav": (data[:-1000], "truncated: its header promises"),
        "text.wav": (b"hello, not audio at all", "not a WAV file (no RIFF/WAVE header)"),
        "rf64.wav": (b"RF64" + data[4:], "an RF64 (over 4 GiB) WAV"),
        "empty-data.wav": (data[:data.index(b"data") + 4] + bytes(4), "holds no audio samples"),
    }
    for name, (content, reason) in cases.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(WavFormatError, match=re.escape(reason)):
            read_wav(tmp_path / name)
    with pytest.raises(WavFormatError, match="No such file"):
        read_wav(tmp_path / "absent.wav")


def test_a_data_size_left_unknown_by_a_streaming_writer_reads_to_the_end(
        source: Path, tmp_path: Path) -> None:
    whole = tmp_path / "whole.wav"
    subprocess.run(["sox", str(source), "-e", "signed", "-b", "16", "-c", "1", str(whole)],
                   check=True)
    data = bytearray(whole.read_bytes())
    at = data.index(b"data") + 4
    data[at:at + 4] = b"\xff\xff\xff\xff"
    (tmp_path / "stream.wav").write_bytes(bytes(data))
    samples, _ = read_wav(tmp_path / "stream.wav")
    assert samples.shape == read_wav(whole)[0].shape
