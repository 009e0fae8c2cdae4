"""Configuration: a tree of frozen dataclasses, loaded from TOML + NIMBUS_* env + CLI overrides.

The loader is the only code that sees raw TOML or environment variables. Unknown keys are errors;
every error names the key and what is allowed.

Precedence (lowest first): built-in defaults, the TOML file, ``NIMBUS_<SECTION>__<KEY>``
environment variables, ``--set section.key=value`` command-line overrides. Values in env/CLI
overrides are parsed as TOML values when they parse (``8765``, ``true``, ``["a", "b"]``), else
taken as plain strings.
"""

from nimbus.daemon.config.checks import ConfigError, default_config_path
from nimbus.daemon.config.documents import (
    EmbeddingsConfig,
    OcrConfig,
    StoreConfig,
    WatchConfig,
)
from nimbus.daemon.config.interfaces import (
    MqttConfig,
    WebSocketConfig,
    WyomingConfig,
    WyomingSatelliteConfig,
)
from nimbus.daemon.config.listening import (
    ArbitrationConfig,
    AsrConfig,
    AudioConfig,
    PhrasesConfig,
    VadConfig,
)
from nimbus.daemon.config.loader import ENV_PREFIX, load_config, to_toml
from nimbus.daemon.config.responding import LlmConfig
from nimbus.daemon.config.speaking import TtsConfig, VoiceConfig
from nimbus.daemon.config.tree import Config, DaemonConfig

__all__ = [
    "ENV_PREFIX",
    "ArbitrationConfig",
    "AsrConfig",
    "AudioConfig",
    "Config",
    "ConfigError",
    "DaemonConfig",
    "EmbeddingsConfig",
    "LlmConfig",
    "MqttConfig",
    "OcrConfig",
    "PhrasesConfig",
    "StoreConfig",
    "TtsConfig",
    "VadConfig",
    "VoiceConfig",
    "WatchConfig",
    "WebSocketConfig",
    "WyomingConfig",
    "WyomingSatelliteConfig",
    "default_config_path",
    "load_config",
    "to_toml",
]
