"""The ASR stage: speech segments -> partial and final transcripts, off the event loop."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from nimbus.daemon.bus import Bus, Subscription
from nimbus.daemon.config import AsrConfig
from nimbus.daemon.events import Error, HeardWord, SpeechSegment, Transcript
from nimbus.handlers.listening.asr.engine import AsrEngine, AsrResult, WhisperEngine, open_engine
from nimbus.handlers.listening.phrases.matcher import find_phrases, tokenize

__all__ = ["AsrHandler", "coalesce"]

log = logging.getLogger(__name__)


def coalesce(segments: Sequence[SpeechSegment]) -> list[SpeechSegment]:
    """Drop stale partial segments: keep every final, and per site only the newest partial
    that is not followed by that site's final (the final supersedes it)."""
    keep: list[SpeechSegment] = []
    seen_later: set[str] = set()
    for segment in reversed(segments):
        if segment.final or segment.site not in seen_later:
            keep.append(segment)
            seen_later.add(segment.site)
    keep.reverse()
    return keep


class AsrHandler:
    """Transcribes every final segment, and the newest growing segment when there is time."""

    name = "asr"

    def __init__(
        self,
        bus: Bus,
        config: AsrConfig,
        *,
        prompt_words: Sequence[str] = (),
        engine: AsrEngine | None = None,
    ) -> None:
        self._bus = bus
        self._config = config
        self._prompt_words = tuple(prompt_words)
        self._engine = engine
        # One worker thread per model: CTranslate2 is not shared across concurrent calls here.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="asr")
        self.finals = 0
        """Final segments handled (transcribed or failed)."""
        self.transcribed = 0
        """Final segments that became a final transcript."""
        self._counted = asyncio.Condition()
        self._last_partial: dict[str, tuple[str, AsrResult]] = {}
        """Per site: the newest decoded partial, reused by a final with the same speech."""
        self.reused = 0
        """Finals answered from a pause partial's transcript, without decoding again."""

    async def prepare(self) -> None:
        if self._engine is None:
            self._engine = await asyncio.to_thread(
                open_engine, self._config, prompt_words=self._prompt_words
            )

    async def run(self) -> None:
        # Lossless (segments are whole utterances, never dropped) and bounded; stale partials
        # are skipped by `coalesce` instead, so a slow model falls behind by finals only.
        async with self._bus.subscribe(
            SpeechSegment, maxsize=256, lossy_audio=False, name=self.name
        ) as segments:
            try:
                while True:
                    for segment in coalesce(await self._batch(segments)):
                        await self._transcribe(segment)
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

    @staticmethod
    async def _batch(segments: Subscription) -> list[SpeechSegment]:
        first = await segments.get()
        batch = [first]
        while (more := segments.get_nowait()) is not None:
            batch.append(more)
        return [s for s in batch if isinstance(s, SpeechSegment)]

    @staticmethod
    def _decode(engine: AsrEngine, segment: SpeechSegment) -> AsrResult:
        if segment.rate != 16000 or segment.width != 2 or segment.channels != 1:
            raise ValueError(
                f"segments must be 16 kHz mono 16-bit, got {segment.rate} Hz x{segment.channels} "
                f"{8 * segment.width}-bit"
            )
        if len(segment.audio) % 2:
            raise ValueError(f"segment of {len(segment.audio)} bytes is not whole 16-bit samples")
        audio = np.frombuffer(segment.audio, dtype="<i2").astype(np.float32) / 32768.0
        return engine.transcribe(audio)

    async def _transcribe(self, segment: SpeechSegment) -> None:
        engine = self._engine
        assert engine is not None, "prepare() loads the ASR model"
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        cached = self._last_partial.pop(segment.site, None) if segment.final else None
        try:
            if cached is not None and cached[0] == segment.same_speech_as:
                # Only silence came after the pause partial: its transcript is the final's.
                result = cached[1]
                self.reused += 1
            else:
                result = await loop.run_in_executor(self._executor, self._decode, engine, segment)
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
        if not segment.final:
            self._last_partial[segment.site] = (segment.id, result)
            if not result.text:
                return
        words, verify_seconds = await self._phrase_evidence(engine, segment, result)
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
            )
        )
        if segment.final:
            await self._count(transcribed=True)

    # --- phrase evidence (verified by the phrase stage; see phrases/verify.py) -------------

    _CANDIDATE_TOLERANCE = 0.5
    """The loosest phrases.tolerance allowed: any phrase the matcher can find gets evidence."""

    async def _phrase_evidence(
        self, engine: AsrEngine, segment: SpeechSegment, result: AsrResult
    ) -> tuple[tuple[HeardWord, ...], float]:
        """Unprompted word probabilities for a final transcript that holds a candidate action
        or stop phrase; nothing for any other transcript (the cost is paid by candidates only).
        A failure is logged and leaves the candidate to the addressing rules alone, and so does
        a remote (Wyoming) engine, which gives text only."""
        if not isinstance(engine, WhisperEngine):
            return (), 0.0
        tokens = tokenize(result.text)
        if not segment.final or not tokens or not find_phrases(
            tokens, engine.prompt_words, kind="action", tolerance=self._CANDIDATE_TOLERANCE
        ):
            return (), 0.0
        started = time.perf_counter()
        loop = asyncio.get_running_loop()
        try:
            words = await loop.run_in_executor(
                self._executor, self._evidence, engine, segment, result
            )
        except (asyncio.CancelledError, TimeoutError):
            raise
        except Exception:
            log.exception("phrase evidence failed on a segment from site %s", segment.site)
            return (), 0.0
        return words, time.perf_counter() - started

    @classmethod
    def _evidence(
        cls, engine: WhisperEngine, segment: SpeechSegment, result: AsrResult
    ) -> tuple[HeardWord, ...]:
        evidence = engine.evidence(result)
        if evidence is None:
            # Another decode ran since (the encoder output is gone): decode this one again.
            evidence = engine.evidence(cls._decode(engine, segment))
        if evidence is None:
            return ()
        return tuple(
            HeardWord(word=w.word, start=round(w.start, 3), end=round(w.end, 3),
                      probability=round(w.probability, 4))
            for w in evidence.words
        )
