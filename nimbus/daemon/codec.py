"""Sans-I/O wire codec: event <-> JSON header + optional binary PCM payload.

One wire form for every transport:

* a JSON *header*: ``{"type": "<wire name>", "site": ..., "id": ..., "time": ..., "cause": ...,
  <event fields>}``; for audio events the PCM is not in the header, which instead carries
  ``"bytes": <payload length>``;
* a *binary frame* (WebSocket binary message, MQTT payload, file): 4-byte big-endian header
  length, the UTF-8 header, then the raw PCM payload.

Malformed input raises :class:`CodecError` with a stable ``code`` and a message that says what
was wrong; the codec never returns None and never raises anything else.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import math
import struct
import types
import typing
from collections.abc import Mapping
from functools import cache
from typing import Any, Final

from nimbus.daemon.events import ALL_EVENTS, AudioChunk, AudioEvent, Event, EventType

__all__ = [
    "MAX_CHANNELS",
    "MAX_HEADER_BYTES",
    "MAX_RATE",
    "MIN_RATE",
    "CodecError",
    "decode",
    "decode_frame",
    "decode_json",
    "encode",
    "encode_frame",
    "encode_json",
    "event_class",
]

MAX_HEADER_BYTES: Final = 64 * 1024
"""Largest JSON header accepted; audio goes in the payload, so headers stay small."""

_MAX_DEPTH: Final = 8
MIN_RATE: Final = 4000
MAX_RATE: Final = 384_000
"""Audio rates a frame may declare: a nonsense rate (1 Hz) would make the resampler turn a
small chunk into minutes of audio."""
MAX_CHANNELS: Final = 32
_LENGTH = struct.Struct(">I")
_BY_TYPE: Final[dict[str, type[Event]]] = {cls.type.value: cls for cls in ALL_EVENTS}
_BASE_FIELDS: Final = frozenset({"site", "id", "time", "cause"})


class CodecError(ValueError):
    """Malformed wire data. ``code`` is stable for clients; ``message`` is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def event_class(wire_name: str) -> type[Event]:
    """The event class for a wire name, or CodecError(unknown_type)."""
    try:
        return _BY_TYPE[wire_name]
    except KeyError:
        known = ", ".join(sorted(_BY_TYPE))
        raise CodecError(
            "unknown_type", f"unknown event type {wire_name!r}; known: {known}"
        ) from None


# --- encode ----------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def encode(event: Event) -> tuple[dict[str, Any], bytes | None]:
    """Split an event into its JSON-able header and its binary payload (audio events only)."""
    header: dict[str, Any] = {"type": event.type.value}
    payload: bytes | None = None
    for f in dataclasses.fields(event):
        value = getattr(event, f.name)
        if f.name == "audio" and isinstance(event, AudioEvent):
            payload = bytes(value)
            header["bytes"] = len(payload)
            continue
        header[f.name] = _plain(value)
    return header, payload


def encode_json(event: Event) -> str:
    """The header as compact JSON text. Audio events need :func:`encode_frame` instead."""
    header, payload = encode(event)
    if payload is not None:
        raise CodecError("binary_payload", f"{event.type} carries audio; use encode_frame")
    return json.dumps(header, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def encode_frame(event: Event) -> bytes:
    """One binary frame: 4-byte big-endian header length, UTF-8 JSON header, PCM payload."""
    header, payload = encode(event)
    raw = json.dumps(header, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()
    return _LENGTH.pack(len(raw)) + raw + (payload or b"")


# --- decode ----------------------------------------------------------------------------------


@cache
def _hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _depth(value: Any, level: int = 0) -> int:
    if level > _MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


def _convert(value: Any, hint: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is Any:
        return value
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _convert(value, arg, where)
            except CodecError as exc:
                errors.append(exc.message)
        raise CodecError("bad_field", "; ".join(errors) or f"{where}: bad value")
    if origin is tuple:
        if not isinstance(value, list):
            raise CodecError("bad_field", f"{where}: expected a list, got {_kind(value)}")
        return tuple(_convert(v, args[0], f"{where}[{i}]") for i, v in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise CodecError("bad_field", f"{where}: expected an object, got {_kind(value)}")
        return {str(k): _convert(v, args[1], f"{where}.{k}") for k, v in value.items()}
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        try:
            return hint(value)
        except ValueError:
            allowed = ", ".join(str(m.value) for m in hint)
            raise CodecError(
                "bad_field", f"{where}: {value!r} is not one of {allowed}"
            ) from None
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise CodecError("bad_field", f"{where}: expected an object, got {_kind(value)}")
        return _build(hint, value, where)
    if hint is bool:
        if not isinstance(value, bool):
            raise CodecError("bad_field", f"{where}: expected true/false, got {_kind(value)}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise CodecError("bad_field", f"{where}: expected an integer, got {_kind(value)}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise CodecError("bad_field", f"{where}: expected a number, got {_kind(value)}")
        if not math.isfinite(value):
            raise CodecError("bad_field", f"{where}: expected a finite number")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise CodecError("bad_field", f"{where}: expected a string, got {_kind(value)}")
        return value
    if hint is bytes:
        raise CodecError("bad_field", f"{where}: binary data travels in the frame payload")
    raise CodecError("bad_field", f"{where}: unsupported field type {hint!r}")


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _build(cls: Any, data: Mapping[str, Any], where: str) -> Any:
    hints = _hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - names)
    if unknown:
        raise CodecError(
            "unknown_field",
            f"{where}: unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(names))}",
        )
    kwargs: dict[str, Any] = {}
    for name, value in data.items():
        if name in _BASE_FIELDS and value is None and name != "cause":
            continue  # absent id/time/site: the constructor fills in defaults
        kwargs[name] = _convert(value, hints[name], f"{where}.{name}")
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise CodecError("bad_field", f"{where}: {exc}") from None


def decode(header: Mapping[str, Any], payload: bytes | None = None) -> Event:
    """Rebuild an event from a parsed header and optional PCM payload."""
    if not isinstance(header, Mapping):
        raise CodecError("bad_header", f"header must be a JSON object, got {_kind(header)}")
    if _depth(dict(header)) > _MAX_DEPTH:
        raise CodecError("too_deep", f"header nests deeper than {_MAX_DEPTH} levels")
    wire_name = header.get("type")
    if not isinstance(wire_name, str):
        raise CodecError("missing_type", 'header has no string "type" field')
    cls = event_class(wire_name)
    data = {k: v for k, v in header.items() if k not in ("type", "bytes")}
    if issubclass(cls, AudioEvent):
        declared = header.get("bytes")
        audio = payload or b""
        if declared is not None and declared != len(audio):
            raise CodecError(
                "bad_payload", f"header says {declared!r} audio bytes, payload has {len(audio)}"
            )
        event = _build(cls, data, wire_name)
        width = event.width * event.channels
        if (not MIN_RATE <= event.rate <= MAX_RATE or event.width not in (1, 2, 3, 4)
                or not 0 < event.channels <= MAX_CHANNELS):
            raise CodecError(
                "bad_audio_format",
                f"rate must be {MIN_RATE}-{MAX_RATE} Hz, width 1-4, channels 1-{MAX_CHANNELS} "
                f"(got {event.rate}/{event.width}/{event.channels})",
            )
        # Input audio may be cut anywhere (any byte boundary): the receiving stream carries a
        # partial frame to its next piece. Audio Nimbus sends out is always whole frames.
        if len(audio) % width and not isinstance(event, AudioChunk):
            raise CodecError(
                "bad_payload",
                f"{len(audio)} audio bytes is not a whole number of {width}-byte frames",
            )
        with_audio: Event = dataclasses.replace(event, audio=audio)
        return with_audio
    if payload:
        raise CodecError("unexpected_payload", f"{wire_name} carries no binary payload")
    built: Event = _build(cls, data, wire_name)
    return built


def decode_json(text: str | bytes) -> Event:
    """Decode a JSON text header (no payload)."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CodecError("bad_utf8", f"header is not valid UTF-8 ({exc.reason})") from None
    if len(text) > MAX_HEADER_BYTES:
        raise CodecError("too_large", f"header exceeds {MAX_HEADER_BYTES} bytes")
    try:
        header = json.loads(text)
    except RecursionError:
        raise CodecError("too_deep", "JSON nests too deeply") from None
    except json.JSONDecodeError as exc:
        raise CodecError("bad_json", f"not valid JSON: {exc.msg} at char {exc.pos}") from None
    return decode(header)


def decode_frame(frame: bytes) -> Event:
    """Decode one binary frame produced by :func:`encode_frame`."""
    if len(frame) < _LENGTH.size:
        raise CodecError("short_frame", f"frame of {len(frame)} bytes has no header length")
    (length,) = _LENGTH.unpack_from(frame)
    if length > MAX_HEADER_BYTES:
        raise CodecError("too_large", f"header length {length} exceeds {MAX_HEADER_BYTES}")
    end = _LENGTH.size + length
    if len(frame) < end:
        raise CodecError("short_frame", f"frame ends inside its {length}-byte header")
    try:
        text = frame[_LENGTH.size : end].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CodecError("bad_utf8", f"header is not valid UTF-8 ({exc.reason})") from None
    try:
        header = json.loads(text)
    except RecursionError:
        raise CodecError("too_deep", "JSON nests too deeply") from None
    except json.JSONDecodeError as exc:
        raise CodecError("bad_json", f"not valid JSON: {exc.msg} at char {exc.pos}") from None
    return decode(header, frame[end:])


def wire_names() -> list[EventType]:
    """Every wire name, in catalogue order."""
    return [cls.type for cls in ALL_EVENTS]
