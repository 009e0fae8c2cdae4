"""Real speech for tests: the shipped Piper voice and espeak-ng, plus WAV assembly helpers."""

from __future__ import annotations

import functools
import io
import subprocess
import wave
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from nimbus.daemon.config import VoiceConfig
from nimbus.daemon.models import resolve_voice
from nimbus.handlers.audio.convert import PIPELINE_RATE, Resampler

__all__ = [
    "espeak_speech",
    "random_cuts",
    "silence",
    "synthesize_speech",
    "to_16k",
    "write_wav",
]

Pcm = npt.NDArray[np.int16]


@functools.cache
def _piper_voice() -> Any:
    from piper import PiperVoice  # noqa: PLC0415 - heavy

    path = resolve_voice("joe", VoiceConfig()).path
    assert path is not None
    return PiperVoice.load(str(path), config_path=f"{path}.json")


@functools.cache
def _piper(text: str, natural: bool) -> tuple[bytes, int]:
    from piper.config import SynthesisConfig  # noqa: PLC0415 - heavy

    voice = _piper_voice()
    config = None if natural else SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)
    chunks = list(voice.synthesize(text, syn_config=config))
    audio = np.concatenate([c.audio_int16_array for c in chunks]).astype(np.int16)
    return audio.tobytes(), int(chunks[0].sample_rate)


def synthesize_speech(text: str, *, natural: bool = False) -> tuple[Pcm, int]:
    """``text`` spoken by the shipped Piper voice (en_US joe): (int16 mono samples, rate).

    By default Piper's random generator noise is off, so a text sounds the same in every run
    and a test's transcript cannot hinge on one unlucky rendition (with the noise on, about one
    run in four heard "head gardener" as "headguard" and failed the end-to-end test).
    ``natural=True`` keeps Piper's default noise: a new rendition each process (benchmarks).
    """
    audio, rate = _piper(text, natural)
    return np.frombuffer(audio, dtype=np.int16).copy(), rate


@functools.cache
def _espeak(text: str, voice: str, speed: int) -> tuple[bytes, int]:
    wav = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "--stdout", text],
        check=True,
        capture_output=True,
        timeout=60,
    ).stdout
    # espeak-ng writes a streaming header (unknown length); read frames up to the end.
    with wave.open(io.BytesIO(wav)) as reader:
        rate = reader.getframerate()
        frames = reader.readframes(reader.getnframes() or 1 << 30)
    return frames, rate


def espeak_speech(text: str, *, voice: str = "en-us", speed: int = 150) -> tuple[Pcm, int]:
    """``text`` spoken by espeak-ng (a second, very different voice): (int16 mono, rate)."""
    audio, rate = _espeak(text, voice, speed)
    return np.frombuffer(audio, dtype=np.int16).copy(), rate


def to_16k(audio: Pcm, rate: int) -> Pcm:
    """Resample int16 mono to the pipeline rate."""
    resampler = Resampler(rate)
    return np.concatenate([resampler.push(audio.tobytes()), resampler.flush()])


def random_cuts(data: bytes, rng: np.random.Generator, *, most: int = 700) -> list[bytes]:
    """``data`` in pieces of 0..most bytes cut at random (as an HTTP body or a socket delivers
    it): pieces end inside samples, and some are empty."""
    pieces: list[bytes] = []
    at = 0
    while at < len(data):
        size = int(rng.integers(0, most))
        pieces.append(data[at : at + size])
        at += size
    return pieces


def silence(seconds: float, rate: int = PIPELINE_RATE) -> Pcm:
    return np.zeros(int(seconds * rate), dtype=np.int16)


def write_wav(path: Path, *pieces: Pcm | tuple[Pcm, int], rate: int = PIPELINE_RATE) -> Path:
    """Concatenate pieces (16 kHz arrays, or (array, rate) resampled to 16 kHz) into a WAV."""
    parts = [to_16k(*p) if isinstance(p, tuple) else p for p in pieces]
    audio = np.concatenate(parts) if parts else np.zeros(0, np.int16)
    if rate != PIPELINE_RATE:
        raise ValueError("write_wav writes 16 kHz; resample with PyAV/soundfile for other rates")
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(PIPELINE_RATE)
        writer.writeframes(audio.tobytes())
    return path
