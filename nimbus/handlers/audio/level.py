"""How loud speech is above the noise floor of the same recording. Pure.

An utterance as the VAD cuts it holds its pre-roll and hang-over (and the pauses between words):
the quietest frames are the room's noise, the loudest the speech. Their ratio does not change
with a microphone's gain, only with how far the talker is and how loud the room is - which is
what "this site heard it best" means.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["FRAME_SAMPLES", "speech_level_db", "starts_loud"]

FRAME_SAMPLES = 512
"""32 ms at 16 kHz, the VAD's frame."""
_FLOOR = 1.0
"""RMS of one least-significant bit: digital silence counts as this much noise."""
_NOISE_PERCENTILE = 10.0
_SPEECH_PERCENTILE = 90.0


def speech_level_db(samples: npt.NDArray[np.int16]) -> float:
    """The speech's level above the recording's own noise floor, in dB (0.0 for no audio).

    Frame RMS over 32 ms frames: the 90th percentile is the speech, the 10th the noise floor
    (the pre-roll, pauses and hang-over are at least a tenth of a VAD segment).
    """
    whole = len(samples) - len(samples) % FRAME_SAMPLES
    if whole == 0:
        return 0.0
    frames = samples[:whole].astype(np.float64).reshape(-1, FRAME_SAMPLES)
    rms = np.sqrt(np.mean(frames * frames, axis=1))
    noise = max(float(np.percentile(rms, _NOISE_PERCENTILE)), _FLOOR)
    speech = max(float(np.percentile(rms, _SPEECH_PERCENTILE)), _FLOOR)
    return round(20.0 * float(np.log10(speech / noise)), 2)


def starts_loud(samples: npt.NDArray[np.int16], *, seconds: float = 0.1, rate: int = 16000,
                margin_db: float = 6.0) -> bool:
    """Whether the recording's first ``seconds`` are louder than its noise floor (the 10th
    percentile of its 32 ms frames) by more than ``margin_db``: speech from the first sample,
    with no lead-in of the room's own sound before it."""
    whole = len(samples) - len(samples) % FRAME_SAMPLES
    if whole == 0:
        return bool(samples.size)
    frames = samples[:whole].astype(np.float64).reshape(-1, FRAME_SAMPLES)
    rms = np.sqrt(np.mean(frames * frames, axis=1))
    noise = max(float(np.percentile(rms, _NOISE_PERCENTILE)), _FLOOR)
    first = rms[: max(1, round(seconds * rate / FRAME_SAMPLES))]
    return bool(20.0 * np.log10(max(float(first.max()), _FLOOR) / noise) > margin_db)
