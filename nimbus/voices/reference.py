"""Reference clips for voice cloning: read, check, mix to mono and cut to at most 30 s."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

from nimbus.voices.base import VoiceError

__all__ = ["MAX_REFERENCE_S", "MIN_REFERENCE_S", "clip_digest", "read_reference", "resample"]

MAX_REFERENCE_S: Final = 30.0
"""Longer clips are cut (as h2oGPT does): XTTS conditions on at most ~30 s anyway."""
MIN_REFERENCE_S: Final = 1.0


def read_reference(path: Path) -> tuple[npt.NDArray[np.float32], int]:
    """The clip as float32 mono samples in [-1, 1] and its rate; :class:`VoiceError` if unusable."""
    import soundfile  # noqa: PLC0415 - only needed when cloning

    if not path.is_file():
        raise VoiceError("reference_missing", f"reference clip {path} does not exist")
    try:
        data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except Exception as exc:  # soundfile raises LibsndfileError/RuntimeError/TypeError
        raise VoiceError(
            "bad_reference_clip", f"reference clip {path} is not readable audio: {exc}"
        ) from exc
    mono = data.mean(axis=1).astype(np.float32)
    if mono.size < MIN_REFERENCE_S * rate:
        raise VoiceError(
            "bad_reference_clip",
            f"reference clip {path} is {mono.size / rate:.2f} s long; at least "
            f"{MIN_REFERENCE_S:.0f} s of speech is needed (6-30 s works best)",
        )
    mono = mono[: int(MAX_REFERENCE_S * rate)]
    if not np.any(np.abs(mono) > 1e-4):
        raise VoiceError("bad_reference_clip", f"reference clip {path} is silent")
    return mono, int(rate)


def clip_digest(path: Path, *extra: str) -> str:
    """A short content hash of a clip (plus model identity) that names its cached latents."""
    digest = hashlib.sha256(path.read_bytes())
    for item in extra:
        digest.update(item.encode())
    return digest.hexdigest()[:16]


def resample(audio: npt.NDArray[np.float32], rate: int, to: int) -> npt.NDArray[np.float32]:
    """Mono float32 samples at ``rate`` -> at ``to`` (libswresample via PyAV, no torchaudio)."""
    if rate == to or audio.size == 0:
        return audio
    import av  # noqa: PLC0415 - only needed when cloning

    swr = av.AudioResampler(format="flt", layout="mono", rate=to)
    frame = av.AudioFrame.from_ndarray(
        np.ascontiguousarray(audio, dtype=np.float32).reshape(1, -1), format="flt", layout="mono")
    frame.sample_rate = rate
    frame.pts = 0
    frames = [*swr.resample(frame), *swr.resample(None)]
    if not frames:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate([f.to_ndarray().reshape(-1) for f in frames]).astype(np.float32)
