"""What Nimbus tells a Wyoming peer it is (``describe`` -> ``info``), built from the config."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Final

from wyoming.info import (
    AsrModel,
    AsrProgram,
    Attribution,
    HandleModel,
    HandleProgram,
    Info,
    TtsProgram,
    TtsVoice,
)

from nimbus import __version__
from nimbus.daemon.config import Config, VoiceConfig
from nimbus.daemon.models import ModelNotFound, resolve_voice

__all__ = ["ATTRIBUTION", "ENGLISH_TAGS", "model_languages", "server_info", "spoken_name",
           "voice_language"]

ATTRIBUTION: Final = Attribution(name="Nimbus", url="https://pypi.org/project/nimbus-assistant/")


ENGLISH_TAGS: Final = ("en", "en_US", "en_GB")
"""What an English speech model understands: any English (Whisper ``*.en``, the English
responder), offered with the regional tags Home Assistant's pipelines use."""


def _family(code: str) -> str:
    return code.replace("-", "_").split("_", maxsplit=1)[0].lower() or "en"


def _tag(code: str) -> str:
    """``en-us`` -> ``en_US`` (Piper's and Wyoming's form); a bare family stays as it is."""
    family, _, region = code.replace("-", "_").partition("_")
    return f"{family.lower()}_{region.upper()}" if region else family.lower()


def model_languages(code: str) -> list[str]:
    """Tags for a model of language ``code``: English models take every English tag."""
    family = _family(code)
    if family == "en":
        tags = [_tag(code)] if "_" in code.replace("-", "_") else []
        return tags + [t for t in ENGLISH_TAGS if t not in tags]
    return [family] if "_" not in code.replace("-", "_") else [_tag(code), family]


def voice_language(name: str, voice: VoiceConfig) -> str:
    """The language tag a voice really speaks: a Piper voice's own (``en_US`` for joe, from its
    ``.onnx.json``), else the configured ``language``."""
    if voice.engine == "piper":
        try:
            location = resolve_voice(name, voice)
            assert location.path is not None
            data = json.loads(Path(f"{location.path}.json").read_text(encoding="utf-8"))
            code = data.get("language", {}).get("code") if isinstance(data, dict) else None
            if isinstance(code, str) and code:
                return _tag(code)
        except (ModelNotFound, OSError, ValueError, AttributeError):
            pass  # the voice itself reports it when it fails to load
    return _tag(voice.language)


def spoken_name(name: str) -> str:
    """A name as people read it: ``joe`` -> ``Joe``, ``kitchen_speaker`` -> ``Kitchen Speaker``."""
    return " ".join(part[:1].upper() + part[1:] for part in re.split(r"[-_\s]+", name) if part)


def server_info(config: Config) -> Info:
    """ASR (streaming transcripts), every configured voice (streaming synthesis), the responder."""
    asr_languages = model_languages(config.asr.language)
    asr_model = config.asr.model or "tiny.en"
    program = config.daemon.name
    voices = [
        TtsVoice(
            name=name, attribution=ATTRIBUTION, installed=True, version=__version__,
            description=spoken_name(name),
            languages=[voice_language(name, voice)],
        )
        for name, voice in sorted(config.voices.items())
    ]
    return Info(
        asr=[AsrProgram(
            name=program, attribution=ATTRIBUTION, installed=True, version=__version__,
            description="Nimbus speech recognition (faster-whisper)",
            models=[AsrModel(name=asr_model, attribution=ATTRIBUTION, installed=True,
                             version=__version__, description=f"Whisper {asr_model}",
                             languages=asr_languages)],
            supports_transcript_streaming=True,
        )],
        tts=[TtsProgram(
            name=program, attribution=ATTRIBUTION, installed=True, version=__version__,
            description="Nimbus voices, spoken sentence by sentence", voices=voices,
            supports_synthesize_streaming=True,
        )],
        handle=[HandleProgram(
            name=program, attribution=ATTRIBUTION, installed=True, version=__version__,
            description="Nimbus answers from your watched documents (local LLM, streamed)",
            models=[HandleModel(name="nimbus-responder", attribution=ATTRIBUTION,
                                installed=True, version=__version__,
                                description="grounded answers", languages=asr_languages)],
            supports_handled_streaming=True,
        )],
    )
