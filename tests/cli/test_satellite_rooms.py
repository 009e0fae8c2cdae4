"""Three rooms of one home: three real `nimbus satellite` processes (the thin install) against one
real `nimbus run` with ``arbitration.groups = ["home=kitchen,living,bedroom"]``.

Each satellite's microphone is a FIFO (``--input-file``) fed at real-time pace, its speaker a WAV
(``--output-file``). The kitchen and the living room hear the same spoken question at the same
time, the living room 12 dB quieter (further away): exactly one answer comes, on the kitchen's
speaker, and the living room goes back to idle, told that the kitchen won. The bedroom asks
something else at the same moment and is answered too. Then the kitchen and the bedroom both
hear long answers and the stop phrase said in the kitchen stops only the kitchen.
(A server killed mid-answer and restarted is `test_satellite.py`'s; not repeated here.)
"""

from __future__ import annotations

import asyncio
import contextlib
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
    ArbitrationLost,
    AudioOut,
    Command,
    CommandCandidate,
    ResponseDone,
    Stop,
)
from nimbus.daemon.testing import DaemonProcess
from tests.conversation import Recorder, daemon_config, spoken
from tests.satellite import Microphone
from tests.thin_satellite import thin_venv

pytestmark = pytest.mark.slow

ROOMS = ("kitchen", "living", "bedroom")
WAIT = 180.0
QUESTION = "Nimbus, what is the capital of France?"
OTHER = "Nimbus, how many legs does a spider have?"
STORY = "Nimbus, tell me a long story about a dragon who lived in a cave."
EXPLAIN = "Nimbus, explain how rain forms in the clouds, step by step."
EVENTS = [Command, CommandCandidate, ArbitrationLost, AudioOut, ResponseDone, Stop]


@dataclass
class Room:
    site: str
    fifo: Path
    speaker: Path
    log: Path
    process: subprocess.Popen[bytes]

    def played_seconds(self) -> float:
        try:
            with wave.open(str(self.speaker), "rb") as wav:
                return wav.getnframes() / wav.getframerate()
        except (OSError, EOFError, wave.Error):
            return 0.0

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""


@dataclass
class Home:
    daemon: DaemonProcess
    url: str
    rooms: dict[str, Room]

    def logs(self) -> str:
        return "\n".join(f"--- {r.site}\n{r.tail()}" for r in self.rooms.values()) + \
            f"\n--- daemon\n{self.daemon.log()[-4000:]}"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Home]:
    bin_dir = thin_venv()
    root = tmp_path_factory.mktemp("nimbus-rooms")
    state_dir, watch_dir = root / "state", root / "watched"
    state_dir.mkdir()
    watch_dir.mkdir()
    config = daemon_config(root / "nimbus.toml", state_dir=state_dir, watch_dir=watch_dir,
                           extra='[arbitration]\ngroups = ["home=kitchen,living,bedroom"]\n')
    daemon = DaemonProcess(config, state_dir, log_path=root / "daemon.log")
    url = daemon.start(ready_within=WAIT)
    rooms: dict[str, Room] = {}
    try:
        for site in ROOMS:  # started together: each connects on its own
            fifo, speaker, log = root / f"{site}.fifo", root / f"{site}.wav", root / f"{site}.log"
            subprocess.run(["mkfifo", str(fifo)], check=True)
            with log.open("ab") as log_file:
                process = subprocess.Popen(
                    [str(bin_dir / "nimbus"), "satellite", "--site", site, "--url", url,
                     "--area", site.title(), "--input-file", str(fifo),
                     "--output-file", str(speaker)],
                    stdout=log_file, stderr=subprocess.STDOUT)
            rooms[site] = Room(site, fifo, speaker, log, process)
        yield Home(daemon, url, rooms)
    finally:
        for room in rooms.values():
            room.process.terminate()
        for room in rooms.values():
            try:
                room.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                room.process.kill()
                room.process.wait()
        daemon.stop()


async def _all_connected(home: Home) -> None:
    deadline = time.monotonic() + WAIT
    for room in home.rooms.values():
        while "connected to" not in room.tail():
            assert room.process.poll() is None, home.logs()
            assert time.monotonic() < deadline, home.logs()
            await asyncio.sleep(0.2)


def _quieter(audio: np.ndarray, db: float) -> np.ndarray:
    return np.round(audio.astype(np.float64) * 10 ** (-db / 20)).astype(np.int16)


async def test_one_answer_in_the_room_that_heard_it_best_and_the_other_room_too(
        home: Home) -> None:
    await _all_connected(home)
    async with DaemonClient(home.url, site="observer") as client, \
            Recorder.on(client) as rec, contextlib.AsyncExitStack() as stack:
        await client.subscribe(EVENTS, sites="*")
        mics = {site: await stack.enter_async_context(Microphone(room.fifo))
                for site, room in home.rooms.items()}
        question = spoken(QUESTION).audio
        mics["kitchen"].say(question)                  # 0 dB: the user stands here
        mics["living"].say(_quieter(question, 12.0))   # -12 dB: the next room
        mics["bedroom"].say(spoken(OTHER).audio)       # someone else, at the same moment

        def done(site: str) -> bool:
            return any(isinstance(e, ResponseDone) and e.site == site for e in rec.events())

        lost = await rec.wait_for(lambda e: isinstance(e, ArbitrationLost), timeout=WAIT)
        for site in ("kitchen", "bedroom"):  # the answer's last audio follows its text
            await rec.wait_for(lambda e, s=site: isinstance(e, AudioOut) and e.site == s
                               and e.final, timeout=WAIT)
        assert done("kitchen"), home.logs()
        assert done("bedroom"), home.logs()
        assert isinstance(lost.event, ArbitrationLost)
        assert (lost.event.site, lost.event.winner) == ("living", "kitchen"), home.logs()
        assert lost.event.score < lost.event.winner_score
        deadline = time.monotonic() + 30  # the living room's satellite says who answers
        while "kitchen heard 'What is the capital of France?' better" not in \
                home.rooms["living"].tail():
            assert time.monotonic() < deadline, home.logs()
            await asyncio.sleep(0.2)
        commands = [e for e in rec.events() if isinstance(e, Command)]
        assert sorted(e.site for e in commands) == ["bedroom", "kitchen"], commands
        (kitchen,) = [e for e in commands if e.site == "kitchen"]
        assert "capital" in kitchen.text.lower() or "france" in kitchen.text.lower()
        (bedroom,) = [e for e in commands if e.site == "bedroom"]
        assert "spider" in bedroom.text.lower() or "legs" in bedroom.text.lower()
        candidates = {e.site for e in rec.events() if isinstance(e, CommandCandidate)}
        assert candidates == set(ROOMS), "all three rooms heard a command"

        # The answers reach the kitchen's and the bedroom's speakers, nothing the living room's.
        sent = {site: sum(e.duration for e in rec.events()
                          if isinstance(e, AudioOut) and e.site == site) for site in ROOMS}
        assert sent["kitchen"] > 1.0, sent
        assert sent["bedroom"] > 1.0, sent
        assert sent["living"] == 0.0
        deadline = time.monotonic() + max(sent.values()) + 30
        while any(home.rooms[s].played_seconds() < sent[s] - 0.05 for s in ("kitchen", "bedroom")):
            assert time.monotonic() < deadline, home.logs()
            await asyncio.sleep(0.2)
        assert home.rooms["living"].played_seconds() == 0.0


async def test_the_stop_phrase_in_one_room_stops_only_that_room(home: Home) -> None:
    await _all_connected(home)
    async with DaemonClient(home.url, site="observer2") as client, \
            Recorder.on(client) as rec, \
            Microphone(home.rooms["kitchen"].fifo) as kitchen, \
            Microphone(home.rooms["bedroom"].fifo) as bedroom:
        await client.subscribe(EVENTS, sites="*")
        kitchen.say(spoken(STORY).audio)
        bedroom.say(spoken(EXPLAIN).audio)
        for site in ("kitchen", "bedroom"):
            await rec.wait_for(lambda e, s=site: isinstance(e, AudioOut) and e.site == s
                               and bool(e.audio), timeout=WAIT)
        before = home.rooms["bedroom"].played_seconds()
        kitchen.say(spoken("Yonder.").audio)
        stop = await rec.wait_for(lambda e: isinstance(e, Stop), timeout=WAIT)
        assert isinstance(stop.event, Stop)
        assert stop.event.site == "kitchen", home.logs()
        answer = await rec.wait_for(lambda e: isinstance(e, ResponseDone)
                                    and e.site == "bedroom", timeout=WAIT)
        assert isinstance(answer.event, ResponseDone)
        assert not answer.event.cancelled, "the bedroom's answer went on"
        await asyncio.sleep(1.0)
        settled = home.rooms["kitchen"].played_seconds()
        await asyncio.sleep(2.0)
        assert home.rooms["kitchen"].played_seconds() == settled, "the kitchen is silent"
        assert home.rooms["bedroom"].played_seconds() > before, "the bedroom still speaks"
        assert [e.site for e in rec.events() if isinstance(e, Stop)] == ["kitchen"]
    for room in home.rooms.values():
        assert room.process.poll() is None, home.logs()
