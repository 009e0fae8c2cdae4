"""Audio files: every format, odd rates and channels, and broken files with clear errors."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
import soundfile as sf

from nimbus.daemon.bus import Bus
from nimbus.daemon.events import AudioChunk, Error
from nimbus.daemon.testing import EventRecorder, running
from nimbus.handlers.audio.convert import Resampler
from nimbus.handlers.audio.files import AudioFileError, iter_audio_file, read_audio_file
from nimbus.handlers.listening.file_source import FileSource


def tone(seconds: float, rate: int, channels: int = 1, freq: float = 440.0) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    mono = 0.3 * np.sin(2 * np.pi * freq * t)
    return np.repeat(mono[:, None], channels, axis=1).astype(np.float32)


def encode_av(path: Path, audio: np.ndarray, rate: int, codec: str) -> Path:
    """Encode float32 (frames, channels) with PyAV (MP3, AAC in M4A)."""
    channels = audio.shape[1]
    layout = "mono" if channels == 1 else "stereo"
    with av.open(str(path), "w") as container:
        stream: Any = container.add_stream(codec, rate=rate, layout=layout)
        formats = [f.name for f in stream.codec_context.codec.audio_formats]
        fmt = "fltp" if "fltp" in formats else "flt"
        stream.codec_context.format = fmt
        planar = np.ascontiguousarray(audio.T)
        step = 1152
        for i in range(0, planar.shape[1], step):
            piece = planar[:, i : i + step]
            if not fmt.endswith("p"):
                piece = piece.T.reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(piece), format=fmt,
                                               layout=layout)
            frame.sample_rate = rate
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


@pytest.mark.parametrize(
    ("name", "rate", "channels"),
    [("a.wav", 16000, 1), ("b.wav", 8000, 1), ("c.wav", 48000, 2), ("d.flac", 44100, 2),
     ("e.ogg", 22050, 1), ("f.mp3", 44100, 2), ("g.m4a", 48000, 1), ("h.wav", 16000, 6)],
)
def test_formats_rates_and_channels_become_16k_mono(
    tmp_path: Path, name: str, rate: int, channels: int
) -> None:
    audio = tone(1.0, rate, channels)
    path = tmp_path / name
    if name.endswith((".mp3", ".m4a")):
        encode_av(path, audio, rate, "mp3" if name.endswith(".mp3") else "aac")
    else:
        sf.write(path, audio, rate)
    out = read_audio_file(path)
    assert out.dtype == np.float32
    assert out.ndim == 1
    # Lossy codecs add priming/padding; the length stays about one second.
    assert abs(len(out) - 16000) < 2500
    # The 440 Hz tone survives: its amplitude and its frequency (zero crossings per second).
    middle = out[2000:14000]
    assert 0.2 < np.abs(middle).max() < 0.45  # lossy codecs overshoot a little
    crossings = np.count_nonzero(np.diff(np.signbit(middle))) / (len(middle) / 16000)
    assert 800 < crossings < 960


def test_clipped_audio_reads_without_error(tmp_path: Path) -> None:
    loud = np.clip(tone(1.0, 16000) * 10, -1, 1)
    sf.write(tmp_path / "clip.wav", loud, 16000, subtype="PCM_16")
    out = read_audio_file(tmp_path / "clip.wav")
    assert np.abs(out).max() == pytest.approx(1.0, abs=1e-3)


def test_streaming_blocks_cover_the_file(tmp_path: Path) -> None:
    sf.write(tmp_path / "long.wav", tone(3.3, 16000), 16000)
    blocks = list(iter_audio_file(tmp_path / "long.wav", block_s=0.5))
    assert [len(b) for b in blocks[:-1]] == [8000] * 6
    assert sum(len(b) for b in blocks) == 3.3 * 16000


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda p: None, "file_not_found"),
        (lambda p: p.write_bytes(b""), "audio_empty"),
        (lambda p: p.write_bytes(b"RIFF\0\0\0\0WAVEjunk" * 50), "audio_unreadable"),
        (lambda p: p.write_text("this is a text file, not audio\n" * 40), "audio_unreadable"),
        (lambda p: p.mkdir(), "not_a_file"),
    ],
)
def test_broken_files_raise_clear_errors(tmp_path: Path, make: object, code: str) -> None:
    path = tmp_path / "broken.wav"
    make(path)  # type: ignore[operator]
    with pytest.raises(AudioFileError) as info:
        read_audio_file(path)
    assert info.value.code == code
    assert str(path) in info.value.message


def test_truncated_wav_yields_what_is_there_then_fails(tmp_path: Path) -> None:
    sf.write(tmp_path / "full.wav", tone(2.0, 16000), 16000, subtype="PCM_16")
    data = (tmp_path / "full.wav").read_bytes()
    (tmp_path / "cut.wav").write_bytes(data[: len(data) // 2])
    got: list[np.ndarray] = []
    with pytest.raises(AudioFileError) as info:
        got.extend(iter_audio_file(tmp_path / "cut.wav"))
    assert info.value.code == "audio_truncated"
    assert "truncated" in info.value.message
    assert sum(len(b) for b in got) == pytest.approx(16000, abs=50)


def test_truncated_flac_is_reported(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    sf.write(tmp_path / "full.flac", rng.normal(0, 0.1, 48000), 16000)
    data = (tmp_path / "full.flac").read_bytes()
    (tmp_path / "cut.flac").write_bytes(data[: len(data) // 2])
    with pytest.raises(AudioFileError) as info:
        read_audio_file(tmp_path / "cut.flac")
    assert info.value.code in ("audio_corrupt", "audio_truncated")


def test_resampler_is_continuous_across_chunks() -> None:
    audio = (tone(1.0, 48000, 2) * 32767).astype(np.int16)
    resampler = Resampler(48000, channels=2)
    pieces = [resampler.push(audio[i : i + 480].tobytes()) for i in range(0, 48000, 480)]
    out = np.concatenate([*pieces, resampler.flush()])
    assert len(out) == 16000
    # No clicks at chunk edges: the biggest sample-to-sample step is that of a 440 Hz sine.
    steepest = 0.3 * 32767 * 2 * np.pi * 440 / 16000
    assert np.abs(np.diff(out[100:-100].astype(np.int32))).max() < steepest * 1.2


async def test_file_source_publishes_chunks_then_end_of_stream(tmp_path: Path) -> None:
    sf.write(tmp_path / "a.wav", tone(1.0, 44100, 2), 44100)
    bus = Bus()
    source = FileSource(bus, tmp_path / "a.wav", site="den")
    async with EventRecorder(bus) as rec, running(source):
        await asyncio.wait_for(source.done.wait(), 10)
        await rec.wait_for(lambda e: isinstance(e, AudioChunk) and not e.audio)
    chunks = [c for c in rec.events if isinstance(c, AudioChunk)]
    assert all(c.site == "den" and c.rate == 16000 for c in chunks)
    assert [c.sequence for c in chunks] == list(range(len(chunks)))
    assert chunks[-1].audio == b""
    assert sum(len(c.audio) for c in chunks) // 2 == pytest.approx(16000, abs=10)


async def test_file_source_realtime_is_paced(tmp_path: Path) -> None:
    sf.write(tmp_path / "a.wav", tone(0.5, 16000), 16000)
    bus = Bus()
    source = FileSource(bus, tmp_path / "a.wav", realtime=True)
    started = time.monotonic()
    async with running(source):
        await asyncio.wait_for(source.done.wait(), 10)
    # Pacing is behaviour, not speed: it must not run ahead of the audio clock.
    assert time.monotonic() - started >= 0.4


async def test_file_source_turns_a_bad_file_into_an_error_event(tmp_path: Path) -> None:
    (tmp_path / "bad.mp3").write_bytes(b"not audio at all" * 100)
    bus = Bus()
    source = FileSource(bus, tmp_path / "bad.mp3", site="den")
    async with EventRecorder(bus) as rec, running(source):
        await asyncio.wait_for(source.done.wait(), 10)
        error = await rec.wait_for(Error)
        await rec.wait_for(AudioChunk)
    assert isinstance(error, Error)
    assert (error.code, error.stage, error.site) == ("audio_unreadable", "file-source", "den")
    assert "bad.mp3" in error.message
    assert source.error is not None
