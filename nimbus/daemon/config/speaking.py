"""Speaking sections: voices and TTS."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nimbus.daemon.config.checks import (
    ConfigError,
    check_choice,
    check_range,
)

__all__ = ["TtsConfig", "VoiceConfig"]


@dataclass(frozen=True, slots=True, kw_only=True)
class VoiceConfig:
    """[voices.NAME] one named voice."""

    engine: Literal["piper", "xtts", "wyoming"] = "piper"
    model: str = ""
    """piper: .onnx path (empty = the shipped en_US joe); xtts: model directory; wyoming: the
    server's voice name (empty = its default voice)."""
    uri: str = ""
    """wyoming: tcp://HOST:PORT of a Wyoming TTS server (e.g. wyoming-piper on a bigger box)."""
    speaker: str = ""
    """xtts: reference clip for cloning (relative paths resolve in tts.voices_dir)."""
    speed: float = 1.0
    language: str = "en"
    device: str = "cpu"
    """xtts: where the model runs: cpu, cuda, or auto (cuda when torch sees a GPU)."""

    def __post_init__(self) -> None:
        check_choice("voices.*.engine", self.engine, ("piper", "xtts", "wyoming"))
        if self.engine == "wyoming" and not _is_tcp_uri(self.uri):
            raise ConfigError(f"voices.*.uri = {self.uri!r}: a wyoming voice needs "
                              "uri = \"tcp://HOST:PORT\"")
        check_choice("voices.*.device", self.device, ("cpu", "cuda", "auto"))
        check_range("voices.*.speed", self.speed, 0.25, 4.0)


@dataclass(frozen=True, slots=True, kw_only=True)
class TtsConfig:
    """[tts] speaking."""

    voice: str = "joe"
    voices_dir: str = ""
    """Reference clips and cloned-voice caches; empty = <state_dir>/voices."""
    barge_in: Literal["off", "duck", "stop"] = "off"
    """What playback does when the user starts speaking."""
    first_chunk_min_chars: int = 20
    """The first chunk of an answer may end at a clause (comma ...) once this long."""
    first_chunk_max_words: int = 10
    """...or after this many words when no clause ended sooner (0 = never)."""
    max_chunk_chars: int = 300
    threads: int = 0
    """Piper (ONNX Runtime) threads; 0 = chosen from the cores this process may use."""
    """Run-on sentences are cut at a word boundary before this many characters."""
    duck_gain: float = 0.3
    """barge_in = "duck": playback volume while the user speaks."""
    network_rate: int = 0
    """Rate of audio.out sent to network sites; 0 = the voice's own rate."""
    xtts_model: str = ""
    """Default xtts_v2 folder for cloned voices; empty = Coqui's cache folder."""

    def __post_init__(self) -> None:
        check_choice("tts.barge_in", self.barge_in, ("off", "duck", "stop"))
        check_range("tts.first_chunk_min_chars", self.first_chunk_min_chars, 1, 1000)
        check_range("tts.max_chunk_chars", self.max_chunk_chars, 40, 10_000)
        check_range("tts.threads", self.threads, 0, 1024)
        check_range("tts.first_chunk_max_words", self.first_chunk_max_words, 0, 1000)
        check_range("tts.duck_gain", self.duck_gain, 0.0, 1.0)
        if self.network_rate and not 8000 <= self.network_rate <= 48000:
            raise ConfigError(f"tts.network_rate = {self.network_rate}: 0 or 8000..48000")


def _is_tcp_uri(uri: str) -> bool:
    host, _, port = uri.removeprefix("tcp://").rpartition(":")
    return uri.startswith("tcp://") and bool(host) and port.isdigit()
