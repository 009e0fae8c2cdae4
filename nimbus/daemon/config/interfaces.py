"""Interface sections: WebSocket and MQTT."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from nimbus.daemon.config.checks import (
    ConfigError,
    check_range,
    is_loopback,
)

__all__ = ["MqttConfig", "WebSocketConfig", "WyomingConfig", "WyomingSatelliteConfig"]

_SITE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


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
    max_audio_speed: float = 4.0
    """Seconds of audio a client may send per second (times real time) once it has used its
    ``audio_burst_s``; faster audio is dropped (``rate_limited``) so one room cannot flood the
    VAD that every room shares."""
    audio_burst_s: float = 30.0
    """Audio a client may send at once (a recorded utterance, push-to-talk)."""
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
        check_range("websocket.max_audio_speed", self.max_audio_speed, 1.0, 1000)
        check_range("websocket.audio_burst_s", self.audio_burst_s, 1.0, 3600)
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
    """Empty = this install's own, ``nimbus-<daemon.site>-<random>`` (made once, kept in
    ``<state_dir>/mqtt-client-id``)."""
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
    areas: tuple[str, ...] = ()
    """``"site=Area"`` pairs: Home Assistant's suggested_area for those sites' devices (a
    satellite's own ``--area`` overrides it when it connects)."""

    def area_of(self) -> dict[str, str]:
        """``areas`` as a mapping of site to area."""
        return dict(pair.split("=", 1) for pair in self.areas)

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
        for pair in self.areas:
            site, _, area = pair.partition("=")
            if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", site.strip()) or not area.strip() \
                    or len(area) > 64:
                raise ConfigError(f"mqtt.areas: {pair!r} must be \"site=Area\" (e.g. "
                                  "\"kitchen=Kitchen\", an area of at most 64 characters)")


@dataclass(frozen=True, slots=True, kw_only=True)
class WyomingSatelliteConfig:
    """[[wyoming.satellites]] a Wyoming satellite (wyoming-satellite) Nimbus drives as a site."""

    uri: str = ""
    """tcp://HOST:PORT of the satellite (wyoming-satellite listens on 10700 by convention)."""
    site: str = ""
    """The site its audio and answers belong to."""
    area: str = ""
    """Where it stands (shown in status; Home Assistant areas)."""

    def __post_init__(self) -> None:
        if not self.uri.startswith("tcp://") or ":" not in self.uri.removeprefix("tcp://"):
            raise ConfigError(f"wyoming.satellites.uri = {self.uri!r}: expected tcp://HOST:PORT")
        if not _SITE.match(self.site):
            raise ConfigError(
                f"wyoming.satellites.site = {self.site!r}: 1-64 of A-Z a-z 0-9 _ . -")


@dataclass(frozen=True, slots=True, kw_only=True)
class WyomingConfig:
    """[wyoming] the Wyoming protocol server (Home Assistant) and the satellites Nimbus drives."""

    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = 10800
    """0 = a random port (written to <state_dir>/wyoming.json)."""
    zeroconf: bool = True
    """Announce ``_wyoming._tcp`` over mDNS so Home Assistant discovers the server."""
    zeroconf_name: str = ""
    """Service instance name; empty = nimbus-<daemon.site>."""
    zeroconf_address: str = ""
    """Address announced; empty = the host when bound to one, else the outgoing LAN address."""
    allow_from: tuple[str, ...] = ()
    """Peers (addresses or networks, e.g. 192.168.1.0/24) allowed beyond loopback. Required when
    host is not loopback: Wyoming has no authentication."""
    max_header_bytes: int = 65_536
    """Longest JSON header line (and `data_length`) a peer may send."""
    max_payload_bytes: int = 1_048_576
    """Largest `payload_length` (one audio chunk) a peer may send."""
    max_audio_s: float = 60.0
    """Longest audio one `transcribe` may send."""
    idle_timeout_s: float = 30.0
    """A peer silent this long in the middle of a request or of a frame is dropped (error
    event `wyoming_stalled`)."""
    answer_timeout_s: float = 300.0
    """How long a request waits for Nimbus's transcript, speech or answer."""
    conversation_by_peer: bool = True
    """A conversation request without a ``conversation_id`` continues its peer's conversation
    (one per peer address, forgotten after ``llm.conversation_idle_s``): Home Assistant 2025.1
    opens a new connection per request and its wyoming 1.5.4 drops the id from the wire."""
    satellites: tuple[WyomingSatelliteConfig, ...] = ()
    reconnect_max_s: float = 30.0
    """Ceiling of the full-jitter backoff between attempts to reach a satellite."""
    satellite_ping_s: float = 10.0
    """Ping interval; a satellite that answered a pong and then misses three is reconnected."""

    def __post_init__(self) -> None:
        check_range("wyoming.port", self.port, 0, 65535)
        check_range("wyoming.max_header_bytes", self.max_header_bytes, 1024, 1 << 24)
        check_range("wyoming.max_payload_bytes", self.max_payload_bytes, 1024, 1 << 28)
        check_range("wyoming.max_audio_s", self.max_audio_s, 1, 3600)
        check_range("wyoming.idle_timeout_s", self.idle_timeout_s, 0.1, 3600)
        check_range("wyoming.answer_timeout_s", self.answer_timeout_s, 1, 3600)
        check_range("wyoming.reconnect_max_s", self.reconnect_max_s, 0.1, 3600)
        check_range("wyoming.satellite_ping_s", self.satellite_ping_s, 0.05, 3600)
        for entry in self.allow_from:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ConfigError(
                    f"wyoming.allow_from: {entry!r} is not an address or network") from None
        if self.enabled and not self.allow_from and not is_loopback(self.host):
            raise ConfigError(
                f"wyoming.host = {self.host!r} is reachable from other machines and Wyoming has "
                "no authentication: set wyoming.allow_from (e.g. [\"192.168.1.10\"] for Home "
                "Assistant) or bind to 127.0.0.1"
            )
        sites = [s.site for s in self.satellites]
        if len(set(sites)) != len(sites):
            raise ConfigError(f"wyoming.satellites: site names must be unique, got {sites}")
