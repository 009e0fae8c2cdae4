"""A Wyoming satellite (wyoming-satellite on a Pi) as a Nimbus site: Nimbus is its controller.

Nimbus connects to the satellite (a Wyoming server, ``tcp://HOST:10700`` by convention), asks
``describe``, sends ``run-satellite``, and from then on:

* the satellite's microphone (``audio-chunk``) enters the bus as ``audio.chunk`` of the
  satellite's site (resampled to 16 kHz mono), so VAD, ASR, the action and stop phrases, the
  responder and the speaker serve it exactly like the local microphone;
* the site's spoken answer (``audio.out``) goes back as one ``audio-start`` (the voice's format),
  ``audio-chunk``s and ``audio-stop`` per answer; a ``stop`` (the stop phrase, a client) ends the
  answer at once with ``audio-stop``; final transcripts go back as ``transcript`` (satellites
  use it to re-arm);
* after an answer Nimbus waits for ``played``; a satellite that does not send it within the
  answer's length plus ``PLAYED_GRACE_S`` is reported once per connection (wyoming-satellite
  1.0.0 predates ``played``);
* ``ping`` every ``wyoming.satellite_ping_s``: once a satellite has answered a ``pong``,
  missing three is a dead link; a satellite that never answers pings is watched through TCP
  alone;
* connected / disconnected are ``satellite.state`` events; the connection is retried forever with
  full-jitter exponential backoff (0.5 s doubling, capped at ``reconnect_max_s``).

Back-pressure: the bus subscription (this site's ``audio.out``, ``transcript``, ``stop``) is
drained all the time, connected or not; audio for a disconnected satellite is dropped (counted).
Writes to a satellite that stops reading time out after ``WRITE_TIMEOUT_S`` and drop the link.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from dataclasses import dataclass, field
from typing import Final

from wyoming.asr import Transcript as WyTranscript
from wyoming.audio import AudioChunk as WyAudioChunk
from wyoming.audio import AudioStart, AudioStop
from wyoming.event import Event as WyEvent
from wyoming.info import Describe, Info
from wyoming.ping import Ping, Pong
from wyoming.pipeline import RunPipeline
from wyoming.satellite import RunSatellite
from wyoming.snd import Played

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import Config, WyomingSatelliteConfig
from nimbus.daemon.events import (
    AudioChunk,
    AudioOut,
    Error,
    Event,
    SatelliteState,
    Stop,
    Transcript,
)
from nimbus.handlers.audio.convert import PIPELINE_RATE, Resampler
from nimbus.handlers.interfaces.wyoming.wire import Limits, read_event, write_event

__all__ = ["PLAYED_GRACE_S", "WyomingSatellite"]

log = logging.getLogger(__name__)

STAGE: Final = "wyoming-satellite"
PLAYED_GRACE_S: Final = 5.0
WRITE_TIMEOUT_S: Final = 10.0
DESCRIBE_TIMEOUT_S: Final = 10.0
CONNECT_TIMEOUT_S: Final = 10.0


class SatelliteGone(Exception):
    """The link to the satellite is unusable; reconnect."""


@dataclass(slots=True, eq=False)
class _Link:
    """One live connection to the satellite."""

    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    playing: str | None = None
    """The response whose audio is being sent (between audio-start and audio-stop)."""
    playing_s: float = 0.0
    played: asyncio.Event = field(default_factory=asyncio.Event)
    last_pong: float | None = None
    no_played_reported: bool = False
    write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    broken: asyncio.Event = field(default_factory=asyncio.Event)
    up: bool = False
    """run-satellite was sent: the satellite was reachable and working."""
    stopped_at: float = float("-inf")
    """Time of the last site-wide stop: audio made before it is stale (the control lane
    overtakes audio already queued for us)."""
    stopped: set[str] = field(default_factory=set)
    """Responses stopped by a targeted stop."""


class WyomingSatellite:
    """Drives one ``[[wyoming.satellites]]`` entry (see the module docstring)."""

    def __init__(self, config: Config, satellite: WyomingSatelliteConfig, bus: Bus) -> None:
        self._config = config
        self._satellite = satellite
        self._bus = bus
        self.site = satellite.site
        self.name = f"wyoming-satellite:{satellite.site}"
        host, _, port = satellite.uri.removeprefix("tcp://").rpartition(":")
        self._host, self._port = host.strip("[]"), int(port)
        self._limits = Limits(config.wyoming.max_header_bytes, config.wyoming.max_payload_bytes,
                              stall_s=config.wyoming.idle_timeout_s)
        self._reconnect_max_s = config.wyoming.reconnect_max_s
        self._ping_s = config.wyoming.satellite_ping_s
        self._link: _Link | None = None
        self._sequence = 0
        self.dropped_audio = 0
        self.connections = 0
        self.connected = asyncio.Event()

    async def prepare(self) -> None:
        return None

    async def run(self) -> None:
        async with (
            self._bus.subscribe(AudioOut, Transcript, Stop, sites=[self.site], maxsize=1024,
                                name=self.name) as events,
            asyncio.TaskGroup() as tg,
        ):
            tg.create_task(self._keep_connected(), name=f"{self.name}:link")
            async for event in events:
                link = self._link
                if link is None or link.broken.is_set():
                    if isinstance(event, AudioOut) and event.audio:
                        self.dropped_audio += 1
                    continue
                try:
                    await self._to_satellite(link, event)
                except (SatelliteGone, ConnectionError, TimeoutError, RuntimeError) as exc:
                    log.warning("satellite %s: write failed: %s", self.site, exc)
                    link.broken.set()

    # --- the connection ----------------------------------------------------------------------

    async def _keep_connected(self) -> None:
        delay = 0.5
        reported = False
        while True:
            try:
                async with asyncio.timeout(CONNECT_TIMEOUT_S):
                    reader, writer = await asyncio.open_connection(
                        self._host, self._port, limit=self._limits.header_bytes + 1)
            except (OSError, TimeoutError) as exc:
                if not reported:  # once per outage, not once per retry
                    reported = True
                    await self._gone(f"cannot connect to {self._satellite.uri}: {exc}")
                await asyncio.sleep(random.uniform(0, delay))
                delay = min(delay * 2, self._reconnect_max_s)
                continue
            link = _Link(reader, writer)
            try:
                await self._serve(link)
                reason = "the satellite closed the connection"
            except (SatelliteGone, ConnectionError, asyncio.IncompleteReadError,
                    TimeoutError) as exc:
                reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            except Exception as exc:
                log.exception("satellite %s: unexpected failure", self.site)
                reason = f"{type(exc).__name__}: {exc}"
            finally:
                self._link = None
                self.connected.clear()
                writer.close()
                with contextlib.suppress(ConnectionError, OSError):
                    await writer.wait_closed()
            if link.up:
                delay = 0.5  # it was working: retry soon, then back off again
            reported = True
            await self._gone(reason)
            await asyncio.sleep(random.uniform(0, delay))
            delay = min(delay * 2, self._reconnect_max_s)

    async def _gone(self, reason: str) -> None:
        log.warning("satellite %s (%s) unavailable: %s", self.site, self._satellite.uri, reason)
        await self._bus.publish(SatelliteState(
            site=self.site, state="disconnected", uri=self._satellite.uri,
            area=self._satellite.area, message=reason))
        await self._bus.publish(Error(site=self.site, stage=STAGE, code="satellite_unavailable",
                                      message=f"{self._satellite.uri}: {reason}"))

    async def _send(self, link: _Link, event: WyEvent) -> None:
        async with link.write_lock, asyncio.timeout(WRITE_TIMEOUT_S):
            await write_event(event, link.writer)

    async def _serve(self, link: _Link) -> None:
        await self._send(link, Describe().event())
        name = ""
        async with asyncio.timeout(DESCRIBE_TIMEOUT_S):
            while True:
                event = await read_event(link.reader, self._limits)
                if event is None:
                    raise SatelliteGone("closed before answering describe")
                if Info.is_type(event.type):
                    info = Info.from_event(event)
                    name = info.satellite.name if info.satellite else ""
                    break
        await self._send(link, RunSatellite().event())
        self._link = link
        link.up = True
        self.connections += 1
        self.connected.set()
        log.info("satellite %s connected: %s (%s)", self.site, name or "?", self._satellite.uri)
        await self._bus.publish(SatelliteState(
            site=self.site, state="connected", uri=self._satellite.uri, name=name,
            area=self._satellite.area, message="run-satellite sent"))
        async with asyncio.TaskGroup() as tg:
            pinger = tg.create_task(self._ping(link), name=f"{self.name}:ping")
            try:
                await self._listen(link)
            finally:
                pinger.cancel()

    async def _listen(self, link: _Link) -> None:
        resampler: Resampler | None = None
        ignored: set[str] = set()
        while not link.broken.is_set():
            read = asyncio.ensure_future(read_event(link.reader, self._limits))
            broken = asyncio.ensure_future(link.broken.wait())
            try:
                await asyncio.wait({read, broken}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                broken.cancel()
            if not read.done():
                read.cancel()
                raise SatelliteGone("link marked broken")
            event = read.result()
            if event is None:
                return
            kind = event.type
            if WyAudioChunk.is_type(kind):
                chunk = WyAudioChunk.from_event(event)
                if resampler is None or (resampler.rate, resampler.channels, resampler.width) \
                        != (chunk.rate, chunk.channels, chunk.width):
                    resampler = Resampler(chunk.rate, channels=chunk.channels, width=chunk.width)
                pcm = resampler.push(chunk.audio)
                if pcm.size:
                    await self._bus.publish(AudioChunk(
                        site=self.site, audio=pcm.astype("<i2").tobytes(), rate=PIPELINE_RATE,
                        sequence=self._sequence))
                    self._sequence += 1
            elif Played.is_type(kind):
                link.played.set()
            elif Pong.is_type(kind):
                link.last_pong = time.monotonic()
            elif RunPipeline.is_type(kind):
                log.info("satellite %s runs a pipeline: %s", self.site, event.data)
            elif kind not in ignored:
                ignored.add(kind)
                log.debug("satellite %s: %s ignored", self.site, kind)

    async def _ping(self, link: _Link) -> None:
        while True:
            await asyncio.sleep(self._ping_s)
            if link.last_pong is not None and time.monotonic() - link.last_pong > 3 * self._ping_s:
                log.warning("satellite %s: no pong for %.0f s: reconnecting", self.site,
                            time.monotonic() - link.last_pong)
                link.broken.set()
                return
            try:
                await self._send(link, Ping().event())
            except (ConnectionError, TimeoutError, RuntimeError):
                link.broken.set()
                return

    # --- the bus -> the satellite ------------------------------------------------------------

    async def _to_satellite(self, link: _Link, event: Event) -> None:
        match event:
            case AudioOut():
                await self._audio_out(link, event)
            case Transcript(final=True, text=text) if text:
                await self._send(link, WyTranscript(text=text).event())
            case Stop(target=target):
                if target is None:
                    link.stopped_at = max(link.stopped_at, event.time)
                else:
                    link.stopped.add(target)
                if link.playing is not None and target in (None, link.playing):
                    link.stopped.add(link.playing)
                    link.playing = None
                    await self._send(link, AudioStop().event())

    async def _audio_out(self, link: _Link, out: AudioOut) -> None:
        if out.time < link.stopped_at or out.response in link.stopped:
            return  # made before a stop that has already silenced it
        if out.response != link.playing:
            if not out.audio:  # the end of an answer that was stopped or never sent
                return
            if link.playing is not None:  # a newer answer supersedes the one being sent
                await self._send(link, AudioStop().event())
            link.playing, link.playing_s = out.response, 0.0
            link.played.clear()
            await self._send(link, AudioStart(rate=out.rate, width=out.width,
                                              channels=out.channels).event())
        if out.audio:
            await self._send(link, WyAudioChunk(rate=out.rate, width=out.width,
                                                channels=out.channels, audio=out.audio).event())
            link.playing_s += out.duration
        if out.final:
            link.playing = None
            await self._send(link, AudioStop().event())
            asyncio.get_running_loop().create_task(
                self._await_played(link, link.playing_s), name=f"{self.name}:played")

    async def _await_played(self, link: _Link, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(link.played.wait(), seconds + PLAYED_GRACE_S)
            return
        if link.no_played_reported or link.broken.is_set():
            return
        link.no_played_reported = True
        message = (f"no 'played' within {seconds + PLAYED_GRACE_S:.1f} s of an answer's end "
                   "(older satellites never send it): playback end is estimated from its length")
        log.warning("satellite %s: %s", self.site, message)
        await self._bus.publish(Error(site=self.site, stage=STAGE, code="satellite_no_played",
                                      message=message))

    def snapshot(self) -> dict[str, object]:
        return {"uri": self._satellite.uri, "connected": self.connected.is_set(),
                "connections": self.connections, "dropped_audio": self.dropped_audio}
