"""The ASR stage: speech segments -> partial and final transcripts, off the event loop.

A thin shell around :class:`AsrScheduler` (the policy: what runs next, what is skipped): one task
takes segments and playback changes off the bus and offers them, another runs the job the
scheduler hands out on the single ASR worker thread and publishes the transcript.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

from nimbus.daemon.bus import Bus, Subscription
from nimbus.daemon.config import AsrConfig, PhrasesConfig
from nimbus.daemon.events import (
    Error,
    HeardWord,
    PlaybackFinished,
    PlaybackStarted,
    SpeechSegment,
    Transcript,
)
from nimbus.daemon.models import resolve_noisy_asr
from nimbus.handlers.audio.denoise import suppress_noise
from nimbus.handlers.audio.level import speech_level_db, starts_loud
from nimbus.handlers.listening.asr.engine import (
    AsrEngine,
    AsrResult,
    WhisperEngine,
    open_engine,
)
from nimbus.handlers.listening.asr.phrase_evidence import (
    RESCUE_MARGIN,
    confirmed,
    has_candidate,
    heard_words,
    rescore,
)
from nimbus.handlers.listening.asr.schedule import AsrScheduler, DecodeCost, Job, offer_of
from nimbus.handlers.listening.asr.window import WindowDecoder, quiet_start
from nimbus.handlers.listening.phrases.template import (
    PhraseTemplates,
    TemplateError,
    load_templates,
)
from nimbus.handlers.listening.phrases.verify import thresholds

__all__ = ["AsrHandler", "lead_in"]

log = logging.getLogger(__name__)

_RATE = 16000
_LEAD_S = 0.3
"""Silence put before an utterance that starts at its stream's first sample: Whisper drops a
first word spoken with no lead-in at all ("Nimbus, turn on ..." heard as "Turn on ..."; 0.05 s
is enough, mid-stream utterances have the VAD's pre-roll, ``vad.preroll_ms``)."""
_WARM_UP_S = (1.0, 4.0)
"""Decodes run at start-up to seed the cost model (and warm the model's buffers)."""


def lead_in(segment: SpeechSegment, samples: npt.NDArray[np.int16]) -> float:
    """Seconds of silence decoded before ``segment``'s ``samples``: ``_LEAD_S`` when it starts at
    its stream's first sample (no pre-roll could be kept: a file, a WebSocket or Wyoming stream,
    a satellite's first words, a Wyoming STT request) with speech at once; else 0 (a lead-in of
    the room's own sound is there: digital silence before noise was measured to hurt)."""
    return _LEAD_S if segment.start <= 0.0 and starts_loud(samples) else 0.0


class AsrHandler:
    """Transcribes every final segment, stop windows while speaking, partials as the CPU allows."""

    name = "asr"

    def __init__(
        self,
        bus: Bus,
        config: AsrConfig,
        *,
        prompt_words: Sequence[str] = (),
        action_words: Sequence[str] = (),
        stop_words: Sequence[str] = (),
        sensitivity: float = 0.5,
        tolerance: float | None = None,
        engine: AsrEngine | None = None,
        noisy_engine: AsrEngine | None = None,
        model_cache: Path | None = None,
        templates: Path | PhraseTemplates | None = None,
        hangover_s: float = 0.4,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._bus = bus
        self._config = config
        self._prompt_words = tuple(prompt_words)
        self._action_words = tuple(action_words)
        """The action phrases a noisy transcript is rescored for (``asr.rescore_margin``)."""
        self._stop_words = tuple(stop_words)
        """The stop phrases a stop window is rescored for (``asr.stop_rescue_margin``)."""
        self._limits = thresholds(sensitivity)
        self._tolerance = PhrasesConfig().tolerance if tolerance is None else tolerance
        """``phrases.tolerance``: a candidate the phrase stage would not find is no phrase."""
        self._engine = engine
        self._noisy_engine = noisy_engine
        """Decodes noisy finals (``asr.noisy_model``); None = the main engine does. Loaded by
        ``prepare`` only with the main engine (one given to the constructor comes alone)."""
        self._model_cache = model_cache
        self._template_source = templates
        self.templates: PhraseTemplates | None = None
        """The enrolled phrase templates in use (None: none enrolled, or unusable)."""
        self._window: WindowDecoder | None = None
        self._clock = clock
        self.schedule = AsrScheduler(
            hangover_s=hangover_s,
            budget=config.partial_budget,
            stop_window_s=config.stop_window_s,
            cost=DecodeCost(),
            short_s=max(0.0, config.padded_s - 1.0) if config.padded_s else 0.0,
        )
        # One worker thread per model: CTranslate2 is not shared across concurrent calls here.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="asr")
        self._segments: dict[str, SpeechSegment] = {}
        self._wake = asyncio.Event()
        self.finals = 0
        """Final segments handled (transcribed or failed)."""
        self.transcribed = 0
        """Final segments that became a final transcript."""
        self._counted = asyncio.Condition()
        self._last_partial: dict[str, tuple[str, AsrResult, str | None]] = {}
        """Per site: the newest decoded partial, reused by a final with the same speech."""
        self.reused = 0
        """Finals answered from a pause partial's transcript, without decoding again."""

    async def prepare(self) -> None:
        if self._engine is None:
            self._engine = await asyncio.to_thread(
                open_engine, self._config, prompt_words=self._prompt_words
            )
            if isinstance(self._engine, WhisperEngine):
                await asyncio.to_thread(self._warm_up, self._engine)
                self._noisy_engine = await asyncio.to_thread(self._open_noisy_engine)
        engine = self._engine
        self.templates = await asyncio.to_thread(self._load_templates, engine)
        # A remote (Wyoming) engine decodes elsewhere: no local stop window, its decodes
        # alone seed the cost model.
        if isinstance(engine, WhisperEngine):
            self._window = await asyncio.to_thread(functools.partial(
                WindowDecoder, engine.model, engine.prompt, engine.config.language,
                stops=self._stop_words, rescue_margin=self._config.stop_rescue_margin,
                tolerance=self._tolerance))

    def _open_noisy_engine(self) -> WhisperEngine | None:
        """The ``asr.noisy_model`` engine, or None (the main one decodes noisy speech too).
        A model that cannot be found or loaded is logged and left out: noisy speech is then
        decoded by the main model, as before it existed."""
        cache = self._model_cache or Path(tempfile.gettempdir()) / "nimbus-models"
        try:
            location = resolve_noisy_asr(self._config.noisy_model, cache)
            if location is None:
                return None
            model = str(location.path) if location.path is not None else location.spec
            engine = WhisperEngine(replace(self._config, model=model),
                                   prompt_words=self._prompt_words)
            engine.name = location.name
            engine.transcribe(np.zeros(_RATE, np.float32))  # warm-up: first decode allocates
        except Exception as exc:
            log.warning("noisy-speech ASR model %r not used (noisy speech goes to the main "
                        "model): %s", self._config.noisy_model, exc)
            return None
        log.info("noisy-speech ASR model: %s (%s)", location.name, location.source)
        return engine

    def _load_templates(self, engine: AsrEngine) -> PhraseTemplates | None:
        """The enrolled templates, if any fit this engine; a broken or foreign file is logged
        and ignored (the word probability alone then verifies phrases)."""
        source = self._template_source
        if source is None or not isinstance(engine, WhisperEngine):
            return None
        if isinstance(source, Path):
            try:
                loaded = load_templates(source)
            except FileNotFoundError:
                return None
            except TemplateError as exc:
                log.warning("phrase template ignored: %s", exc)
                return None
        else:
            loaded = source
        if loaded.model != engine.name:
            log.warning("phrase template ignored: enrolled with ASR model %r, running %r "
                        "(enroll again: nimbus phrases enroll)", loaded.model, engine.name)
            return None
        log.info("phrase template: %r, %d renditions", loaded.phrase, len(loaded.renditions))
        return loaded

    def _warm_up(self, engine: WhisperEngine) -> None:
        noise = np.random.default_rng(0).normal(0, 0.01, int(max(_WARM_UP_S) * _RATE))
        for seconds in _WARM_UP_S:
            started = time.perf_counter()
            engine.transcribe(noise[: int(seconds * _RATE)].astype(np.float32))
            self.schedule.cost_of(seconds).observe(seconds, time.perf_counter() - started)
        fixed, slope = self.schedule.cost.coefficients()
        log.info("ASR decode cost: %.3f s + %.3f s per audio second", fixed, slope)

    async def run(self) -> None:
        # Lossless (segments are whole utterances, never dropped) and bounded; the scheduler
        # keeps only the newest partial per site, so a slow model falls behind by finals only.
        async with self._bus.subscribe(
            SpeechSegment, PlaybackStarted, PlaybackFinished,
            maxsize=256, lossy_audio=False, name=self.name,
        ) as events:
            try:
                async with asyncio.TaskGroup() as tasks:
                    tasks.create_task(self._intake(events))
                    tasks.create_task(self._work())
            finally:
                self._executor.shutdown(wait=False, cancel_futures=True)

    async def wait_finals(self, count: int) -> None:
        """Wait until ``count`` final segments have been handled (transcribed or failed)."""
        async with self._counted:
            await self._counted.wait_for(lambda: self.finals >= count)

    async def _count(self, *, transcribed: bool) -> None:
        async with self._counted:
            self.finals += 1
            self.transcribed += transcribed
            self._counted.notify_all()

    async def _intake(self, events: Subscription) -> None:
        async for event in events:
            match event:
                case SpeechSegment():
                    self._segments[event.id] = event
                    self.schedule.offer(offer_of(event))
                case PlaybackStarted() | PlaybackFinished():
                    self.schedule.playback(
                        event.site,
                        started=isinstance(event, PlaybackStarted),
                        key=f"{event.response}/{event.sink}",
                    )
            self._wake.set()

    async def _work(self) -> None:
        while True:
            self._wake.clear()
            job = self.schedule.next_job(self._clock())
            if job is None:
                ready = self.schedule.ready_at()
                delay = None if ready is None else max(0.0, ready - self._clock())
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(delay):
                        await self._wake.wait()
                continue
            try:
                await self._transcribe(job)
            finally:
                self.schedule.release(job)  # a no-op unless it failed or reused a partial
                keep = self.schedule.pending()
                for stale in [i for i in self._segments if i not in keep]:
                    del self._segments[stale]

    def _decode(
        self, engine: AsrEngine, segment: SpeechSegment, job: Job
    ) -> tuple[AsrResult, float, str | None]:
        """The segment's transcript, how long it took, and for a noisy final the noisy
        model's transcript of it (``asr.noisy_model``; None otherwise)."""
        if segment.rate != _RATE or segment.width != 2 or segment.channels != 1:
            raise ValueError(
                f"segments must be 16 kHz mono 16-bit, got {segment.rate} Hz x{segment.channels} "
                f"{8 * segment.width}-bit"
            )
        if len(segment.audio) % 2:
            raise ValueError(f"segment of {len(segment.audio)} bytes is not whole 16-bit samples")
        samples = np.frombuffer(segment.audio, dtype="<i2")
        audio = samples.astype(np.float32) / 32768.0
        started = time.perf_counter()
        proposal: str | None = None
        noisy = speech_level_db(samples) < self._config.denoise_below_db
        if noisy:
            audio = suppress_noise(audio)
        if (lead := lead_in(segment, samples)):
            audio = np.concatenate([np.zeros(int(lead * _RATE), np.float32), audio])
        if job.kind == "stop" and self._window is not None:
            text = self._window.transcribe(audio[quiet_start(audio, job.audio_s):])
            language = self._config.language or "en"
            result = AsrResult(text=text, language=language, avg_logprob=0.0, segments=())
        elif noisy and job.kind != "partial" and isinstance(engine, WhisperEngine):
            # A partial is only shown; a pause partial may stand in for the final.
            beam = self._config.noisy_beam_size  # both models decode noisy speech with it
            result = engine.transcribe(audio, beam_size=beam)
            if isinstance(second := self._noisy_engine, WhisperEngine):
                proposal = second.transcribe(audio, beam_size=beam).text
            elif second is not None:
                proposal = second.transcribe(audio).text
        else:
            result = engine.transcribe(audio)
        return result, time.perf_counter() - started, proposal

    async def _transcribe(self, job: Job) -> None:
        assert self._engine is not None, "prepare() loads the ASR model"
        engine: AsrEngine = self._engine
        segment = self._segments[job.offer.id]
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        cached = self._last_partial.pop(segment.site, None) if segment.final else None
        try:
            if cached is not None and cached[0] == segment.same_speech_as:
                # Only silence came after the pause partial: its transcript is the final's.
                _, result, proposal = cached
                seconds = None
                self.reused += 1
            else:
                result, seconds, proposal = await loop.run_in_executor(
                    self._executor, self._decode, engine, segment, job
                )
        except (asyncio.CancelledError, TimeoutError):
            raise
        except Exception as exc:
            log.exception("ASR failed on a segment from site %s", segment.site)
            if segment.final:
                await self._count(transcribed=False)
                await self._bus.publish(
                    Error(
                        code="asr_failed",
                        message=f"speech recognition failed: {exc}",
                        stage=self.name,
                        site=segment.site,
                        cause=segment.id,
                    )
                )
            return
        publish = seconds is None or self.schedule.finished(
            job, now=self._clock(), seconds=seconds
        )
        if job.kind in ("partial", "pause"):
            self._last_partial[segment.site] = (segment.id, result, proposal)
        if not publish or (not segment.final and not result.text):
            return
        pcm = segment.audio[: len(segment.audio) // 2 * 2]
        level = speech_level_db(np.frombuffer(pcm, dtype="<i2")) if segment.final else 0.0
        denoised = segment.final and level < self._config.denoise_below_db
        decoded = result
        result, words, verify_seconds = await self._phrase_evidence(
            engine, segment, job, result, noisy=denoised, proposal=proposal)
        if words and (lead := lead_in(segment, np.frombuffer(pcm, dtype="<i2"))):
            words = tuple(replace(w, start=round(max(0.0, w.start - lead), 3),
                                  end=round(max(0.0, w.end - lead), 3))
                          for w in words)
        await self._bus.publish(
            Transcript(
                site=segment.site,
                cause=segment.id,
                text=result.text,
                final=segment.final,
                language=result.language,
                start=segment.start,
                end=segment.start + segment.duration,
                avg_logprob=result.avg_logprob,
                decode_seconds=time.perf_counter() - started,
                words=words,
                verify_seconds=verify_seconds,
                rescored=result is not decoded and result.text != decoded.text,
                level_db=level,
                denoised=denoised,
            )
        )
        if segment.final:
            await self._count(transcribed=True)

    # --- phrase evidence (verified by the phrase stage; see phrases/verify.py) -------------

    async def _phrase_evidence(
        self, engine: AsrEngine, segment: SpeechSegment, job: Job, result: AsrResult, *,
        noisy: bool, proposal: str | None = None,
    ) -> tuple[AsrResult, tuple[HeardWord, ...], float]:
        """Unprompted word evidence for a final transcript that holds a candidate action or
        stop phrase (the cost is paid by candidates only). For a noisy one: the noisy model's
        transcript (``proposal``) if the main model's evidence confirms its action phrase;
        else, with no phrase or none confirmed, a rescored transcript with the action phrase if
        one is as likely and confirmed (``phrase_evidence.rescore``). A failure is logged and
        leaves the transcript as decoded (a candidate to the addressing rules alone), and so
        does a remote (Wyoming) engine, which gives text only."""
        if not isinstance(engine, WhisperEngine) or not segment.final or not result.text:
            return result, (), 0.0
        candidate = has_candidate(result.text, engine.prompt_words)
        rescoring = noisy and self._config.rescore_margin > 0 and bool(self._action_words)
        if not candidate and not rescoring:
            return result, (), 0.0
        started = time.perf_counter()
        loop = asyncio.get_running_loop()
        try:
            stops = [w for w in engine.prompt_words if w not in self._action_words]
            # As with rescoring, a stop phrase the main model heard is never overruled.
            if (rescoring and proposal and proposal != result.text
                    and has_candidate(proposal, self._action_words)
                    and not (stops and has_candidate(result.text, stops))):
                proposed = await loop.run_in_executor(
                    self._executor, self._proposed, engine, segment, job, result, proposal
                )
                if proposed is not None:
                    log.info("phrase confirmed in the noisy model's transcript",
                             extra={"site": segment.site, "decoded": result.text,
                                    "proposed": proposal})
                    return (*proposed, time.perf_counter() - started)
            if candidate:
                # A stop phrase is never rescored into an action phrase.
                rescue = rescoring and has_candidate(result.text, self._action_words)
                words, found = await loop.run_in_executor(
                    self._executor, self._evidence, engine, segment, job, result, rescue
                )
            else:
                words, found = (), await loop.run_in_executor(
                    self._executor, self._rescored, engine, segment, job, result
                )
                if found is None:
                    return result, (), 0.0
            if found is not None:
                log.info("phrase found by rescoring a noisy transcript",
                         extra={"site": segment.site, "decoded": result.text,
                                "rescored": found[0].text})
                result, words = found
        except (asyncio.CancelledError, TimeoutError):
            raise
        except Exception:
            log.exception("phrase evidence failed on a segment from site %s", segment.site)
            return result, (), 0.0
        return result, words, time.perf_counter() - started

    def _proposed(
        self, engine: WhisperEngine, segment: SpeechSegment, job: Job, result: AsrResult,
        proposal: str,
    ) -> tuple[AsrResult, tuple[HeardWord, ...]] | None:
        """``proposal`` as the transcript, with the main model's evidence for it, if that
        confirms an action phrase opening or closing the utterance: the bigger model hears
        better in noise, the main model's calibrated evidence decides, as for a rescored
        version. Not its likelihood under the main model: a right transcript of audio the main
        model misheard lies up to 38 nats below the main model's own, as far as a near miss.
        Not a phrase mid-utterance ("Jimmy Bara Nimbus, Yaspede." for "Jimmy bought a new bus
        yesterday": forced through gibberish, every comma looks plausible)."""
        if not engine.holds(result):
            result = self._decode(engine, segment, job)[0]  # the encoder output is gone
        words = heard_words(engine, result, self.templates, text=proposal)
        if not words or not confirmed(proposal, words, self._action_words,
                                      limits=self._limits, tolerance=self._tolerance,
                                      edges_only=True):
            return None
        return replace(result, text=proposal, segments=tuple(
            (start, end, proposal) for start, end, _ in result.segments[:1])), words

    def _rescored(
        self, engine: WhisperEngine, segment: SpeechSegment, job: Job, result: AsrResult
    ) -> tuple[AsrResult, tuple[HeardWord, ...]] | None:
        if not engine.holds(result):
            result = self._decode(engine, segment, job)[0]  # the encoder output is gone
            if has_candidate(result.text, engine.prompt_words):
                return result, heard_words(engine, result, self.templates) or ()
        return rescore(engine, result, self._action_words, limits=self._limits,
                       templates=self.templates, margin=self._config.rescore_margin)

    def _evidence(
        self, engine: WhisperEngine, segment: SpeechSegment, job: Job, result: AsrResult,
        rescoring: bool,
    ) -> tuple[tuple[HeardWord, ...], tuple[AsrResult, tuple[HeardWord, ...]] | None]:
        """The word evidence for ``result``'s candidate; and when ``rescoring`` (a noisy
        utterance) and verification turns every action candidate down, the rescored
        transcript with its evidence if one is confirmed (else None)."""
        words = heard_words(engine, result, self.templates)
        if words is None:
            # Another decode ran since, or the final reused its pause partial's transcript
            # (the encoder output is gone): decode this one again.
            result = self._decode(engine, segment, job)[0]
            words = heard_words(engine, result, self.templates)
        words = words or ()
        limits = self._limits
        if not rescoring or not engine.holds(result) or confirmed(
                result.text, words, self._action_words, limits=limits,
                tolerance=self._tolerance):
            return words, None
        return words, rescore(engine, result, self._action_words, limits=limits,
                              templates=self.templates,
                              margin=min(self._config.rescore_margin, RESCUE_MARGIN))

