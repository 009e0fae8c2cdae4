"""Coqui XTTS v2 voices (the optional ``xtts`` extra): cloning from a clip, streaming inference.

The model is the real xtts_v2 from a local folder (``config.json``, ``model.pth``, ``vocab.json``;
Coqui's usual cache is ``~/.local/share/tts/tts_models--multilingual--multi-dataset--xtts_v2``, and
its licence needs ``COQUI_TOS_AGREED=1``). Speaker latents computed from the reference clip are
cached on disk in the voices folder, keyed by the clip's content and the model, so a restart does
not recompute them. coqui-tts is imported through :mod:`nimbus.voices.xtts_imports`, which stands
in for torchaudio where the pinned CPU torch has none.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import numpy as np

from nimbus.voices.base import VoiceError
from nimbus.voices.reference import clip_digest, read_reference, resample
from nimbus.voices.xtts_imports import import_xtts

__all__ = ["XTTS_CACHE_DIR", "XttsEngine", "split_for_xtts", "xtts_available"]

log = logging.getLogger(__name__)

XTTS_CACHE_DIR: Final = (
    Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    / "tts"
    / "tts_models--multilingual--multi-dataset--xtts_v2"
)
"""Where Coqui's own downloader puts xtts_v2."""

_MISSING: Final = (
    "XTTS needs the optional extra: pip install 'nimbus-assistant[xtts]' -c constraints.txt "
    "(coqui-tts)"
)
_MODEL_FILES: Final = ("config.json", "model.pth", "vocab.json")
_SPEAKABLE = re.compile(r"\w", re.UNICODE)
_CLAUSE_END = re.compile(r"(?<=[,;:])\s+")


def xtts_available() -> str | None:
    """None when coqui-tts imports; else why not (for `nimbus voices list` and tests)."""
    try:
        import_xtts()
    except Exception as exc:  # ImportError, or coqui-tts's own import-time checks
        return f"{_MISSING}: {type(exc).__name__}: {str(exc).strip().splitlines()[0]}"
    return None


def split_for_xtts(text: str, limit: int) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut at clauses, then words.

    XTTS refuses more than ~400 text tokens and degrades past its per-language character limit
    (250 for English); the chunker hands over sentences, but one sentence can still be long.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return [text] if text else []
    pieces: list[str] = []
    current = ""
    for part in _CLAUSE_END.split(text):
        words = part.split(" ") if len(part) > limit else [part]
        for whole_word in words:
            word = whole_word
            while len(word) > limit:  # one unbroken run of characters: cut it hard
                if current:
                    pieces.append(current)
                    current = ""
                pieces.append(word[:limit])
                word = word[limit:]
            if not current:
                current = word
            elif len(current) + 1 + len(word) <= limit:
                current = f"{current} {word}"
            else:
                pieces.append(current)
                current = word
    if current:
        pieces.append(current)
    return pieces


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
        stream_chunk_tokens: int = 20,
        device: str = "cpu",
    ) -> None:
        problem = xtts_available()
        if problem is not None:
            raise VoiceError("engine_unavailable", f"voice {name!r}: {problem}")
        import torch  # noqa: PLC0415 - heavy, optional

        xtts = import_xtts()
        from TTS.tts.configs.xtts_config import XttsConfig  # noqa: PLC0415 - after import_xtts

        self.name = name
        self.speed = speed
        self._torch = torch
        self.device = self._device(device)
        self._stream_chunk_tokens = stream_chunk_tokens
        missing = [f for f in _MODEL_FILES if not (model_dir / f).is_file()]
        if missing:
            raise VoiceError(
                "voice_load_failed",
                f"voice {name!r}: {model_dir} lacks {', '.join(missing)} (an xtts_v2 folder has "
                f"{', '.join(_MODEL_FILES)}; Coqui's downloader puts it in {XTTS_CACHE_DIR})",
            )
        try:
            config = XttsConfig()
            config.load_json(str(model_dir / "config.json"))
        except Exception as exc:
            raise VoiceError(
                "voice_load_failed", f"voice {name!r}: {model_dir / 'config.json'}: {exc}"
            ) from exc
        self.language = self._supported_language(language, list(config.languages))
        try:
            self._model: Any = xtts.Xtts(config)
            self._model.load_checkpoint(config, checkpoint_dir=str(model_dir), eval=True,
                                        use_deepspeed=False)
        except Exception as exc:
            raise VoiceError(
                "voice_load_failed", f"voice {name!r}: cannot load XTTS from {model_dir}: {exc}"
            ) from exc
        self._model.to(self.device)
        self._model.eval()
        self._char_limit = int(self._model.tokenizer.char_limits.get(self.language, 250))
        self.sample_rate = int(config.model_args.output_sample_rate)
        self._latents = self._speaker_latents(speaker, model_dir, cache_dir)
        log.info("XTTS voice %r loaded from %s (%d Hz, %s, on %s)", name, model_dir,
                 self.sample_rate, self.language, self.device)

    def _device(self, wanted: str) -> str:
        cuda = bool(self._torch.cuda.is_available())
        if wanted == "auto":
            return "cuda" if cuda else "cpu"
        if wanted.startswith("cuda") and not cuda:
            raise VoiceError(
                "device_unavailable",
                f"voice {self.name!r}: device {wanted!r} asked for, but torch "
                f"{self._torch.__version__} sees no CUDA GPU (use device = \"cpu\" or \"auto\")",
            )
        return wanted

    def _supported_language(self, language: str, supported: list[str]) -> str:
        base = language.replace("_", "-").split("-")[0].lower()
        bases = sorted({lang.split("-")[0].lower() for lang in supported})
        if base not in bases:
            raise VoiceError(
                "unsupported_language",
                f"voice {self.name!r}: XTTS does not speak {language!r}; it speaks "
                f"{', '.join(bases)}",
            )
        return base

    def _speaker_latents(self, speaker: Path, model_dir: Path, cache_dir: Path) -> tuple[Any, Any]:
        torch = self._torch
        # The digest reads the clip, so a missing or unreadable clip is reported by read_reference.
        audio, rate = read_reference(speaker)
        cache = cache_dir / f"{self.name}-{clip_digest(speaker, str(model_dir.resolve()))}.pt"
        if cache.is_file():
            try:
                saved = torch.load(cache, map_location="cpu", weights_only=True)
                log.info("XTTS voice %r: speaker latents from %s", self.name, cache)
                return saved["gpt_cond_latent"], saved["speaker_embedding"]
            except Exception:
                log.warning("ignoring unreadable latent cache %s", cache, exc_info=True)
        # Our own decoder and resampler (soundfile, PyAV): no torchaudio backend is involved.
        model = self._model
        load_rate = int(model.config.audio.sample_rate)
        wav = torch.from_numpy(np.ascontiguousarray(resample(audio, rate, load_rate))).unsqueeze(0)
        try:
            with torch.inference_mode():
                gpt_cond_latent = model.get_gpt_cond_latents(
                    wav, load_rate, length=model.config.gpt_cond_len,
                    chunk_length=model.config.gpt_cond_chunk_len,
                )
                speaker_embedding = model.get_speaker_embedding(wav, load_rate)
        except Exception as exc:
            raise VoiceError(
                "bad_reference_clip", f"voice {self.name!r}: cannot clone from {speaker}: {exc}"
            ) from exc
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(".pt.partial")
        torch.save({"gpt_cond_latent": gpt_cond_latent.cpu(),
                    "speaker_embedding": speaker_embedding.cpu()}, partial)
        partial.replace(cache)  # a crash mid-write never leaves a truncated cache behind
        log.info("XTTS voice %r: speaker latents computed from %s, cached in %s", self.name,
                 speaker, cache)
        return gpt_cond_latent, speaker_embedding

    def synthesize(self, text: str) -> Iterator[bytes]:
        if not _SPEAKABLE.search(text):
            return  # nothing a voice can say: punctuation, emoji, whitespace
        torch = self._torch
        gpt_cond_latent, speaker_embedding = self._latents
        try:
            for piece in split_for_xtts(text, self._char_limit):
                stream = self._model.inference_stream(
                    piece, self.language, gpt_cond_latent, speaker_embedding,
                    stream_chunk_size=self._stream_chunk_tokens, speed=self.speed,
                    enable_text_splitting=False,
                )
                while True:
                    # inference mode only around the model's own steps, never across a yield
                    with torch.inference_mode():
                        chunk = next(stream, None)
                    if chunk is None:
                        break
                    samples = chunk.detach().cpu().numpy().reshape(-1)
                    pcm = np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2")
                    if pcm.size:
                        yield pcm.tobytes()
        except Exception as exc:
            raise VoiceError("synthesis_failed", f"voice {self.name!r}: {exc}") from exc
