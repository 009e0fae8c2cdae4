"""Interface sections: WebSocket and MQTT."""

from __future__ import annotations

from dataclasses import dataclass

from nimbus.daemon.config.checks import (
    ConfigError,
    check_range,
    is_loopback,
)

__all__ = ["MqttConfig", "WebSocketConfig"]


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
        check_range("websocket.port", self.port, 0, 65535)
        check_range("websocket.max_clients", self.max_clients, 1, 10_000)
        check_range("websocket.max_message_bytes", self.max_message_bytes, 1024, 1 << 30)
        check_range("websocket.client_queue", self.client_queue, 8, 1_000_000)
        check_range("websocket.client_queue_bytes", self.client_queue_bytes, 65536, 1 << 31)
        check_range("websocket.commands_per_second", self.commands_per_second, 0.1, 100_000)
        check_range("websocket.audio_frames_per_second", self.audio_frames_per_second, 1, 100_000)
        check_range("websocket.hello_timeout_s", self.hello_timeout_s, 0.1, 600)
        if self.enabled and not self.token and not is_loopback(self.host):
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
        check_range("mqtt.port", self.port, 1, 65535)
        check_range("mqtt.reconnect_max_s", self.reconnect_max_s, 0.1, 3600)
        check_range("mqtt.keepalive_s", self.keepalive_s, 5, 3600)
        if bool(self.cert_file) != bool(self.key_file):
            raise ConfigError("mqtt.cert_file and mqtt.key_file: give both or neither")
        if self.username == "" and self.password:
            raise ConfigError("mqtt.password is set but mqtt.username is empty")
        if not self.prefix or "#" in self.prefix or "+" in self.prefix:
            raise ConfigError(f"mqtt.prefix = {self.prefix!r}: must be non-empty, no # or +")
