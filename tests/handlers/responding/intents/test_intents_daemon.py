"""Everyday intents through a real `nimbus run`: spoken timers that ring and survive a restart,
notes remembered across a restart, home control to a real MQTT subscriber, the time in the
configured zone, bad input refused with nothing stored, and nothing made up on the way.

One daemon per module (shipped models, a real mosquitto, WebSocket on loopback); speech is the
shipped Piper voice streamed in as a network site, whose audio.out frames are its "speaker".
"""

from __future__ import annotations

import asyncio
import json
import re
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import aiomqtt
import pytest

from nimbus.cli.client import DaemonClient
from nimbus.daemon.events import (
    Ask,
    AudioOut,
    DocumentFailed,
    Error,
    Event,
    Intent,
    PlaybackFinished,
    ResponseDone,
    ResponseStarted,
    Say,
    Stop,
    Timer,
)
from nimbus.daemon.testing import DaemonProcess
from tests.conversation import Recorder, daemon_config, speak, spoken
from tests.mosquitto import Mosquitto

pytestmark = pytest.mark.slow

ZONE = "Asia/Kolkata"
"""UTC+5:30 — not the machine's zone, and not a whole hour off it."""
WAIT = 180.0
EVENTS = [Intent, Timer, ResponseDone, Error, Say, AudioOut, Stop, PlaybackFinished]


@dataclass
class World:
    state_dir: Path
    watch_dir: Path
    daemon: DaemonProcess
    broker: Mosquitto
    url: str

    def restart(self) -> None:
        assert self.daemon.stop() == 0, self.daemon.log()
        self.url = self.daemon.start(ready_within=WAIT)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("intents")
    state_dir, watch_dir, broker_dir = root / "state", root / "watched", root / "mqtt"
    for folder in (state_dir, watch_dir, broker_dir):
        folder.mkdir()
    broker = Mosquitto(broker_dir)
    broker.start()
    config = daemon_config(root / "nimbus.toml", state_dir=state_dir, watch_dir=watch_dir,
                           mqtt_port=broker.port,
                           extra=f'[intents]\ntime_zone = "{ZONE}"\nring_s = 30\n'
                                 "ring_every_s = 3\n")
    daemon = DaemonProcess(config, state_dir, log_path=root / "daemon.log")
    try:
        url = daemon.start(ready_within=WAIT)
        yield World(state_dir, watch_dir, daemon, broker, url)
    finally:
        daemon.stop()
        broker.stop()


async def _ask(world: World, site: str, text: str) -> tuple[ResponseDone, list[Event]]:
    async with DaemonClient(world.url, site=site) as client:
        await client.subscribe([Intent, Timer, ResponseStarted, ResponseDone, Error], sites=[site])
        events = [e async for e in client.request(
            Ask(site=site, text=text), until=lambda e: isinstance(e, ResponseDone),
            timeout=WAIT)]
    done = events[-1]
    assert isinstance(done, ResponseDone)
    return done, events


async def test_timers_and_notes_work_by_voice_and_survive_a_restart(world: World) -> None:
    async with DaemonClient(world.url, site="kitchen") as client, Recorder.on(client) as rec:
        await client.subscribe(EVENTS, sites=["kitchen"])
        mark = len(rec.heard)
        await speak(client, spoken("Nimbus, set a timer for five seconds."))
        heard = await rec.wait_for(lambda e: isinstance(e, ResponseDone), after=mark,
                                   timeout=WAIT)
        done = heard.event
        assert isinstance(done, ResponseDone)
        assert done.grounding.status == "intent", done
        assert done.text == "Timer set for 5 seconds."
        await rec.wait_for(lambda e: isinstance(e, PlaybackFinished)
                           and e.response == done.cause, after=mark, timeout=WAIT)  # spoken

        ring = await rec.wait_for(lambda e: isinstance(e, Timer) and e.state == "finished",
                                  after=mark, timeout=WAIT)
        alert = await rec.wait_for(lambda e: isinstance(e, Say), after=mark, timeout=WAIT)
        assert isinstance(alert.event, Say)
        assert alert.event.text == "Your 5 second timer is done."
        await rec.wait_for(lambda e: isinstance(e, AudioOut) and bool(e.audio)
                           and e.time > ring.event.time, after=mark, timeout=WAIT)
        # The stop phrase silences it (it would otherwise ring again every 3 s for 30 s).
        await speak(client, spoken("Yonder.", lead_s=0.2), sequence=10_000)
        await rec.wait_for(lambda e: isinstance(e, Timer) and e.state == "silenced",
                           after=mark, timeout=WAIT)

        mark = len(rec.heard)
        await speak(client, spoken("Nimbus, set a pasta timer for ten minutes."),
                    sequence=20_000)
        heard = await rec.wait_for(lambda e: isinstance(e, ResponseDone), after=mark,
                                   timeout=WAIT)
        assert isinstance(heard.event, ResponseDone)
        assert heard.event.text == "Pasta timer set for 10 minutes.", heard.event

        done, events = await _ask(world, "study", "My name is Ada.")
        assert done.grounding.status == "memory"
        assert done.text == "OK, I'll remember that your name is Ada."
        notes = world.state_dir / "notes" / "notes.txt"
        assert "Your name is Ada (noted on " in notes.read_text(encoding="utf-8")
        assert not [e for e in events if isinstance(e, Error)]

    await asyncio.to_thread(world.restart)  # timers and notes are kept on disk

    async with DaemonClient(world.url, site="kitchen") as client, Recorder.on(client) as rec:
        await client.subscribe(EVENTS, sites=["kitchen"])
        mark = len(rec.heard)
        await speak(client, spoken("Nimbus, what timers do I have?"))
        heard = await rec.wait_for(lambda e: isinstance(e, ResponseDone), after=mark,
                                   timeout=WAIT)
        done = heard.event
        assert isinstance(done, ResponseDone)
        assert re.fullmatch(r"You have one timer: a pasta timer with [6-9] minutes(?: and \d+ "
                            r"seconds?)? left\.", done.text), done.text
        # The answer plays to its end first: a command said over an answer is not taken.
        await rec.wait_for(lambda e: isinstance(e, PlaybackFinished)
                           and e.response == done.cause, after=mark, timeout=WAIT)
        mark = len(rec.heard)
        await speak(client, spoken("Nimbus, cancel the pasta timer."), sequence=10_000)
        heard = await rec.wait_for(lambda e: isinstance(e, ResponseDone), after=mark,
                                   timeout=WAIT)
        assert isinstance(heard.event, ResponseDone)
        assert heard.event.text == "Pasta timer is cancelled."
        cancelled = await rec.wait_for(lambda e: isinstance(e, Timer), after=mark, timeout=WAIT)
        assert isinstance(cancelled.event, Timer)
        assert cancelled.event.state == "cancelled"
    done, _ = await _ask(world, "kitchen", "how long is left on my timer")
    assert done.text == "You have no timers set."

    done, _ = await _ask(world, "hall", "What is my name?")  # another room: one household
    assert "Ada" in done.text, done
    assert done.grounding.status == "memory"
    assert {s.path for s in done.sources} == {str(notes.resolve())}


async def test_home_control_reaches_a_real_mqtt_subscriber_and_claims_nothing_more(
        world: World) -> None:
    async with aiomqtt.Client("127.0.0.1", world.broker.port, identifier="intent-test") as mqtt:
        await mqtt.subscribe("nimbus/lounge/intent", qos=1)
        done, _ = await _ask(world, "lounge", "Turn on the kitchen lights.")
        async with asyncio.timeout(10):
            message = await anext(aiter(mqtt.messages))
    payload = json.loads(bytes(message.payload))  # type: ignore[arg-type]
    assert payload["intent"] == "home_control"
    assert payload["slots"] == {"action": "turn_on"}
    assert payload["text"] == "Turn on the kitchen lights."
    assert done.grounding.status == "home"
    assert done.text == "I've passed that on to your home automation."


@pytest.mark.parametrize("said", [
    "What time is it?",
    "Any chance you could tell me the time?",  # no rule knows it: claimed by its meaning
])
async def test_the_time_is_told_in_the_configured_zone(world: World, said: str) -> None:
    done, events = await _ask(world, "den", said)
    assert [(e.name, e.text) for e in events if isinstance(e, Intent)] == [("time", said)]
    now = datetime.now(zoneinfo.ZoneInfo(ZONE))
    found = re.fullmatch(r"It's (\d{1,2}):(\d{2}) (AM|PM)\.", done.text)
    assert found, done.text
    hour = int(found.group(1)) % 12 + (12 if found.group(3) == "PM" else 0)
    minutes = hour * 60 + int(found.group(2))
    assert abs(minutes - (now.hour * 60 + now.minute)) % (24 * 60) <= 1, (done.text, now)
    assert done.grounding.status == "intent"


@pytest.mark.parametrize("said", [
    "Set a timer for minus five minutes.", "Set a timer for 900 days.",
    "Set an alarm for 25 o'clock.", "Remind me.",
])
async def test_bad_input_is_refused_out_loud_and_nothing_is_stored(world: World,
                                                                   said: str) -> None:
    notes = world.state_dir / "notes" / "notes.txt"
    before = notes.read_text(encoding="utf-8") if notes.exists() else ""
    done, events = await _ask(world, "garage", said)
    assert done.grounding.status == "declined"
    assert [e.code for e in events if isinstance(e, Error)], "an error event says why"
    assert not [e for e in events if isinstance(e, Timer)]
    assert re.search(r"\d", done.text) is None, done.text
    assert (notes.read_text(encoding="utf-8") if notes.exists() else "") == before
    done, _ = await _ask(world, "garage", "What timers do I have?")
    assert done.text == "You have no timers set."


@pytest.mark.parametrize(("said", "status", "answer"), [
    ("What is the weather like tomorrow?", "declined",
     "I can't know that: I have no connection to live information such as the weather, news, "
     "prices or scores."),
    ("When is the Year 4 museum trip?", "not_found", "I couldn't find that in your documents."),
    ("What is the wifi password at the holiday cottage?", "not_found",
     "I couldn't find that in your documents."),
    ("Thank you.", "intent", "You're welcome."),
])
async def test_what_it_cannot_know_is_said_honestly(world: World, said: str, status: str,
                                                    answer: str) -> None:
    done, _ = await _ask(world, "porch", said)
    assert (done.grounding.status, done.text) == (status, answer)


async def test_a_question_about_a_file_it_cannot_read_names_the_file_and_why(
        world: World) -> None:
    async with DaemonClient(world.url, site="desk") as client, client.stream() as events:
        await client.subscribe([DocumentFailed])
        letter = world.watch_dir / "school-trip-letter.docx"
        await asyncio.to_thread(letter.write_bytes, b"this is not a Word file")
        async with asyncio.timeout(WAIT):
            async for event in events:
                if isinstance(event, DocumentFailed) and event.path.endswith(letter.name):
                    break
    done, _ = await _ask(world, "desk", "What does the school trip letter say?")
    assert done.text.startswith("I can't read school-trip-letter.docx: "), done.text
    assert done.grounding.status == "not_found"
