"""Sans-I/O MQTT mapping: events -> (topic, payload, QoS, retain); command/audio topics -> events.

Topic table (``P`` = ``mqtt.prefix``, ``S`` = a site):

=================================  ===  ======  =============================================
topic                              QoS  retain  payload
=================================  ===  ======  =============================================
``P/availability``                 1    yes     ``online`` / ``offline`` (last will)
``P/S/state``                      1    yes     ``idle|listening|thinking|speaking``
``P/S/transcript``                 1    yes     JSON ``{"text", "language", "id"}`` (final)
``P/S/answer``                     1    yes     JSON ``{"text", "status", "cancelled",
                                                "sources", "id"}``: bounded (Home Assistant
                                                keeps it as attributes): the text cut at
                                                2000 characters, sources as file names
                                                (no passages, no paths)
``P/S/intent``                     1    no      JSON ``{"intent", "slots", "text", "id"}``: a
                                                command the intent stage claimed (automations)
``P/S/event/<wire name>``          0/1  no      the event's JSON header (codec); QoS 1 for
                                                final/important events, 0 for streams
``P/S/audio/out``                  0    no      binary codec frame (audio.out header + PCM)
``P/S/cmd/ask`` (in)               1    -       text, or JSON ``{"text", "use_docs",
                                                "conversation"}``
``P/S/cmd/say`` (in)               1    -       text, or JSON ``{"text", "voice"}``
``P/S/cmd/stop`` (in)              1    -       anything (JSON ``{"reason"}`` optional)
``P/S/cmd/status`` (in)            1    -       anything; reply on ``P/S/event/status.report``
``P/S/audio/in`` (in)              0    -       binary codec frame of an ``audio.chunk``, or
                                                a WAV file per frame (Hermes audioFrame)
=================================  ===  ======  =============================================
"""

from __future__ import annotations

import dataclasses
import io
import json
import random
import struct
import wave
from dataclasses import dataclass
from pathlib import PurePath
from typing import Final

from nimbus.daemon import codec
from nimbus.daemon.events import (
    Ask,
    AudioChunk,
    AudioOut,
    CommandExpected,
    Event,
    Intent,
    PlaybackFinished,
    PlaybackStarted,
    ResponseDelta,
    ResponseDone,
    ResponseStarted,
    Say,
    Sentence,
    SpeechEnded,
    SpeechSegment,
    SpeechStarted,
    StateChanged,
    Status,
    Stop,
    Transcript,
)
from nimbus.handlers.interfaces.websocket.protocol import valid_site

__all__ = [
    "COMMANDS",
    "Message",
    "MqttInputError",
    "answer_state",
    "availability_topic",
    "backoff_delay",
    "messages_for",
    "parse_audio",
    "parse_command",
    "split_topic",
]

COMMANDS: Final = ("ask", "say", "stop", "status")

_STREAM: Final = (ResponseDelta, Sentence, SpeechStarted, SpeechEnded, StateChanged,
                  ResponseStarted, PlaybackStarted, PlaybackFinished, CommandExpected)
"""Published with QoS 0: frequent, superseded quickly, or mirrored on a retained topic."""

_MAX_TEXT: Final = 8192
_MAX_RETAINED_TEXT: Final = 2000
"""Text kept on a retained state topic (Home Assistant's recorder drops attributes over 16 KiB)."""
_MAX_SOURCES: Final = 8
_MAX_CONVERSATION: Final = 128


class MqttInputError(ValueError):
    """A message on a command/audio topic was unusable. ``code`` is stable."""

    def __init__(self, code: str, message: str, site: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.site = site


@dataclass(frozen=True, slots=True)
class Message:
    """One MQTT publication."""

    topic: str
    payload: bytes | str
    qos: int = 0
    retain: bool = False


def availability_topic(prefix: str) -> str:
    return f"{prefix}/availability"


def _json(data: object) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, default=str)


def messages_for(event: Event, prefix: str, *, audio_chunks: bool = False) -> list[Message]:
    """What the bridge publishes for one bus event (possibly nothing)."""
    base = f"{prefix}/{event.site}"
    match event:
        case AudioOut():
            return [Message(f"{base}/audio/out", codec.encode_frame(event), 0, False)]
        case AudioChunk():
            if audio_chunks:
                return [Message(f"{base}/event/audio.chunk", codec.encode_frame(event), 0, False)]
            return []
        case SpeechSegment():
            return []  # whole utterances of PCM: the transcript is what MQTT users want
    out = [Message(f"{base}/event/{event.type.value}", codec.encode_json(event),
                   0 if isinstance(event, _STREAM) else 1, False)]
    match event:
        case StateChanged():
            out.append(Message(f"{base}/state", event.state.value, 1, True))
        case Transcript(final=True):
            out.append(Message(f"{base}/transcript", _json(
                {"text": event.text[:_MAX_RETAINED_TEXT], "language": event.language,
                 "id": event.id}), 1, True))
        case Intent():
            out.append(Message(f"{base}/intent", _json({
                "intent": event.name, "slots": event.slots, "text": event.text, "id": event.id,
            }), 1, False))
        case ResponseDone():
            out.append(Message(f"{base}/answer", _json(answer_state(event)), 1, True))
    return out


def answer_state(done: ResponseDone) -> dict[str, object]:
    """The retained ``P/S/answer`` payload: bounded, with no passage text and no paths."""
    names: list[str] = []
    for source in done.sources:
        name = PurePath(source.path).name
        if name and name not in names and len(names) < _MAX_SOURCES:
            names.append(name)
    return {
        "text": done.text[:_MAX_RETAINED_TEXT],
        "status": "cancelled" if done.cancelled else done.grounding.status or "answered",
        "cancelled": done.cancelled,
        "sources": names,
        "id": done.id,
    }


def split_topic(topic: str, prefix: str) -> tuple[str, str, str] | None:
    """``P/S/cmd/ask`` -> (S, "cmd", "ask"); ``P/S/audio/in`` -> (S, "audio", "in"); else None."""
    if not topic.startswith(prefix + "/"):
        return None
    parts = topic[len(prefix) + 1 :].split("/")
    if len(parts) != 3:
        return None
    return parts[0], parts[1], parts[2]


def _text_or_json(payload: bytes, site: str, command: str) -> tuple[str, dict[str, object]]:
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        raise MqttInputError("bad_utf8", f"cmd/{command}: payload is not UTF-8", site) from None
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except (json.JSONDecodeError, RecursionError):
            raise MqttInputError("bad_json", f"cmd/{command}: payload starts with '{{' but is "
                                 "not valid JSON", site) from None
        if not isinstance(data, dict):
            raise MqttInputError("bad_json", f"cmd/{command}: expected a JSON object", site)
        value = data.get("text", "")
        if not isinstance(value, str):
            raise MqttInputError("bad_field", f"cmd/{command}: text must be a string", site)
        return value.strip(), data
    return stripped, {}


def parse_command(site: str, command: str, payload: bytes) -> Event:
    """The bus event for a message on ``P/<site>/cmd/<command>``; MqttInputError if unusable."""
    if not valid_site(site):
        raise MqttInputError("bad_site", f"site {site[:64]!r}: use 1-64 of A-Z a-z 0-9 _ . -",
                             "mqtt")
    if command not in COMMANDS:
        raise MqttInputError("unknown_command", f"cmd/{command[:64]}: commands are "
                             f"{', '.join(COMMANDS)}", site)
    if len(payload) > _MAX_TEXT * 4:
        raise MqttInputError("too_large", f"cmd/{command}: payload over {_MAX_TEXT * 4} bytes",
                             site)
    if command == "stop":
        reason = "mqtt"
        try:
            data = json.loads(payload.decode("utf-8")) if payload.strip() else None
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            data = None
        if isinstance(data, dict) and isinstance(data.get("reason"), str):
            reason = data["reason"][:200]
        return Stop(site=site, reason=reason)
    if command == "status":
        return Status(site=site)
    text, data = _text_or_json(payload, site, command)
    if not text:
        raise MqttInputError("empty_text", f"cmd/{command}: no text to {command}", site)
    if len(text) > _MAX_TEXT:
        raise MqttInputError("too_large", f"cmd/{command}: text over {_MAX_TEXT} chars", site)
    if command == "ask":
        use_docs = data.get("use_docs", True)
        if not isinstance(use_docs, bool):
            raise MqttInputError("bad_field", "cmd/ask: use_docs must be true or false", site)
        conversation = data.get("conversation", "")
        if not isinstance(conversation, str) or len(conversation) > _MAX_CONVERSATION:
            raise MqttInputError("bad_field", "cmd/ask: conversation must be a string of at "
                                 f"most {_MAX_CONVERSATION} characters", site)
        return Ask(site=site, text=text, use_docs=use_docs, conversation=conversation)
    voice = data.get("voice")
    if voice is not None and not isinstance(voice, str):
        raise MqttInputError("bad_field", "cmd/say: voice must be a string", site)
    return Say(site=site, text=text, voice=voice)


def parse_audio(site: str, payload: bytes, *, now: float) -> AudioChunk:
    """Satellite audio on ``P/<site>/audio/in``: a codec frame, or a WAV file (Hermes style)."""
    if not valid_site(site):
        raise MqttInputError("bad_site", f"site {site[:64]!r}: use 1-64 of A-Z a-z 0-9 _ . -",
                             "mqtt")
    if payload[:4] == b"RIFF":
        try:
            with wave.open(io.BytesIO(payload)) as wav:
                pcm = wav.readframes(wav.getnframes())
                rate, width, channels = (wav.getframerate(), wav.getsampwidth(),
                                         wav.getnchannels())
        # The stdlib's chunk reader raises more than wave.Error on a broken file (found by
        # fuzzing: RuntimeError from a chunk that claims more bytes than there are).
        except (wave.Error, EOFError, RuntimeError, ValueError, struct.error,
                OverflowError) as exc:
            raise MqttInputError("bad_wav", f"audio/in: unreadable WAV ({exc})", site) from None
        if (not codec.MIN_RATE <= rate <= codec.MAX_RATE or width not in (1, 2, 3, 4)
                or not 0 < channels <= codec.MAX_CHANNELS or not pcm
                or len(pcm) % (width * channels)):
            raise MqttInputError("bad_wav", f"audio/in: WAV of {rate} Hz, {width}-byte "
                                 f"samples, {channels} channel(s), {len(pcm)} bytes: not "
                                 "usable audio", site)
        return AudioChunk(site=site, time=now, audio=pcm, rate=rate, width=width,
                          channels=channels)
    try:
        event = codec.decode_frame(payload)
    except codec.CodecError as exc:
        raise MqttInputError(exc.code, f"audio/in: {exc.message}", site) from None
    if not isinstance(event, AudioChunk) or not event.audio:
        raise MqttInputError("binary_not_audio", "audio/in carries audio.chunk frames or WAV",
                             site)
    return dataclasses.replace(event, site=site, time=now)


def backoff_delay(attempt: int, *, base: float, cap: float, rng: random.Random) -> float:
    """Full-jitter exponential backoff: uniform(0, min(cap, base * 2**attempt))."""
    return rng.uniform(0.0, min(cap, base * 2 ** min(attempt, 30)))
