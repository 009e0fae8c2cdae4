"""The satellite controller against a satellite that speaks the newer protocol (``played``,
``pong``): PyPI only has wyoming-satellite 1.0.0, which predates both, so this peer is written
here with the ``wyoming`` library's own event reader and writer over real TCP. It answers
``describe`` and ``ping``, streams 16 kHz audio after ``run-satellite``, and reports ``played``
after each ``audio-stop`` - until told to go quiet.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from wyoming.audio import AudioChunk as WyAudioChunk
from wyoming.event import Event as WyEvent
from wyoming.event import async_read_event, async_write_event
from wyoming.info import Attribution, Info, Satellite
from wyoming.ping import Pong
from wyoming.pipeline import PipelineStage, RunPipeline
from wyoming.snd import Played

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import load_config
from nimbus.daemon.events import AudioChunk, AudioOut, Error, SatelliteState, Stop
from nimbus.daemon.testing import EventRecorder, running
from nimbus.handlers.interfaces.wyoming.controller import WyomingSatellite


@dataclass
class Peer:
    """A protocol-complete satellite on 127.0.0.1 (see the module docstring)."""

    answer_pings: bool = True
    send_played: bool = True
    received: list[WyEvent] = field(default_factory=list)
    connections: int = 0
    port: int = 0
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        streaming: asyncio.Task[None] | None = None
        try:
            while (event := await async_read_event(reader)) is not None:
                async with self.changed:
                    self.received.append(event)
                    self.changed.notify_all()
                if event.type == "describe":
                    info = Info(satellite=Satellite(
                        name="peer", attribution=Attribution(name="test", url=""),
                        installed=True, description="protocol peer", version="1"))
                    await async_write_event(info.event(), writer)
                elif event.type == "run-satellite":
                    await async_write_event(RunPipeline(start_stage=PipelineStage.WAKE,
                                                        end_stage=PipelineStage.TTS).event(),
                                            writer)
                    streaming = asyncio.create_task(self._stream(writer))
                elif event.type == "ping" and self.answer_pings:
                    await async_write_event(Pong().event(), writer)
                elif event.type == "audio-stop" and self.send_played:
                    await async_write_event(Played().event(), writer)
        except ConnectionError:
            pass
        finally:
            if streaming is not None:
                streaming.cancel()
            writer.close()

    @staticmethod
    async def _stream(writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            for _ in range(5):
                await async_write_event(WyAudioChunk(rate=16000, width=2, channels=1,
                                                     audio=bytes(2048)).event(), writer)
                await asyncio.sleep(0.05)

    async def wait(self, count: int, kind: str, within: float = 10) -> list[WyEvent]:
        async with asyncio.timeout(within), self.changed:
            await self.changed.wait_for(
                lambda: sum(e.type == kind for e in self.received) >= count)
            return [e for e in self.received if e.type == kind]


@pytest.fixture
async def peer() -> AsyncIterator[Peer]:
    satellite = Peer()
    server = await asyncio.start_server(satellite.serve, "127.0.0.1", 0)
    satellite.port = server.sockets[0].getsockname()[1]
    async with server:
        yield satellite


def _controller(peer: Peer, state: Path) -> tuple[Bus, WyomingSatellite]:
    config = load_config(None, environ={}, overrides=[
        f'daemon.state_dir="{state}"', "wyoming.satellite_ping_s=0.2",
        "wyoming.reconnect_max_s=0.5",
        f'wyoming.satellites=[{{uri="tcp://127.0.0.1:{peer.port}", site="attic", '
        'area="Attic"}]'])
    bus = Bus()
    return bus, WyomingSatellite(config, config.wyoming.satellites[0], bus)


async def test_answers_wait_for_played_and_a_stop_ends_them(peer: Peer, tmp_path: Path) -> None:
    bus, controller = _controller(peer, tmp_path)
    async with EventRecorder(bus) as seen, running(controller):
        state = await seen.wait_for(lambda e: isinstance(e, SatelliteState)
                                    and e.state == "connected")
        assert state.name == "peer"  # type: ignore[attr-defined]
        mic = await seen.wait_for(lambda e: isinstance(e, AudioChunk) and e.site == "attic")
        assert len(mic.audio) == 2048  # type: ignore[attr-defined]
        for index, final in ((0, False), (1, False), (2, True)):
            await bus.publish(AudioOut(site="attic", audio=b"" if final else bytes(4410),
                                       rate=22050, index=index, final=final, response="r1"))
        starts = await peer.wait(1, "audio-start")
        assert (starts[0].data["rate"], starts[0].data["width"]) == (22050, 2)
        await peer.wait(1, "audio-stop")
        assert sum(e.type == "audio-chunk" for e in peer.received) == 2
        # A second answer is cut by a stop: audio-stop at once, nothing after it.
        await bus.publish(AudioOut(site="attic", audio=bytes(4410), rate=22050, index=0,
                                   response="r2"))
        await peer.wait(2, "audio-start")
        await bus.publish(Stop(site="attic", reason="test"))
        await peer.wait(2, "audio-stop")
        # Audio made before a stop reaches us after it (stop takes the control lane): dropped.
        await bus.publish(AudioOut(site="attic", audio=bytes(4410), rate=22050, index=1,
                                   response="r2"))
        late = AudioOut(site="attic", audio=bytes(4410), rate=22050, index=0, response="r3")
        await bus.publish(Stop(site="attic", reason="test"))
        await bus.publish(late)
        await bus.publish(AudioOut(site="attic", audio=b"", rate=22050, index=1, final=True,
                                   response="r2"))
        await asyncio.sleep(0.5)
        assert sum(e.type == "audio-chunk" for e in peer.received) == 3
        assert sum(e.type == "audio-start" for e in peer.received) == 2
        assert sum(e.type == "audio-stop" for e in peer.received) == 2
        await asyncio.sleep(5.5)  # past the played grace: this peer sent played, so no error
        assert not [e for e in seen.events if isinstance(e, Error)]


async def test_missed_pongs_drop_the_link_and_it_comes_back(peer: Peer, tmp_path: Path) -> None:
    bus, controller = _controller(peer, tmp_path)
    async with EventRecorder(bus) as seen, running(controller):
        await seen.wait_for(lambda e: isinstance(e, SatelliteState) and e.state == "connected")
        await peer.wait(2, "ping")
        peer.answer_pings = False
        gone = await seen.wait_for(lambda e: isinstance(e, SatelliteState)
                                   and e.state == "disconnected")
        assert gone.site == "attic"
        peer.answer_pings = True
        await seen.wait_for(lambda e: isinstance(e, SatelliteState) and e.state == "connected"
                            and e.id != gone.id and e.time > gone.time)
        assert peer.connections == 2
        assert controller.connections == 2
