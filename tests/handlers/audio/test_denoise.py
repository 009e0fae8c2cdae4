"""Steady noise taken out of an utterance before the ASR: real speech (Piper) with white and
pink noise mixed in, measured by how far the speech then stands above the noise and how close
the result is to the clean speech."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from nimbus.daemon.config import AsrConfig, ConfigError
from nimbus.handlers.audio.denoise import suppress_noise
from nimbus.handlers.audio.level import speech_level_db
from tests.speech import silence, synthesize_speech, to_16k


def noisy(clean: npt.NDArray[np.int16], snr_db: float, kind: str, seed: int
          ) -> npt.NDArray[np.float32]:
    rng = np.random.default_rng(seed)
    speech = clean.astype(np.float64)
    power = float(np.mean(speech[np.abs(speech) > 0.02 * 32768] ** 2))
    shape = rng.normal(size=speech.size)
    if kind == "pink":
        spectrum = np.fft.rfft(shape) / np.sqrt(np.maximum(np.arange(speech.size // 2 + 1), 1))
        shape = np.fft.irfft(spectrum, speech.size)
        shape /= np.std(shape)
    mixed = speech + shape * np.sqrt(power / 10 ** (snr_db / 10))
    return (np.clip(mixed, -32768, 32767) / 32768.0).astype(np.float32)


def level(audio: npt.NDArray[np.float32]) -> float:
    return speech_level_db((audio * 32768.0).astype(np.int16))


@pytest.fixture(scope="module")
def command() -> npt.NDArray[np.int16]:
    return np.concatenate([silence(0.4), to_16k(*synthesize_speech(
        "Nimbus, turn on the kitchen lights.")), silence(0.5)]).astype(np.int16)


@pytest.mark.parametrize("kind", ["white", "pink"])
def test_speech_stands_further_above_steady_noise(command: npt.NDArray[np.int16],
                                                  kind: str) -> None:
    mixed = noisy(command, 10.0, kind, seed=3)
    cleaned = suppress_noise(mixed)
    assert cleaned.shape == mixed.shape
    assert cleaned.dtype == np.float32
    assert level(cleaned) > level(mixed) + 8.0, (level(mixed), level(cleaned))
    # Closer to what was said than the noisy mix is (not just quieter).
    reference = command.astype(np.float32) / 32768.0
    error_before = float(np.mean((mixed - reference) ** 2))
    error_after = float(np.mean((cleaned - reference) ** 2))
    assert error_after < 0.5 * error_before, (error_before, error_after)


def test_clean_speech_and_short_audio_are_kept(command: npt.NDArray[np.int16]) -> None:
    reference = command.astype(np.float32) / 32768.0
    cleaned = suppress_noise(reference)
    # Digital silence between words: nothing to take out, the speech passes (within 1 dB).
    speech = np.abs(reference) > 0.02
    assert 10 * np.log10(np.mean(cleaned[speech] ** 2) / np.mean(reference[speech] ** 2)) > -1.0
    short = np.ones(100, np.float32)
    assert suppress_noise(short) is short


def test_the_level_below_which_utterances_are_denoised_is_configurable() -> None:
    assert AsrConfig().denoise_below_db == 25.0
    assert AsrConfig(denoise_below_db=0).denoise_below_db == 0
    with pytest.raises(ConfigError, match=r"asr\.denoise_below_db"):
        AsrConfig(denoise_below_db=-3)
