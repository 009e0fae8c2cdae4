"""Sans-I/O core of WebSocket protocol v1: parse client messages, build replies, pace and queue.

Nothing here touches a socket or a clock: time is passed in, so every rule (handshake,
subscriptions, rate limits, the slow-client queue policy, ingest path checks) is tested
synchronously. ``ws_server`` is the thin async shell around it.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import os
import re
from collections import OrderedDict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Final

from nimbus import __version__
from nimbus.daemon import codec
from nimbus.daemon.events import (
    Ask,
    AudioChunk,
    AudioEvent,
    Error,
    Event,
    EventType,
    Ingest,
    Say,
    Search,
    Status,
    Stop,
)

__all__ = [
    "CLIENT_COMMANDS",
    "PROTOCOL_VERSION",
    "EventFilter",
    "Hello",
    "OutQueue",
    "ProtocolError",
    "Push",
    "RateLimiter",
    "RecentIds",
    "SubscribeRequest",
    "check_ingest_paths",
    "encode_event",
    "error_event",
    "is_loopback",
    "parse_binary",
    "parse_hello",
    "parse_text",
    "subscribed_message",
    "valid_site",
    "welcome_message",
]

PROTOCOL_VERSION: Final = 1

CLIENT_COMMANDS: Final[Mapping[str, type[Event]]] = {
    "cmd.ask": Ask,
    "cmd.say": Say,
    "stop": Stop,
    "cmd.ingest": Ingest,
    "cmd.search": Search,
    "cmd.status": Status,
}
"""Events a client may send as JSON text frames, by wire name."""

_ALIASES: Final = {"ask": "cmd.ask", "say": "cmd.say", "ingest": "cmd.ingest",
                   "search": "cmd.search", "status": "cmd.status"}
"""Short names accepted for hand-written clients (``{"type": "ask", ...}``)."""

_SITE_RE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_MAX_ID: Final = 128
_WIRE_NAMES: Final = frozenset(t.value for t in EventType)

# Close codes (RFC 6455 + application range 4000-4999).
CLOSE_POLICY: Final = 1008
"""Bad or missing token, or no hello in time: nothing else is said."""
CLOSE_PROTOCOL: Final = 1002
"""Unsupported protocol version."""
CLOSE_SLOW: Final = 4001
"""The client fell too far behind reading its events."""
CLOSE_FULL: Final = 1013
"""Too many clients (try again later)."""


class ProtocolError(Exception):
    """A client message broke the protocol. ``code`` is stable; ``fatal`` closes the connection."""

    def __init__(self, code: str, message: str, *, cause: str | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.cause = cause


def valid_site(site: str) -> bool:
    """Site names: 1-64 of letters, digits, ``_ . -``, starting with a letter or digit."""
    return bool(_SITE_RE.fullmatch(site))


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (``localhost``, 127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# --- parsing client messages -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hello:
    """The first message of every connection."""

    protocol: int
    token: str
    site: str | None
    area: str = ""
    """Where a satellite stands (e.g. "Kitchen"): Home Assistant's suggested_area for its site."""


@dataclass(frozen=True, slots=True)
class SubscribeRequest:
    """Replace this client's subscription: event wire names (None = all) and sites (None = all)."""

    events: frozenset[str] | None
    sites: frozenset[str] | None


def _load(text: str) -> dict[str, Any]:
    if len(text) > codec.MAX_HEADER_BYTES:
        raise ProtocolError("too_large", f"text messages are limited to {codec.MAX_HEADER_BYTES}"
                            " bytes; audio goes in binary frames")
    try:
        data = json.loads(text)
    except RecursionError:
        raise ProtocolError("too_deep", "JSON nests too deeply") from None
    except json.JSONDecodeError as exc:
        raise ProtocolError("bad_json", f"not valid JSON: {exc.msg} at char {exc.pos}") from None
    if not isinstance(data, dict):
        raise ProtocolError("bad_message", f"a message must be a JSON object, got "
                            f"{type(data).__name__}")
    return data


def _names(value: Any, field: str, allowed: frozenset[str] | None) -> frozenset[str] | None:
    if value is None or value == "*":
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProtocolError("bad_field", f'subscribe.{field}: expected a list of strings or "*"')
    if len(value) > 256:
        raise ProtocolError("bad_field", f"subscribe.{field}: at most 256 entries")
    if "*" in value:
        return None
    if allowed is not None:
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise ProtocolError("unknown_type", f"subscribe.events: unknown event type(s) "
                                f"{', '.join(unknown)}")
    elif not all(valid_site(v) for v in value):
        raise ProtocolError("bad_field", "subscribe.sites: names are 1-64 of A-Z a-z 0-9 _ . -")
    return frozenset(value)


def parse_hello(text: str | bytes) -> Hello:
    """Parse the first message; anything but a well-formed hello raises ProtocolError."""
    if isinstance(text, bytes):
        raise ProtocolError("expected_hello", "the first message must be a JSON hello")
    data = _load(text)
    if data.get("type") != "hello":
        raise ProtocolError("expected_hello", "the first message must be a JSON hello")
    protocol = data.get("protocol")
    token = data.get("token", "")
    site = data.get("site")
    if isinstance(protocol, bool) or not isinstance(protocol, int):
        raise ProtocolError("bad_field", "hello.protocol: expected an integer")
    if not isinstance(token, str):
        raise ProtocolError("bad_field", "hello.token: expected a string")
    if site is not None and (not isinstance(site, str) or not valid_site(site)):
        raise ProtocolError("bad_field", "hello.site: 1-64 of A-Z a-z 0-9 _ . - (or omit it)")
    area = data.get("area", "")
    if not isinstance(area, str) or len(area) > 64 or not area.isprintable():
        raise ProtocolError("bad_field", "hello.area: a printable string of at most 64 "
                                         "characters (or omit it)")
    return Hello(protocol=protocol, token=token, site=site, area=area.strip())


def parse_text(text: str, *, site: str, now: float) -> SubscribeRequest | Event:
    """Parse a text message after the handshake: a subscribe request or a client command.

    Commands are the codec's JSON header form (``{"type": "cmd.ask", "text": ...}``). A missing
    ``site`` means the client's own site; ``time`` is always the server's clock.
    """
    data = _load(text)
    kind = data.get("type")
    if not isinstance(kind, str):
        raise ProtocolError("missing_type", 'message has no string "type" field')
    if kind == "subscribe":
        extra = sorted(set(data) - {"type", "events", "sites"})
        if extra:
            raise ProtocolError("unknown_field", f"subscribe: unknown field(s) {', '.join(extra)}")
        return SubscribeRequest(
            events=_names(data.get("events"), "events", _WIRE_NAMES),
            sites=_names(data.get("sites"), "sites", None),
        )
    if kind == "hello":
        raise ProtocolError("already_welcomed", "hello was already accepted on this connection")
    kind = _ALIASES.get(kind, kind)
    cause = data.get("id") if isinstance(data.get("id"), str) else None
    if kind not in CLIENT_COMMANDS:
        if kind in _WIRE_NAMES:
            raise ProtocolError("not_allowed", f"clients may not send {kind!r}; commands: "
                                f"{', '.join(sorted(CLIENT_COMMANDS))}", cause=cause)
        raise ProtocolError("unknown_type", f"unknown message type {kind!r}; commands: "
                            f"{', '.join(sorted(CLIENT_COMMANDS))}, subscribe", cause=cause)
    event_id = data.get("id")
    if event_id is not None and (not isinstance(event_id, str) or not 0 < len(event_id) <= _MAX_ID):
        raise ProtocolError("bad_field", f"{kind}.id: a string of 1-{_MAX_ID} characters")
    conversation = data.get("conversation")
    if conversation is not None and (not isinstance(conversation, str)
                                     or len(conversation) > _MAX_ID):
        raise ProtocolError("bad_field", f"{kind}.conversation: a string of at most {_MAX_ID} "
                            "characters", cause=cause)
    header = {**data, "type": kind, "time": now}
    if header.get("site") is None:
        header["site"] = site
    elif not isinstance(header["site"], str) or not valid_site(header["site"]):
        raise ProtocolError("bad_field", f"{kind}.site: 1-64 of A-Z a-z 0-9 _ . -", cause=cause)
    try:
        return codec.decode(header)
    except codec.CodecError as exc:
        raise ProtocolError(exc.code, exc.message, cause=cause) from None


def parse_binary(frame: bytes, *, site: str, now: float) -> AudioChunk:
    """A binary frame from a client: one ``audio.chunk`` in the codec's frame form.

    The chunk always belongs to the client's own site and gets the server's clock.
    """
    try:
        event = codec.decode_frame(frame)
    except codec.CodecError as exc:
        raise ProtocolError(exc.code, exc.message) from None
    if not isinstance(event, AudioChunk):
        raise ProtocolError("binary_not_audio", f"binary frames carry audio.chunk only, got "
                            f"{event.type.value}; send commands as JSON text")
    if not event.audio:
        raise ProtocolError("empty_audio", "audio.chunk without PCM payload")
    if event.width not in (2, 4):
        raise ProtocolError("bad_audio_format", f"audio.chunk with {event.width}-byte samples: "
                            "send 16- or 32-bit little-endian PCM (16 kHz mono s16le is best)")
    return dataclasses.replace(event, site=site, time=now)


def check_ingest_paths(paths: Sequence[str], watched: Sequence[Path]) -> list[str]:
    """Resolved paths if every one lies inside a watched folder; else ProtocolError.

    Paths must be absolute; symlinks and ``..`` are resolved before the check, so
    ``/watched/../../etc/passwd`` is refused like ``../../etc/passwd``.
    """
    if not paths:
        raise ProtocolError("bad_field", "cmd.ingest.paths: give at least one path")
    roots = [Path(os.path.realpath(p)) for p in watched]
    resolved: list[str] = []
    for raw in paths:
        if not os.path.isabs(raw):
            raise ProtocolError("path_not_watched", f"{raw!r}: give an absolute path inside a "
                                "watched folder")
        real = Path(os.path.realpath(raw))
        if not any(real == root or real.is_relative_to(root) for root in roots):
            raise ProtocolError("path_not_watched", f"{raw!r} is not inside a watched folder")
        resolved.append(str(real))
    return resolved


# --- replies ---------------------------------------------------------------------------------


def welcome_message(
    *, site: str, sites: Iterable[str], limits: Mapping[str, float | int]
) -> str:
    """The reply to a good hello: version, capabilities, sites and audio formats."""
    return json.dumps({
        "type": "welcome",
        "protocol": PROTOCOL_VERSION,
        "server": f"nimbus/{__version__}",
        "site": site,
        "sites": sorted(set(sites)),
        "capabilities": ["events", "commands", "audio.in", "audio.out"],
        "commands": sorted(CLIENT_COMMANDS),
        "events": sorted(_WIRE_NAMES),
        "audio": {
            "in": {"type": "audio.chunk", "rate": 16000, "width": 2, "channels": 1,
                   "encoding": "s16le"},
            "out": {"type": "audio.out", "encoding": "s16le",
                    "note": "rate/width/channels in every frame header"},
            "frame": "4-byte big-endian header length + UTF-8 JSON header + PCM",
        },
        "limits": dict(limits),
    }, separators=(",", ":"))


def subscribed_message(request: SubscribeRequest) -> str:
    return json.dumps({
        "type": "subscribed",
        "events": sorted(request.events) if request.events is not None else "*",
        "sites": sorted(request.sites) if request.sites is not None else "*",
    }, separators=(",", ":"))


def error_event(error: ProtocolError, *, site: str) -> Error:
    return Error(site=site, code=error.code, message=error.message, stage="websocket",
                 cause=error.cause)


# --- per-client state ------------------------------------------------------------------------


class RecentIds:
    """A bounded set of recent event ids (oldest forgotten first)."""

    def __init__(self, maxsize: int = 512) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._maxsize = maxsize

    def add(self, event_id: str) -> None:
        self._ids[event_id] = None
        self._ids.move_to_end(event_id)
        while len(self._ids) > self._maxsize:
            self._ids.popitem(last=False)

    def __contains__(self, event_id: object) -> bool:
        return event_id in self._ids


class EventFilter:
    """Which events one client gets: its subscription, plus direct replies to its own commands."""

    def __init__(self) -> None:
        self.events: frozenset[str] | None = frozenset()
        self.sites: frozenset[str] | None = None
        self.commands = RecentIds()
        """Ids of commands this client sent; events caused by them are always delivered."""
        self.direct = RecentIds()
        """Ids of events already sent straight to this client (not again via the bus)."""

    def update(self, request: SubscribeRequest) -> None:
        self.events = request.events
        self.sites = request.sites

    def wants(self, event: Event) -> bool:
        if event.id in self.direct:
            return False
        if event.cause is not None and event.cause in self.commands:
            return True
        if self.events is not None and event.type.value not in self.events:
            return False
        return self.sites is None or event.site in self.sites


class RateLimiter:
    """Token bucket: ``rate`` per second, bursts up to ``burst``. Clock-free (pass ``now``)."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate = rate
        self.burst = burst
        self._tokens = burst
        self._last: float | None = None
        self.rejected = 0

    def allow(self, now: float, cost: float = 1.0) -> bool:
        if self._last is not None:
            self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
        self._last = now
        if self._tokens >= cost:
            self._tokens -= cost
            return True
        self.rejected += 1
        return False


class Push(Enum):
    QUEUED = "queued"
    DROPPED_AUDIO = "dropped_audio"
    """Queued after dropping the oldest audio frame, or the new audio frame itself was dropped."""
    OVERFLOW = "overflow"
    """Full of non-audio messages: the client is too far behind and must be disconnected."""


class OutQueue:
    """One client's outgoing messages, bounded in count and bytes.

    Overflow policy: audio frames go first (the oldest queued audio frame is dropped to make
    room; an incoming audio frame is dropped when no queued audio is left); when only events
    remain and the queue is still full, the client is too far behind: :attr:`Push.OVERFLOW`.
    """

    def __init__(self, maxsize: int, max_bytes: int) -> None:
        self.maxsize = maxsize
        self.max_bytes = max_bytes
        self._items: deque[tuple[str | bytes, bool]] = deque()
        self.bytes = 0
        self.dropped_audio = 0

    def __len__(self) -> int:
        return len(self._items)

    def _full(self, extra: int) -> bool:
        return len(self._items) >= self.maxsize or self.bytes + extra > self.max_bytes

    def _drop_oldest_audio(self) -> bool:
        for i, (item, audio) in enumerate(self._items):
            if audio:
                del self._items[i]
                self.bytes -= len(item)
                self.dropped_audio += 1
                return True
        return False

    def push(self, item: str | bytes, *, audio: bool) -> Push:
        size = len(item)
        result = Push.QUEUED
        while self._full(size):
            if not self._drop_oldest_audio():
                if audio:
                    self.dropped_audio += 1
                    return Push.DROPPED_AUDIO
                return Push.OVERFLOW
            result = Push.DROPPED_AUDIO
        self._items.append((item, audio))
        self.bytes += size
        return result

    def pop(self) -> str | bytes | None:
        if not self._items:
            return None
        item, _ = self._items.popleft()
        self.bytes -= len(item)
        return item


def encode_event(event: Event) -> str | bytes:
    """The frame for an event: binary (codec frame) for audio, JSON text for the rest."""
    return codec.encode_frame(event) if isinstance(event, AudioEvent) else codec.encode_json(event)
