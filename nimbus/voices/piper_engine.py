"""Piper (ONNX) voices: the shipped en_US joe by default, or any Piper .onnx voice by path."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nimbus.daemon.threads import thread_plan
from nimbus.voices.base import VoiceError

__all__ = ["PiperEngine"]

log = logging.getLogger(__name__)


def _load(model: Path, threads: int) -> Any:
    """``PiperVoice.load`` with ONNX Runtime's threads set (it would take one per core)."""
    import onnxruntime  # noqa: PLC0415 - heavy
    from piper import PiperConfig, PiperVoice  # noqa: PLC0415 - heavy

    with open(f"{model}.json", encoding="utf-8") as file:
        config = PiperConfig.from_dict(json.load(file))
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    # ONNX Runtime's CPU arena keeps the largest synthesis's buffers for good: measured with the
    # shipped voice, RSS stayed at 530 MB after one 300-character sentence (144 MB loaded);
    # without the arena it went back to ~200 MB, for ~10 % more synthesis time on a short
    # sentence. The daemon's peak is the sum of what every engine holds at once, so the voice
    # gives its buffers back. Shapes change with every sentence: no memory pattern either.
    options.enable_cpu_mem_arena = False
    options.enable_mem_pattern = False
    session = onnxruntime.InferenceSession(
        str(model), sess_options=options, providers=["CPUExecutionProvider"]
    )
    return PiperVoice(session=session, config=config)


class PiperEngine:
    """A loaded Piper voice; yields one PCM chunk per sentence Piper finds in the text."""

    def __init__(self, name: str, model: Path, *, speed: float = 1.0, threads: int = 0) -> None:
        from piper import SynthesisConfig  # noqa: PLC0415 - heavy, off the loop

        self.name = name
        self.model = model
        self.threads = threads or thread_plan().tts
        try:
            self._voice: Any = _load(model, self.threads)
        except Exception as exc:
            raise VoiceError(
                "voice_load_failed", f"voice {name!r}: cannot load Piper model {model}: {exc}"
            ) from exc
        self.sample_rate = int(self._voice.config.sample_rate)
        self.language = str(getattr(self._voice.config, "espeak_voice", "") or "en")
        # Piper's length_scale is the inverse of speed (bigger = slower).
        self._syn = SynthesisConfig(length_scale=1.0 / speed)
        log.info("Piper voice %r loaded from %s (%d Hz)", name, model, self.sample_rate)

    def synthesize(self, text: str) -> Iterator[bytes]:
        if not text.strip():
            return
        try:
            for chunk in self._voice.synthesize(text, syn_config=self._syn):
                audio = chunk.audio_int16_bytes
                if audio:
                    yield bytes(audio)
        except VoiceError:
            raise
        except Exception as exc:
            raise VoiceError("synthesis_failed", f"voice {self.name!r}: {exc}") from exc
