"""Steady background noise taken out of an utterance before the ASR hears it. Pure.

A fan, a hood, traffic or a hum lies under speech at a level that barely changes; Whisper tiny
hears the rare words - the action phrase above all - far worse through it (10 dB SNR: "Nimbus"
came out as "In the" in a third of espeak-ng commands). The utterance as the VAD cuts it holds
its own sample of that noise (pre-roll, pauses, hang-over): its quietest frames give the noise
spectrum, and a Wiener filter with the decision-directed a priori SNR of Ephraim and Malah
(1984) lowers each frequency by how much noise it holds, with a floor so no band goes silent
(the ASR copes with residual noise better than with holes). Speech well above its noise floor
is left untouched (``should_denoise``): the filter would only cost detail there.

Measured (``python -m benchmarks phrases``, tiny.en, commands in noise): see docs/listening.md.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

__all__ = ["suppress_noise"]

_RATE: Final = 16000
_WINDOW: Final = 512
"""32 ms frames ..."""
_HOP: Final = 128
"""... every 8 ms."""
NOISE_QUANTILE: Final = 0.15
"""The quietest share of frames that estimates the noise (a VAD segment is at least this much
pre-roll, pauses and hang-over)."""
SMOOTHING: Final = 0.98
"""Decision-directed weight of the previous frame's clean-speech estimate."""
GAIN_FLOOR: Final = 0.1
"""No frequency is lowered by more than 20 dB."""


def suppress_noise(audio: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """``audio`` (16 kHz mono float32) with its steady noise lowered; same length."""
    if audio.size < 4 * _WINDOW:
        return audio
    spectrum = _stft(audio)
    power = np.abs(spectrum) ** 2
    energy = power.sum(axis=0)
    quiet = energy <= np.quantile(energy, NOISE_QUANTILE)
    noise = np.maximum(power[:, quiet].mean(axis=1), 1e-12)
    posterior = power / noise[:, None]
    gains = np.empty_like(power)
    previous_gain = np.ones(power.shape[0])
    previous_posterior = posterior[:, 0]
    for frame in range(power.shape[1]):
        prior = (SMOOTHING * previous_gain**2 * previous_posterior
                 + (1.0 - SMOOTHING) * np.maximum(posterior[:, frame] - 1.0, 0.0))
        gain = np.maximum(prior / (1.0 + prior), GAIN_FLOOR)
        gains[:, frame] = gain
        previous_gain, previous_posterior = gain, posterior[:, frame]
    return _istft(spectrum * gains, audio.size)


def _stft(audio: npt.NDArray[np.float32]) -> npt.NDArray[np.complex128]:
    """Hann-windowed spectra (bins x frames) of ``audio`` zero-padded by a window each side."""
    padded = np.pad(audio.astype(np.float64), _WINDOW)
    count = (audio.size + _WINDOW) // _HOP + 1
    starts = np.arange(count) * _HOP
    frames = padded[starts[:, None] + np.arange(_WINDOW)[None, :]]
    return np.fft.rfft(frames * np.hanning(_WINDOW), axis=1).T


def _istft(spectrum: npt.NDArray[np.complex128], size: int) -> npt.NDArray[np.float32]:
    """Weighted overlap-add inverse of :func:`_stft`, cut back to ``size`` samples."""
    window = np.hanning(_WINDOW)
    frames = np.fft.irfft(spectrum.T, n=_WINDOW, axis=1) * window
    count = frames.shape[0]
    length = (count - 1) * _HOP + _WINDOW
    out = np.zeros(length)
    norm = np.zeros(length)
    for index in range(count):
        start = index * _HOP
        out[start : start + _WINDOW] += frames[index]
        norm[start : start + _WINDOW] += window**2
    out /= np.maximum(norm, 1e-8)
    return out[_WINDOW : _WINDOW + size].astype(np.float32)
