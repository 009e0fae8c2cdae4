"""Nimbus's pure-torch stand-in for the torchaudio calls XTTS makes, against independent references.

librosa (installed with coqui-tts) has its own implementations of mel filterbanks and spectrograms;
the resampler is checked against the signal it must produce. During development these modules
were also compared with torchaudio 2.11's own code and agreed bit for bit (see docs/speaking.md).
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest
import soundfile
import torch

from nimbus.voices.torchaudio_compat import functional, load, transforms

librosa = pytest.importorskip("librosa", reason="librosa comes with the xtts extra")


@pytest.mark.parametrize("case", [
    (22050, 1024, 80, 8000.0, "slaney", "htk"),     # XTTS DVAE / cloning mels
    (22050, 4096, 80, 8000.0, "slaney", "htk"),
    (16000, 512, 64, 8000.0, None, "htk"),          # XTTS speaker encoder
    (24000, 2048, 100, 12000.0, "slaney", "slaney"),
])
def test_mel_filterbank_matches_librosa(case: tuple[int, int, int, float, str | None, str]
                                        ) -> None:
    rate, n_fft, n_mels, f_max, norm, scale = case
    ours = functional.melscale_fbanks(n_fft // 2 + 1, 0.0, f_max, n_mels, rate, norm, scale)
    theirs = librosa.filters.mel(sr=rate, n_fft=n_fft, n_mels=n_mels, fmin=0.0, fmax=f_max,
                                 htk=scale == "htk", norm=norm)
    assert ours.shape == (n_fft // 2 + 1, n_mels)
    np.testing.assert_allclose(ours.T.numpy(), theirs, rtol=2e-3, atol=1e-5 * theirs.max())


def test_mel_spectrogram_matches_librosa() -> None:
    rng = np.random.default_rng(1)
    wav = rng.standard_normal(22050).astype(np.float32)
    ours = transforms.MelSpectrogram(
        sample_rate=22050, n_fft=2048, win_length=1024, hop_length=256, f_max=8000, n_mels=80,
        norm="slaney")(torch.from_numpy(wav)[None])[0].numpy()
    theirs = librosa.feature.melspectrogram(
        y=wav, sr=22050, n_fft=2048, win_length=1024, hop_length=256, fmax=8000, n_mels=80,
        htk=True, norm="slaney", center=True, pad_mode="reflect", power=2.0)
    assert ours.shape == theirs.shape == (80, 87)
    np.testing.assert_allclose(ours, theirs, rtol=2e-3, atol=1e-4 * theirs.max())


def test_hamming_window_and_window_normalisation() -> None:
    wav = torch.randn(2, 3, 8000)  # leading dimensions survive
    plain = transforms.Spectrogram(n_fft=512, win_length=400, hop_length=160,
                                   window_fn=torch.hamming_window)
    normed = transforms.Spectrogram(n_fft=512, win_length=400, hop_length=160,
                                    window_fn=torch.hamming_window, normalized=True)
    assert plain(wav).shape == (2, 3, 257, 51)
    ratio = plain(wav) / normed(wav).clamp(min=1e-12)
    window_energy = float(torch.hamming_window(400).pow(2).sum())
    assert float(ratio.median()) == pytest.approx(window_energy, rel=1e-3)


def test_state_dict_names_are_the_ones_xtts_checkpoints_store() -> None:
    module = transforms.MelSpectrogram(sample_rate=16000, n_fft=512, n_mels=64)
    assert list(module.state_dict()) == ["spectrogram.window", "mel_scale.fb"]
    assert module.state_dict()["mel_scale.fb"].shape == (257, 64)


@pytest.mark.parametrize(("orig", "new"), [(22050, 16000), (24000, 22050), (16000, 22050),
                                           (44100, 22050), (48000, 16000)])
def test_resample_keeps_a_tone_and_the_length(orig: int, new: int) -> None:
    seconds = 0.5
    t = torch.arange(int(orig * seconds), dtype=torch.float64) / orig
    tone = torch.sin(2 * math.pi * 440.0 * t).float()[None]
    out = functional.resample(tone, orig, new)
    assert out.shape == (1, math.ceil(new * tone.shape[-1] / orig))
    expected = torch.sin(2 * math.pi * 440.0 * torch.arange(out.shape[-1]) / new)
    inner = slice(200, out.shape[-1] - 200)  # edges see the zero padding
    assert float((out[0, inner] - expected[inner]).abs().max()) < 2e-3
    assert torch.equal(transforms.Resample(orig, new)(tone), out)


def test_resample_removes_what_the_new_rate_cannot_hold() -> None:
    t = torch.arange(22050) / 22050
    above_nyquist = torch.sin(2 * math.pi * 10000.0 * t)[None]  # 16 kHz keeps < 8 kHz
    out = functional.resample(above_nyquist, 22050, 16000)
    assert float(out[0, 500:-500].abs().max()) < 0.02
    assert functional.resample(above_nyquist, 8000, 8000) is above_nyquist
    with pytest.raises(ValueError, match="positive"):
        functional.resample(above_nyquist, 0, 16000)


def test_load_decodes_channels_first(tmp_path: Path) -> None:
    path = tmp_path / "stereo.wav"
    soundfile.write(str(path), np.stack([np.full(800, 0.25), np.full(800, -0.5)], axis=1), 8000)
    audio, rate = load(path)
    assert rate == 8000
    assert audio.shape == (2, 800)
    assert audio.dtype == torch.float32
    assert float(audio[0, 10]) == pytest.approx(0.25, abs=1e-4)
    assert float(audio[1, 10]) == pytest.approx(-0.5, abs=1e-4)


def test_no_real_torchaudio_is_shadowed() -> None:
    """The alias only ever serves torchaudio when the normal import system finds none."""
    from nimbus.voices.xtts_imports import import_xtts, torchaudio_is_compat  # noqa: PLC0415

    real = importlib.machinery.PathFinder.find_spec("torchaudio")
    import_xtts()
    assert torchaudio_is_compat() is (real is None)
    # coqui-tts's torchcodec check is answered only while TTS imports, then withdrawn
    assert importlib.util.find_spec("torchcodec") is None or \
        importlib.machinery.PathFinder.find_spec("torchcodec") is not None
