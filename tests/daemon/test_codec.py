"""Every event round-trips through the codec; malformed input gives typed errors."""

from __future__ import annotations

import dataclasses
import json
import struct
import typing
from pathlib import Path
from typing import Any

import pytest

from nimbus.daemon import codec, events
from nimbus.daemon.catalogue import BEGIN, END, catalogue_markdown
from nimbus.daemon.codec import CodecError
from nimbus.daemon.events import ALL_EVENTS, AudioChunk, AudioEvent, Event, EventType


def _sample(hint: Any, name: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, __import__("types").UnionType):
        return _sample(next(a for a in args if a is not type(None)), name)
    if origin is tuple:
        return (_sample(args[0], name), _sample(args[0], name))
    if origin is dict:
        if args[1] is float:
            return {"first_token": 0.25, "total": 1.5}
        return {"name": "pasta ✓", "seconds": "600"} if args[1] is str else {"k": [1, "two"]}
    if isinstance(hint, type) and issubclass(hint, events.AssistantState):
        return events.AssistantState.SPEAKING
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        if hint is events.Source:
            return hint(path="/docs/lease é.pdf", page=3, score=0.5, text="pets are allowed")
        hints = typing.get_type_hints(hint)  # a nested record (Grounding): every field set
        return hint(**{f.name: _sample(hints[f.name], f.name) for f in dataclasses.fields(hint)})
    if hint is bool:
        return True
    if hint is int:
        return 7
    if hint is float:
        return 1.25
    if hint is str:
        return f"{name} ✓ \"quoted\""
    if hint is bytes:
        return struct.pack("<4h", 1, -2, 300, -32768)
    raise AssertionError(f"no sample for {hint!r}")


def _populated(cls: type[Event]) -> Event:
    hints = typing.get_type_hints(cls)
    kwargs = {f.name: _sample(hints[f.name], f.name) for f in dataclasses.fields(cls)}
    kwargs["id"] = "id-1"
    kwargs["cause"] = "cause-1"
    if issubclass(cls, AudioEvent):
        kwargs.update(rate=16000, width=2, channels=1)
    return cls(**kwargs)


def test_catalogue_is_complete() -> None:
    assert {cls.type for cls in ALL_EVENTS} == set(EventType)
    discovered = {
        obj
        for obj in vars(events).values()
        if isinstance(obj, type) and issubclass(obj, Event) and obj not in (Event, AudioEvent)
    }
    assert discovered == set(ALL_EVENTS)


@pytest.mark.parametrize("cls", ALL_EVENTS, ids=lambda c: c.type.value)
def test_every_event_round_trips_as_frame(cls: type[Event]) -> None:
    event = _populated(cls)
    assert codec.decode_frame(codec.encode_frame(event)) == event
    header, payload = codec.encode(event)
    assert json.loads(json.dumps(header)) == header
    assert codec.decode(header, payload) == event
    assert (payload is not None) == issubclass(cls, AudioEvent)


@pytest.mark.parametrize("cls", [c for c in ALL_EVENTS if not issubclass(c, AudioEvent)],
                         ids=lambda c: c.type.value)
def test_non_audio_events_round_trip_as_json_text(cls: type[Event]) -> None:
    event = _populated(cls)
    assert codec.decode_json(codec.encode_json(event)) == event


def test_defaults_round_trip_and_audio_never_in_json() -> None:
    chunk = events.AudioChunk(audio=b"\x01\x00" * 4, sequence=3)
    header, payload = codec.encode(chunk)
    assert "audio" not in header
    assert header["bytes"] == 8
    assert payload == b"\x01\x00" * 4
    with pytest.raises(CodecError) as info:
        codec.encode_json(chunk)
    assert info.value.code == "binary_payload"


def test_client_command_without_id_or_time_gets_fresh_ones() -> None:
    event = codec.decode_json('{"type": "cmd.ask", "text": "hello", "site": "kitchen"}')
    assert isinstance(event, events.Ask)
    assert event.text == "hello"
    assert event.site == "kitchen"
    assert event.id
    assert event.use_docs is True


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("not json", "bad_json"),
        ("[1, 2]", "bad_header"),
        ('{"text": "no type"}', "missing_type"),
        ('{"type": "cmd.launch_rockets"}', "unknown_type"),
        ('{"type": "cmd.ask", "text": 5}', "bad_field"),
        ('{"type": "cmd.ask", "text": "x", "colour": "red"}', "unknown_field"),
        ('{"type": "cmd.search", "query": "x", "k": "5"}', "bad_field"),
        ('{"type": "cmd.search", "query": "x", "k": true}', "bad_field"),
        ('{"type": "state.changed", "state": "dancing"}', "bad_field"),
        ('{"type": "cmd.ingest", "paths": "/etc/passwd"}', "bad_field"),
        ('{"type": "cmd.ask", "text": "x", "time": NaN}', "bad_field"),
        ('{"type": "cmd.ask", "text": ' + "[" * 50 + "]" * 50 + "}", "too_deep"),
        ('{"type": "cmd.ask", "site": ' + '{"a": ' * 9 + "1" + "}" * 9 + "}", "too_deep"),
        ("x" * (codec.MAX_HEADER_BYTES + 1), "too_large"),
    ],
)
def test_malformed_json_gives_typed_error(raw: str, code: str) -> None:
    with pytest.raises(CodecError) as info:
        codec.decode_json(raw)
    assert info.value.code == code
    assert info.value.message


def test_invalid_utf8_is_a_typed_error() -> None:
    with pytest.raises(CodecError) as info:
        codec.decode_json(b'{"type": "cmd.ask", "text": "\xff\xfe"}')
    assert info.value.code == "bad_utf8"


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        (b"", "short_frame"),
        (b"\x00\x00", "short_frame"),
        (struct.pack(">I", 100) + b"{}", "short_frame"),
        (struct.pack(">I", 10**9), "too_large"),
        (struct.pack(">I", 2) + b"\xff\xff", "bad_utf8"),
        (struct.pack(">I", 3) + b"{x}", "bad_json"),
    ],
)
def test_malformed_frames_give_typed_errors(frame: bytes, code: str) -> None:
    with pytest.raises(CodecError) as info:
        codec.decode_frame(frame)
    assert info.value.code == code


def _frame(header: dict[str, Any], payload: bytes = b"") -> bytes:
    raw = json.dumps(header).encode()
    return struct.pack(">I", len(raw)) + raw + payload


def test_audio_payload_must_match_header_and_format() -> None:
    with pytest.raises(CodecError) as info:
        codec.decode_frame(_frame({"type": "audio.chunk", "bytes": 10}, b"\x00" * 4))
    assert info.value.code == "bad_payload"
    with pytest.raises(CodecError) as info:
        codec.decode_frame(_frame({"type": "audio.out"}, b"\x00" * 3))
    assert info.value.code == "bad_payload"
    # Input audio may be cut inside a sample: the stream carries the odd byte to its next piece.
    odd = codec.decode_frame(_frame({"type": "audio.chunk"}, b"\x00" * 3))
    assert isinstance(odd, AudioChunk)
    assert odd.audio == b"\x00" * 3
    with pytest.raises(CodecError) as info:
        codec.decode_frame(_frame({"type": "audio.chunk", "rate": 0}, b"\x00" * 4))
    assert info.value.code == "bad_audio_format"
    with pytest.raises(CodecError) as info:
        codec.decode_frame(_frame({"type": "cmd.ask", "text": "hi"}, b"\x00" * 4))
    assert info.value.code == "unexpected_payload"


def test_frame_without_bytes_field_takes_whole_payload() -> None:
    event = codec.decode_frame(_frame({"type": "audio.chunk", "site": "sat1"}, b"\x00\x01" * 8))
    assert isinstance(event, events.AudioChunk)
    assert event.site == "sat1"
    assert len(event.audio) == 16
    assert event.duration == pytest.approx(8 / 16000)


def test_the_docs_event_catalogue_is_current() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "events.md").read_text(encoding="utf-8")
    current = doc[doc.index(BEGIN) : doc.index(END) + len(END)]
    assert current == catalogue_markdown(), "run: python -m nimbus.daemon.catalogue"
