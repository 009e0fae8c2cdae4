"""End to end: a spoken conversation with a real `nimbus run`, driven only from outside.

The daemon is a subprocess with a temp config: the shipped models, a temp watched folder, a real
store, WebSocket and MQTT (a real mosquitto) on loopback. Speech made by the shipped Piper voice
is streamed in over WebSocket as a site of its own, paced like a microphone; the answer comes
back as events and audio frames. There is no sound card here, so the "speaker" is the network
site itself: audio.out frames are what a browser or satellite would play.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import aiomqtt
import pytest

from nimbus.cli.client import DaemonClient
from nimbus.daemon.config import load_config
from nimbus.daemon.events import (
    ALL_EVENTS,
    Ask,
    AudioChunk,
    AudioOut,
    Command,
    DocumentIngested,
    Event,
    PhraseHeard,
    PlaybackFinished,
    ResponseDelta,
    ResponseDone,
    ResponseStarted,
    Search,
    SearchResults,
    Sentence,
    SpeechEnded,
    SpeechSegment,
    SpeechStarted,
    Stop,
    Transcript,
)
from nimbus.daemon.testing import DaemonProcess
from nimbus.watchfolders.sqlite import connect
from tests.conversation import Recorder, daemon_config, speak, spoken
from tests.handlers.responding.test_responder import GARDEN_PAGES, make_pdf
from tests.mosquitto import MOSQUITTO, Mosquitto

pytestmark = pytest.mark.slow

QUESTION = "Nimbus, who is the head gardener of the Zorvex garden?"
"""Only page 2 of garden-notes.pdf knows (Marigold Finch)."""
STORY = "Nimbus, tell me a long story about a dragon who lived in a cave."
WAIT = 180.0
"""Generous: the two cores are shared by the daemon's models and the test."""

WATCHED_EVENTS = [cls for cls in ALL_EVENTS if cls not in (AudioChunk, SpeechSegment)]
"""Everything but the (echoed) microphone audio."""


@dataclass
class World:
    root: Path
    state_dir: Path
    watch_dir: Path
    config_path: Path
    daemon: DaemonProcess
    broker: Mosquitto
    url: str

    @property
    def pdf(self) -> Path:
        return self.watch_dir / "garden-notes.pdf"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    if not Path(MOSQUITTO).exists():
        pytest.skip("mosquitto is not installed (scripts/setup.sh installs it)")
    root = tmp_path_factory.mktemp("e2e")
    state_dir, watch_dir, broker_dir = root / "state", root / "watched", root / "mqtt"
    for folder in (state_dir, watch_dir, broker_dir):
        folder.mkdir()
    broker = Mosquitto(broker_dir)
    broker.start()
    config_path = daemon_config(root / "nimbus.toml", state_dir=state_dir, watch_dir=watch_dir,
                                mqtt_port=broker.port)
    daemon = DaemonProcess(config_path, state_dir, log_path=root / "daemon.log")
    try:
        url = daemon.start(ready_within=WAIT)
        yield World(root, state_dir, watch_dir, config_path, daemon, broker, url)
    finally:
        daemon.stop()
        broker.stop()


def _first(events: list[Event], check: type[Event] | tuple[type[Event], ...],
           when: object = None) -> int:
    for index, event in enumerate(events):
        if isinstance(event, check) and (when is None or when(event)):  # type: ignore[operator]
            return index
    raise AssertionError(f"no {check} in {[e.type.value for e in events]}")


async def _ensure_pdf(world: World, client: DaemonClient, rec: Recorder) -> None:
    """Drop the PDF into the watched folder (once per module) and wait until it is indexed."""
    if world.pdf.exists():
        return
    mark = len(rec.heard)
    draft = world.root / "garden-notes.pdf"
    make_pdf(draft, GARDEN_PAGES)
    shutil.copyfile(draft, world.pdf)  # a plain copy, as a user's file manager does
    heard = await rec.wait_for(
        lambda e: isinstance(e, DocumentIngested) and e.path == str(world.pdf), after=mark,
        timeout=WAIT)
    assert isinstance(heard.event, DocumentIngested)
    assert heard.event.pages == 2
    assert heard.event.chunks >= 1


async def _answer_done(rec: Recorder, site: str, after: int) -> ResponseDone:
    heard = await rec.wait_for(lambda e: isinstance(e, ResponseDone) and e.site == site,
                               after=after, timeout=WAIT)
    assert isinstance(heard.event, ResponseDone)
    return heard.event


async def _audio_end(rec: Recorder, response: str, after: int) -> AudioOut:
    heard = await rec.wait_for(
        lambda e: isinstance(e, AudioOut) and e.response == response and e.final, after=after,
        timeout=WAIT)
    assert isinstance(heard.event, AudioOut)
    return heard.event


async def test_a_spoken_question_about_a_dropped_pdf_is_answered_aloud_citing_it(
        world: World) -> None:
    async with DaemonClient(world.url, site="kitchen") as client, Recorder.on(client) as rec:
        await client.subscribe(WATCHED_EVENTS)
        await _ensure_pdf(world, client, rec)

        mark = len(rec.heard)
        await speak(client, spoken(QUESTION))
        done = await _answer_done(rec, "kitchen", mark)
        started = next(e for e in rec.events(mark)
                       if isinstance(e, ResponseStarted) and e.id == done.cause)
        await _audio_end(rec, started.id, mark)
        # The client plays the frames in real time: playback ends once that time has passed.
        await rec.wait_for(lambda e: isinstance(e, PlaybackFinished)
                           and e.response == started.id, after=mark, timeout=WAIT)

    events = [e for e in rec.events(mark) if e.site == "kitchen"]
    order = [
        _first(events, SpeechStarted),
        _first(events, SpeechEnded),
        _first(events, Transcript, lambda e: e.final),
        _first(events, PhraseHeard, lambda e: e.kind == "action"),
        _first(events, Command),
        _first(events, ResponseStarted),
        _first(events, ResponseDelta),
        _first(events, Sentence),
        _first(events, AudioOut, lambda e: bool(e.audio)),
    ]
    assert order == sorted(order), [events[i].type.value for i in order]
    command = events[order[4]]
    assert isinstance(command, Command)
    assert command.origin == "voice"
    assert "gardener" in command.text.lower()
    assert "nimbus" not in command.text.lower(), "the action phrase is not part of the command"

    assert not done.cancelled
    assert any(word in done.text for word in ("Marigold", "Finch")), done.text
    assert [s.path for s in done.sources][:1] == [str(world.pdf)], done.sources
    assert any(s.page == 2 for s in done.sources if s.path == str(world.pdf))

    audio = [e for e in events if isinstance(e, AudioOut) and e.response == started.id]
    assert [e.index for e in audio] == list(range(len(audio))), "no dropped or reordered audio"
    spoken_s = sum(e.duration for e in audio)
    assert spoken_s > 1.0, "the answer was spoken"
    sentences = [e for e in events if isinstance(e, Sentence) and e.cause == started.id]
    assert {e.text for e in audio if e.audio} <= {s.text for s in sentences}

    finished = [e for e in events if isinstance(e, PlaybackFinished)
                and e.response == started.id]
    assert len(finished) == 1
    assert not finished[0].cancelled
    timings = finished[0].timings
    for stage in ("speech_end_to_transcript", "speech_end_to_first_token",
                  "speech_end_to_first_sentence", "speech_end_to_first_audio"):
        assert stage in timings, timings
    assert (0 < timings["speech_end_to_transcript"] <= timings["speech_end_to_first_token"]
            <= timings["speech_end_to_first_sentence"] <= timings["speech_end_to_first_audio"])


async def test_the_stop_phrase_silences_the_spoken_answer_then_the_next_question_works(
        world: World) -> None:
    async with DaemonClient(world.url, site="hall") as client, Recorder.on(client) as rec:
        await client.subscribe(WATCHED_EVENTS, sites=["hall"])
        await _ensure_pdf(world, client, rec)

        mark = len(rec.heard)
        await speak(client, spoken(STORY, tail_s=0.6))
        first_audio = await rec.wait_for(
            lambda e: isinstance(e, AudioOut) and bool(e.audio), after=mark, timeout=WAIT)
        assert isinstance(first_audio.event, AudioOut)
        response = first_audio.event.response
        assert response is not None

        await speak(client, spoken("Yonder.", lead_s=0.2), sequence=10_000)
        stop_heard = await rec.wait_for(lambda e: isinstance(e, Stop), after=mark,
                                        timeout=WAIT)
        stop = stop_heard.event
        assert stop.site == "hall"
        finished = await rec.wait_for(
            lambda e: isinstance(e, PlaybackFinished) and e.response == response, after=mark,
            timeout=30)
        assert isinstance(finished.event, PlaybackFinished)
        assert finished.event.cancelled, "the spoken answer is marked cancelled"
        await asyncio.sleep(1.0)  # anything still on its way would arrive now

        after_stop = [e for e in rec.events(mark) if isinstance(e, AudioOut)
                      and e.response == response and e.time > stop.time]
        assert after_stop == [], "no audio is made for the answer after the stop"
        assert not any(isinstance(e, AudioOut) and e.response == response and e.final
                       for e in rec.events(mark)), "the answer did not play to its end"
        story_audio = [e for e in rec.events(mark)
                       if isinstance(e, AudioOut) and e.response == response]
        story_done = [e for e in rec.events(mark)
                      if isinstance(e, ResponseDone) and e.cause == response]
        spoken_s = sum(e.duration for e in story_audio)
        full_s = len(story_done[0].text.split()) / 4.0 if story_done else float("inf")
        assert spoken_s < full_s, "cut off well before the whole story was sent"

        mark = len(rec.heard)
        await speak(client, spoken(QUESTION), sequence=20_000)
        done = await _answer_done(rec, "hall", mark)
        assert not done.cancelled
        # Grounded again: the right page was retrieved. The wording is not asserted here: the
        # hall's memory now holds the story as far as it got before the stop (a timing-dependent
        # length), and the 135M model's answer varies with it (seen once: "Rev. Zorvik ...").
        # The first test checks the answer's words with a clean memory.
        assert any(s.path == str(world.pdf) and s.page == 2 for s in done.sources), done.sources
        assert done.text.strip()
        await _audio_end(rec, done.cause or "", mark)


async def test_a_question_over_mqtt_is_answered_on_mqtt_and_websocket(world: World) -> None:
    async with (
        DaemonClient(world.url, site="observer") as client,
        Recorder.on(client) as rec,
        aiomqtt.Client("127.0.0.1", world.broker.port, identifier="e2e-test") as mqtt,
    ):
        await client.subscribe([ResponseDone, ResponseStarted], sites=["garage"])
        await _ensure_pdf(world, client, rec)
        await mqtt.subscribe("nimbus/garage/event/response.done", qos=1)
        mark = len(rec.heard)
        await mqtt.publish("nimbus/garage/cmd/ask",
                           "Who is the head gardener of the Zorvex garden?", qos=1)
        async with asyncio.timeout(WAIT):
            message = await anext(aiter(mqtt.messages))
        on_ws = await _answer_done(rec, "garage", mark)
    payload = json.loads(bytes(message.payload))  # type: ignore[arg-type]
    assert payload["type"] == "response.done"
    assert payload["id"] == on_ws.id
    assert payload["text"] == on_ws.text
    assert any(word in on_ws.text for word in ("Marigold", "Finch")), on_ws.text
    assert payload["sources"][0]["path"] == str(world.pdf)


async def test_sigterm_during_an_answer_exits_cleanly_and_a_restart_picks_up(
        world: World) -> None:
    lease = world.watch_dir / "lease.txt"
    async with DaemonClient(world.url, site="study") as client, Recorder.on(client) as rec:
        await client.subscribe(WATCHED_EVENTS, sites=["study"])
        await _ensure_pdf(world, client, rec)
        mark = len(rec.heard)
        await client.send(Ask(site="study", text="Tell me a long story about a dragon."))
        await rec.wait_for(lambda e: isinstance(e, ResponseDelta), after=mark, timeout=WAIT)
        # A file dropped just before the stop: its ingest must survive the shutdown.
        lease.write_text("Lease terms. Pets: one cat is allowed, no dogs. The deposit is "
                         "eight hundred euros.", encoding="utf-8")
        code = await asyncio.to_thread(world.daemon.stop, within=30)
    assert code == 0, world.daemon.log()
    assert "Traceback" not in world.daemon.log()

    config = load_config(world.config_path, environ={})
    conn = connect(config.store_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        conn.execute("INSERT INTO chunks_fts(chunks_fts) VALUES ('integrity-check')")
        ingests = dict(conn.execute("SELECT path, ingests FROM documents").fetchall())
    finally:
        conn.close()
    assert ingests.get(str(world.pdf)) == 1

    world.url = world.daemon.start(ready_within=WAIT)
    async with DaemonClient(world.url, site="study") as client, Recorder.on(client) as rec:
        await client.subscribe(WATCHED_EVENTS, sites=None)
        for _ in range(int(WAIT / 0.5)):  # the lease is ingested after the restart
            search = Search(site="study", query="Are dogs allowed under the lease?", k=3)
            found = [e async for e in client.request(
                search, until=lambda e: isinstance(e, SearchResults), timeout=WAIT)]
            results = found[-1]
            assert isinstance(results, SearchResults)
            if any(hit.path == str(lease) for hit in results.hits):
                break
            await asyncio.sleep(0.5)
        else:
            pytest.fail(f"lease.txt never became searchable:\n{world.daemon.log()}")

        mark = len(rec.heard)
        await client.send(Ask(site="study", text="Who is the head gardener of the Zorvex garden?"))
        done = await _answer_done(rec, "study", mark)
    assert not done.cancelled
    assert any(word in done.text for word in ("Marigold", "Finch")), done.text

    conn = connect(config.store_path)
    try:
        ingests = dict(conn.execute("SELECT path, ingests FROM documents").fetchall())
    finally:
        conn.close()
    assert ingests[str(world.pdf)] == 1, "the unchanged PDF was not embedded again"
    assert ingests[str(lease)] == 1
