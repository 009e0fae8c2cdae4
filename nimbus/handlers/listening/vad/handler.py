"""The VAD stage: audio chunks of every site -> speech started/ended + speech segments.

An ``AudioChunk`` with no audio marks the end of a site's stream (end of a file, a push-to-talk
client letting go): the open utterance, if any, ends at once and the site starts afresh. A site
whose audio stops in the middle of an utterance for ``stall_s`` (a satellite that stalled or
dropped without a word) is treated the same way, with an ``audio_stalled`` error.

Semantic end-pointing: when the transcript of an utterance's pause partial is a whole question
("…?") and the speaker has not resumed, the utterance ends after ``vad.question_silence_ms``
instead of the full hang-over (the final then reuses that transcript).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from nimbus.daemon.bus import Bus, Subscription
from nimbus.daemon.config import AsrConfig, VadConfig
from nimbus.daemon.events import (
    AudioChunk,
    Error,
    Event,
    SpeechEnded,
    SpeechSegment,
    SpeechStarted,
    Transcript,
)
from nimbus.daemon.models import resolve_vad
from nimbus.handlers.audio.convert import Resampler, to_float32
from nimbus.handlers.listening.vad.engine import FRAME_SAMPLES, SileroVad, VadState
from nimbus.handlers.listening.vad.segmenter import (
    Ended,
    Growing,
    Segmenter,
    SegmenterSettings,
    Started,
    ends_question,
)

__all__ = ["VadHandler", "settings_from_config"]

log = logging.getLogger(__name__)


def settings_from_config(vad: VadConfig, asr: AsrConfig | None = None) -> SegmenterSettings:
    """Segmenter settings; partial segments are cut only when ASR partials are on."""
    partial = asr.partial_interval_s if asr is not None and asr.partials else None
    return SegmenterSettings(
        threshold=vad.threshold,
        echo_threshold=vad.echo_threshold,
        min_speech_ms=vad.min_speech_ms,
        silence_ms=vad.silence_ms,
        preroll_ms=vad.preroll_ms,
        max_speech_s=vad.max_speech_s,
        partial_interval_s=partial,
        question_silence_ms=vad.question_silence_ms if partial else 0,
    )


@dataclass(slots=True)
class _Site:
    """Everything the VAD keeps for one site; touched only on the VAD worker thread."""

    segmenter: Segmenter
    vad: VadState = field(default_factory=VadState)
    resampler: Resampler | None = None
    carry: npt.NDArray[np.int16] = field(default_factory=lambda: np.zeros(0, np.int16))
    utterance: str | None = None
    """Id of the SpeechStarted of the open utterance."""
    pause_segment: str | None = None
    """Id of the last pause partial of the open utterance."""
    last: float = 0.0
    """When the site's newest chunk was processed (monotonic)."""


class VadHandler:
    """Keeps one segmenter (and one Silero state) per site; indifferent to where audio came from."""

    name = "vad"

    def __init__(
        self,
        bus: Bus,
        settings: SegmenterSettings,
        *,
        model: str = "",
        engine: SileroVad | None = None,
        stall_s: float = 5.0,
        echo_playing: Callable[[str], bool] | None = None,
    ) -> None:
        """``echo_playing(site)``: whether the site's own answer is playing through its echo
        canceller right now (its frames are then judged by ``echo_threshold``); called on the
        VAD's worker thread, once per chunk."""
        self._bus = bus
        self._echo_playing = echo_playing
        self._stall_s = stall_s
        self._settings = settings
        self._model = model
        self._engine = engine
        self._sites: dict[str, _Site] = {}
        # Silero state and segmenters are stateful: one worker thread owns them all, in order.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vad")
        self.streams_ended: Counter[str] = Counter()
        """End-of-stream markers processed, per site (lets `nimbus transcribe` know it's done)."""
        self._ended = asyncio.Condition()
        self.ended_early = 0
        """Utterances given the shorter hang-over because their pause was a whole question."""

    async def prepare(self) -> None:
        if self._engine is None:
            location = resolve_vad(self._model)
            self._engine = await asyncio.to_thread(SileroVad, str(location.path))
            log.info("VAD model loaded: %s (%s)", location.name, location.source)

    async def wait_stream_end(self, site: str, count: int = 1) -> None:
        """Wait until ``count`` end-of-stream markers of ``site`` have been processed."""
        async with self._ended:
            await self._ended.wait_for(lambda: self.streams_ended[site] >= count)

    async def run(self) -> None:
        # Lossless and bounded: the VAD runs ~100x faster than real time, so waiting here only
        # happens when the CPU is starved; live sources (the microphone) keep their own
        # drop-oldest queue, and a file source is meant to be paced by this stage.
        questions = bool(self._settings.question_silence_ms and self._settings.partial_interval_s)
        async with contextlib.AsyncExitStack() as stack:
            chunks = await stack.enter_async_context(self._bus.subscribe(
                AudioChunk, maxsize=512, lossy_audio=False, name=self.name))
            transcripts = await stack.enter_async_context(self._bus.subscribe(
                Transcript, maxsize=64, name=f"{self.name}.questions")) if questions else None
            try:
                async with asyncio.TaskGroup() as tasks:
                    tasks.create_task(self._watch_stalls(chunks), name="vad-stalls")
                    tasks.create_task(self._audio(chunks))
                    if transcripts is not None:
                        tasks.create_task(self._questions(transcripts))
            finally:
                self._executor.shutdown(wait=False, cancel_futures=True)

    async def _watch_stalls(self, chunks: Subscription) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(self._stall_s / 4)
            if chunks.qsize():  # behind (a starved CPU), not stalled: audio is waiting
                continue
            events = await loop.run_in_executor(self._executor, self._close_stalled,
                                                time.monotonic())
            for event in events:
                await self._bus.publish(event)

    async def _questions(self, transcripts: Subscription) -> None:
        """Pause partials heard as whole questions shorten their utterance's hang-over."""
        loop = asyncio.get_running_loop()
        async for event in transcripts:
            assert isinstance(event, Transcript)
            if event.final or event.cause is None or not ends_question(event.text):
                continue
            if await loop.run_in_executor(
                self._executor, self._end_early, event.site, event.cause
            ):
                self.ended_early += 1
                log.debug("question heard at the pause: shorter hang-over",
                          extra={"site": event.site, "text": event.text})

    async def _audio(self, chunks: Subscription) -> None:
        loop = asyncio.get_running_loop()
        async for chunk in chunks:
            assert isinstance(chunk, AudioChunk)
            try:
                events = await loop.run_in_executor(self._executor, self._process, chunk)
            except (asyncio.CancelledError, TimeoutError):
                raise
            except Exception as exc:
                log.exception("VAD failed on a chunk from site %s", chunk.site)
                events = [
                    Error(
                        code="vad_failed",
                        message=f"voice activity detection failed: {exc}",
                        stage=self.name,
                        site=chunk.site,
                        cause=chunk.id,
                    )
                ]
            for event in events:
                await self._bus.publish(event)
            if not chunk.audio:
                async with self._ended:
                    self.streams_ended[chunk.site] += 1
                    self._ended.notify_all()

    # --- worker thread ---------------------------------------------------------------------

    def _close_stalled(self, now: float) -> list[Event]:
        """Close the utterances of sites whose audio stopped mid-speech ``stall_s`` ago."""
        out: list[Event] = []
        for name, site in list(self._sites.items()):
            if not site.segmenter.active or now - site.last < self._stall_s:
                continue
            log.warning("site %s: no audio for %.1f s in the middle of an utterance: closing it",
                        name, now - site.last)
            out.append(Error(
                code="audio_stalled",
                message=f"site {name!r} sent no audio for {now - site.last:.1f} s in the middle "
                "of an utterance (a stalled or dropped client): the utterance is closed",
                stage=self.name, site=name))
            for seg in site.segmenter.finish():
                out += self._events(name, site, seg)
            del self._sites[name]
        return out

    def _end_early(self, name: str, segment: str) -> bool:
        site = self._sites.get(name)
        # Only the open utterance's latest pause counts: speech since then, or a later pause,
        # makes that transcript old news.
        if site is None or site.pause_segment != segment:
            return False
        return site.segmenter.end_early()

    def _site(self, chunk: AudioChunk) -> _Site:
        site = self._sites.get(chunk.site)
        if site is None:
            site = self._sites[chunk.site] = _Site(segmenter=Segmenter(self._settings))
        if chunk.audio and (
            site.resampler is None
            or (site.resampler.rate, site.resampler.channels, site.resampler.width)
            != (chunk.rate, chunk.channels, chunk.width)
        ):
            site.resampler = Resampler(chunk.rate, channels=chunk.channels, width=chunk.width)
        return site

    def _process(self, chunk: AudioChunk) -> list[Event]:
        if chunk.audio and chunk.width not in (2, 4):
            return [
                Error(
                    code="audio_format",
                    message=f"audio chunk with {chunk.width}-byte samples: only 16- or 32-bit "
                    "little-endian PCM is supported",
                    stage=self.name,
                    site=chunk.site,
                    cause=chunk.id,
                )
            ]
        site = self._site(chunk)
        site.last = time.monotonic()  # when it arrived here: a backlog is not a stall
        assert self._engine is not None, "prepare() loads the VAD model"
        out: list[Event] = []
        if chunk.audio:
            assert site.resampler is not None
            samples = site.resampler.push(chunk.audio)
        else:
            samples = site.resampler.flush() if site.resampler else np.zeros(0, np.int16)
        if site.carry.size:
            samples = np.concatenate([site.carry, samples])
        whole = len(samples) - len(samples) % FRAME_SAMPLES
        echo = self._echo_playing is not None and whole > 0 and self._echo_playing(chunk.site)
        for i in range(0, whole, FRAME_SAMPLES):
            frame = samples[i : i + FRAME_SAMPLES]
            probability = self._engine.probability(site.vad, to_float32(frame))
            for seg in site.segmenter.process(frame, probability, echo=echo):
                out += self._events(chunk.site, site, seg)
        site.carry = samples[whole:]
        if not chunk.audio:
            for seg in site.segmenter.finish():
                out += self._events(chunk.site, site, seg)
            del self._sites[chunk.site]
        return out

    @staticmethod
    def _events(name: str, site: _Site, seg: Started | Growing | Ended) -> list[Event]:
        match seg:
            case Started(offset=offset):
                started = SpeechStarted(site=name, offset=offset)
                site.utterance = started.id
                return [started]
            case Growing(start=start, audio=audio, pause=pause):
                segment = SpeechSegment(
                    site=name, cause=site.utterance, audio=audio.tobytes(), start=start,
                    final=False, pause=pause,
                )
                if pause:
                    site.pause_segment = segment.id
                return [segment]
            case Ended(start=start, end=end, audio=audio, same_as_pause=same):
                utterance, site.utterance = site.utterance, None
                paused_at, site.pause_segment = site.pause_segment, None
                return [
                    SpeechEnded(site=name, cause=utterance, offset=end, duration=end - start),
                    SpeechSegment(
                        site=name, cause=utterance, audio=audio.tobytes(), start=start,
                        final=True, same_speech_as=paused_at if same else None,
                    ),
                ]
        return []
