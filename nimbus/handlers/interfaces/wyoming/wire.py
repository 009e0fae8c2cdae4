"""The Wyoming wire form, read with limits: a JSON header line, then data, then payload.

The ``wyoming`` library's own reader trusts every length a peer sends; a server on a LAN cannot.
:func:`read_event` bounds the header line, ``data_length`` and ``payload_length`` and turns every
malformed frame into a :class:`WireError` with a stable code (the connection is then closed: once
a length is wrong the stream cannot be re-synchronised). Writing uses the library's own writer.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any, Final

from wyoming.event import Event, async_write_event

__all__ = ["Limits", "WireError", "read_event", "write_event"]

_TYPE_CHARS: Final = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_.")


class WireError(Exception):
    """A frame that breaks the protocol; ``code`` is stable, the message says what was wrong."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Limits:
    header_bytes: int = 65_536
    """Longest header line and largest ``data_length``."""
    payload_bytes: int = 1_048_576


def _length(header: dict[str, Any], key: str, limit: int) -> int:
    value = header.get(key)
    if value is None:
        return 0
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise WireError("bad_header", f"{key} = {value!r}: expected a non-negative integer")
    if value > limit:
        raise WireError("too_large", f"{key} = {value} is over the limit of {limit} bytes")
    return value


def parse_header(line: bytes, limits: Limits) -> tuple[str, dict[str, Any], int, int]:
    """(type, inline data, data_length, payload_length) of one header line."""
    try:
        header = json.loads(line)
    except (UnicodeDecodeError, ValueError) as exc:
        raise WireError("bad_json", f"header line is not JSON: {exc}") from None
    if not isinstance(header, dict):
        raise WireError("bad_header", f"header is a JSON {type(header).__name__}, not an object")
    kind = header.get("type")
    if not isinstance(kind, str) or not kind or not set(kind) <= _TYPE_CHARS or len(kind) > 64:
        raise WireError("bad_header", f"type = {kind!r}: expected a short lower-case name")
    data = header.get("data") or {}
    if not isinstance(data, dict):
        raise WireError("bad_header", f"data is a JSON {type(data).__name__}, not an object")
    return (kind, data, _length(header, "data_length", limits.header_bytes),
            _length(header, "payload_length", limits.payload_bytes))


async def read_event(reader: asyncio.StreamReader, limits: Limits) -> Event | None:
    """The next event, or None at a clean end of stream (between events).

    Raises :class:`WireError` for a malformed or oversized frame, ``asyncio.IncompleteReadError``
    when the peer disconnects in the middle of one.
    """
    try:
        line = await reader.readuntil(b"\n")
    except asyncio.IncompleteReadError as exc:
        if not exc.partial.strip():
            return None
        raise
    except asyncio.LimitOverrunError:
        raise WireError("too_large", "header line is longer than the reader's limit "
                        f"({limits.header_bytes} bytes)") from None
    if len(line) > limits.header_bytes:
        raise WireError("too_large", f"header line of {len(line)} bytes is over the limit of "
                        f"{limits.header_bytes}")
    if not line.strip():
        raise WireError("bad_header", "empty header line")
    kind, data, data_length, payload_length = parse_header(line, limits)
    if data_length:
        raw = await reader.readexactly(data_length)
        try:
            extra = json.loads(raw)
        except (UnicodeDecodeError, ValueError) as exc:
            raise WireError("bad_json", f"data block is not JSON: {exc}") from None
        if not isinstance(extra, dict):
            raise WireError("bad_header", "data block is not a JSON object")
        data = {**data, **extra}
    payload = await reader.readexactly(payload_length) if payload_length else None
    return Event(type=kind, data=data, payload=payload)


async def write_event(event: Event, writer: asyncio.StreamWriter) -> None:
    await async_write_event(event, writer)
