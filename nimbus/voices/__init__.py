"""Voices: TTS engines (Piper, Coqui XTTS v2) and the registry of named voices."""

from nimbus.voices.base import VoiceEngine, VoiceError
from nimbus.voices.registry import (
    VoiceInfo,
    clone_voice,
    configured_voices,
    list_voices,
    load_voice,
)

__all__ = [
    "VoiceEngine",
    "VoiceError",
    "VoiceInfo",
    "clone_voice",
    "configured_voices",
    "list_voices",
    "load_voice",
]
