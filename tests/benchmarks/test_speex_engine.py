"""Speex MDF through ``pyaec``'s C library with numpy buffers (the echo_engines benchmark's
fallback candidate): it cancels an echo through a room, driven by the daemon's canceller."""

from __future__ import annotations

import numpy as np

from benchmarks.speex_engine import SpeexEngine
from tests.echo_room import cancel_offline, decaying_rir, echo_of

RATE = 16000


def _db(a: np.ndarray, b: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(a.astype(np.float64) ** 2)
                               / max(float(np.mean(b.astype(np.float64) ** 2)), 1e-9)))


def test_it_cancels_an_echo_through_a_room_and_resets() -> None:
    rng = np.random.default_rng(5)
    far = (rng.normal(size=4 * RATE) * 3000).astype(np.int16)
    mic = np.clip(echo_of(far, decaying_rir(0.2), delay_s=0.03, gain=0.5), -32768,
                  32767).astype(np.int16)
    engine = SpeexEngine(filter_s=0.25)
    cleaned, _ = cancel_offline(far, mic, engine)
    late = slice(3 * RATE, 4 * RATE - 1000)
    assert _db(mic[late], cleaned[late]) > 15  # measured 25 dB once adapted
    engine.reset()  # a fresh state: the first frames are the microphone again
    out = engine.process(mic[:1600], far[:1600])
    assert out.dtype == np.int16
    assert len(out) == 1600
    assert _db(mic[:1600], out) < 3
