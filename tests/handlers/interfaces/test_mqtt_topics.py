"""The sans-I/O MQTT mapping and Home Assistant discovery payloads."""

from __future__ import annotations

import io
import json
import random
import wave

import pytest

from nimbus.daemon import codec
from nimbus.daemon.events import (
    Ask,
    AssistantState,
    AudioChunk,
    AudioOut,
    CommandExpected,
    Grounding,
    ResponseDelta,
    ResponseDone,
    Say,
    Source,
    SpeechSegment,
    StateChanged,
    Status,
    Stop,
    Transcript,
)
from nimbus.handlers.interfaces.mqtt import topics
from nimbus.handlers.interfaces.mqtt.discovery import discovery_messages, removal_messages


def test_state_transcript_and_answer_are_retained_streams_are_qos0() -> None:
    state = topics.messages_for(StateChanged(site="kitchen", state=AssistantState.THINKING), "nb")
    assert topics.Message("nb/kitchen/state", "thinking", 1, True) in state
    assert any(m.topic == "nb/kitchen/event/state.changed" and m.qos == 0 for m in state)
    final = topics.messages_for(Transcript(site="k", text="hello", final=True), "nb")
    retained = [m for m in final if m.retain]
    assert [m.topic for m in retained] == ["nb/k/transcript"]
    assert json.loads(retained[0].payload)["text"] == "hello"
    partial = topics.messages_for(Transcript(site="k", text="hel", final=False), "nb")
    assert not any(m.retain for m in partial)
    grounding = Grounding(status="fell_back", unsupported=("13:00",),
                          fallback="From the a: It is noon.")
    response = ResponseDone(site="k", text="It is noon.", grounding=grounding,
                            sources=(Source(path="/d/a.pdf", page=2),))
    done = topics.messages_for(response, "nb")
    answer = next(m for m in done if m.topic == "nb/k/answer")
    assert answer.retain
    assert json.loads(answer.payload) == {"text": "It is noon.", "status": "fell_back",
                                          "cancelled": False, "sources": ["a.pdf"],
                                          "id": response.id}
    event = next(m for m in done if m.topic == "nb/k/event/response.done")
    assert event.qos == 1
    decoded = codec.decode_json(event.payload)
    assert isinstance(decoded, ResponseDone)
    assert decoded.text == "It is noon."
    assert decoded.grounding == grounding
    delta = topics.messages_for(ResponseDelta(site="k", text="It"), "nb")
    assert [(m.topic, m.qos, m.retain) for m in delta] == [("nb/k/event/response.delta", 0, False)]
    hint = topics.messages_for(CommandExpected(site="k", text="what time"), "nb")
    assert [(m.topic, m.qos, m.retain) for m in hint] == [("nb/k/event/command.expected", 0, False)]


def test_audio_goes_out_as_binary_frames_and_live_chunks_only_on_request() -> None:
    pcm = b"\x01\x02" * 100
    (out,) = topics.messages_for(AudioOut(site="sat", audio=pcm, rate=22050), "nb")
    assert out.topic == "nb/sat/audio/out"
    assert isinstance(out.payload, bytes)
    assert codec.decode_frame(out.payload).audio == pcm  # type: ignore[attr-defined]
    assert topics.messages_for(AudioChunk(audio=pcm), "nb") == []
    assert len(topics.messages_for(AudioChunk(audio=pcm), "nb", audio_chunks=True)) == 1
    assert topics.messages_for(SpeechSegment(audio=pcm), "nb") == []


def test_topics_split_into_site_kind_name() -> None:
    assert topics.split_topic("nb/kitchen/cmd/ask", "nb") == ("kitchen", "cmd", "ask")
    assert topics.split_topic("nb/sat/audio/in", "nb") == ("sat", "audio", "in")
    assert topics.split_topic("other/kitchen/cmd/ask", "nb") is None
    assert topics.split_topic("nb/kitchen/cmd/ask/extra", "nb") is None


@pytest.mark.parametrize(("command", "payload", "expected"), [
    ("ask", b"what time is it?", Ask(site="k", text="what time is it?")),
    ("ask", b'{"text":"no docs please","use_docs":false}', Ask(site="k", text="no docs please",
                                                               use_docs=False)),
    ("ask", b'{"text":"and Germany?","conversation":"c-1"}',
     Ask(site="k", text="and Germany?", conversation="c-1")),
    ("say", b"  hello  ", Say(site="k", text="hello")),
    ("say", b'{"text":"hi","voice":"joe"}', Say(site="k", text="hi", voice="joe")),
    ("stop", b"", Stop(site="k", reason="mqtt")),
    ("stop", b"PRESS", Stop(site="k", reason="mqtt")),
    ("stop", b'{"reason":"home assistant"}', Stop(site="k", reason="home assistant")),
    ("status", b"", Status(site="k")),
])
def test_commands_from_text_or_json(command: str, payload: bytes, expected: object) -> None:
    event = topics.parse_command("k", command, payload)
    assert type(event) is type(expected)
    for name in ("site", "text", "use_docs", "voice", "reason", "conversation"):
        assert getattr(event, name, None) == getattr(expected, name, None)


@pytest.mark.parametrize(("site", "command", "payload", "code"), [
    ("k", "ask", b"{not json", "bad_json"),
    ("k", "ask", b'{"text": 5}', "bad_field"),
    ("k", "ask", b"\xff\xfe\xfd", "bad_utf8"),
    ("k", "ask", b"   ", "empty_text"),
    ("k", "ask", b"x" * 100_000, "too_large"),
    ("k", "ask", b'{"text":"x","use_docs":"yes"}', "bad_field"),
    ("k", "ask", b'{"text":"x","conversation":["c"]}', "bad_field"),
    ("k", "say", b'{"text":"x","voice":7}', "bad_field"),
    ("k", "dance", b"", "unknown_command"),
    ("bad site", "ask", b"x", "bad_site"),
])
def test_bad_command_payloads_raise_with_stable_codes(site: str, command: str, payload: bytes,
                                                      code: str) -> None:
    with pytest.raises(topics.MqttInputError) as caught:
        topics.parse_command(site, command, payload)
    assert caught.value.code == code


def test_satellite_audio_as_codec_frames_or_hermes_style_wav() -> None:
    pcm = b"\x10\x00" * 512
    chunk = topics.parse_audio("sat", codec.encode_frame(AudioChunk(site="x", audio=pcm)), now=3.0)
    assert (chunk.site, chunk.audio, chunk.time) == ("sat", pcm, 3.0)
    # A frame may end inside a sample: the VAD carries the odd byte to the site's next chunk.
    odd = topics.parse_audio("sat", codec.encode_frame(AudioChunk(audio=pcm[:7])), now=0)
    assert odd.audio == pcm[:7]
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes(pcm)
    chunk = topics.parse_audio("sat", buffer.getvalue(), now=0)
    assert (chunk.audio, chunk.rate, chunk.width, chunk.channels) == (pcm, 16000, 2, 1)
    for bad, code in [(b"RIFF....WAVEjunk", "bad_wav"), (b"garbage!", "too_large"),
                      (codec.encode_frame(Transcript(text="x")), "binary_not_audio")]:
        with pytest.raises(topics.MqttInputError) as caught:
            topics.parse_audio("sat", bad, now=0)
        assert caught.value.code == code


def test_backoff_is_full_jitter_and_capped() -> None:
    rng = random.Random(7)
    delays = [topics.backoff_delay(a, base=0.5, cap=30, rng=rng) for a in range(40)]
    assert all(0 <= d <= 30 for d in delays)
    assert all(d <= 0.5 * 2**a for a, d in enumerate(delays))
    assert len(set(delays)) == len(delays)  # jittered, not a fixed ladder


def test_the_retained_answer_is_bounded_file_names_no_passages() -> None:
    """Home Assistant keeps it as the Last answer's attributes (16 KiB at most in its recorder)."""
    sources = tuple(Source(path=f"/home/ada/docs/{i % 12}.pdf", page=i, text="passage " * 500)
                    for i in range(40))
    done = ResponseDone(site="k", text="word " * 5000, sources=sources, cancelled=True)
    payload = next(m.payload for m in topics.messages_for(done, "nb") if m.topic == "nb/k/answer")
    assert len(payload) < 4096
    state = json.loads(payload)
    assert state["status"] == "cancelled"
    assert state["sources"] == [f"{i}.pdf" for i in range(8)]
    assert "passage" not in payload
    assert "/home" not in payload
    assert len(state["text"]) == 2000


def test_devices_are_named_as_people_read_them() -> None:
    messages = discovery_messages("nimbus", "homeassistant", "living-room", name="Nimbus",
                                  main_site="default")
    assert {json.loads(m.payload)["device"]["name"] for m in messages} == {"Nimbus Living Room"}
    own = discovery_messages("nimbus", "homeassistant", "default", name="Jarvis",
                             main_site="default")
    assert {json.loads(m.payload)["device"]["name"] for m in own} == {"Jarvis"}


def test_a_sites_area_is_home_assistants_suggested_area() -> None:
    with_area = discovery_messages("nimbus", "homeassistant", "kitchen", "Kitchen")
    assert {json.loads(m.payload)["device"]["suggested_area"] for m in with_area} == {"Kitchen"}
    without = discovery_messages("nimbus", "homeassistant", "kitchen")
    assert all("suggested_area" not in json.loads(m.payload)["device"] for m in without)


def test_home_assistant_discovery_payloads() -> None:
    messages = discovery_messages("nimbus", "homeassistant", "living-room")
    by_topic = {m.topic: json.loads(m.payload) for m in messages}
    assert set(by_topic) == {
        "homeassistant/sensor/nimbus_living_room/state/config",
        "homeassistant/sensor/nimbus_living_room/transcript/config",
        "homeassistant/sensor/nimbus_living_room/answer/config",
        "homeassistant/button/nimbus_living_room/stop/config",
        "homeassistant/text/nimbus_living_room/ask/config",
        "homeassistant/text/nimbus_living_room/say/config",
    }
    assert all(m.retain and m.qos == 1 for m in messages)
    ids = {p["unique_id"] for p in by_topic.values()}
    assert len(ids) == 6
    for payload in by_topic.values():
        assert payload["availability_topic"] == "nimbus/availability"
        assert payload["device"]["identifiers"] == ["nimbus_living_room"]
        assert "state_topic" in payload or "command_topic" in payload
    assert by_topic["homeassistant/button/nimbus_living_room/stop/config"]["command_topic"] == (
        "nimbus/living-room/cmd/stop")
    assert by_topic["homeassistant/text/nimbus_living_room/ask/config"]["command_topic"] == (
        "nimbus/living-room/cmd/ask")
    assert by_topic["homeassistant/sensor/nimbus_living_room/state/config"]["state_topic"] == (
        "nimbus/living-room/state")
    assert all(m.payload == "" and m.retain for m in removal_messages("homeassistant", "x"))
