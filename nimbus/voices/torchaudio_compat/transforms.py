"""``torchaudio.transforms`` modules used by XTTS, with torchaudio's submodule and buffer names.

The names matter: xtts_v2's ``model.pth`` stores ``...torch_spec.1.spectrogram.window`` and
``...mel_scale.fb`` as state, so a real checkpoint loads into these modules unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from . import functional

__all__ = ["MelScale", "MelSpectrogram", "Resample", "Spectrogram"]

WindowFn = Callable[..., torch.Tensor]


class Spectrogram(nn.Module):
    """Power (or complex) spectrogram of ``(..., time)``."""

    window: torch.Tensor

    def __init__(
        self,
        n_fft: int = 400,
        win_length: int | None = None,
        hop_length: int | None = None,
        pad: int = 0,
        window_fn: WindowFn = torch.hann_window,
        power: float | None = 2.0,
        normalized: bool | str = False,
        wkwargs: dict[str, Any] | None = None,
        center: bool = True,
        pad_mode: str = "reflect",
        onesided: bool = True,
    ) -> None:
        super().__init__()
        self.n_fft = n_fft
        self.win_length = win_length if win_length is not None else n_fft
        self.hop_length = hop_length if hop_length is not None else self.win_length // 2
        self.register_buffer("window", window_fn(self.win_length, **(wkwargs or {})))
        self.pad = pad
        self.power = power
        self.normalized = normalized
        self.center = center
        self.pad_mode = pad_mode
        self.onesided = onesided

    def forward(self, waveform: torch.Tensor) -> torch.Tensor:
        return functional.spectrogram(
            waveform, self.pad, self.window, self.n_fft, self.hop_length, self.win_length,
            self.power, self.normalized, self.center, self.pad_mode, self.onesided,
        )


class MelScale(nn.Module):
    """Linear-frequency spectrogram ``(..., n_stft, frames)`` -> mel ``(..., n_mels, frames)``."""

    fb: torch.Tensor

    def __init__(
        self,
        n_mels: int = 128,
        sample_rate: int = 16000,
        f_min: float = 0.0,
        f_max: float | None = None,
        n_stft: int = 201,
        norm: str | None = None,
        mel_scale: str = "htk",
    ) -> None:
        super().__init__()
        self.n_mels = n_mels
        self.sample_rate = sample_rate
        self.f_max = f_max if f_max is not None else float(sample_rate // 2)
        self.f_min = f_min
        if self.f_min > self.f_max:
            raise ValueError(f"f_min ({self.f_min}) must not exceed f_max ({self.f_max})")
        self.register_buffer("fb", functional.melscale_fbanks(
            n_stft, self.f_min, self.f_max, n_mels, sample_rate, norm, mel_scale))

    def forward(self, spec: torch.Tensor) -> torch.Tensor:
        mel: torch.Tensor = torch.matmul(spec.transpose(-1, -2), self.fb)
        return mel.transpose(-1, -2)


class MelSpectrogram(nn.Module):
    """Mel spectrogram of ``(..., time)``: :class:`Spectrogram` then :class:`MelScale`."""

    def __init__(
        self,
        sample_rate: int = 16000,
        n_fft: int = 400,
        win_length: int | None = None,
        hop_length: int | None = None,
        f_min: float = 0.0,
        f_max: float | None = None,
        pad: int = 0,
        n_mels: int = 128,
        window_fn: WindowFn = torch.hann_window,
        power: float = 2.0,
        normalized: bool = False,
        wkwargs: dict[str, Any] | None = None,
        center: bool = True,
        pad_mode: str = "reflect",
        onesided: bool | None = None,
        norm: str | None = None,
        mel_scale: str = "htk",
    ) -> None:
        super().__init__()
        del onesided  # deprecated in torchaudio; always one-sided
        self.sample_rate = sample_rate
        self.n_fft = n_fft
        self.n_mels = n_mels
        self.spectrogram = Spectrogram(
            n_fft=n_fft, win_length=win_length, hop_length=hop_length, pad=pad,
            window_fn=window_fn, power=power, normalized=normalized, wkwargs=wkwargs,
            center=center, pad_mode=pad_mode, onesided=True,
        )
        self.mel_scale = MelScale(n_mels, sample_rate, f_min, f_max, n_fft // 2 + 1, norm,
                                  mel_scale)

    def forward(self, waveform: torch.Tensor) -> torch.Tensor:
        mel: torch.Tensor = self.mel_scale(self.spectrogram(waveform))
        return mel


class Resample(nn.Module):
    """:func:`functional.resample` as a module (kernel rebuilt per call: clips are short)."""

    def __init__(self, orig_freq: int = 16000, new_freq: int = 16000,
                 resampling_method: str = "sinc_interp_hann", lowpass_filter_width: int = 6,
                 rolloff: float = 0.99, beta: float | None = None,
                 *, dtype: torch.dtype | None = None) -> None:
        super().__init__()
        del dtype
        self.orig_freq = orig_freq
        self.new_freq = new_freq
        self.resampling_method = resampling_method
        self.lowpass_filter_width = lowpass_filter_width
        self.rolloff = rolloff
        self.beta = beta

    def forward(self, waveform: torch.Tensor) -> torch.Tensor:
        return functional.resample(waveform, self.orig_freq, self.new_freq,
                                   self.lowpass_filter_width, self.rolloff,
                                   self.resampling_method, self.beta)
