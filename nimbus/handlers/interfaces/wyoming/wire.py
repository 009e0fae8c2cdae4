"""The Wyoming wire form, read with limits: a JSON header line, then data, then payload.

The ``wyoming`` library's own reader trusts every length a peer sends; a server on a LAN cannot.
:func:`read_event` bounds the header line, ``data_length`` and ``payload_length`` and turns every
malformed frame into a :class:`WireError` with a stable code (the connection is then closed: once
a length is wrong the stream cannot be re-synchronised). Once a frame has begun, every further
read must bring bytes within ``Limits.stall_s``: a peer that stalls mid-frame is a ``stalled``
:class:`WireError`, never a connection held open forever. Writing uses the library's own writer.
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
    stall_s: float | None = None
    """Longest silence in the middle of a frame (None: wait forever); between frames a peer
    may be as quiet as it likes."""

_PIECE = 65_536
"""A payload is read in pieces of this size, each within ``stall_s``."""


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
        first = await reader.readexactly(1)  # between frames: no time limit
    except asyncio.IncompleteReadError:
        return None
    try:
        async with asyncio.timeout(limits.stall_s):
            line = first + (b"" if first == b"\n" else await reader.readuntil(b"\n"))
    except asyncio.IncompleteReadError as exc:
        if not (first + exc.partial).strip():
            return None
        raise
    except TimeoutError:
        raise WireError("stalled", f"nothing received for {limits.stall_s:g} s in the middle "
                        "of a header line") from None
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
        raw = await _read(reader, data_length, limits, "data block")
        try:
            extra = json.loads(raw)
        except (UnicodeDecodeError, ValueError) as exc:
            raise WireError("bad_json", f"data block is not JSON: {exc}") from None
        if not isinstance(extra, dict):
            raise WireError("bad_header", "data block is not a JSON object")
        data = {**data, **extra}
    payload = await _read(reader, payload_length, limits, "payload") if payload_length else None
    return Event(type=kind, data=data, payload=payload)


async def _read(reader: asyncio.StreamReader, size: int, limits: Limits, what: str) -> bytes:
    """``size`` bytes, each piece of at most _PIECE bytes arriving within ``limits.stall_s``."""
    parts: list[bytes] = []
    left = size
    while left:
        try:
            async with asyncio.timeout(limits.stall_s):
                part = await reader.readexactly(min(left, _PIECE))
        except TimeoutError:
            raise WireError("stalled", f"nothing received for {limits.stall_s:g} s in the "
                            f"middle of a {what} ({size - left} of {size} bytes came)") from None
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


async def write_event(event: Event, writer: asyncio.StreamWriter) -> None:
    await async_write_event(event, writer)
