"""The satellite's file microphone and speaker, and its clear refusals of unusable audio."""

from __future__ import annotations

import os
import subprocess
import threading
import wave
from pathlib import Path

import numpy as np

from nimbus.cli.satellite import _first
from nimbus.cli.satellite_io import (
    FRAME_BYTES,
    AudioFormatError,
    FileSink,
    FileSource,
    read_wav_16k,
)
from tests.conftest import NIMBUS


def _wav(path: Path, audio: np.ndarray, *, rate: int, channels: int = 1, width: int = 2) -> Path:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(audio.tobytes())
    return path


def test_a_44k_stereo_wav_becomes_16k_mono(tmp_path: Path) -> None:
    t = np.arange(44100) / 44100
    tone = (8000 * np.sin(2 * np.pi * 440 * t)).astype("<i2")
    stereo = np.stack([tone, tone], axis=1)
    pcm = np.frombuffer(read_wav_16k(_wav(tmp_path / "s.wav", stereo, rate=44100, channels=2)),
                        dtype="<i2")
    assert abs(pcm.size - 16000) <= 1
    assert 7000 < np.abs(pcm).max() <= 8000


def test_an_a_law_wav_stops_the_satellite_with_a_clear_reason(tmp_path: Path) -> None:
    bad = tmp_path / "alaw.wav"
    subprocess.run(["sox", "-n", "-r", "8000", "-e", "a-law", str(bad), "synth", "0.5", "sine",
                    "440"], check=True)
    result = subprocess.run(
        [*NIMBUS, "satellite", "--site", "porch", "--url", "ws://127.0.0.1:9/ws",
         "--input-file", str(bad), "--output-file", str(tmp_path / "out.wav")],
        capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2
    assert "format 0x0006 (A-law)" in result.stderr
    assert "sox in.wav -e signed -b 16 out.wav" in result.stderr


def test_the_file_speaker_keeps_a_valid_wav_and_honours_stop(tmp_path: Path) -> None:
    sink = FileSink(tmp_path / "out.wav")
    stopped = threading.Event()
    sink.play(np.ones(2205, dtype="<i2").tobytes(), 22050, stopped)  # 0.1 s
    with wave.open(str(tmp_path / "out.wav"), "rb") as wav:  # readable while still open
        assert (wav.getframerate(), wav.getnframes()) == (22050, 2205)
    stopped.set()
    sink.play(bytes(FRAME_BYTES * 100), 22050, stopped)
    sink.close()
    with wave.open(str(tmp_path / "out.wav"), "rb") as wav:
        assert wav.getnframes() == 2205, "a stopped sink plays nothing"


def test_no_microphone_stops_the_satellite_with_a_clear_reason(tmp_path: Path) -> None:
    # No PulseAudio server in this environment: PyAudio sees no capture device, as on a Pi
    # with its USB microphone unplugged.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULSE_")}
    env["PULSE_SERVER"] = f"unix:{tmp_path / 'no-such-pulse'}"
    result = subprocess.run(
        [*NIMBUS, "satellite", "--site", "porch", "--url", "ws://127.0.0.1:9/ws",
         "--output-file", str(tmp_path / "out.wav")],
        capture_output=True, text=True, timeout=120, check=False, env=env)
    assert result.returncode == 2, result.stderr[-2000:]
    assert "cannot open the microphone" in result.stderr
    assert "--input-file" in result.stderr


def test_a_speaker_failing_mid_run_is_found_inside_the_task_group() -> None:
    reason = AudioFormatError("cannot open the speaker: no device")
    group = ExceptionGroup("tasks", [ExceptionGroup("inner", [reason])])
    assert _first(group, AudioFormatError) is reason
    assert _first(ExceptionGroup("tasks", [ValueError("x")]), AudioFormatError) is None


def test_closing_a_fifo_microphone_with_no_writer_frees_the_reading_thread(tmp_path: Path) -> None:
    # Else SIGTERM leaves the satellite hanging on the read until systemd's SIGKILL.
    fifo = tmp_path / "mic.fifo"
    os.mkfifo(fifo)
    source = FileSource(fifo)
    writer = os.open(fifo, os.O_WRONLY)
    os.write(writer, bytes(range(256)) * 4)
    assert source.read() == bytes(range(256)) * 4
    os.close(writer)  # the recorder is gone: reads wait
    frames: list[bytes] = []
    reader = threading.Thread(target=lambda: frames.append(source.read()))
    reader.start()
    reader.join(0.5)
    assert reader.is_alive(), "no writer: the read waits"
    source.close()
    reader.join(5)
    assert not reader.is_alive()
    assert frames == [bytes(FRAME_BYTES)]
