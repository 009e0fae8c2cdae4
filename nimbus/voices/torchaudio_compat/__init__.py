"""The slice of torchaudio's API that Coqui XTTS v2 inference uses, in pure torch.

Why it exists: coqui-tts imports ``torchaudio`` at module level, and PyPI has no CPU torchaudio
for the torch this project pins (its builds are CUDA builds, and stop at 2.11). XTTS only needs a
mel spectrogram, a sinc resampler and a file loader from it, so Nimbus provides those here and
:mod:`nimbus.voices.xtts_imports` serves this package under the name ``torchaudio`` when (and
only when) no real torchaudio is installed. Anything else torchaudio has is absent on purpose:
using it fails with an ``AttributeError`` naming this module, never silently.
"""

from __future__ import annotations

from pathlib import Path

import torch

from . import functional, transforms

__all__ = ["functional", "load", "transforms"]


def load(
    uri: str | Path,
    frame_offset: int = 0,
    num_frames: int = -1,
    normalize: bool = True,
    channels_first: bool = True,
    format: str | None = None,
    buffer_size: int = 4096,
    backend: str | None = None,
) -> tuple[torch.Tensor, int]:
    """Decode an audio file to float32 in [-1, 1]: ``(channels, frames)`` and its sample rate."""
    import soundfile  # noqa: PLC0415 - libsndfile: WAV, FLAC, OGG, MP3

    del format, buffer_size, backend
    if not normalize:
        raise ValueError("only normalize=True (float32 samples) is provided")
    data, rate = soundfile.read(str(uri), start=frame_offset,
                                frames=num_frames, dtype="float32", always_2d=True)
    samples = torch.from_numpy(data)
    return (samples.T.contiguous() if channels_first else samples), int(rate)
