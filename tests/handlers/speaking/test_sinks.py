"""The PyAudio speaker against a real PulseAudio null sink, recorded from its monitor.

The only thing not real is the sound card: PyAudio plays through ALSA's pulse plugin into
``nimbus_test_sink``, and ``parec`` records that sink's monitor, as a loopback cable would.
"""

from __future__ import annotations

import asyncio
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import AudioConfig, Config, DaemonConfig, TtsConfig
from nimbus.daemon.events import (
    AudioOut,
    Error,
    PlaybackFinished,
    PlaybackStarted,
    Say,
    SpeechStarted,
    Stop,
)
from nimbus.daemon.testing import EventRecorder, running
from nimbus.handlers.speaking.handler import NETWORK_SINK, SpeakerHandler
from nimbus.handlers.speaking.sinks import RateConverter
from tests.pulse import SINK, PulseServer, pulseaudio_available

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not pulseaudio_available(),
                       reason="needs the pulseaudio + pulseaudio-utils Debian packages"),
]

SITE = "desk"
RATE = 16000
_PIECE = 320
"""10 ms of 16 kHz mono s16le per read from the monitor."""


class Monitor:
    """Records the null sink's monitor with parec; each 10 ms piece stamped when it arrived."""

    def __init__(self, env: dict[str, str]) -> None:
        self.pieces: list[tuple[float, float]] = []
        """(monotonic time read, RMS of the piece)."""
        self._process = subprocess.Popen(
            ["parec", "-d", f"{SINK}.monitor", "--format=s16le", f"--rate={RATE}",
             "--channels=1", "--raw", "--latency-msec=10"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        while piece := self._process.stdout.read(_PIECE):
            samples = np.frombuffer(piece[: len(piece) - len(piece) % 2], np.int16)
            rms = float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) if samples.size else 0
            self.pieces.append((time.monotonic(), rms))

    def loud(self, since: float, until: float = float("inf"), level: float = 30.0) -> float:
        """Seconds of non-silent audio recorded between two times."""
        return sum(0.01 for t, rms in self.pieces if since <= t < until and rms > level)

    def last_loud(self, level: float = 30.0) -> float:
        return max((t for t, rms in self.pieces if rms > level), default=0.0)

    def close(self) -> None:
        self._process.terminate()
        self._process.wait(timeout=5)
        self._thread.join(timeout=2)
        if self._process.stdout is not None:
            self._process.stdout.close()


@pytest.fixture
def pulse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PulseServer]:
    with PulseServer(tmp_path) as server:
        for key, value in server.env.items():
            monkeypatch.setenv(key, value)
        yield server


@pytest.fixture
def monitor(pulse: PulseServer) -> Iterator[Monitor]:
    import os  # noqa: PLC0415

    recorder = Monitor({**os.environ, **pulse.env})
    yield recorder
    recorder.close()


def speaker_config(device: str = "pulse", **tts: object) -> Config:
    return Config(daemon=DaemonConfig(site=SITE),
                  audio=AudioConfig(output="speaker", output_device=device),
                  tts=TtsConfig(**tts))  # type: ignore[arg-type]


async def warm_up(bus: Bus, rec: EventRecorder) -> None:
    """A fresh PulseAudio server starts its first stream ~2 s late; get that out of the way."""
    say = Say(site=SITE, text="Ready.")
    await bus.publish(say)
    await rec.wait_for(lambda e: isinstance(e, PlaybackFinished) and e.response == say.id,
                       within=20)


LONG = " ".join(f"This is sentence number {i}, spoken on the desk speaker." for i in range(30))


async def test_speech_reaches_the_speaker_and_a_stop_silences_it(monitor: Monitor) -> None:
    bus = Bus()
    speaker = SpeakerHandler(speaker_config(), bus)
    say = Say(site=SITE, text=LONG)
    async with EventRecorder(bus) as rec, running(speaker):
        assert speaker.sink is not None
        assert "pulse" in speaker.sink.device.name
        await warm_up(bus, rec)
        await bus.publish(say)
        await rec.wait_for(lambda e: isinstance(e, PlaybackStarted) and e.response == say.id,
                           within=20)
        await asyncio.sleep(2.0)
        stopped = time.monotonic()
        await bus.publish(Stop(site=SITE, reason="test"))
        finished = await rec.wait_for(lambda e: isinstance(e, PlaybackFinished)
                                      and e.response == say.id, within=5)
        await asyncio.sleep(1.5)
        again = Say(site=SITE, text="Fresh start after the stop.")
        await bus.publish(again)
        done = await rec.wait_for(lambda e: isinstance(e, PlaybackFinished)
                                  and e.response == again.id, within=20)
        await asyncio.sleep(0.3)
    speaker.close()
    assert isinstance(finished, PlaybackFinished)
    assert finished.cancelled
    assert finished.response == say.id
    assert finished.sink == "speaker"
    assert 1.5 < finished.seconds < 4.0
    assert isinstance(done, PlaybackFinished)
    assert not done.cancelled
    # Audio arrived before the stop ...
    assert monitor.loud(stopped - 1.5, stopped) > 0.8
    # ... and the speaker went silent soon after it (one buffer + the device's own latency).
    assert monitor.loud(stopped + 0.3, stopped + 1.5) == 0.0
    silence_after = max((t for t, rms in monitor.pieces if rms > 30 and t < stopped + 1.5),
                        default=stopped) - stopped
    assert silence_after < 0.3
    # The next command started clean and was heard.
    assert monitor.loud(stopped + 1.5) > 0.8
    assert not rec.of(Error)
    assert not [e for e in rec.of(AudioOut) if isinstance(e, AudioOut)
                and e.response == say.id and e.final]


async def test_barge_in_stop_cuts_playback_when_the_user_speaks(monitor: Monitor) -> None:
    bus = Bus()
    speaker = SpeakerHandler(speaker_config(barge_in="stop"), bus)
    async with EventRecorder(bus) as rec, running(speaker):
        await bus.publish(Say(site=SITE, text=LONG))
        await rec.wait_for(PlaybackStarted, within=20)
        await asyncio.sleep(0.5)
        user = SpeechStarted(site=SITE)
        await bus.publish(user)
        stop = await rec.wait_for(Stop, within=5)
        finished = await rec.wait_for(PlaybackFinished, within=5)
        await asyncio.sleep(0.8)
    speaker.close()
    assert isinstance(stop, Stop)
    assert stop.cause == user.id
    assert stop.reason == "barge-in"
    assert isinstance(finished, PlaybackFinished)
    assert finished.cancelled
    assert monitor.loud(monitor.last_loud() + 0.01) == 0.0
    assert monitor.last_loud() - stop.time < 0.3


async def test_a_missing_device_is_reported_and_speech_still_goes_out(pulse: PulseServer) -> None:
    bus = Bus()
    speaker = SpeakerHandler(speaker_config(device="no-such-card"), bus)
    say = Say(site=SITE, text="Nobody hears this.")
    async with EventRecorder(bus) as rec, running(speaker):
        error = await rec.wait_for(Error, within=10)
        await bus.publish(say)
        await rec.wait_for(lambda e: isinstance(e, AudioOut) and e.final, within=20)
    speaker.close()
    assert speaker.sink is None
    assert isinstance(error, Error)
    assert error.code == "audio_device_not_found"
    assert "no-such-card" in error.message
    assert "pulse" in error.message
    # Nothing plays locally; the audio.out frames still go to network clients of the site.
    assert [e.sink for e in rec.of(PlaybackStarted)] == [NETWORK_SINK]


def test_rate_converter_streams_without_losing_time() -> None:
    converter = RateConverter(22050, 48000)
    tone = (np.sin(np.arange(22050) / 22050 * 2 * np.pi * 440) * 8000).astype("<i2").tobytes()
    out = b"".join(converter.push(tone[i : i + 882]) for i in range(0, len(tone), 882))
    out += converter.flush()
    assert abs(len(out) / 2 - 48000) < 100
    assert RateConverter(16000, 16000).push(b"\x01\x02") == b"\x01\x02"
