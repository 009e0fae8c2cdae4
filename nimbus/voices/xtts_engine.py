"""Coqui XTTS v2 voices (the optional ``xtts`` extra): cloning from a clip, streaming inference.

The model is the real xtts_v2 from a local folder (``config.json``, ``model.pth``, ``vocab.json``;
Coqui's usual cache is ``~/.local/share/tts/tts_models--multilingual--multi-dataset--xtts_v2``, and
its licence needs ``COQUI_TOS_AGREED=1``). Speaker latents computed from the reference clip are
cached on disk next to the clip, keyed by the clip's content, so a restart does not recompute them.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import numpy as np

from nimbus.voices.base import VoiceError
from nimbus.voices.reference import clip_digest, read_reference, resample

__all__ = ["XTTS_CACHE_DIR", "XttsEngine", "xtts_available"]

log = logging.getLogger(__name__)

XTTS_CACHE_DIR: Final = (
    Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    / "tts"
    / "tts_models--multilingual--multi-dataset--xtts_v2"
)
"""Where Coqui's own downloader puts xtts_v2."""

_MISSING: Final = (
    "XTTS needs the optional extra: pip install 'nimbus-assistant[xtts]' -c constraints.txt "
    "(coqui-tts; its import needs torchaudio matching the installed torch)"
)


def xtts_available() -> str | None:
    """None when coqui-tts imports; else why not (for `nimbus voices list` and tests)."""
    try:
        import TTS.tts.models.xtts  # noqa: F401, PLC0415 - probe of the optional extra
    except Exception as exc:  # ImportError, or coqui-tts's own torchaudio check
        return f"{_MISSING}: {type(exc).__name__}: {str(exc).strip().splitlines()[0]}"
    return None


class XttsEngine:
    """A loaded XTTS v2 model speaking in the voice of one reference clip."""

    def __init__(
        self,
        name: str,
        model_dir: Path,
        *,
        speaker: Path,
        cache_dir: Path,
        language: str = "en",
        speed: float = 1.0,
    ) -> None:
        problem = xtts_available()
        if problem is not None:
            raise VoiceError("engine_unavailable", f"voice {name!r}: {problem}")
        import torch  # noqa: PLC0415 - heavy, optional
        from TTS.tts.configs.xtts_config import XttsConfig  # noqa: PLC0415
        from TTS.tts.models.xtts import Xtts  # noqa: PLC0415

        self.name = name
        self.language = language
        self.speed = speed
        config_path = model_dir / "config.json"
        if not config_path.is_file():
            raise VoiceError("voice_load_failed", f"voice {name!r}: {config_path} is missing")
        try:
            config = XttsConfig()
            config.load_json(str(config_path))
            self._model: Any = Xtts.init_from_config(config)
            self._model.load_checkpoint(config, checkpoint_dir=str(model_dir), eval=True,
                                        use_deepspeed=False)
        except Exception as exc:
            raise VoiceError(
                "voice_load_failed", f"voice {name!r}: cannot load XTTS from {model_dir}: {exc}"
            ) from exc
        self._model.eval()
        self._torch = torch
        self.sample_rate = int(config.model_args.output_sample_rate)
        self._latents = self._speaker_latents(speaker, model_dir, cache_dir)
        log.info("XTTS voice %r loaded from %s (%d Hz)", name, model_dir, self.sample_rate)

    def _speaker_latents(self, speaker: Path, model_dir: Path, cache_dir: Path) -> tuple[Any, Any]:
        torch = self._torch
        cache = cache_dir / f"{self.name}-{clip_digest(speaker, str(model_dir.resolve()))}.pt"
        if cache.is_file():
            try:
                saved = torch.load(cache, map_location="cpu", weights_only=True)
                return saved["gpt_cond_latent"], saved["speaker_embedding"]
            except Exception:
                log.warning("ignoring unreadable latent cache %s", cache, exc_info=True)
        # Our own decoder and resampler (soundfile, PyAV): no torchaudio backends are needed.
        audio, rate = read_reference(speaker)
        model = self._model
        load_rate = int(model.config.audio.sample_rate)
        wav = torch.from_numpy(np.ascontiguousarray(resample(audio, rate, load_rate))).unsqueeze(0)
        with torch.inference_mode():
            gpt_cond_latent = model.get_gpt_cond_latents(
                wav, load_rate, length=model.config.gpt_cond_len,
                chunk_length=model.config.gpt_cond_chunk_len,
            )
            speaker_embedding = model.get_speaker_embedding(wav, load_rate)
        cache.parent.mkdir(parents=True, exist_ok=True)
        torch.save({"gpt_cond_latent": gpt_cond_latent, "speaker_embedding": speaker_embedding},
                   cache)
        return gpt_cond_latent, speaker_embedding

    def synthesize(self, text: str) -> Iterator[bytes]:
        if not text.strip():
            return
        torch = self._torch
        gpt_cond_latent, speaker_embedding = self._latents
        try:
            with torch.inference_mode():
                for chunk in self._model.inference_stream(
                    text, self.language, gpt_cond_latent, speaker_embedding,
                    speed=self.speed, enable_text_splitting=False,
                ):
                    samples = chunk.detach().cpu().numpy().reshape(-1)
                    pcm = np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2")
                    if pcm.size:
                        yield pcm.tobytes()
        except Exception as exc:
            raise VoiceError("synthesis_failed", f"voice {self.name!r}: {exc}") from exc
