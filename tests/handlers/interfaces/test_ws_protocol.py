"""The sans-I/O WebSocket protocol core: parsing, filters, rate limits, queue policy, paths."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from nimbus.daemon import codec
from nimbus.daemon.events import (
    Ask,
    AudioChunk,
    AudioOut,
    Ingest,
    Say,
    Status,
    Stop,
    Transcript,
)
from nimbus.handlers.interfaces.websocket import protocol as proto


def test_hello_is_parsed_and_anything_else_first_is_refused() -> None:
    hello = proto.parse_hello('{"type":"hello","protocol":1,"token":"t","site":"kitchen"}')
    assert hello == proto.Hello(protocol=1, token="t", site="kitchen")
    assert proto.parse_hello('{"type":"hello","protocol":1}').token == ""
    for bad in ('{"type":"cmd.ask","text":"hi"}', "[1]", "nope", b"\x00\x00",
                '{"type":"hello","protocol":"1"}', '{"type":"hello","protocol":1,"site":"a/b"}',
                '{"type":"hello","protocol":1,"token":5}'):
        with pytest.raises(proto.ProtocolError):
            proto.parse_hello(bad)


def test_a_satellites_hello_may_say_its_area() -> None:
    hello = proto.parse_hello('{"type":"hello","protocol":1,"site":"k","area":" Kitchen "}')
    assert hello.area == "Kitchen"
    for bad in ('{"type":"hello","protocol":1,"area":5}',
                '{"type":"hello","protocol":1,"area":"' + "x" * 65 + '"}',
                '{"type":"hello","protocol":1,"area":"a\\nb"}'):
        with pytest.raises(proto.ProtocolError, match=r"hello\.area"):
            proto.parse_hello(bad)


@pytest.mark.parametrize(("text", "cls"), [
    ('{"type":"cmd.ask","text":"hi"}', Ask),
    ('{"type":"ask","text":"hi","use_docs":false}', Ask),
    ('{"type":"say","text":"hello","voice":"joe"}', Say),
    ('{"type":"stop","reason":"button"}', Stop),
    ('{"type":"status"}', Status),
])
def test_commands_get_the_clients_site_and_the_server_clock(text: str, cls: type) -> None:
    event = proto.parse_text(text, site="tab-1", now=12.5)
    assert isinstance(event, cls)
    assert event.site == "tab-1"
    assert event.time == 12.5


def test_an_ask_may_carry_a_conversation_id() -> None:
    event = proto.parse_text('{"type":"cmd.ask","text":"And of Germany?","conversation":"c-7"}',
                             site="tab", now=0)
    assert isinstance(event, Ask)
    assert event.conversation == "c-7"
    plain = proto.parse_text('{"type":"ask","text":"hi"}', site="tab", now=0)
    assert isinstance(plain, Ask)
    assert plain.conversation == "", "no id: the site's own conversation"


def test_a_command_may_name_another_site_and_its_own_id() -> None:
    event = proto.parse_text('{"type":"stop","site":"default","id":"c-1"}', site="tab", now=0)
    assert isinstance(event, Stop)
    assert (event.site, event.id) == ("default", "c-1")


@pytest.mark.parametrize(("text", "code"), [
    ("{not json", "bad_json"),
    ("[1, 2]", "bad_message"),
    ('{"text":"no type"}', "missing_type"),
    ('{"type":"dance"}', "unknown_type"),
    ('{"type":"transcript","text":"spoofed"}', "not_allowed"),
    ('{"type":"cmd.ask","text":5}', "bad_field"),
    ('{"type":"cmd.ask","text":"x","colour":"red"}', "unknown_field"),
    ('{"type":"cmd.ask","text":"x","site":"../etc"}', "bad_field"),
    ('{"type":"cmd.ask","text":"x","id":""}', "bad_field"),
    ('{"type":"cmd.ask","text":"x","conversation":5}', "bad_field"),
    ('{"type":"cmd.ask","text":"x","conversation":"' + "c" * 129 + '"}', "bad_field"),
    ('{"type":"cmd.search","query":"x","k":"five"}', "bad_field"),
    ('{"type":"hello","protocol":1}', "already_welcomed"),
    ("[" * 50_000 + "]" * 50_000, "too_large"),
    ("[" * 30_000 + "]" * 30_000, "too_deep"),
    ('{"type":"cmd.ask","text":"x","cause":' + '{"a":' * 20 + "1" + "}" * 20 + "}",
     "too_deep"),
    ('{"type":"subscribe","events":["nope"]}', "unknown_type"),
    ('{"type":"subscribe","events":"transcript"}', "bad_field"),
    ('{"type":"subscribe","sites":["ok","bad site"]}', "bad_field"),
])
def test_malformed_messages_raise_protocol_errors_with_stable_codes(text: str, code: str) -> None:
    with pytest.raises(proto.ProtocolError) as caught:
        proto.parse_text(text, site="s", now=0)
    assert caught.value.code == code
    assert caught.value.message


def test_binary_frames_carry_audio_only_and_always_for_the_clients_site() -> None:
    frame = codec.encode_frame(AudioChunk(site="spoofed", audio=b"\x01\x00" * 160, sequence=3))
    chunk = proto.parse_binary(frame, site="tab", now=7.0)
    assert (chunk.site, chunk.time, chunk.sequence, len(chunk.audio)) == ("tab", 7.0, 3, 320)
    # Cut inside a sample: accepted, the odd byte waits in the site's stream for the next one.
    odd = proto.parse_binary(codec.encode_frame(AudioChunk(audio=b"\x01\x00\x02")), site="tab",
                             now=0)
    assert odd.audio == b"\x01\x00\x02"
    for bad, code in [
        (codec.encode_frame(Transcript(text="x")), "binary_not_audio"),
        (b"\x00\x00", "short_frame"),
        (b"\xff\xff\xff\xff" + b"x" * 10, "too_large"),
        (b"\x00\x00\x00\x04\xff\xfe\xfd\xfc", "bad_utf8"),
        (codec.encode_frame(AudioChunk(audio=b"")), "empty_audio"),
        (codec.encode_frame(AudioChunk(audio=b"\x00\x00"))[:-1], "bad_payload"),
    ]:
        with pytest.raises(proto.ProtocolError) as caught:
            proto.parse_binary(bad, site="tab", now=0)
        assert caught.value.code == code


def test_subscription_filter_by_type_and_site_plus_replies_to_own_commands() -> None:
    flt = proto.EventFilter()
    assert not flt.wants(Transcript(site="a"))  # nothing until subscribed
    flt.update(proto.parse_text('{"type":"subscribe","events":["transcript"],"sites":["a"]}',
                                site="a", now=0))  # type: ignore[arg-type]
    assert flt.wants(Transcript(site="a"))
    assert not flt.wants(Transcript(site="b"))
    assert not flt.wants(Stop(site="a"))
    flt.commands.add("ask-1")
    assert flt.wants(Stop(site="zzz", cause="ask-1"))
    reply = Transcript(site="a")
    flt.direct.add(reply.id)
    assert not flt.wants(reply)
    everything = proto.parse_text('{"type":"subscribe","events":"*"}', site="a", now=0)
    flt.update(everything)  # type: ignore[arg-type]
    assert flt.wants(Stop(site="b"))


def test_rate_limiter_allows_a_burst_then_the_rate() -> None:
    limiter = proto.RateLimiter(rate=10, burst=20)
    assert sum(limiter.allow(0.0) for _ in range(1000)) == 20
    assert limiter.rejected == 980
    assert sum(limiter.allow(1.0) for _ in range(1000)) == 10  # one second refills 10


def test_out_queue_drops_audio_first_then_overflows() -> None:
    queue = proto.OutQueue(maxsize=4, max_bytes=1_000_000)
    assert queue.push(b"a1", audio=True) is proto.Push.QUEUED
    assert queue.push("e1", audio=False) is proto.Push.QUEUED
    assert queue.push(b"a2", audio=True) is proto.Push.QUEUED
    assert queue.push("e2", audio=False) is proto.Push.QUEUED
    assert queue.push("e3", audio=False) is proto.Push.DROPPED_AUDIO  # a1 went
    assert queue.push("e4", audio=False) is proto.Push.DROPPED_AUDIO  # a2 went
    assert queue.push(b"a3", audio=True) is proto.Push.DROPPED_AUDIO  # a3 itself dropped
    assert queue.dropped_audio == 3
    assert queue.push("e5", audio=False) is proto.Push.OVERFLOW
    assert [queue.pop() for _ in range(5)] == ["e1", "e2", "e3", "e4", None]
    assert queue.bytes == 0


def test_out_queue_is_bounded_in_bytes_too() -> None:
    queue = proto.OutQueue(maxsize=1000, max_bytes=100)
    assert queue.push(b"x" * 60, audio=True) is proto.Push.QUEUED
    assert queue.push("y" * 60, audio=False) is proto.Push.DROPPED_AUDIO
    assert queue.push("z" * 60, audio=False) is proto.Push.OVERFLOW


def test_ingest_paths_must_be_absolute_and_inside_a_watched_folder(tmp_path: Path) -> None:
    watched = tmp_path / "watched"
    (watched / "sub").mkdir(parents=True)
    doc = watched / "sub" / "a.txt"
    doc.write_text("x")
    (watched / "escape").symlink_to("/etc")
    assert proto.check_ingest_paths([str(doc)], [watched]) == [str(doc.resolve())]
    for bad in ["../../etc/passwd", f"{watched}/../../etc/passwd", "/etc/passwd",
                f"{watched}/escape/passwd", "relative.txt", str(tmp_path)]:
        with pytest.raises(proto.ProtocolError) as caught:
            proto.check_ingest_paths([bad], [watched])
        assert caught.value.code == "path_not_watched"
    with pytest.raises(proto.ProtocolError):
        proto.check_ingest_paths([], [watched])
    event = proto.parse_text(json.dumps({"type": "ingest", "paths": [str(doc)]}), site="s", now=0)
    assert isinstance(event, Ingest)


def test_loopback_detection() -> None:
    assert all(map(proto.is_loopback, ["127.0.0.1", "127.1.2.3", "::1", "localhost"]))
    assert not any(map(proto.is_loopback, ["0.0.0.0", "::", "192.168.1.5", "example.org", ""]))


def test_welcome_lists_version_sites_and_audio_formats() -> None:
    welcome = json.loads(proto.welcome_message(site="tab", sites=["default", "tab"],
                                               limits={"client_queue": 8}))
    assert welcome["type"] == "welcome"
    assert welcome["protocol"] == proto.PROTOCOL_VERSION
    assert welcome["site"] == "tab"
    assert welcome["sites"] == ["default", "tab"]
    assert welcome["audio"]["in"] == {"type": "audio.chunk", "rate": 16000, "width": 2,
                                      "channels": 1, "encoding": "s16le"}
    assert "cmd.ask" in welcome["commands"]
    assert "transcript" in welcome["events"]


def test_audio_events_encode_as_binary_frames_never_base64() -> None:
    pcm = bytes(random.Random(1).randbytes(640))
    frame = proto.encode_event(AudioOut(audio=pcm, rate=22050, text="hi"))
    assert isinstance(frame, bytes)
    assert frame.endswith(pcm)
    decoded = codec.decode_frame(frame)
    assert isinstance(decoded, AudioOut)
    assert decoded.audio == pcm
    assert isinstance(proto.encode_event(Transcript(text="x")), str)
