"""Stream an audio file onto the bus as a site's live audio, in real time or as fast as possible."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import numpy as np
import numpy.typing as npt

from nimbus.daemon.bus import Bus
from nimbus.daemon.events import AudioChunk, Error
from nimbus.handlers.audio.convert import PIPELINE_RATE
from nimbus.handlers.audio.files import AudioFileError, iter_audio_file

__all__ = ["FileSource"]

log = logging.getLogger(__name__)

_END = object()


class FileSource:
    """Publishes ``AudioChunk`` events for ``site`` from a file, then an empty end-of-stream chunk.

    ``realtime`` paces chunks at the audio's own speed (like a microphone); otherwise chunks go
    out as fast as the pipeline takes them. A bad file becomes an ``Error`` event (after any
    audio that could be decoded) and the source ends.
    """

    name = "file-source"

    def __init__(
        self,
        bus: Bus,
        path: str | Path,
        *,
        site: str = "default",
        realtime: bool = False,
        chunk_ms: int = 32,
    ) -> None:
        self._bus = bus
        self.path = Path(path)
        self.site = site
        self.realtime = realtime
        self._chunk = max(1, PIPELINE_RATE * chunk_ms // 1000)
        self.chunks = 0
        """Audio chunks published so far."""
        self.seconds = 0.0
        """Audio seconds published so far."""
        self.error: AudioFileError | None = None
        self.done = asyncio.Event()

    async def prepare(self) -> None:
        return None

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        blocks = iter_audio_file(self.path)
        started = loop.time()
        try:
            while True:
                # Decoding is blocking I/O + CPU: one block (0.5 s of audio) per worker call.
                block = await asyncio.to_thread(next, blocks, _END)
                if block is _END:
                    break
                assert isinstance(block, np.ndarray)
                await self._publish(block, started, loop)
        except AudioFileError as exc:
            self.error = exc
            log.info("audio file %s: %s", self.path, exc.message)  # the Error event reports it
            await self._bus.publish(
                Error(code=exc.code, message=exc.message, stage=self.name, site=self.site)
            )
        finally:
            blocks.close()
        await self._bus.publish(
            AudioChunk(site=self.site, audio=b"", sequence=self.chunks, rate=PIPELINE_RATE)
        )
        self.done.set()

    async def _publish(
        self,
        block: npt.NDArray[np.int16],
        started: float,
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        for i in range(0, len(block), self._chunk):
            piece = block[i : i + self._chunk]
            if self.realtime:
                delay = started + self.seconds - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
            await self._bus.publish(
                AudioChunk(
                    site=self.site, audio=piece.tobytes(), sequence=self.chunks, rate=PIPELINE_RATE
                )
            )
            self.chunks += 1
            self.seconds += len(piece) / PIPELINE_RATE
