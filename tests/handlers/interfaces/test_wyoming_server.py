"""The Wyoming server, driven as Home Assistant drives it: the `wyoming` library's own TCP client
against a real `nimbus run` on 127.0.0.1 (shipped models, a real watched folder, Piper speech).
"""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from wyoming.asr import Transcribe, Transcript, TranscriptChunk, TranscriptStart, TranscriptStop
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.client import AsyncTcpClient
from wyoming.error import Error as WyError
from wyoming.event import Event as WyEvent
from wyoming.handle import Handled, HandledChunk, HandledStart, HandledStop
from wyoming.info import Describe, Info
from wyoming.ping import Ping, Pong
from wyoming.tts import (
    Synthesize,
    SynthesizeChunk,
    SynthesizeStart,
    SynthesizeStop,
    SynthesizeStopped,
    SynthesizeVoice,
)

from nimbus.cli.client import DaemonClient
from nimbus.daemon.events import DocumentIngested, Error
from nimbus.daemon.testing import DaemonProcess
from tests.conversation import Recorder
from tests.handlers.interfaces.wyoming_daemon import WyomingDaemon
from tests.handlers.responding.test_responder import GARDEN_PAGES, make_pdf
from tests.speech import random_cuts, synthesize_speech, to_16k

pytestmark = pytest.mark.slow

WAIT = 180.0
"""Generous: the two cores are shared by the daemon's models and the test."""


@dataclass
class World:
    root: Path
    watch_dir: Path
    daemon: DaemonProcess
    url: str
    port: int
    service_name: str


@pytest.fixture(scope="module")
def world(wyoming_daemon: WyomingDaemon) -> World:
    """The package's Wyoming daemon (conftest.py), shared with the real-Home-Assistant tests."""
    d = wyoming_daemon
    return World(d.root, d.watch_dir, d.daemon, d.url, d.port, d.service_name)


async def _read_until(client: AsyncTcpClient, last: str, *, timeout: float = WAIT  # noqa: ASYNC109
                      ) -> list[WyEvent]:
    events: list[WyEvent] = []
    async with asyncio.timeout(timeout):
        while True:
            event = await client.read_event()
            assert event is not None, f"connection closed after {[e.type for e in events]}"
            events.append(event)
            if event.type in (last, "error"):
                return events


@pytest.fixture
async def client(world: World) -> AsyncIterator[AsyncTcpClient]:
    async with AsyncTcpClient("127.0.0.1", world.port) as tcp:
        yield tcp


async def test_describe_offers_asr_every_voice_and_the_responder(client: AsyncTcpClient) -> None:
    await client.write_event(Describe().event())
    (event,) = await _read_until(client, "info", timeout=10)
    info = Info.from_event(event)
    assert info.asr[0].supports_transcript_streaming
    assert info.asr[0].models[0].languages == ["en", "en_US", "en_GB"], "any English"
    assert info.tts[0].supports_synthesize_streaming
    assert sorted(v.name for v in info.tts[0].voices) == ["joe", "quick"]
    # Named as people read them, in the language the voice really speaks (Piper's en_US joe).
    assert {(v.name, v.description, tuple(v.languages)) for v in info.tts[0].voices} == {
        ("joe", "Joe", ("en_US",)), ("quick", "Quick", ("en_US",))}
    assert {p.name for p in (*info.asr, *info.tts, *info.handle)} == {"Nimbus"}
    assert info.handle[0].supports_handled_streaming
    for program in (*info.asr, *info.tts, *info.handle):
        assert program.installed
        assert program.attribution.name
        assert program.version
    await client.write_event(Ping(text="hi").event())
    (pong,) = await _read_until(client, "pong", timeout=10)
    assert Pong.from_event(pong).text == "hi"


async def test_spoken_question_is_transcribed_with_streaming_events(
        client: AsyncTcpClient) -> None:
    audio, rate = synthesize_speech("Who is the head gardener of the community garden?")
    await client.write_event(Transcribe(language="en").event())
    await client.write_event(AudioStart(rate=rate, width=2, channels=1).event())
    pcm = audio.tobytes()
    step = rate // 10 * 2  # 100 ms chunks at the voice's own rate (resampled by Nimbus)
    for offset in range(0, len(pcm), step):
        await client.write_event(AudioChunk(rate=rate, width=2, channels=1,
                                            audio=pcm[offset:offset + step]).event())
    await client.write_event(AudioStop().event())
    events = await _read_until(client, "transcript-stop")
    assert [e.type for e in events] == [
        "transcript-start", "transcript-chunk", "transcript", "transcript-stop"]
    assert TranscriptStart.is_type(events[0].type)
    assert TranscriptStop.is_type(events[3].type)
    text = Transcript.from_event(events[2]).text
    assert TranscriptChunk.from_event(events[1]).text == text
    assert "gardener" in text.lower(), text


async def test_audio_cut_anywhere_gives_the_transcript_of_whole_chunks(world: World) -> None:
    """Home Assistant's /api/stt forwards its body cut at arbitrary bytes (odd lengths too):
    the same utterance whole and in random cuts gives the same transcript, no error event,
    and a peer that hangs up right after its transcript is an ordinary close."""
    audio, rate = synthesize_speech("Please remind me to water the tomatoes tomorrow.")
    pcm = to_16k(audio, rate).astype("<i2").tobytes()
    pieces = random_cuts(pcm, np.random.default_rng(7), most=999)
    assert sum(len(p) % 2 for p in pieces) > 5

    async def transcribe(chunks: list[bytes], *, hang_up: bool) -> str:
        async with AsyncTcpClient("127.0.0.1", world.port) as tcp:
            await tcp.write_event(Transcribe(language="en").event())
            await tcp.write_event(AudioStart(rate=16000, width=2, channels=1).event())
            for chunk in chunks:
                await tcp.write_event(AudioChunk(rate=16000, width=2, channels=1,
                                                 audio=chunk).event())
            await tcp.write_event(AudioStop().event())
            # Home Assistant reads up to `transcript` and closes before `transcript-stop`.
            events = await _read_until(tcp, "transcript" if hang_up else "transcript-stop")
            return Transcript.from_event(next(e for e in events if e.type == "transcript")).text

    async with DaemonClient(world.url, site="cuts") as observer, Recorder.on(observer) as rec:
        await observer.subscribe([Error])
        whole = await transcribe([pcm[i:i + 3200] for i in range(0, len(pcm), 3200)],
                                 hang_up=False)
        cut = await transcribe(pieces, hang_up=True)
        await transcribe(pieces, hang_up=True)  # and once more after a hang-up
        await asyncio.sleep(0.5)
        assert [e for e in rec.events() if isinstance(e, Error)] == []
    assert "tomatoes" in whole.lower(), whole
    assert cut == whole


def _audio(events: list[WyEvent]) -> tuple[AudioStart, bytes]:
    starts = [AudioStart.from_event(e) for e in events if AudioStart.is_type(e.type)]
    assert len(starts) == 1, "one format per answer: exactly one audio-start"
    chunks = [AudioChunk.from_event(e) for e in events if AudioChunk.is_type(e.type)]
    assert chunks
    assert {(c.rate, c.width, c.channels) for c in chunks} == {
        (starts[0].rate, starts[0].width, starts[0].channels)}
    types = [e.type for e in events]
    assert types.index("audio-start") < types.index("audio-chunk")
    assert "audio-stop" in types
    assert types.index("audio-stop") > max(
        i for i, t in enumerate(types) if t == "audio-chunk")
    return starts[0], b"".join(c.audio for c in chunks)


async def test_synthesis_length_grows_with_the_text(world: World) -> None:
    seconds = []
    for text in ("Hello there.", "Hello there. The garden opens at nine in the morning, "
                 "and the green shed holds every tool you need."):
        async with AsyncTcpClient("127.0.0.1", world.port) as tcp:
            await tcp.write_event(Synthesize(text=text, voice=SynthesizeVoice(name="joe")).event())
            start, pcm = _audio(await _read_until(tcp, "audio-stop"))
            seconds.append(len(pcm) / (start.rate * start.width * start.channels))
    assert 0.5 < seconds[0] < seconds[1] / 2, seconds


async def test_streaming_synthesis_is_one_answer_sentence_by_sentence(
        client: AsyncTcpClient) -> None:
    await client.write_event(SynthesizeStart(voice=SynthesizeVoice(name="quick")).event())
    for piece in ("The lease ", "allows one cat. ", "Dogs need the ", "landlord's written ",
                  "consent."):
        await client.write_event(SynthesizeChunk(text=piece).event())
    await client.write_event(Synthesize(text="ignored: the whole text again").event())
    await client.write_event(SynthesizeStop().event())
    events = await _read_until(client, "synthesize-stopped")
    assert SynthesizeStopped.is_type(events[-1].type)
    assert events[-2].type == "audio-stop"
    start, pcm = _audio(events)
    assert 2.0 < len(pcm) / (start.rate * 2) < 8.0


async def test_a_question_is_handled_from_a_dropped_document(world: World) -> None:
    async with DaemonClient(world.url, site="observer") as observer, \
            Recorder.on(observer) as rec:
        await observer.subscribe([DocumentIngested])
        pdf = world.watch_dir / "garden-notes.pdf"
        draft = world.root / "garden-notes.pdf"
        make_pdf(draft, GARDEN_PAGES)
        shutil.copyfile(draft, pdf)
        await rec.wait_for(lambda e: isinstance(e, DocumentIngested) and e.path == str(pdf),
                           timeout=WAIT)
    async with AsyncTcpClient("127.0.0.1", world.port) as tcp:
        await tcp.write_event(
            Transcript(text="Who is the head gardener of the Zorvex garden?").event())
        events = await _read_until(tcp, "handled")
    types = [e.type for e in events]
    assert types[0] == "handled-start", types
    assert types[-2:] == ["handled-stop", "handled"], types
    assert HandledStart.is_type(types[0])
    assert HandledStop.is_type(types[-2])
    chunks = "".join(HandledChunk.from_event(e).text for e in events if e.type == "handled-chunk")
    answer = Handled.from_event(events[-1]).text or ""
    assert chunks.strip() == answer.strip()
    assert "Marigold" in answer or "Finch" in answer, answer


# --- bad input --------------------------------------------------------------------------------


async def _raw(port: int, data: bytes) -> list[dict[str, object]]:
    """Send raw bytes; every header line the server answers with until it closes."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(data)
        await writer.drain()
        lines = []
        async with asyncio.timeout(30):
            while line := await reader.readline():
                header = json.loads(line)
                lines.append(header)
                if header.get("data_length"):
                    header["data"] = json.loads(await reader.readexactly(header["data_length"]))
        return lines
    finally:
        writer.close()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"this is not json\n", "bad_json"),
        (b'["a", "list"]\n', "bad_header"),
        (b'{"type": "audio-chunk", "payload_length": 999999999}\n', "too_large"),
        (b'{"type": "describe", "data_length": -4}\n', "bad_header"),
        (b'{"type": "x", "pad": "' + b"a" * 70_000 + b'"}\n', "too_large"),
    ],
)
async def test_malformed_frames_get_an_error_and_the_server_keeps_serving(
        world: World, data: bytes, code: str) -> None:
    async with DaemonClient(world.url, site="watcher") as observer, Recorder.on(observer) as rec:
        await observer.subscribe([Error])
        answers = await _raw(world.port, data)
        assert [a["type"] for a in answers] == ["error"]
        assert answers[0]["data"]["code"] == code  # type: ignore[index]
        heard = await rec.wait_for(lambda e: isinstance(e, Error) and e.stage == "wyoming"
                                   and e.code == f"wyoming_{code}", timeout=30)
        assert heard.event.message  # type: ignore[attr-defined]
    async with AsyncTcpClient("127.0.0.1", world.port) as tcp:  # nothing else affected
        await tcp.write_event(Describe().event())
        assert (await _read_until(tcp, "info", timeout=10))[0].type == "info"


async def test_unknown_types_are_ignored_and_a_stall_or_disconnect_is_reported(
        world: World) -> None:
    async with DaemonClient(world.url, site="watcher2") as observer, Recorder.on(observer) as rec:
        await observer.subscribe([Error])
        async with AsyncTcpClient("127.0.0.1", world.port) as tcp:
            for _ in range(3):
                await tcp.write_event(WyEvent(type="run-wizardry", data={"x": 1}))
            await tcp.write_event(Describe().event())
            assert (await _read_until(tcp, "info", timeout=10))[0].type == "info"
        unknown = await rec.wait_for(lambda e: isinstance(e, Error)
                                     and e.code == "wyoming_unknown_type", timeout=30)
        # A peer that starts a transcription and goes quiet is dropped after idle_timeout_s.
        async with AsyncTcpClient("127.0.0.1", world.port) as tcp:
            await tcp.write_event(Transcribe().event())
            await tcp.write_event(AudioStart(rate=16000, width=2, channels=1).event())
            events = await _read_until(tcp, "error", timeout=30)
            assert WyError.from_event(events[-1]).code == "stalled"
            assert await tcp.read_event() is None, "the stalled connection is closed"
        # One that leaves mid-request is reported too.
        _reader, writer = await asyncio.open_connection("127.0.0.1", world.port)
        writer.write(b'{"type": "audio-start", "data": {"rate": 16000, "width": 2, '
                     b'"channels": 1}}\n{"type": "audio-chunk", "payload_length": 100}\nabc')
        await writer.drain()
        writer.close()
        await rec.wait_for(lambda e: isinstance(e, Error) and e.code == "wyoming_disconnected",
                           timeout=30)
        await asyncio.sleep(0.5)
        assert sum(1 for e in rec.events() if isinstance(e, Error)
                   and e.code == "wyoming_unknown_type") == 1, "logged once"
        assert "run-wizardry" in unknown.event.message  # type: ignore[attr-defined]
    async with AsyncTcpClient("127.0.0.1", world.port) as tcp:
        await tcp.write_event(Describe().event())
        assert (await _read_until(tcp, "info", timeout=10))[0].type == "info"


async def test_a_zeroconf_browser_finds_the_server(world: World) -> None:
    from zeroconf import IPVersion  # noqa: PLC0415
    from zeroconf.asyncio import AsyncServiceBrowser, AsyncZeroconf  # noqa: PLC0415

    found: asyncio.Queue[str] = asyncio.Queue()

    class Listener:
        def add_service(self, zc: object, kind: str, name: str) -> None:
            found.put_nowait(name)

        def update_service(self, zc: object, kind: str, name: str) -> None:
            return None

        def remove_service(self, zc: object, kind: str, name: str) -> None:
            return None

    browser_zc = AsyncZeroconf(ip_version=IPVersion.V4Only)
    browser = AsyncServiceBrowser(browser_zc.zeroconf, "_wyoming._tcp.local.", listener=Listener())
    try:
        name = f"{world.service_name}._wyoming._tcp.local."
        async with asyncio.timeout(30):
            while await found.get() != name:
                pass
        info = await browser_zc.async_get_service_info("_wyoming._tcp.local.", name,
                                                       timeout=10_000)
        assert info is not None
        assert info.port == world.port
        assert info.parsed_addresses() == ["127.0.0.1"]
    finally:
        await browser.async_cancel()
        await browser_zc.async_close()
