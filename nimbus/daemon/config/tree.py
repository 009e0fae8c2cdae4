"""The whole configuration tree: the daemon section and every capability's sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from nimbus.daemon.config.checks import ConfigError, check_choice, default_state_dir
from nimbus.daemon.config.documents import (
    EmbeddingsConfig,
    OcrConfig,
    StoreConfig,
    WatchConfig,
)
from nimbus.daemon.config.intents import HomeAssistantConfig, IntentsConfig
from nimbus.daemon.config.interfaces import MqttConfig, WebSocketConfig, WyomingConfig
from nimbus.daemon.config.listening import (
    ArbitrationConfig,
    AsrConfig,
    AudioConfig,
    PhrasesConfig,
    VadConfig,
)
from nimbus.daemon.config.responding import LlmConfig
from nimbus.daemon.config.speaking import TtsConfig, VoiceConfig

__all__ = ["Config", "DaemonConfig"]


@dataclass(frozen=True, slots=True, kw_only=True)
class DaemonConfig:
    """[daemon] process-wide settings."""

    state_dir: str = field(default_factory=default_state_dir)
    """Where the store, caches and cloned-voice latents live."""
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"
    site: str = "default"
    """Site name of the local microphone and speaker."""
    name: str = "Nimbus"
    """The assistant's name as people read it: Home Assistant's Wyoming entry and entities, and
    its MQTT devices ("Nimbus", "Nimbus Kitchen")."""

    def __post_init__(self) -> None:
        check_choice("daemon.log_level", self.log_level, ("DEBUG", "INFO", "WARNING", "ERROR"))
        check_choice("daemon.log_format", self.log_format, ("text", "json"))
        if not self.site:
            raise ConfigError("daemon.site: must not be empty")
        if not self.name.strip() or len(self.name) > 64:
            raise ConfigError(f"daemon.name = {self.name!r}: 1-64 characters")


def _default_voices() -> dict[str, VoiceConfig]:
    return {"joe": VoiceConfig()}


@dataclass(frozen=True, slots=True, kw_only=True)
class Config:
    """The whole configuration tree."""

    daemon: DaemonConfig = field(default_factory=DaemonConfig)
    audio: AudioConfig = field(default_factory=AudioConfig)
    vad: VadConfig = field(default_factory=VadConfig)
    asr: AsrConfig = field(default_factory=AsrConfig)
    phrases: PhrasesConfig = field(default_factory=PhrasesConfig)
    arbitration: ArbitrationConfig = field(default_factory=ArbitrationConfig)
    llm: LlmConfig = field(default_factory=LlmConfig)
    tts: TtsConfig = field(default_factory=TtsConfig)
    voices: dict[str, VoiceConfig] = field(default_factory=_default_voices)
    watch: WatchConfig = field(default_factory=WatchConfig)
    ocr: OcrConfig = field(default_factory=OcrConfig)
    store: StoreConfig = field(default_factory=StoreConfig)
    embeddings: EmbeddingsConfig = field(default_factory=EmbeddingsConfig)
    websocket: WebSocketConfig = field(default_factory=WebSocketConfig)
    mqtt: MqttConfig = field(default_factory=MqttConfig)
    wyoming: WyomingConfig = field(default_factory=WyomingConfig)
    intents: IntentsConfig = field(default_factory=IntentsConfig)
    homeassistant: HomeAssistantConfig = field(default_factory=HomeAssistantConfig)

    def __post_init__(self) -> None:
        if self.tts.voice not in self.voices:
            raise ConfigError(
                f"tts.voice = {self.tts.voice!r}: not a configured voice; "
                f"configured: {', '.join(sorted(self.voices)) or '(none)'}"
            )

    @property
    def state_path(self) -> Path:
        return Path(self.daemon.state_dir).expanduser()

    @property
    def model_cache_path(self) -> Path:
        """Models assembled from packages that ship them in parts (``asr.noisy_model``)."""
        return self.state_path / "models"

    @property
    def phrase_templates_path(self) -> Path:
        """The enrolled action-phrase template (``nimbus phrases enroll``)."""
        return self.state_path / "phrase-templates.npz"

    @property
    def store_path(self) -> Path:
        return Path(self.store.path).expanduser() if self.store.path else (
            self.state_path / "nimbus.sqlite3"
        )

    @property
    def voices_path(self) -> Path:
        return Path(self.tts.voices_dir).expanduser() if self.tts.voices_dir else (
            self.state_path / "voices"
        )

    @property
    def notes_path(self) -> Path:
        """The folder of the notes the user asks it to remember (watched like the others)."""
        return self.state_path / "notes"

    @property
    def timers_path(self) -> Path:
        """Timers and alarms, kept across restarts."""
        return self.state_path / "timers.sqlite3"

    @property
    def watch_paths(self) -> tuple[Path, ...]:
        folders = tuple(Path(p).expanduser() for p in self.watch.folders)
        if self.intents.enabled and self.intents.notes:
            return (*folders, self.notes_path)
        return folders
