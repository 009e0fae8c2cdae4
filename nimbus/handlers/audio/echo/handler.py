"""Echo cancellation for the local site: the shared object, and the handler that watches it.

:class:`SiteEcho` is made by the composition root when ``audio.echo_cancel = "auto"`` and the
daemon both plays on a local speaker and listens to a local microphone. The speaker's sink
hands it every buffer it writes (:attr:`SiteEcho.reference`, on the playback thread); the
microphone's reader thread runs :meth:`SiteEcho.process` on every chunk before it becomes an
``audio.chunk`` (so the VAD, the ASR and the phrases only ever hear the cleaned signal, and the
canceller never runs on the event loop).

:class:`EchoHandler` is its bus-facing shell: it loads the engine off the loop, follows
``playback.started`` / ``playback.finished`` on the site, and when the speaker is playing but
no reference arrived for ``stall_s`` (the sink stalled, or does not hand over what it plays) it
publishes ``error(code="echo_reference_missing")`` and marks the site's cancellation inactive
- the phrase stage then treats the site as uncancelled (no commands over the answer) instead of
trusting a canceller that has nothing to cancel with.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Final

import numpy as np

from nimbus.daemon.bus import Bus
from nimbus.daemon.events import Error, PlaybackFinished, PlaybackStarted
from nimbus.handlers.audio.echo.canceller import EchoCanceller, EchoEngine
from nimbus.handlers.audio.echo.far_end import Reference

__all__ = ["EchoHandler", "SiteEcho", "engine_factory"]

log = logging.getLogger(__name__)

STAGE: Final = "echo"
_LIVE_S: Final = 1.0
"""The microphone counts as listening through the canceller if it processed a chunk this
recently."""
_TAIL_S: Final = 0.5
"""How long after the reference stops its answer still sounds in the room."""


def _aec3() -> EchoEngine:
    from nimbus.handlers.audio.echo.engine import Aec3Engine  # noqa: PLC0415 - native wheel

    return Aec3Engine()


def _hybrid() -> EchoEngine:
    from nimbus.handlers.audio.echo.hybrid import HybridEngine  # noqa: PLC0415 - native wheel

    return HybridEngine()


def engine_factory(name: str) -> Callable[[], EchoEngine]:
    """``audio.echo_engine`` -> what makes that engine (loaded later, off the loop)."""
    return {"hybrid": _hybrid, "aec3": _aec3}[name]


class SiteEcho:
    """One site's reference and canceller (thread-safe where the threads meet)."""

    def __init__(self, site: str, *, engine: Callable[[], EchoEngine] = _hybrid,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.site = site
        self.reference = Reference()
        self._make_engine = engine
        self._clock = clock
        self._lock = threading.Lock()
        self.canceller: EchoCanceller | None = None
        self.engine_name = ""
        self.problem = ""
        """Why cancellation cannot run (the engine did not load), "" when it can."""
        self.reference_missing = False
        """The speaker is playing but hands over no reference (see module docstring)."""
        self._last_chunk: float | None = None

    def load(self) -> None:
        """Load the engine (blocking: call off the loop)."""
        try:
            engine = self._make_engine()
        except Exception as exc:  # reported by status/doctor; the microphone runs uncancelled
            self.problem = f"the echo canceller does not load: {type(exc).__name__}: {exc}"
            log.warning("%s", self.problem)
            return
        with self._lock:
            self.canceller = EchoCanceller(engine, self.reference)
            self.engine_name = str(getattr(engine, "name", type(engine).__name__))

    def process(self, pcm: bytes, *, read_at: float) -> bytes:
        """A microphone chunk (16 kHz mono s16le) read at clock time ``read_at``, cleaned.

        Called on the microphone's reader thread; passes the chunk through while no engine
        is loaded."""
        with self._lock:
            canceller = self.canceller
            if canceller is None or not pcm:
                return pcm
            samples = np.frombuffer(pcm[: len(pcm) - len(pcm) % 2], dtype="<i2")
            cleaned = canceller.process(samples, read_at)
            self._last_chunk = self._clock()
        return cleaned.astype("<i2").tobytes()

    @property
    def sink(self) -> str:
        """The sink that feeds the reference ("" while none is open)."""
        return self.reference.sink

    def listening(self) -> bool:
        """The microphone is running through the canceller."""
        last = self._last_chunk
        return last is not None and self._clock() - last <= _LIVE_S

    def active(self) -> bool:
        """Cancelling for real: engine loaded, a sink feeds the reference, the microphone runs
        through it, and the reference is not missing."""
        return (self.canceller is not None and bool(self.sink) and self.listening()
                and not self.reference_missing)

    def status(self) -> dict[str, Any]:
        """For ``nimbus status`` / ``nimbus doctor``."""
        with self._lock:
            stats = self.canceller.stats() if self.canceller is not None else None
        row: dict[str, Any] = {
            "active": self.active(),
            "engine": self.engine_name or None,
            "sink": self.sink or None,
            "microphone": self.listening(),
            "reference": "missing" if self.reference_missing else (
                "playing" if self._playing() else "idle"),
        }
        if stats is not None:
            row |= {"erle_db": stats.erle_db, "delay_ms": stats.delay_ms,
                    "cancelled_s": stats.processed_s, "while_playing_s": stats.playing_s}
        if self.problem:
            row["problem"] = self.problem
        return row

    def _playing(self, tail_s: float = 0.0) -> bool:
        until = self.reference.playing_until()
        return until is not None and until + tail_s >= self._clock()

    def cancelling_playback(self) -> bool:
        """Cancelling for real while the reference plays (and ``_TAIL_S`` after, the room's
        reverberation): what the microphone hears now is the cancelled signal over the site's
        own answer, its residue included (the VAD's ``echo_threshold`` applies)."""
        return self._playing(_TAIL_S) and self.active()


class EchoHandler:
    """Loads the site's canceller and reports a reference that goes missing (see module)."""

    name = STAGE

    def __init__(self, bus: Bus, echo: SiteEcho, *, stall_s: float = 1.0,
                 tick_s: float = 0.25) -> None:
        self._bus = bus
        self.echo = echo
        self.stall_s = stall_s
        self._tick_s = tick_s
        self._playing: dict[str, float] = {}
        """Responses the site's sink is playing -> clock time playback started."""

    async def prepare(self) -> None:
        await asyncio.to_thread(self.echo.load)

    async def run(self) -> None:
        site = self.echo.site
        # Lossless and tiny: two playback events per answer.
        async with self._bus.subscribe(PlaybackStarted, PlaybackFinished, name=self.name,
                                       maxsize=64) as events:
            while True:
                try:
                    async with asyncio.timeout(self._tick_s):
                        event = await anext(events)
                except TimeoutError:
                    event = None
                match event:
                    case PlaybackStarted() if event.site == site and event.sink != "network":
                        self._playing[event.response or event.id] = time.monotonic()
                    case PlaybackFinished() if event.site == site:
                        self._playing.pop(event.response or event.id, None)
                await self._check()

    async def _check(self) -> None:
        echo = self.echo
        now = time.monotonic()
        if not self._playing:
            if echo.reference_missing:
                echo.reference_missing = False
                log.info("echo reference: the speaker is idle again")
            return
        started = min(self._playing.values())
        reference = echo.reference
        last, busy = reference.last_played, reference.busy_since
        if last is None or last < started - self.stall_s:  # nothing for this playback yet
            missing = now - started > self.stall_s
        else:  # a write that does not come back while the played audio ran out
            until = reference.playing_until() or last
            missing = busy is not None and now - max(busy, until) > self.stall_s
        if missing and not echo.reference_missing:
            echo.reference_missing = True
            message = (f"the speaker on site {echo.site!r} is playing but has handed the echo "
                       f"canceller no audio for over {self.stall_s:g} s (the sink stalled?); "
                       "echo cancellation is off until it does")
            log.warning("%s", message)
            await self._bus.publish(Error(code="echo_reference_missing", message=message,
                                          stage=STAGE, site=echo.site))
        elif not missing and echo.reference_missing:
            echo.reference_missing = False
            log.info("echo reference is back on site %s", echo.site)
