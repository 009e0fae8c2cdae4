"""A room for echo-cancellation tests, offline: the speaker's PCM through an impulse response
into a microphone, and the canceller driven on the clock the daemon would give it.

The reference is handed over in 50 ms buffers as a speaker sink would (``played`` a little
before it sounds), the microphone read in 32 ms chunks; ``clock_offset_s`` shifts the
microphone's clock against the speaker's (device latencies the timestamps do not know).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from nimbus.handlers.audio.echo import EchoCanceller, EchoEngine, Reference

__all__ = ["cancel_offline", "decaying_rir", "echo_of"]

RATE = 16000
Pcm = npt.NDArray[np.int16]


def decaying_rir(rt60: float, *, seed: int = 0, rate: int = RATE) -> npt.NDArray[np.float64]:
    """A diffuse room: a direct path, then noise decaying 60 dB over ``rt60`` seconds."""
    rng = np.random.default_rng(seed)
    n = int(rt60 * rate)
    tail = rng.normal(size=n) * 10 ** (-3 * np.arange(n) / n) * 0.3
    tail[0] = 1.0
    return tail / np.abs(tail).max()


def echo_of(far: Pcm, rir: npt.NDArray[np.float64], *, delay_s: float, gain: float = 1.0,
            clip: bool = False) -> npt.NDArray[np.float64]:
    """What the microphone hears of ``far``: (softly clipped), through the room, delayed."""
    signal = far.astype(np.float64) / 32768
    if clip:  # a small speaker driven hard
        signal = np.tanh(2.5 * signal) / np.tanh(2.5)
    wet = np.convolve(signal, rir)[: len(far)]
    wet = np.concatenate([np.zeros(int(delay_s * RATE)), wet])[: len(far)]
    return wet / max(np.abs(wet).max(), 1e-9) * gain * 32768 * 0.5


def cancel_offline(far: Pcm, mic: Pcm, engine: EchoEngine, *, clock_offset_s: float = 0.0,
                   start: float = 1000.0, far_rate: int = RATE,
                   ) -> tuple[Pcm, EchoCanceller]:
    """Run the canceller over ``mic`` while ``far`` (at ``far_rate``, as the sink plays it)
    plays from ``start``; the cleaned samples (aligned with ``mic``: the canceller's 10 ms
    latency, and the engine's own, taken out)."""
    reference = Reference()
    canceller = EchoCanceller(engine, reference)
    buffer, chunk = far_rate // 20, 512
    writes = [(start + i / far_rate, i) for i in range(0, len(far), buffer)]
    out: list[Pcm] = []
    for i in range(0, len(mic) - chunk + 1, chunk):
        now = start + clock_offset_s + (i + chunk) / RATE
        while writes and writes[0][0] <= now + 0.05:
            at, j = writes.pop(0)
            reference.played(far[j : j + buffer].tobytes(), rate=far_rate, at=at)
        out.append(canceller.process(mic[i : i + chunk], now))
    cleaned = np.concatenate(out)[160 + getattr(engine, "latency", 0):]
    return np.concatenate([cleaned, np.zeros(len(mic) - len(cleaned), np.int16)]), canceller
