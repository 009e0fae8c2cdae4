"""Echo cancellation: the reference timeline, the delay estimate, and the real AEC3 engine
cancelling the shipped voice through a simulated room while the user speaks over it."""

from __future__ import annotations

import asyncio
import time

import numpy as np
import numpy.typing as npt
import pytest

from nimbus.daemon.bus import Bus
from nimbus.daemon.events import Error, PlaybackStarted
from nimbus.daemon.testing import EventRecorder, running
from nimbus.handlers.audio.echo import DelayEstimator, Reference
from nimbus.handlers.audio.echo.engine import Aec3Engine
from nimbus.handlers.audio.echo.handler import EchoHandler, SiteEcho
from tests.echo_room import cancel_offline, decaying_rir, echo_of
from tests.speech import espeak_speech, synthesize_speech, to_16k

RATE = 16000


def db(a: npt.NDArray[np.generic], b: npt.NDArray[np.generic]) -> float:
    pa = float(np.mean(a.astype(np.float64) ** 2))
    pb = float(np.mean(b.astype(np.float64) ** 2))
    return 10 * np.log10(pa / max(pb, 1e-9))


# --- the reference -------------------------------------------------------------------------


def test_reference_is_contiguous_while_writes_follow_each_other() -> None:
    ref = Reference()
    tone = (np.arange(1600) % 100).astype(np.int16)
    # Two 50 ms buffers; the second write starts 40 ms in, while the first is still playing.
    ref.played(tone[:800].tobytes(), rate=RATE, at=10.0)
    ref.played(tone[800:].tobytes(), rate=RATE, at=10.04)
    assert np.array_equal(ref.read(10.0, 1600), tone)
    assert ref.playing_until() == pytest.approx(10.1)
    # Before anything played and after the end: silence.
    assert not ref.read(9.0, 800).any()
    assert not ref.read(10.1, 800).any()


def test_reference_anchors_a_new_stretch_after_the_device_ran_dry() -> None:
    ref = Reference()
    ones = np.ones(800, np.int16)
    ref.played(ones.tobytes(), rate=RATE, at=5.0)
    ref.played((ones * 2).tobytes(), rate=RATE, at=6.0)  # 950 ms after the first ended
    ref.played((ones * 3).tobytes(), rate=RATE, at=6.07)  # a 20 ms underrun
    assert not ref.read(5.05, 800).any()
    assert set(ref.read(6.0, 800).tolist()) == {2}
    assert not ref.read(6.05, 320).any()
    assert set(ref.read(6.07, 800).tolist()) == {3}
    assert ref.played_s == pytest.approx(0.15)


def test_reference_resamples_and_forgets_what_is_older_than_its_ring() -> None:
    ref = Reference(keep_s=1.0)
    voice = np.full(22050 * 2, 1000, np.int16)  # 2 s at the voice's 22.05 kHz
    ref.played(voice.tobytes(), rate=22050, at=0.0)
    until = ref.playing_until()
    assert until == pytest.approx(2.0, abs=0.01)
    assert not ref.read(0.2, 1600).any()  # overwritten
    assert np.mean(np.abs(ref.read(1.5, 1600).astype(int) - 1000)) < 50


# --- the delay -----------------------------------------------------------------------------


def test_delay_estimator_finds_the_lag_of_the_envelopes_and_ignores_silence() -> None:
    rng = np.random.default_rng(3)
    syllables = np.repeat(rng.uniform(0, 1000, 120), 5) * (rng.uniform(size=600) > 0.3)
    lag = 42
    estimator = DelayEstimator(window_s=2.0, max_lag_s=1.0)
    changes = [estimator.push(float(syllables[i - lag]) if i >= lag else 0.0,
                              float(syllables[i])) for i in range(len(syllables))]
    assert any(changes)
    assert estimator.delay_s == pytest.approx(lag * 0.01)
    quiet = DelayEstimator()
    assert not any(quiet.push(float(level), 0.0) for level in syllables)
    assert quiet.delay_s is None


# --- the real canceller --------------------------------------------------------------------


@pytest.fixture(scope="module")
def answer() -> npt.NDArray[np.int16]:
    text = ("The museum opens at nine and closes at five. The guided tour starts every hour, "
            "and the old mill lies yonder by the river. The gift shop sells maps, postcards "
            "and small wooden boats.")
    return to_16k(*synthesize_speech(text))


@pytest.mark.parametrize(("delay_s", "clock_offset_s"), [(0.06, 0.0), (0.3, 0.45)])
def test_aec3_cancels_the_voice_through_a_room(answer: npt.NDArray[np.int16], delay_s: float,
                                               clock_offset_s: float) -> None:
    echo = echo_of(answer, decaying_rir(0.3), delay_s=delay_s, clip=True)
    mic = np.clip(echo, -32768, 32767).astype(np.int16)
    cleaned, canceller = cancel_offline(answer, mic, Aec3Engine(), clock_offset_s=clock_offset_s)
    # A delay past the engine's reach is found first (~2.5 s), then the engine re-adapts.
    settled = 7 * RATE if clock_offset_s else RATE
    voiced = np.abs(echo[settled:]) > 300
    erle = db(mic[settled:][voiced], cleaned[settled:][voiced])
    assert erle >= 25, f"ERLE {erle:.1f} dB"
    stats = canceller.stats()
    assert stats.erle_db is not None
    assert stats.erle_db > 15
    if clock_offset_s:
        assert stats.delay_ms == pytest.approx((delay_s + clock_offset_s) * 1000, abs=20)


def test_the_user_stays_audible_over_the_cancelled_voice(answer: npt.NDArray[np.int16]) -> None:
    echo = echo_of(answer, decaying_rir(0.4), delay_s=0.06)
    user = to_16k(*espeak_speech("Yonder, stop.", voice="en-gb"))
    at = 3 * RATE
    near = np.zeros(len(answer))
    near[at : at + len(user)] = user
    span = slice(at, at + len(user))
    near *= np.sqrt(np.mean(echo[span] ** 2) / np.mean(near[span] ** 2)) / 2  # -6 dB SER
    mic = np.clip(echo + near, -32768, 32767).astype(np.int16)
    assert db(near[span], echo[span]) == pytest.approx(-6, abs=0.1)
    cleaned, _ = cancel_offline(answer, mic, Aec3Engine())
    # The user's voice is kept (AEC3 high-passes it and may dip it a little in double talk)...
    assert -8 < db(cleaned[span], near[span]) < 3
    # ... while what the canceller leaves of the echo alone is at least 10 dB below the user,
    # where the raw echo was 6 dB above.
    left, _ = cancel_offline(answer, np.clip(echo, -32768, 32767).astype(np.int16),
                             Aec3Engine())
    assert db(near[span], left[span]) > 10


# --- the site object and its handler -------------------------------------------------------


def test_site_echo_passes_audio_through_until_its_engine_loads() -> None:
    echo = SiteEcho("desk")
    pcm = np.arange(512, dtype=np.int16).tobytes()
    assert echo.process(pcm, read_at=1.0) == pcm
    assert echo.status()["active"] is False
    echo.load()
    assert echo.engine_name == "nimbus-hybrid"  # audio.echo_engine's default
    assert len(echo.process(pcm, read_at=1.032)) == len(pcm)
    assert echo.status()["microphone"] is True
    assert echo.status()["active"] is False  # no sink feeds the reference
    echo.reference.sink = "speaker 'test'"
    assert echo.active()


def test_cancelling_playback_is_the_answer_playing_through_an_active_canceller() -> None:
    now = [10.0]
    echo = SiteEcho("desk", clock=lambda: now[0])
    echo.load()
    echo.reference.sink = "speaker 'test'"
    pcm = np.zeros(512, np.int16).tobytes()
    echo.process(pcm, read_at=now[0])
    assert echo.active()
    assert not echo.cancelling_playback()  # nothing played yet
    echo.reference.played(np.zeros(16000, np.int16).tobytes(), rate=16000, at=now[0])
    assert echo.cancelling_playback()
    now[0] += 1.4  # the answer ended 0.4 s ago: its reverberation may still sound
    echo.process(pcm, read_at=now[0])
    assert echo.cancelling_playback()
    now[0] += 0.2
    echo.process(pcm, read_at=now[0])
    assert not echo.cancelling_playback()
    echo.reference_missing = True  # not cancelling for real: the plain threshold again
    echo.reference.played(np.zeros(1600, np.int16).tobytes(), rate=16000, at=now[0])
    assert not echo.cancelling_playback()


def test_a_broken_engine_is_reported_and_the_microphone_keeps_working() -> None:
    def broken() -> Aec3Engine:
        raise OSError("no such library")

    echo = SiteEcho("desk", engine=broken)
    echo.load()
    assert "no such library" in echo.status()["problem"]
    assert echo.process(b"\x01\x00" * 4, read_at=0.0) == b"\x01\x00" * 4


async def test_a_speaker_that_plays_without_a_reference_is_reported() -> None:
    bus = Bus()
    echo = SiteEcho("desk")
    handler = EchoHandler(bus, echo, stall_s=0.2, tick_s=0.05)
    async with EventRecorder(bus) as rec, running(handler):
        await bus.publish(PlaybackStarted(site="desk", response="r1", sink="speaker"))
        error = await rec.wait_for(lambda e: isinstance(e, Error), within=5)
        assert isinstance(error, Error)
        assert error.code == "echo_reference_missing"
        assert echo.reference_missing
        assert echo.status()["reference"] == "missing"
        # The sink hands audio over again (and is not stuck in a write): back to normal.
        echo.reference.played(bytes(3200), rate=RATE, at=time.monotonic())
        await asyncio.sleep(0.2)
        assert not echo.reference_missing
