"""Pure-torch versions of the ``torchaudio.functional`` routines that XTTS inference calls.

They follow torchaudio's published definitions (same defaults, shapes and numerics), so a real
xtts_v2 checkpoint conditions and speaks as it would with torchaudio; tests compare them with
librosa's independent implementations.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

__all__ = [
    "hz_to_mel",
    "mel_to_hz",
    "melscale_fbanks",
    "resample",
    "spectrogram",
]

_SLANEY_LINEAR_HZ_PER_MEL = 200.0 / 3
_SLANEY_LOG_START_HZ = 1000.0
_SLANEY_LOG_STEP = math.log(6.4) / 27.0


def hz_to_mel(freq: float, mel_scale: str = "htk") -> float:
    """Frequency in Hz -> mels on the HTK or Slaney scale."""
    if mel_scale == "htk":
        return 2595.0 * math.log10(1.0 + freq / 700.0)
    if mel_scale != "slaney":
        raise ValueError(f'mel_scale should be one of "htk" or "slaney", not {mel_scale!r}')
    if freq < _SLANEY_LOG_START_HZ:
        return freq / _SLANEY_LINEAR_HZ_PER_MEL
    log_start_mel = _SLANEY_LOG_START_HZ / _SLANEY_LINEAR_HZ_PER_MEL
    return log_start_mel + math.log(freq / _SLANEY_LOG_START_HZ) / _SLANEY_LOG_STEP


def mel_to_hz(mels: torch.Tensor, mel_scale: str = "htk") -> torch.Tensor:
    """Mels on the HTK or Slaney scale -> Hz (element-wise)."""
    if mel_scale == "htk":
        return 700.0 * (10.0 ** (mels / 2595.0) - 1.0)
    if mel_scale != "slaney":
        raise ValueError(f'mel_scale should be one of "htk" or "slaney", not {mel_scale!r}')
    log_start_mel = _SLANEY_LOG_START_HZ / _SLANEY_LINEAR_HZ_PER_MEL
    linear = _SLANEY_LINEAR_HZ_PER_MEL * mels
    logarithmic = _SLANEY_LOG_START_HZ * torch.exp(_SLANEY_LOG_STEP * (mels - log_start_mel))
    return torch.where(mels >= log_start_mel, logarithmic, linear)


def melscale_fbanks(
    n_freqs: int,
    f_min: float,
    f_max: float,
    n_mels: int,
    sample_rate: int,
    norm: str | None = None,
    mel_scale: str = "htk",
) -> torch.Tensor:
    """Triangular mel filters, shape ``(n_freqs, n_mels)``; ``norm="slaney"`` gives equal area."""
    if norm not in (None, "slaney"):
        raise ValueError('norm must be one of None or "slaney"')
    bin_freqs = torch.linspace(0, sample_rate // 2, n_freqs)
    mel_points = torch.linspace(hz_to_mel(f_min, mel_scale), hz_to_mel(f_max, mel_scale),
                                n_mels + 2)
    edges = mel_to_hz(mel_points, mel_scale)
    widths = edges[1:] - edges[:-1]
    # distance of each band edge above each FFT bin: (n_freqs, n_mels + 2)
    offsets = edges.unsqueeze(0) - bin_freqs.unsqueeze(1)
    rising = -offsets[:, :-2] / widths[:-1]
    falling = offsets[:, 2:] / widths[1:]
    banks = torch.clamp(torch.minimum(rising, falling), min=0.0)
    if norm == "slaney":
        banks = banks * (2.0 / (edges[2 : n_mels + 2] - edges[:n_mels])).unsqueeze(0)
    return banks


def spectrogram(
    waveform: torch.Tensor,
    pad: int,
    window: torch.Tensor,
    n_fft: int,
    hop_length: int,
    win_length: int,
    power: float | None,
    normalized: bool | str,
    center: bool = True,
    pad_mode: str = "reflect",
    onesided: bool = True,
) -> torch.Tensor:
    """|STFT|**power of ``(..., time)``: ``(..., n_fft // 2 + 1, frames)``, complex if no power."""
    if pad > 0:
        waveform = F.pad(waveform, (pad, pad), "constant")
    window_norm = normalized is True or normalized == "window"
    frame_norm = normalized == "frame_length"
    leading = waveform.shape[:-1]
    flat = waveform.reshape(-1, waveform.shape[-1])
    spec = torch.stft(
        flat, n_fft=n_fft, hop_length=hop_length, win_length=win_length, window=window,
        center=center, pad_mode=pad_mode, normalized=frame_norm, onesided=onesided,
        return_complex=True,
    )
    spec = spec.reshape(*leading, *spec.shape[-2:])
    if window_norm:
        spec = spec / window.pow(2.0).sum().sqrt()
    if power is None:
        return spec
    if power == 1.0:
        return spec.abs()
    return spec.abs().pow(power)


def _sinc_kernel(
    orig: int, new: int, lowpass_filter_width: int, rolloff: float, dtype: torch.dtype,
    device: torch.device,
) -> tuple[torch.Tensor, int]:
    """Hann-windowed sinc filters, one per output phase: ``(new, 1, taps)`` and the half width."""
    cutoff = min(orig, new) * rolloff
    half_width = math.ceil(lowpass_filter_width * orig / cutoff)
    # computed in the signal's dtype, as torchaudio does, so results agree to the last bit
    taps = torch.arange(-half_width, half_width + orig, dtype=dtype, device=device)
    phases = torch.arange(0, -new, -1, dtype=dtype, device=device)[:, None, None] / new
    t = (phases + taps[None, None] / orig) * cutoff
    t = t.clamp(-lowpass_filter_width, lowpass_filter_width)
    hann = torch.cos(t * math.pi / lowpass_filter_width / 2) ** 2
    t = t * math.pi
    sinc = torch.where(t == 0, torch.ones_like(t), torch.sin(t) / t)
    return sinc * (hann * (cutoff / orig)), half_width


def resample(
    waveform: torch.Tensor,
    orig_freq: int,
    new_freq: int,
    lowpass_filter_width: int = 6,
    rolloff: float = 0.99,
    resampling_method: str = "sinc_interp_hann",
    beta: float | None = None,
) -> torch.Tensor:
    """Band-limited sinc resampling of ``(..., time)`` from ``orig_freq`` to ``new_freq`` Hz."""
    if orig_freq <= 0 or new_freq <= 0:
        raise ValueError("original and new frequencies must be positive")
    if resampling_method != "sinc_interp_hann":
        raise ValueError(f"only sinc_interp_hann resampling is provided, not {resampling_method!r}")
    del beta  # only meaningful for the Kaiser window, which XTTS does not use
    if orig_freq == new_freq:
        return waveform
    common = math.gcd(int(orig_freq), int(new_freq))
    orig, new = int(orig_freq) // common, int(new_freq) // common
    kernel, half_width = _sinc_kernel(orig, new, lowpass_filter_width, rolloff,
                                      waveform.dtype, waveform.device)
    leading = waveform.shape[:-1]
    flat = waveform.reshape(-1, waveform.shape[-1])
    length = flat.shape[-1]
    padded = F.pad(flat, (half_width, half_width + orig))
    phased = F.conv1d(padded[:, None], kernel, stride=orig)
    out = phased.transpose(1, 2).reshape(flat.shape[0], -1)
    target = math.ceil(new * length / orig)
    return out[..., :target].reshape(*leading, target)
