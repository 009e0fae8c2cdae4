"""Playback: one site's synthesized audio -> its local sink (speaker or WAV), on its own thread.

Publishes ``playback.started`` when a response's first audio reaches the sink and
``playback.finished`` (with the turn's stage timings) when it has drained, was stopped, or the
device failed. A failing device is reported and the response dropped; the daemon keeps serving.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from nimbus.daemon.bus import Bus
from nimbus.daemon.events import PlaybackFinished, PlaybackStarted
from nimbus.handlers.speaking.lanes import (
    NETWORK_SINK,
    ErrorReporter,
    SiteLane,
    SpokenResponse,
)
from nimbus.handlers.speaking.sinks import AudioSink, RateConverter

__all__ = ["Playback"]

log = logging.getLogger(__name__)

T = TypeVar("T")


class Playback:
    """Owns the playback thread; :meth:`play` serves one site's lane with a local sink."""

    def __init__(self, bus: Bus, *, error: ErrorReporter) -> None:
        self._bus = bus
        self._error = error
        self._player = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playback")

    async def _on(self, func: Callable[..., T], *args: object) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._player, func, *args)

    def run_blocking(self, func: Callable[[], T]) -> asyncio.Future[T]:
        """Run ``func`` on the playback thread (the thread that owns the sink)."""
        return asyncio.get_running_loop().run_in_executor(self._player, func)

    def submit(self, func: Callable[[], object]) -> None:
        self._player.submit(func)

    def close_sink(self, sink: AudioSink) -> None:
        self._player.submit(sink.close).result()

    def shutdown(self) -> None:
        self._player.shutdown(wait=True, cancel_futures=True)

    async def play(self, lane: SiteLane, sink: AudioSink) -> None:
        while True:
            item = await lane.playback.get()
            response = item.response
            if lane.abort is not None:
                await lane.abort
                lane.abort = None
            if response.cancelled() or response.finished:
                continue
            if not response.playing:
                response.playing = True
                await self._bus.publish(PlaybackStarted(
                    site=lane.site, cause=response.id, response=response.id, sink=sink.name))
            if response.local is None:
                response.local = RateConverter(item.rate, sink.rate)
            pcm = response.local.push(item.pcm)
            if item.final:
                pcm += response.local.flush()
            try:
                await self._write(lane, sink, response, pcm, final=item.final)
            except (asyncio.CancelledError, TimeoutError):
                raise
            except Exception as exc:  # the device went away mid-answer: report, stay alive
                log.warning("speaker failed: %s", exc)
                await self._error("audio_output_failed", f"the speaker failed: {exc}",
                                  site=lane.site, cause=response.id)
                response.stop()
                lane.responses.pop(response.id, None)
                await self._on(sink.abort)
                await self.finished(response, sink)

    async def _write(self, lane: SiteLane, sink: AudioSink, response: SpokenResponse, pcm: bytes, *,
                     final: bool) -> None:
        if pcm:
            if response.first_sound is None:
                response.first_sound = time.perf_counter() - response.received
            response.writing = True
            try:
                response.played_s += await self._on(
                    sink.write, pcm, response.cancel, lambda: lane.gain)
            finally:
                response.writing = False
        if response.cancelled():
            await self._on(sink.abort)
            await self.finished(response, sink)
        elif final:
            await self._on(sink.drain)
            lane.responses.pop(response.id, None)
            await self.finished(response, sink)

    async def finished(self, response: SpokenResponse, sink: AudioSink | None) -> None:
        if response.finished:
            return
        response.finished = True
        timings = {name: value for name, value in (
            ("first_audio", response.first_audio), ("first_sound", response.first_sound),
            ("total", time.perf_counter() - response.received)) if value is not None}
        if response.turn is not None:
            timings |= response.turn.timings()
        played = response.played_s
        if sink is None and response.first_audio is not None:  # the client's estimated share
            since = time.perf_counter() - response.received - response.first_audio
            played = min(response.audio_s, since)
        await self._bus.publish(PlaybackFinished(
            site=response.site, cause=response.id, response=response.id,
            sink=sink.name if sink is not None else NETWORK_SINK, cancelled=response.cancelled(),
            seconds=round(played, 3),
            timings={name: round(value, 4) for name, value in timings.items()}))
