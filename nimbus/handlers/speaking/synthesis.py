"""Synthesis: one site's queued sentences -> the voice engine (on the TTS thread) -> audio.out.

The voice models are stateful and owned by one thread. A cancelled response stops at the next
engine chunk; nothing is published for it after its cancel flag is set. A site with a local sink
hands the audio to playback (which bounds how far synthesis runs ahead); a site whose client
plays the audio is paced to stay at most a few seconds ahead of real time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import unicodedata
from collections.abc import Awaitable, Callable, Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Final, TypeVar

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import Config
from nimbus.daemon.events import AudioOut, PlaybackStarted, Sentence
from nimbus.daemon.priority import TTS_NICENESS, nicer
from nimbus.handlers.speaking.lanes import (
    NETWORK_SINK,
    ErrorReporter,
    QueuedAudio,
    SiteLane,
    SpokenResponse,
    only,
)
from nimbus.handlers.speaking.playback import Playback
from nimbus.handlers.speaking.sinks import RateConverter
from nimbus.voices import VoiceEngine, VoiceError, load_voice

__all__ = ["Synthesis"]

log = logging.getLogger(__name__)

T = TypeVar("T")

_NETWORK_LEAD_S: Final = 3.0
"""Sites without a local sink get audio at most this far ahead of real time."""
_LATIN_LANGUAGES: Final = frozenset((
    "en", "de", "fr", "es", "it", "pt", "nl", "pl", "cs", "sk", "sl", "hr", "ro", "hu", "fi",
    "sv", "da", "no", "nb", "nn", "is", "et", "lv", "lt", "tr", "ca", "eu", "gl", "cy", "ga",
    "sq", "sw", "vi", "id", "ms", "tl", "af",
))
"""Languages written in Latin script: their voices are not given text in other scripts."""


class Synthesis:
    """Owns the voice engines and the TTS thread; :meth:`run` serves one site's lane."""

    def __init__(self, config: Config, bus: Bus, playback: Playback, *, error: ErrorReporter,
                 cancel: Callable[[SiteLane, Callable[[SpokenResponse], bool]], Awaitable[None]],
                 ) -> None:
        self._config = config
        self._tts = config.tts
        self._bus = bus
        self._playback = playback
        self._error = error
        self._cancel = cancel
        self._engines: dict[str, VoiceEngine] = {}
        self.default_rate = 22050
        self._synth = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tts",
                                         initializer=nicer(TTS_NICENESS))

    async def _on(self, func: Callable[..., T], *args: object) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._synth, func, *args)

    async def engine(self, name: str) -> VoiceEngine:
        engine = self._engines.get(name)
        if engine is None:
            engine = await self._on(load_voice, name, self._config)
            self._engines[name] = engine
        return engine

    def shutdown(self) -> None:
        self._synth.shutdown(wait=True, cancel_futures=True)

    async def run(self, lane: SiteLane) -> None:
        while True:
            item = await lane.sentences.get()
            response = item.response
            if response.cancelled():
                continue
            if item.sentence is None:
                await self._audio(lane, response, b"", rate=0, text="", cause=response.id,
                                  final=True)
                if lane.sink is None:
                    await self._network_played(lane, response)
                continue
            try:
                await self._speak(lane, response, item.sentence)
            except (asyncio.CancelledError, TimeoutError):
                raise
            except VoiceError as exc:
                await self._error(exc.code, exc.message, site=lane.site, cause=response.id)
                if exc.code != "synthesis_failed":  # the voice itself is unusable
                    await self._cancel(lane, only(response))
            except Exception as exc:
                log.exception("synthesis failed")
                await self._error("synthesis_failed", f"{type(exc).__name__}: {exc}",
                                  site=lane.site, cause=response.id)

    async def _speak(self, lane: SiteLane, response: SpokenResponse, sentence: Sentence) -> None:
        engine = await self.engine(response.voice)
        problem = _script_problem(sentence.text, getattr(engine, "language", "en"))
        if problem:
            await self._error(
                "unsupported_script",
                f"voice {engine.name!r} ({getattr(engine, 'language', 'en')}) cannot read "
                f"{problem} text; skipped {sentence.text[:60]!r} (configure a voice for that "
                "language, e.g. an XTTS voice)",
                site=lane.site, cause=response.id)
            return
        response.rate = engine.sample_rate
        chunks: Generator[bytes, None, None] = _generator(engine.synthesize(sentence.text))
        try:
            while not response.cancelled():
                pcm = await self._on(next, chunks, None)
                if pcm is None or response.cancelled():
                    break
                await self._audio(lane, response, pcm, rate=engine.sample_rate,
                                  text=sentence.text, cause=sentence.id, final=False)
        finally:
            self._synth.submit(chunks.close)  # runs the generator's cleanup on its own thread

    async def _audio(self, lane: SiteLane, response: SpokenResponse, pcm: bytes, *, rate: int,
                     text: str, cause: str, final: bool) -> None:
        network_rate = self._tts.network_rate
        out, out_rate = pcm, rate or response.rate or self.default_rate
        if lane.sink is None and network_rate and out_rate != network_rate:
            if response.network is None:
                response.network = RateConverter(out_rate, network_rate)
            out = response.network.push(pcm) + (response.network.flush() if final else b"")
            out_rate = network_rate
        if response.cancelled():  # checked right before publishing: nothing leaks after a stop
            return
        if response.first_audio is None and out:
            response.first_audio = time.perf_counter() - response.received
            if response.turn is not None:
                response.turn.first_audio = time.monotonic()
            if lane.sink is None:  # the client plays it: its playback starts now
                response.playing = True
                await self._bus.publish(PlaybackStarted(
                    site=lane.site, cause=response.id, response=response.id, sink=NETWORK_SINK))
        await self._bus.publish(AudioOut(
            site=lane.site, cause=cause, audio=out, rate=out_rate, text=text,
            index=response.audio_index, final=final, response=response.id))
        response.audio_index += 1
        response.audio_s += len(out) / 2 / out_rate
        if lane.sink is not None:
            await lane.playback.put(QueuedAudio(response, pcm, rate or out_rate, final))
        elif out:
            await self._pace(response)

    async def _network_played(self, lane: SiteLane, response: SpokenResponse) -> None:
        """A network site's answer is all sent: it has played once real time catches up.

        The client plays what it receives at real time, so playback ends about
        ``audio_s`` after the first audio went out; a stop or a newer answer ends it sooner
        (and reports it cancelled, from :meth:`_cancel`).
        """
        if response.first_audio is not None:
            elapsed = time.perf_counter() - response.received - response.first_audio
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(response.woken.wait(), response.audio_s - elapsed)
        if not response.cancelled():
            lane.responses.pop(response.id, None)
            await self._playback.finished(response, None)

    async def _pace(self, response: SpokenResponse) -> None:
        """Keep a network site's audio at most _NETWORK_LEAD_S ahead of real time."""
        assert response.first_audio is not None
        elapsed = time.perf_counter() - response.received - response.first_audio
        ahead = response.audio_s - elapsed - _NETWORK_LEAD_S
        if ahead > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(response.woken.wait(), ahead)


def _script_problem(text: str, language: str) -> str:
    """Why a Latin-script voice should not read ``text`` ("" when it can)."""
    if language.split("_", maxsplit=1)[0].split("-", maxsplit=1)[0].lower() not in _LATIN_LANGUAGES:
        return ""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return ""
    latin = sum(1 for c in letters if unicodedata.name(c, "").startswith("LATIN"))
    if latin * 2 >= len(letters):
        return ""
    script = unicodedata.name(next(c for c in letters
                                   if not unicodedata.name(c, "").startswith("LATIN")), "?")
    return script.split(" ")[0].title()


def _generator(chunks: Iterator[bytes]) -> Generator[bytes, None, None]:
    """The engine's iterator as a generator (closable: its cleanup runs on close)."""
    if isinstance(chunks, Generator):
        return chunks
    return (chunk for chunk in chunks)
