"""What Nimbus tells a Wyoming peer it is (``describe`` -> ``info``), built from the config."""

from __future__ import annotations

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
from nimbus.daemon.config import Config

__all__ = ["ATTRIBUTION", "server_info"]

ATTRIBUTION: Final = Attribution(name="Nimbus", url="https://pypi.org/project/nimbus-assistant/")


def _language(code: str) -> str:
    return code.replace("_", "-").split("-", maxsplit=1)[0].lower() or "en"


def server_info(config: Config) -> Info:
    """ASR (streaming transcripts), every configured voice (streaming synthesis), the responder."""
    asr_language = _language(config.asr.language)
    asr_model = config.asr.model or "tiny.en"
    voices = [
        TtsVoice(
            name=name, attribution=ATTRIBUTION, installed=True, version=__version__,
            description=f"Nimbus voice {name!r} ({voice.engine}, {voice.language})",
            languages=[_language(voice.language)],
        )
        for name, voice in sorted(config.voices.items())
    ]
    return Info(
        asr=[AsrProgram(
            name="nimbus", attribution=ATTRIBUTION, installed=True, version=__version__,
            description="Nimbus speech recognition (faster-whisper)",
            models=[AsrModel(name=asr_model, attribution=ATTRIBUTION, installed=True,
                             version=__version__, description=f"Whisper {asr_model}",
                             languages=[asr_language])],
            supports_transcript_streaming=True,
        )],
        tts=[TtsProgram(
            name="nimbus", attribution=ATTRIBUTION, installed=True, version=__version__,
            description="Nimbus voices, spoken sentence by sentence", voices=voices,
            supports_synthesize_streaming=True,
        )],
        handle=[HandleProgram(
            name="nimbus", attribution=ATTRIBUTION, installed=True, version=__version__,
            description="Nimbus answers from your watched documents (local LLM, streamed)",
            models=[HandleModel(name="nimbus-responder", attribution=ATTRIBUTION,
                                installed=True, version=__version__,
                                description="grounded answers", languages=[asr_language])],
            supports_handled_streaming=True,
        )],
    )
