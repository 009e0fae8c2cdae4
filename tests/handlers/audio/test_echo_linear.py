"""The echo canceller engines (``nimbus-mdf``, and the hybrid made of it and AEC3): cancel the
shipped voice through a simulated room and keep the user's voice whole over it (double talk)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from nimbus.handlers.audio.echo.hybrid import HybridEngine
from nimbus.handlers.audio.echo.linear import LinearEngine
from tests.echo_room import cancel_offline, decaying_rir, echo_of
from tests.speech import espeak_speech, synthesize_speech, to_16k

RATE = 16000


def db(a: npt.NDArray[np.generic], b: npt.NDArray[np.generic]) -> float:
    pa = float(np.mean(a.astype(np.float64) ** 2))
    pb = float(np.mean(b.astype(np.float64) ** 2))
    return 10 * np.log10(pa / max(pb, 1e-9))


@pytest.fixture(scope="module")
def answer() -> npt.NDArray[np.int16]:
    text = ("The museum opens at nine and closes at five. The guided tour starts every hour on "
            "the hour, and the cafe on the ground floor serves lunch until three.")
    return to_16k(*synthesize_speech(text))


def test_it_cancels_the_voice_through_a_room_and_keeps_the_user_whole(
        answer: npt.NDArray[np.int16]) -> None:
    echo = echo_of(answer, decaying_rir(0.3), delay_s=0.06)
    user = to_16k(*espeak_speech("Yonder, stop.", voice="en-gb"))
    at = 3 * RATE
    near = np.zeros(len(answer))
    near[at : at + len(user)] = user
    span = slice(at, at + len(user))
    near *= np.sqrt(np.mean(echo[span] ** 2) / np.mean(near[span] ** 2)) / 2  # -6 dB SER
    mic = np.clip(echo + near, -32768, 32767).astype(np.int16)
    alone = np.clip(echo, -32768, 32767).astype(np.int16)
    engine = LinearEngine.for_speech()
    cleaned, _ = cancel_offline(answer, mic, engine)
    left, _ = cancel_offline(answer, alone, LinearEngine.for_speech())
    # The echo alone: well cancelled once adapted (AEC3: about 34 dB here).
    assert db(alone[4 * RATE :], left[4 * RATE :]) > 30
    # The user over it: what the canceller changed by the user being there is the user, at
    # about the level they spoke (AEC3's suppressor takes 6-7 dB off them here) ...
    kept = db((cleaned.astype(np.float64) - left)[span], near[span])
    assert -3 < kept < 1, kept
    # ... and well above what is left of the echo while they speak (3 s in: still adapting).
    assert db(near[span], left[span]) > 18
    assert engine.foreground_updates > 0


def test_the_foreground_filter_does_not_learn_the_user() -> None:
    """The user alone over a silent reference and then over a played one: the output filter
    never turns the user into 'echo' (the background may, and is reset)."""
    rng = np.random.default_rng(3)
    far = (rng.normal(size=4 * RATE) * 2000).astype(np.int16)
    echo = np.concatenate([np.zeros(480), far[:-480] * 0.5])
    user = np.zeros(len(far))
    user[2 * RATE : 3 * RATE] = rng.normal(size=RATE) * 4000  # double talk, louder than echo
    mic = np.clip(echo + user, -32768, 32767).astype(np.int16)
    engine = LinearEngine(step=1.0)
    cleaned, _ = cancel_offline(far, mic, engine)
    span = slice(2 * RATE + 800, 3 * RATE)
    assert db(cleaned[span], user[span]) == pytest.approx(0.0, abs=1.0)  # the user, whole
    after = slice(3 * RATE + 1600, 4 * RATE)
    assert db(echo[after], cleaned[after]) > 20  # still cancelling after the double talk


def test_it_refuses_another_rate() -> None:
    with pytest.raises(ValueError, match="16000"):
        LinearEngine(rate=48000)


def test_the_hybrid_gives_aec3_until_the_linear_filter_fits_then_keeps_the_user(
        answer: npt.NDArray[np.int16]) -> None:
    echo = echo_of(answer, decaying_rir(0.15), delay_s=0.06)
    user = to_16k(*espeak_speech("Yonder, stop.", voice="en-gb"))
    at = 3 * RATE
    near = np.zeros(len(answer))
    near[at : at + len(user)] = user
    span = slice(at, at + len(user))
    near *= np.sqrt(np.mean(echo[span] ** 2) / np.mean(near[span] ** 2)) / 2  # -6 dB SER
    mic = np.clip(echo + near, -32768, 32767).astype(np.int16)
    alone = np.clip(echo, -32768, 32767).astype(np.int16)
    engine = HybridEngine()
    cleaned, _ = cancel_offline(answer, mic, engine)
    left, _ = cancel_offline(answer, alone, HybridEngine())
    # The first seconds are AEC3's: the echo is gone from the first second (the linear
    # filter alone leaves about 20 dB of it there) ...
    assert db(alone[RATE : 2 * RATE], left[RATE : 2 * RATE]) > 24
    assert 0 < engine.linear_blocks < engine.blocks
    # ... and by the time the user speaks the output is the linear filter's: the user kept.
    kept = db((cleaned.astype(np.float64) - left)[span], near[span])
    assert -3 < kept < 1, kept


def _twice(answer: npt.NDArray[np.int16]) -> npt.NDArray[np.int16]:
    """The answer, a second of silence (nothing played), the answer again: a canceller that
    lives as long as the daemon meets every answer after the first warm."""
    return np.concatenate([answer, np.zeros(RATE, np.int16), answer])


def test_the_linear_filter_stays_fitted_across_the_silence_between_answers(
        answer: npt.NDArray[np.int16]) -> None:
    far = _twice(answer)
    echo = np.clip(echo_of(far, decaying_rir(0.3), delay_s=0.06), -32768, 32767)
    alone = echo.astype(np.int16)
    engine = LinearEngine.for_speech()
    left, _ = cancel_offline(far, alone, engine)
    second = len(answer) + RATE
    # From the second answer's first second on, as well cancelled as at the end of the first
    # (its filter blew up in the silence, and the second answer was left at 0-9 dB).
    assert db(alone[second : second + 2 * RATE], left[second : second + 2 * RATE]) > 25
    assert engine.passed_through < 100


def test_a_warm_hybrid_keeps_the_user_as_loud_as_the_echo(
        answer: npt.NDArray[np.int16]) -> None:
    far = _twice(answer)
    echo = echo_of(far, decaying_rir(0.3), delay_s=0.06)
    user = to_16k(*espeak_speech("Okay, yonder.", voice="en-gb"))
    at = len(answer) + RATE + 3 * RATE
    near = np.zeros(len(far))
    near[at : at + len(user)] = user
    span = slice(at, at + len(user))
    near *= np.sqrt(np.mean(echo[span] ** 2) / np.mean(near[span] ** 2))  # 0 dB SER
    mic = np.clip(echo + near, -32768, 32767).astype(np.int16)
    alone = np.clip(echo, -32768, 32767).astype(np.int16)
    cleaned, _ = cancel_offline(far, mic, HybridEngine())
    left, _ = cancel_offline(far, alone, HybridEngine())
    # AEC3 takes more than 20 dB off this user as well as the echo, so the user's frames
    # looked like echo the linear filter failed on, and the output flipped to AEC3's (the user
    # gated) within 0.1 s of them beginning; now the linear output is held through them.
    kept = db((cleaned.astype(np.float64) - left)[span], near[span])
    assert -3 < kept < 1, kept
