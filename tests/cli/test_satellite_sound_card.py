"""The satellite's PyAudio microphone and speaker against a real PulseAudio server.

The sound card is the one thing that cannot exist here: a private PulseAudio (tests/pulse.py)
stands in for it, with a virtual microphone fed from PCM and a null sink recorded from its
monitor. PyAudio's default device reaches it through ALSA's pulse plugin, as on a Pi.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from nimbus.cli.satellite_io import MicSource, SpeakerSink
from tests.handlers.speaking.test_sinks import Monitor
from tests.pulse import PulseServer, pulseaudio_available

pytestmark = pytest.mark.skipif(
    not pulseaudio_available(), reason="needs the pulseaudio + pulseaudio-utils Debian packages")


@pytest.fixture
def pulse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PulseServer]:
    with PulseServer(tmp_path) as server:
        for key, value in server.env.items():
            monkeypatch.setenv(key, value)
        yield server


def _tone(seconds: float, rate: int) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (0.3 * 32767 * np.sin(2 * np.pi * 440 * t)).astype("<i2")


def test_the_microphone_hears_what_the_room_says(pulse: PulseServer) -> None:
    mic = MicSource()
    try:
        pulse.feed(_tone(1.0, 16000).tobytes())
        levels = []
        for _ in range(100):  # 3.2 s
            frame = np.frombuffer(mic.read(), dtype="<i2")
            assert frame.size == 512
            levels.append(float(np.sqrt(np.mean(frame.astype(np.float64) ** 2))))
    finally:
        mic.close()
    assert max(levels) > 3000, "the tone was heard"
    assert sum(level > 3000 for level in levels) >= 20  # most of its ~31 frames


def test_the_speaker_plays_an_answer_and_a_stop_cuts_it(pulse: PulseServer) -> None:
    monitor = Monitor({**os.environ, **pulse.env})
    sink = SpeakerSink()
    try:
        stopped = threading.Event()
        started = time.monotonic()
        sink.play(_tone(1.0, 22050).tobytes(), 22050, stopped)
        time.sleep(0.5)
        assert monitor.loud(started) > 0.6
        # A stop while playing: the piece in progress ends, nothing after it plays.
        cut = time.monotonic()
        timer = threading.Timer(0.4, stopped.set)
        timer.start()
        sink.play(_tone(5.0, 22050).tobytes(), 22050, stopped)
        returned = time.monotonic() - cut
        timer.join()
        time.sleep(0.5)
        assert returned < 1.5, "play returned soon after the stop"
        assert monitor.loud(cut) < 1.5
    finally:
        sink.close()
        monitor.close()
