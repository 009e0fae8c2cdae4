"""The microphone source: PyAudio capture on a reader thread -> AudioChunk events for one site.

With echo cancellation (``audio.echo_cancel``) the reader thread cleans each chunk of what the
local speaker played before handing it to the loop.

A missing device is not fatal: the source logs which devices exist, publishes an ``Error`` and
retries with backoff while the rest of the daemon keeps running. A device that disappears
mid-stream (read error or no data for ``stall_s``) is reported the same way and reopened.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from typing import Final

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import AudioConfig
from nimbus.daemon.events import AudioChunk, Error
from nimbus.handlers.audio.convert import PIPELINE_RATE
from nimbus.handlers.audio.devices import AudioDeviceError, DeviceInfo
from nimbus.handlers.audio.echo.handler import SiteEcho
from nimbus.handlers.listening.input_stream import InputStream, list_input_devices, pick_device

__all__ = [
    "AudioDeviceError",
    "DeviceInfo",
    "MicrophoneSource",
    "list_input_devices",
    "pick_device",
]

log = logging.getLogger(__name__)

_QUEUE_CHUNKS: Final = 64
"""About 2 s of 32 ms chunks between the reader thread and the loop."""
_MAX_RETRY_S: Final = 60.0


class _Capture:
    """An open input stream and the thread that reads it into a queue for the loop."""

    def __init__(self, config: AudioConfig, loop: asyncio.AbstractEventLoop,
                 echo: SiteEcho | None = None) -> None:
        self._loop = loop
        self._echo = echo
        # Bounded; the reader thread drops the oldest chunk when the loop falls behind
        # (live audio: stale audio is worth less than fresh).
        self.queue: asyncio.Queue[bytes | Exception] = asyncio.Queue(maxsize=_QUEUE_CHUNKS)
        self.dropped = 0
        self._stop = threading.Event()
        self._input = InputStream(config)
        self.device = self._input.device
        self.rate, self.channels = self._input.rate, self._input.channels
        self._thread = threading.Thread(target=self._read, name="mic-reader", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _offer(self, item: bytes | Exception) -> None:
        if self.queue.full():
            self.queue.get_nowait()
            self.dropped += 1
        self.queue.put_nowait(item)

    def _read(self) -> None:
        while not self._stop.is_set():
            try:
                pcm = self._input.read()
            except Exception as exc:  # handed to the loop as the reason of the loss
                with contextlib.suppress(RuntimeError):
                    self._loop.call_soon_threadsafe(self._offer, exc)
                return
            if pcm and self._echo is not None:  # on this thread: never on the event loop
                pcm = self._echo.process(pcm, read_at=time.monotonic())
            if pcm:
                with contextlib.suppress(RuntimeError):  # loop closed while stopping
                    self._loop.call_soon_threadsafe(self._offer, pcm)

    def close(self) -> None:
        """Stop the reader and release the device (blocking: call off the loop)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2.0)
        self._input.close()


class MicrophoneSource:
    """Publishes the local microphone as ``AudioChunk`` events (16 kHz mono int16) for ``site``."""

    name = "microphone"

    def __init__(
        self, bus: Bus, config: AudioConfig, *, site: str = "default", stall_s: float = 2.0,
        echo: SiteEcho | None = None,
    ) -> None:
        """``echo``: each chunk is echo-cancelled on the reader thread before it is published."""
        self._bus = bus
        self._echo = echo
        self._config = config
        self.site = site
        self.stall_s = stall_s
        self.chunks = 0
        self.device: DeviceInfo | None = None
        """The device being captured, None while none is open."""
        self.opened = asyncio.Event()

    async def prepare(self) -> None:
        return None

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        delay = self._config.input_retry_s
        last_error = ""
        while True:
            try:
                capture = await asyncio.to_thread(_Capture, self._config, loop, self._echo)
            except (asyncio.CancelledError, TimeoutError):
                raise
            except Exception as exc:
                message = exc.message if isinstance(exc, AudioDeviceError) else (
                    f"cannot open the microphone: {exc}"
                )
                code = exc.code if isinstance(exc, AudioDeviceError) else "audio_input_failed"
                if message != last_error:
                    log.warning("microphone unavailable (retrying from %.0f s): %s", delay, message)
                    if self._config.input == "microphone":  # "auto": a warning is enough
                        await self._error(code, message)
                    last_error = message
                await asyncio.sleep(delay)
                delay = min(delay * 2, _MAX_RETRY_S)
                continue
            last_error = ""
            delay = self._config.input_retry_s
            try:
                await self._serve(capture)
            finally:
                self.device = None
                self.opened.clear()
                await asyncio.to_thread(capture.close)
            await asyncio.sleep(delay)

    async def _serve(self, capture: _Capture) -> None:
        self.device = capture.device
        log.info(
            "microphone open: %d: %r at %d Hz x%d%s",
            capture.device.index,
            capture.device.name,
            capture.rate,
            capture.channels,
            "" if capture.rate == PIPELINE_RATE and capture.channels == 1 else " (resampled)",
        )
        capture.start()
        self.opened.set()
        while True:
            try:
                async with asyncio.timeout(self.stall_s):
                    item = await capture.queue.get()
            except TimeoutError:
                item = TimeoutError(f"no audio for {self.stall_s:g} s")
            if isinstance(item, Exception):
                message = (
                    f"microphone {capture.device.name!r} was lost mid-stream ({item}); "
                    "reopening when it is back"
                )
                log.warning("%s", message)
                await self._error("audio_device_lost", message)
                return
            await self._bus.publish(
                AudioChunk(site=self.site, audio=item, sequence=self.chunks, rate=PIPELINE_RATE)
            )
            self.chunks += 1

    async def _error(self, code: str, message: str) -> None:
        await self._bus.publish(Error(code=code, message=message, stage=self.name, site=self.site))
