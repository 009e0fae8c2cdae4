"""A real `nimbus satellite` (the thin install, its own venv) against a real `nimbus run`.

The satellite's microphone is a FIFO fed with Piper speech and silence at real-time pace
(``--input-file`` on a FIFO reads raw 16 kHz PCM; no sound card here), its speaker a WAV file
(``--output-file``, written at real-time pace like a speaker). Its own Silero VAD decides what is
streamed; the daemon answers on the satellite's site, the stop phrase silences it, and a server
killed mid-answer and restarted is reconnected to and answers the next question.
"""

from __future__ import annotations

import asyncio
import subprocess
import time
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from nimbus.cli.client import DaemonClient
from nimbus.daemon.events import (
    AudioChunk,
    AudioOut,
    Command,
    PlaybackFinished,
    ResponseDone,
    Stop,
)
from nimbus.daemon.testing import DaemonProcess
from tests.conversation import Recorder, daemon_config, spoken
from tests.satellite import Microphone, free_port
from tests.thin_satellite import thin_venv

pytestmark = pytest.mark.slow

SITE = "kitchen"
WAIT = 180.0
QUESTION = "Nimbus, what is the capital of France?"
STORY = "Nimbus, tell me a long story about a dragon who lived in a cave."
EVENTS = [AudioChunk, AudioOut, Command, ResponseDone, PlaybackFinished, Stop]


@dataclass
class World:
    root: Path
    daemon: DaemonProcess
    url: str
    satellite: subprocess.Popen[bytes]
    fifo: Path
    speaker: Path
    states: Path
    log: Path

    def played_seconds(self) -> float:
        try:
            with wave.open(str(self.speaker), "rb") as wav:
                return wav.getnframes() / wav.getframerate()
        except (OSError, EOFError, wave.Error):
            return 0.0

    def full_log(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def satellite_log(self) -> str:
        """The end of the log, for assertion messages."""
        return self.full_log()[-6000:]

    def connections(self) -> int:
        return self.full_log().count("connected to")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    bin_dir = thin_venv()
    root = tmp_path_factory.mktemp("nimbus-satellite")
    state_dir, watch_dir = root / "state", root / "watched"
    state_dir.mkdir()
    watch_dir.mkdir()
    port = free_port()
    config = daemon_config(root / "nimbus.toml", state_dir=state_dir, watch_dir=watch_dir)
    # A fixed port: the restarted server must be found at the same URL.
    config.write_text(config.read_text().replace("[websocket]\nport = 0",
                                                 f"[websocket]\nport = {port}"))
    daemon = DaemonProcess(config, state_dir, log_path=root / "daemon.log")
    fifo, speaker, states, log = (root / "mic.fifo", root / "speaker.wav", root / "states.txt",
                                  root / "satellite.log")
    subprocess.run(["mkfifo", str(fifo)], check=True)
    url = daemon.start(ready_within=WAIT)
    with log.open("ab") as log_file:
        satellite = subprocess.Popen(
            [str(bin_dir / "nimbus"), "satellite", "--site", SITE, "--url", url,
             "--area", "Kitchen", "--input-file", str(fifo), "--output-file", str(speaker),
             "--state-command", f'echo "$1 $NIMBUS_AREA" >> {states}', "--reconnect-max", "1"],
            stdout=log_file, stderr=subprocess.STDOUT)
    try:
        yield World(root, daemon, url, satellite, fifo, speaker, states, log)
    finally:
        satellite.terminate()
        try:
            satellite.wait(timeout=10)
        except subprocess.TimeoutExpired:
            satellite.kill()
            satellite.wait()
        daemon.stop()


async def _connected(world: World, times: int) -> None:
    deadline = time.monotonic() + WAIT
    while world.connections() < times:
        assert world.satellite.poll() is None, world.satellite_log()
        assert time.monotonic() < deadline, world.satellite_log()
        await asyncio.sleep(0.2)


async def _answer(world: World, rec: Recorder, mic: Microphone, text: str) -> ResponseDone:
    mark = len(rec.heard)
    mic.say(spoken(text).audio)
    done = await rec.wait_for(lambda e: isinstance(e, ResponseDone) and e.site == SITE,
                              after=mark, timeout=WAIT)
    assert isinstance(done.event, ResponseDone)
    await rec.wait_for(lambda e: isinstance(e, AudioOut) and e.site == SITE and e.final,
                       after=mark, timeout=WAIT)
    return done.event


async def test_a_satellite_is_answered_stopped_and_survives_a_server_restart(
        world: World) -> None:
    await _connected(world, 1)
    async with DaemonClient(world.url, site="observer") as client, Recorder.on(client) as rec, \
            Microphone(world.fifo) as mic:
        await client.subscribe(EVENTS, sites="*")
        # Silence is not streamed: the satellite's own VAD keeps the room private.
        await asyncio.sleep(2.0)
        assert not [e for e in rec.events() if isinstance(e, AudioChunk)]

        # 1. A question is answered on the satellite's speaker.
        mark = len(rec.heard)
        done = await _answer(world, rec, mic, QUESTION)
        commands = [e for e in rec.events(mark) if isinstance(e, Command) and e.site == SITE]
        assert commands, world.satellite_log()
        assert "capital" in commands[0].text.lower() or "france" in commands[0].text.lower()
        assert not done.cancelled
        assert done.text.strip()
        spoken_s = sum(e.duration for e in rec.events(mark)
                       if isinstance(e, AudioOut) and e.site == SITE)
        assert spoken_s > 1.0
        deadline = time.monotonic() + spoken_s + 30
        while world.played_seconds() < spoken_s - 0.05:
            assert time.monotonic() < deadline, (world.played_seconds(), spoken_s)
            await asyncio.sleep(0.2)
        played = world.played_seconds()
        assert played == pytest.approx(spoken_s, abs=0.1), (played, spoken_s)
        with wave.open(str(world.speaker), "rb") as wav:
            audio = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
        assert float(np.sqrt(np.mean(audio.astype(np.float64) ** 2))) > 200, "speech"
        chunks = [e for e in rec.events(mark) if isinstance(e, AudioChunk) and e.site == SITE]
        # Only speech (with pre-roll and hang-over) went over the network, not the silence.
        assert chunks, "the observer sees the satellite's audio"
        assert len(chunks) * 512 < len(spoken(QUESTION).audio) + 16000 * 3
        states = world.states.read_text().split("\n")
        assert "thinking Kitchen" in states
        assert "speaking Kitchen" in states

        # 2. The stop phrase spoken into the satellite silences it at once.
        mark = len(rec.heard)
        before = world.played_seconds()
        mic.say(spoken(STORY).audio)
        first = await rec.wait_for(lambda e: isinstance(e, AudioOut) and e.site == SITE
                                   and bool(e.audio), after=mark, timeout=WAIT)
        assert isinstance(first.event, AudioOut)
        mic.say(spoken("Yonder.").audio)
        await rec.wait_for(lambda e: isinstance(e, Stop) and e.site == SITE, after=mark,
                           timeout=WAIT)
        await asyncio.sleep(1.0)
        settled = world.played_seconds()
        await asyncio.sleep(3.0)
        assert world.played_seconds() == settled, "nothing more reached the speaker"
        sent = sum(e.duration for e in rec.events(mark)
                   if isinstance(e, AudioOut) and e.response == first.event.response)
        assert settled - before < sent + 0.1
        assert "stop (" in world.full_log()

    # 3. The server dies mid-answer; the satellite says so, reconnects, and is answered again.
    async with DaemonClient(world.url, site="observer2") as client, \
            Recorder.on(client) as rec, Microphone(world.fifo) as mic:
        await client.subscribe(EVENTS, sites="*")
        mark = len(rec.heard)
        mic.say(spoken(STORY).audio)
        await rec.wait_for(lambda e: isinstance(e, AudioOut) and e.site == SITE
                           and bool(e.audio), after=mark, timeout=WAIT)
        world.daemon.kill()
    deadline = time.monotonic() + 30
    while "server unreachable" not in world.full_log():
        assert time.monotonic() < deadline, world.satellite_log()
        await asyncio.sleep(0.2)
    # The state command runs in its own process after the log line: wait for its write.
    while "disconnected Kitchen" not in world.states.read_text().split("\n"):
        assert time.monotonic() < deadline, world.states.read_text()
        await asyncio.sleep(0.2)
    await asyncio.to_thread(world.daemon.start, ready_within=WAIT)
    await _connected(world, 2)
    async with DaemonClient(world.url, site="observer3") as client, \
            Recorder.on(client) as rec, Microphone(world.fifo) as mic:
        await client.subscribe(EVENTS, sites="*")
        before = world.played_seconds()
        done = await _answer(world, rec, mic, QUESTION)
        assert done.text.strip()
        deadline = time.monotonic() + 60
        while world.played_seconds() <= before + 1.0:
            assert time.monotonic() < deadline, world.satellite_log()
            await asyncio.sleep(0.2)
    assert world.satellite.poll() is None, world.satellite_log()
