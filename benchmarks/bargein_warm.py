"""The bargein benchmark's *warm* cancellers: the canceller has already played an earlier
answer in the same room before the trial's answer (``bench_bargein.py``).

A daemon keeps one canceller per microphone for its whole life (``EchoCanceller`` is made once,
at load, and its engine is reset only when the bulk delay it reads the reference at changes):
every answer after the first is cancelled by a filter that has heard the answers before it in
that room. A fresh canceller per trial (the *cold* conditions) models only the first answer
after start-up. A warm condition ``NAME+warm`` runs canceller ``NAME`` over one earlier answer
of the split (another text, the same room, speaker, clipping and echo gain, the same noise
floor), ``GAP_S`` of silence with the reference silent too (offline, the sink and the
microphone share one ideal clock: the daemon's clock corrections between answers are not
modelled), then the trial's microphone signal; only the trial's part of the output is kept and
judged, so the listening stack hears exactly the same span in the cold and warm conditions.
The CPU time is counted for the trial's part only (in proportion to its length).
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from scipy.signal import fftconvolve  # type: ignore[import-untyped]

from nimbus.handlers.audio.echo import EchoEngine
from tests.echo_room import cancel_offline
from tests.speech import to_16k

if TYPE_CHECKING:
    from benchmarks.bench_bargein import Trial

__all__ = ["GAP_S", "WARM", "base_name", "cancel_warm", "room_echo", "warm_answer"]

WARM = "+warm"
"""Suffix of a warm condition's name (``nimbus-hybrid+warm``)."""
GAP_S = 1.0
"""Silence between the earlier answer and the trial's (the user's question, its reply)."""
_RATE = 16000
_STEP = 441
"""Samples at 22.05 kHz in 20 ms, which is also a whole 320 at 16 kHz: the warm prefix is
made a whole number of these so that the trial's answer starts on the same instant at both
rates."""


def base_name(condition: str) -> str:
    """``nimbus-hybrid+warm`` -> ``nimbus-hybrid``."""
    return condition.removesuffix(WARM)


def warm_answer(answer: str, answers: tuple[str, ...]) -> str:
    """The earlier answer the warm canceller played before ``answer``: the split's next one."""
    if answer in answers:
        return answers[(answers.index(answer) + 1) % len(answers)]
    return answers[zlib.crc32(answer.encode()) % len(answers)]


def _prefix(trial: Trial, far: npt.NDArray[np.int16], far_rate: int,
            rir: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.int16], npt.NDArray[np.int16]]:
    """(reference, microphone) of the earlier answer and the gap, a whole number of 20 ms."""
    assert far_rate == 22050, far_rate
    steps = -(-(len(far) + int(GAP_S * far_rate)) // _STEP)
    played = np.zeros(steps * _STEP, np.int16)
    played[: len(far)] = far
    length = steps * 320
    speaker = to_16k(played, far_rate).astype(np.float64)[:length] / 32768
    speaker = np.concatenate([speaker, np.zeros(length - len(speaker))])
    echo = trial.echo_gain * room_echo(speaker, rir, trial.room.delay_ms, trial.room.clip)
    rng = np.random.default_rng(zlib.crc32(trial.site.encode()))
    noise = rng.normal(size=length) * 32768 * 10 ** (-65 / 20)
    mic = np.clip(np.round(echo + noise), -32768, 32767).astype(np.int16)
    return played, mic


def cancel_warm(trial: Trial, condition: str, engine: Callable[[], EchoEngine],
                earlier: tuple[npt.NDArray[np.int16], int], rir: npt.NDArray[np.float64],
                ) -> None:
    """Clean the trial's microphone with ``engine`` warmed on ``earlier`` (PCM, rate) played in
    the same room (``rir``: speaker -> microphone; the trial's delay, clipping and echo
    gain)."""
    played, mic = _prefix(trial, earlier[0], earlier[1], rir)
    started = time.thread_time()
    cleaned, _ = cancel_offline(np.concatenate([played, trial.far]),
                                np.concatenate([mic, trial.mic]), engine(),
                                far_rate=trial.far_rate)
    spent = time.thread_time() - started
    trial.cleaned[condition] = cleaned[len(mic):]
    trial.aec_cpu_s[condition] = spent * len(trial.mic) / (len(mic) + len(trial.mic))


def room_echo(played: npt.NDArray[np.float64], rir: npt.NDArray[np.float64], delay_ms: int,
              clip: bool) -> npt.NDArray[np.float64]:
    """The speaker's 16 kHz signal (floats, full scale 1) through the room, unscaled."""
    if clip:
        played = np.tanh(2.5 * played) / np.tanh(2.5)
    echo: npt.NDArray[np.float64] = fftconvolve(played, rir)[: len(played)]
    return np.concatenate([np.zeros(delay_ms * _RATE // 1000), echo])[: len(played)]
