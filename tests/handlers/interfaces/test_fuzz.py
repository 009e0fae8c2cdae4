"""Property-based fuzzing of the interfaces' parsers: WebSocket messages and audio frames, the
Wyoming reader, MQTT command and audio payloads and topics.

For any input: a valid value, or the parser's own typed error (ProtocolError, WireError,
MqttInputError); never another exception, a hang, or unbounded memory. See tests/fuzz.py.
"""

from __future__ import annotations

import asyncio
import io
import json
import wave

from hypothesis import given
from hypothesis import strategies as st

from nimbus.daemon import codec
from nimbus.daemon.events import AudioChunk, Event
from nimbus.handlers.interfaces.mqtt import topics
from nimbus.handlers.interfaces.websocket import protocol
from nimbus.handlers.interfaces.websocket.protocol import ProtocolError, valid_site
from nimbus.handlers.interfaces.wyoming.wire import Limits, WireError, read_event
from tests.fuzz import FUZZ, bounded_memory, fuzz, mutated, typed, well_formed

MEMORY = 8 * 1024 * 1024
"""No input of a few hundred bytes may make a parser hold more than this."""


def _wav(rate: int = 16000, width: int = 2, channels: int = 1, frames: int = 80) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setframerate(rate)
        wav.setsampwidth(width)
        wav.setnchannels(channels)
        wav.writeframes(b"\x01" * (frames * channels * width))
    return out.getvalue()


FRAME = codec.encode_frame(AudioChunk(site="kitchen", audio=b"\x00\x01" * 160, rate=16000,
                                      width=2, channels=1))


def _valid_audio(event: AudioChunk) -> None:
    """What every stage after the parser relies on."""
    assert codec.MIN_RATE <= event.rate <= codec.MAX_RATE, event.rate
    assert event.width in (1, 2, 3, 4), event.width
    assert 0 < event.channels <= codec.MAX_CHANNELS, event.channels
    assert event.audio
    assert len(event.audio) % (event.width * event.channels) == 0


# --- WebSocket -------------------------------------------------------------------------------

HELLOS = [b'{"type": "hello", "protocol": 1, "token": "", "site": "kitchen", "area": "Kitchen"}',
          b'{"type": "hello", "protocol": 1}']
TEXTS = [b'{"type": "cmd.ask", "text": "When is the bin day?", "use_docs": true}',
         b'{"type": "subscribe", "events": ["transcript", "audio.out"], "sites": ["kitchen"]}',
         b'{"type": "cmd.say", "text": "hello", "voice": "joe", "id": "abc"}',
         b'{"type": "stop", "reason": "x"}', b'{"type": "cmd.status"}',
         b'{"type": "cmd.ingest", "paths": ["/tmp/x.txt"]}']


@FUZZ
@given(mutated(HELLOS))
def test_ws_hello(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    with bounded_memory(MEMORY):
        hello = typed(lambda: protocol.parse_hello(text), ProtocolError)
    if isinstance(hello, ProtocolError):
        assert well_formed(hello)
        return
    assert isinstance(hello.protocol, int)
    assert hello.site is None or valid_site(hello.site)


@FUZZ
@given(mutated(TEXTS))
def test_ws_text_messages(data: bytes) -> None:
    with bounded_memory(MEMORY):
        parsed = typed(lambda: protocol.parse_text(data.decode("utf-8", "replace"),
                                                   site="kitchen", now=1.0), ProtocolError)
    if isinstance(parsed, ProtocolError):
        assert well_formed(parsed)
        return
    assert isinstance(parsed, Event | protocol.SubscribeRequest)
    if isinstance(parsed, Event):
        assert valid_site(parsed.site)


@FUZZ
@given(mutated([FRAME]))
def test_ws_binary_audio_frames(data: bytes) -> None:
    with bounded_memory(MEMORY + 4 * len(data)):
        chunk = typed(lambda: protocol.parse_binary(data, site="kitchen", now=1.0),
                      ProtocolError)
    if isinstance(chunk, ProtocolError):
        assert well_formed(chunk)
        return
    _valid_audio(chunk)
    assert chunk.site == "kitchen"


# --- Wyoming ---------------------------------------------------------------------------------

WYOMING = [
    b'{"type": "describe"}\n',
    b'{"type": "audio-chunk", "data": {"rate": 16000, "width": 2, "channels": 1}, '
    b'"payload_length": 8}\n' + b"\x00" * 8,
    b'{"type": "transcribe", "data_length": 18}\n{"language": "en"}',
    b'{"type": "synthesize", "data": {"text": "hi"}}\n{"type": "ping"}\n',
]
LIMITS = Limits(header_bytes=4096, payload_bytes=65536, stall_s=0.05)


async def _read_all(data: bytes) -> list[object]:
    reader = asyncio.StreamReader(limit=LIMITS.header_bytes + 1)
    reader.feed_data(data)
    reader.feed_eof()
    events: list[object] = []
    async with asyncio.timeout(5):  # a hang fails the test
        while (event := await read_event(reader, LIMITS)) is not None:
            events.append(event)
    return events


_LOOP: list[asyncio.AbstractEventLoop] = []
"""One event loop for every example (a new one each time would cost more than the reading)."""


def teardown_module() -> None:
    for loop in _LOOP:
        loop.close()


def _run(data: bytes) -> list[object]:
    if not _LOOP:
        _LOOP.append(asyncio.new_event_loop())
    return _LOOP[0].run_until_complete(_read_all(data))


@FUZZ
@given(mutated(WYOMING))
def test_wyoming_reader(data: bytes) -> None:
    with bounded_memory(MEMORY + 4 * len(data)):
        # IncompleteReadError: the peer left mid-frame (the session reports "disconnected").
        events = typed(lambda: _run(data), (WireError, asyncio.IncompleteReadError))
    if isinstance(events, WireError):
        assert events.code in ("bad_json", "bad_header", "too_large", "stalled"), events.code
        return
    if isinstance(events, asyncio.IncompleteReadError):
        return
    for event in events:
        assert isinstance(event.type, str)  # type: ignore[attr-defined]
        assert isinstance(event.data, dict)  # type: ignore[attr-defined]
        payload = event.payload  # type: ignore[attr-defined]
        assert payload is None or len(payload) <= LIMITS.payload_bytes


# --- MQTT ------------------------------------------------------------------------------------

COMMANDS = [b"What is on the shopping list?", b'{"text": "hi", "use_docs": false}',
            b'{"text": "hello", "voice": "joe"}', b'{"reason": "enough"}', b""]


@FUZZ
@given(st.sampled_from(["ask", "say", "stop", "status", "sing"]),
       st.sampled_from(["kitchen", "default", "bad site", "a" * 65, ""]),
       mutated(COMMANDS))
def test_mqtt_commands(command: str, site: str, payload: bytes) -> None:
    with bounded_memory(MEMORY):
        event = typed(lambda: topics.parse_command(site, command, payload),
                      topics.MqttInputError)
    if isinstance(event, topics.MqttInputError):
        assert well_formed(event)
        return
    assert isinstance(event, Event)
    assert event.site == site
    assert valid_site(site)
    text = getattr(event, "text", None)
    assert text is None or (text and text == text.strip())


@FUZZ
@given(mutated([FRAME, _wav(), _wav(rate=8000, channels=2), _wav(width=1, frames=10)]))
def test_mqtt_audio_payloads(payload: bytes) -> None:
    with bounded_memory(MEMORY + 4 * len(payload)):
        chunk = typed(lambda: topics.parse_audio("kitchen", payload, now=1.0),
                      topics.MqttInputError)
    if isinstance(chunk, topics.MqttInputError):
        assert well_formed(chunk)
        return
    _valid_audio(chunk)


@fuzz(300)  # a three-line function: fewer cases
@given(st.text(max_size=80), st.sampled_from(["nimbus", "home/nimbus", ""]))
def test_mqtt_topics(topic: str, prefix: str) -> None:
    parts = topics.split_topic(topic, prefix)
    if parts is not None:
        assert "/".join((prefix, *parts)) == topic


def test_seeds_are_valid() -> None:
    """The seeds the mutations start from parse (so the fuzzing starts from real messages)."""
    assert protocol.parse_hello(HELLOS[0].decode()).site == "kitchen"
    assert all(protocol.parse_text(t.decode(), site="k", now=0.0) for t in TEXTS[:5])
    assert len(_run(b"".join(WYOMING))) == 5
    assert topics.parse_audio("kitchen", _wav(), now=0.0).rate == 16000
    assert json.loads(COMMANDS[1])["use_docs"] is False
