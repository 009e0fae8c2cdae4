"""Nimbus in a real Home Assistant (2025.1.4, its own venv): the Wyoming integration (STT with a
body cut anywhere, TTS, the conversation agent with follow-ups, an Assist pipeline run) and MQTT
discovery (a named device per site, states right after discovery, Ask -> Last answer, Stop).

One Home Assistant and one wyoming-faster-whisper (the reference STT) for the module, booting
side by side; the `nimbus run` and its mosquitto are the package's (conftest.py), shared with
the Wyoming server tests. About 17 s of suite time on two shared cores.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiomqtt
import numpy as np
import pytest
from wyoming.asr import Transcript as WyTranscript
from wyoming.client import AsyncTcpClient

from nimbus.cli.client import DaemonClient
from nimbus.daemon.bus import Bus
from nimbus.daemon.config import load_config
from nimbus.daemon.events import Ask, Command, Error, ResponseDone
from nimbus.daemon.testing import DaemonProcess, EventRecorder, running
from nimbus.handlers.audio.convert import PIPELINE_RATE
from nimbus.handlers.responding.intents.handler import IntentHandler
from nimbus.handlers.responding.intents.rules import intent_for
from tests.conversation import Recorder
from tests.handlers.interfaces.wyoming_daemon import WyomingDaemon
from tests.home_assistant import (
    BACK_DOOR,
    KITCHEN_LIGHT,
    HomeAssistant,
    furnish,
    launch,
    onboard,
)
from tests.mosquitto import Mosquitto
from tests.speech import random_cuts, silence, synthesize_speech, to_16k
from tests.wyoming_servers import whisper_server

pytestmark = pytest.mark.slow

STT_HEADER = "format=wav; codec=pcm; sample_rate=16000; bit_rate=16; channel=1; language=en"
"""What Home Assistant's /api/stt wants: the language must be one the engine lists exactly."""


@dataclass
class World:
    ha: HomeAssistant
    daemon: DaemonProcess
    url: str
    """The daemon's WebSocket URL."""
    wyoming_port: int
    broker: Mosquitto
    nimbus_entry: dict[str, Any]
    mqtt_entry: dict[str, Any]


@pytest.fixture(scope="module")
def world(wyoming_daemon: WyomingDaemon,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """Home Assistant with Nimbus (the package's daemon, conftest.py), the reference
    wyoming-faster-whisper and the MQTT broker as its integrations."""
    assert shutil.which("ffmpeg"), "ffmpeg is not installed (scripts/setup.sh test installs it)"
    nimbus = wyoming_daemon
    root = tmp_path_factory.mktemp("home-assistant")
    process, url = launch(root / "ha")  # boots while wyoming-faster-whisper loads
    ha: HomeAssistant | None = None
    try:
        with whisper_server(root) as whisper:
            ha = onboard(process, url, root / "ha")
            furnish(ha)
            nimbus_entry = ha.add_wyoming("127.0.0.1", nimbus.port)
            ha.add_wyoming("127.0.0.1", int(whisper.rsplit(":", 1)[1]))
            mqtt_entry = ha.add_mqtt("127.0.0.1", nimbus.broker.port)
            yield World(ha, nimbus.daemon, nimbus.url, nimbus.port, nimbus.broker, nimbus_entry,
                        mqtt_entry)
            ha.terminate()  # stops while the whisper server does
    finally:
        if ha is not None:
            ha.stop()
        elif process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9']+", text.lower()))


def wyoming_problems(daemon: DaemonProcess) -> list[str]:
    """Warnings and errors the Wyoming server logged (each one also was an error event)."""
    return [line for line in daemon.log().splitlines()
            if "interfaces.wyoming" in line and re.search(r" (WARNING|ERROR) ", line)]


def test_wyoming_entities_are_named_and_offer_real_language_tags(world: World) -> None:
    ha = world.ha
    assert world.nimbus_entry["title"] == "Nimbus"
    ids = {e["entity_id"] for e in ha.entities_of(world.nimbus_entry["entry_id"])}
    assert {"stt.nimbus", "tts.nimbus", "conversation.nimbus"} <= ids
    assert ha.state("stt.nimbus")["attributes"]["friendly_name"] == "Nimbus"
    voices = ha.ws("tts/engine/voices", engine_id="tts.nimbus", language="en_US")["voices"]
    assert {"voice_id": "joe", "name": "Joe"} in voices
    engines = ha.ws("stt/engine/list", language="en-GB")["providers"]
    nimbus = next(e for e in engines if e["engine_id"] == "stt.nimbus")
    assert {"en", "en_US", "en_GB"} <= set(nimbus["supported_languages"])


def test_stt_with_a_body_cut_anywhere_matches_the_reference_whisper(world: World) -> None:
    ha = world.ha
    speech = to_16k(*synthesize_speech("Please remind me to water the tomatoes tomorrow."))
    pcm = np.concatenate([silence(0.2), speech, silence(0.3)]).astype("<i2").tobytes()
    pieces = random_cuts(pcm, np.random.default_rng(26), most=997)
    assert sum(len(p) % 2 for p in pieces) > 5, "pieces end inside samples"
    headers = {"X-Speech-Content": STT_HEADER, "Content-Type": "application/octet-stream"}
    before = len(wyoming_problems(world.daemon))
    nimbus = ha.stream("/api/stt/stt.nimbus", pieces, headers)
    reference = ha.stream("/api/stt/stt.faster_whisper", pieces, headers)
    assert nimbus["result"] == "success", nimbus
    assert reference["result"] == "success", reference
    assert "tomatoes" in words(reference["text"])
    assert words(nimbus["text"]) == words(reference["text"])
    assert wyoming_problems(world.daemon)[before:] == [], "HA's ordinary requests are no errors"


def test_tts_get_url_speaks_with_the_nimbus_voice(world: World) -> None:
    ha = world.ha
    reply = ha.rest("POST", "/api/tts_get_url", {
        "engine_id": "tts.nimbus", "message": "The kitchen light is on.", "language": "en_US",
        "options": {"voice": "joe", "preferred_format": "wav"}})
    audio = ha.raw("GET", reply["path"])
    assert audio[:4] == b"RIFF"
    assert len(audio) > 0.5 * 2 * 16000, "at least half a second of speech"


def _converse(ha: HomeAssistant, text: str, conversation: str | None = None) -> dict[str, Any]:
    """One turn with Nimbus's conversation agent through Home Assistant's conversation API."""
    body = {"text": text, "agent_id": "conversation.nimbus", "language": "en"}
    reply: dict[str, Any] = ha.rest("POST", "/api/conversation/process",
                                    body | ({"conversation_id": conversation}
                                            if conversation else {}))
    assert reply["response"]["response_type"] != "error", reply
    return reply


async def test_a_follow_up_in_one_home_assistant_conversation_sees_the_turn_before(
        world: World) -> None:
    """Each Home Assistant request is a new Wyoming connection (a new site). Home Assistant
    2025.1.4's wyoming 1.5.4 drops the conversation_id from the wire, so its follow-up is found
    by the peer's conversation; a peer that sends an id gets that id's conversation, whatever
    connection or interface it comes on (here a Wyoming request, then a WebSocket cmd.ask)."""
    ha = world.ha

    def ask(text: str, conversation: str | None = None) -> dict[str, Any]:
        return _converse(ha, text, conversation)

    async def handle(text: str, conversation: str) -> str:
        async with AsyncTcpClient("127.0.0.1", world.wyoming_port) as tcp:
            await tcp.write_event(WyTranscript(
                text=text, context={"conversation_id": conversation}).event())
            while (event := await tcp.read_event()) is not None:
                if event.type in ("handled", "not-handled", "error"):
                    return str(event.data.get("text", ""))
        raise AssertionError("no answer")

    follow = "And what is the capital of Germany?"
    async with DaemonClient(world.url, site="ha-watcher") as observer, \
            Recorder.on(observer) as rec:
        await observer.subscribe([ResponseDone, Error])
        first = await asyncio.to_thread(ask, "What is the capital of France?")
        conversation = first["conversation_id"]
        second = await asyncio.to_thread(ask, follow, conversation)
        await handle(follow, "a-new-conversation")
        await observer.send(Ask(site="ha-watcher", text=follow, use_docs=False,
                                conversation="a-new-conversation"))
        await rec.wait_for(lambda e: isinstance(e, ResponseDone) and e.site == "ha-watcher")
    assert second["conversation_id"] == conversation
    done = [e for e in rec.events() if isinstance(e, ResponseDone)]
    assert len(done) == 4, done
    assert done[1].prompt_tokens > done[2].prompt_tokens, "HA's first turn is in the prompt"
    assert done[3].prompt_tokens > done[2].prompt_tokens, "an id's turns, from another interface"
    assert "Paris" in first["response"]["speech"]["plain"]["speech"]
    assert "Berlin" in second["response"]["speech"]["plain"]["speech"]
    assert [e for e in rec.events() if isinstance(e, Error)] == []


def test_my_name_is_ada_then_what_is_my_name_in_one_conversation(world: World) -> None:
    """The issue's follow-up: what the user tells Nimbus through Home Assistant's conversation
    agent is remembered (a note in the household's notes) and answers the next question."""
    ha = world.ha

    def ask(text: str, conversation: str | None = None) -> dict[str, Any]:
        return _converse(ha, text, conversation)

    told = ask("My name is Ada.")
    assert told["response"]["speech"]["plain"]["speech"] == \
        "OK, I'll remember that your name is Ada."
    asked = ask("What is my name?", told["conversation_id"])
    assert "Ada" in asked["response"]["speech"]["plain"]["speech"], asked


async def test_nimbus_intent_stage_hands_home_control_to_home_assistant(
        world: World, tmp_path: Path) -> None:
    """Nimbus's intent stage with ``[homeassistant]`` set: the command goes to HA's
    conversation API, HA really acts, and what HA said is what Nimbus says (status ``home``)."""
    ha = world.ha
    config = load_config(None, environ={}, overrides=[
        f'daemon.state_dir="{tmp_path}"', f'homeassistant.url="{ha.url}"',
        f'homeassistant.token="{ha.long_lived_token()}"'])
    bus = Bus()
    intents = IntentHandler(config, bus)
    assert ha.state(KITCHEN_LIGHT)["state"] == "off"
    assert ha.state(BACK_DOOR)["state"] == "unlocked"
    async with EventRecorder(bus, ResponseDone, Error) as rec, running(intents):
        for said in ("Turn on the kitchen light.", "Lock the back door."):
            intent = intent_for(Command(site="kitchen", text=said))
            assert intent is not None
            assert intent.name == "home_control"
            mark = len(rec.events)
            await bus.publish(intent)
            done = await rec.wait_for(
                lambda e, mark=mark: isinstance(e, ResponseDone) and e in rec.events[mark:],
                within=60)
            assert isinstance(done, ResponseDone)
            assert done.grounding.status == "home"
            assert done.text.strip(), "Home Assistant's own answer is spoken"
    assert [e for e in rec.events if isinstance(e, Error)] == []
    assert await asyncio.to_thread(lambda: ha.state(KITCHEN_LIGHT)["state"]) == "on"
    assert await asyncio.to_thread(lambda: ha.state(BACK_DOOR)["state"]) == "locked"


def test_an_assist_pipeline_run_from_speech_to_speech(world: World) -> None:
    ha = world.ha
    pipeline = ha.ws("assist_pipeline/pipeline/create", name="Nimbus", language="en",
                     conversation_engine="conversation.nimbus", conversation_language="en",
                     stt_engine="stt.nimbus", stt_language="en_US", tts_engine="tts.nimbus",
                     tts_language="en_US", tts_voice="joe", wake_word_entity=None,
                     wake_word_id=None)
    speech = to_16k(*synthesize_speech("What is the capital of France?"))
    pcm = np.concatenate([silence(0.3), speech, silence(1.2)]).astype("<i2").tobytes()
    before = len(wyoming_problems(world.daemon))
    events = ha.run_pipeline(pipeline["id"], pcm, rate=PIPELINE_RATE)
    by_type = {e["type"]: e for e in events}
    assert "error" not in by_type, by_type.get("error")
    assert "capital" in words(by_type["stt-end"]["data"]["stt_output"]["text"])
    answer = by_type["intent-end"]["data"]["intent_output"]["response"]["speech"]["plain"]
    assert answer["speech"].strip()
    assert ha.raw("GET", by_type["tts-end"]["data"]["tts_output"]["url"])
    assert wyoming_problems(world.daemon)[before:] == []


def _entity(ha: HomeAssistant, entry: dict[str, Any], suffix: str) -> str:
    ids = [e["entity_id"] for e in ha.entities_of(entry["entry_id"])
           if e["entity_id"].endswith(suffix)]
    assert len(ids) == 1, ids
    return ids[0]


def test_mqtt_discovery_a_named_device_per_site_idle_at_once(world: World) -> None:
    ha = world.ha

    def devices() -> list[dict[str, Any]]:
        found = [d for d in ha.ws("config/device_registry/list")
                 if world.mqtt_entry["entry_id"] in d["config_entries"]]
        return found if len(found) >= 2 else []

    by_name = {d["name"]: d for d in ha.wait_for("both MQTT devices", devices)}
    assert {"Nimbus", "Nimbus Kitchen"} <= set(by_name)
    assert by_name["Nimbus Kitchen"]["area_id"] == "kitchen"
    state = _entity(ha, world.mqtt_entry, "nimbus_default_state")
    assert ha.wait_for("state", lambda: ha.state(state)["state"] not in (
        "unknown", "unavailable") and ha.state(state)["state"]) == "idle"
    assert ha.state(state)["attributes"]["friendly_name"] == "Nimbus State"
    kitchen = _entity(ha, world.mqtt_entry, "nimbus_kitchen_state")
    assert ha.wait_for("kitchen state", lambda: ha.state(kitchen)["state"] == "idle")


async def test_mqtt_ask_gives_the_last_answer_and_stop_is_a_button(world: World) -> None:
    ha = world.ha
    ask = _entity(ha, world.mqtt_entry, "nimbus_default_ask")
    answer = _entity(ha, world.mqtt_entry, "nimbus_default_answer")
    stop = _entity(ha, world.mqtt_entry, "nimbus_default_stop")
    await asyncio.to_thread(ha.rest, "POST", "/api/services/text/set_value",
                            {"entity_id": ask, "value": "What is the capital of France?"})
    last = await asyncio.to_thread(
        ha.wait_for, "an answer", lambda: ha.state(answer)["state"] not in (
            "unknown", "unavailable", "") and ha.state(answer), 120)
    assert "Paris" in last["state"]
    attributes = last["attributes"]
    assert set(attributes) >= {"text", "status", "sources"}
    assert attributes["status"] in ("general", "answered", "supported", "quoted")
    assert "/" not in json.dumps(attributes["sources"]), "file names, never paths"
    async with aiomqtt.Client(world.broker.host, world.broker.port) as client:
        await client.subscribe("nimbus/default/event/stop", qos=1)
        await asyncio.to_thread(ha.rest, "POST", "/api/services/button/press",
                                {"entity_id": stop})
        async with asyncio.timeout(30):
            message = await anext(aiter(client.messages))
    assert json.loads(bytes(message.payload))["reason"] == "home assistant"
