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


def test_the_satellite_cancels_its_own_speaker_from_its_microphone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A room (speaker -> 60 ms loopback -> the air the microphone records): the satellite's
    speaker hands what it plays to the canceller its microphone runs."""
    from nimbus.handlers.audio.echo.handler import SiteEcho  # noqa: PLC0415
    from tests.speech import synthesize_speech  # noqa: PLC0415

    answer, rate = synthesize_speech("The museum opens at nine and closes at five, and the "
                                     "guided tour starts every hour on the hour.")
    with PulseServer(tmp_path, room_delay_ms=60) as room:
        for key, value in room.env.items():
            monkeypatch.setenv(key, value)
        echo = SiteEcho("kitchen")
        echo.load()
        mic, sink = MicSource(echo), SpeakerSink(echo.reference)
        frames: list[np.ndarray] = []
        stop = threading.Event()

        def listen() -> None:
            while not stop.is_set():
                frames.append(np.frombuffer(mic.read(), dtype="<i2"))

        reader = threading.Thread(target=listen, daemon=True)
        reader.start()
        try:
            sink.play(answer.tobytes(), rate, threading.Event())
            time.sleep(0.5)
        finally:
            stop.set()
            reader.join(timeout=5)
            mic.close()
            sink.close()
    status = echo.status()
    assert echo.reference.played_s == pytest.approx(len(answer) / rate, abs=0.05)
    assert status["while_playing_s"] > 3.0
    assert status["erle_db"] is not None
    assert status["erle_db"] > 10, status  # the microphone heard the answer; the output did not
    assert all(frame.size == 512 for frame in frames)
