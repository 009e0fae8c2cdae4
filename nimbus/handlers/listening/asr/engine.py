"""faster-whisper speech recognition: one utterance of 16 kHz float32 audio in, text out."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from nimbus.daemon.config import AsrConfig
from nimbus.daemon.models import resolve_asr
from nimbus.daemon.threads import thread_plan
from nimbus.handlers.listening.asr.base import AsrEngine, AsrResult
from nimbus.handlers.listening.phrases.template import FRAME_S, unit_frames

__all__ = [
    "AsrEngine",
    "AsrResult",
    "PhraseEvidence",
    "WhisperEngine",
    "WordScore",
    "build_prompt",
    "open_engine",
    "trim_repeat",
]

log = logging.getLogger(__name__)

_MIN_SAMPLES = 1600
"""Below 0.1 s there is nothing to recognise."""
_RATE = 16000
_FRAMES_PER_S = 100
_PAD_MARGIN_S = 1.0
"""A short decode needs this much padding after the speech (the model must see it end)."""
_TOKENS_PER_S = 7
"""Output cap of a short decode: fast speech is ~4-5 tokens a second."""
_REPEAT_MIN_TOKENS = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class WordScore:
    """A word of a transcript with its time in the utterance and its unprompted probability."""

    word: str
    start: float
    end: float
    probability: float
    """Mean probability of the word's tokens given the audio and the words before it, with
    no initial prompt: the phrase bias cannot inflate it."""
    rest: float | None = None
    """Mean probability of the word's tokens after its first one (None for a one-token word):
    how sure the model is that the word ends the way it is spelled once it began that way.
    "Nimbus" is " Nim" + "bus": the first token shares its probability with every spelling and
    every word that starts alike ("Nimble", "Nambus"), the rest tells them apart."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PhraseEvidence:
    """What the audio says about a transcript, from the encoder pass its decode already made."""

    words: tuple[WordScore, ...]
    """The (prompt-biased) transcript's words, aligned and scored without the prompt."""
    unbiased_text: str | None
    """With ``redecode=True``: a second greedy decode of the audio without the initial prompt
    (measured by the phrases benchmark; too slow for every candidate on a small CPU)."""
    seconds: float
    """What the evidence cost (decoder-only work; the encoder output is reused)."""


def build_prompt(initial_prompt: str, words: Sequence[str]) -> str:
    """The initial prompt: the configured text plus the phrases, so Whisper spells them right."""
    phrases = ". ".join(w.strip() for w in words if w.strip())
    parts = [p for p in (initial_prompt.strip(), f"{phrases}." if phrases else "") if p]
    return " ".join(parts)


def trim_repeat(tokens: Sequence[int], *, least: int = _REPEAT_MIN_TOKENS) -> list[int]:
    """``tokens`` without a tail that starts the transcript over (at least ``least`` tokens
    repeated from its very beginning, after at least ``least`` others)."""
    out = list(tokens)
    for start in range(least, len(out) - least + 1):
        tail = out[start:]
        if out[: len(tail)] == tail:
            return out[:start]
    return out


def open_engine(config: AsrConfig, *, prompt_words: Sequence[str] = ()) -> AsrEngine:
    """The configured engine: local faster-whisper, or a Wyoming server (``asr.backend``)."""
    if config.backend == "wyoming":
        from nimbus.handlers.listening.asr.wyoming_engine import WyomingAsrEngine  # noqa: PLC0415

        return WyomingAsrEngine(config)
    return WhisperEngine(config, prompt_words=prompt_words)


class WhisperEngine:
    """A loaded faster-whisper model. Synchronous; call it from one worker thread at a time."""

    def __init__(self, config: AsrConfig, *, prompt_words: Sequence[str] = ()) -> None:
        from faster_whisper import WhisperModel  # noqa: PLC0415 - heavy, loaded off the loop

        location = resolve_asr(config.model)
        model = str(location.path) if location.path is not None else location.spec
        self.config = config
        self.name = location.name
        self.prompt_words = tuple(prompt_words)
        """The phrases the prompt biases toward (their candidates get phrase evidence)."""
        self.prompt = build_prompt(config.initial_prompt, prompt_words) or None
        self.threads = config.cpu_threads or thread_plan().asr
        self._model = WhisperModel(
            model,
            device=config.device,
            compute_type=config.compute_type,
            cpu_threads=self.threads,
        )
        # Per thread, the last encoder pass and the result decoded from it, kept so that phrase
        # evidence costs decoder work only (and never mixes up two threads' utterances).
        self._local = threading.local()
        self._tokenizer: Any = None
        self._short_prompt: tuple[int, ...] | None = None
        encode = self._model.encode

        def remember(features: npt.NDArray[np.float32]) -> Any:
            self._local.encoded = encode(features)
            return self._local.encoded

        self._model.encode = remember
        log.info("ASR model loaded: %s (%s, %s, %d threads)", location.name, location.source,
                 config.compute_type, self.threads)

    def transcribe(
        self, audio: npt.NDArray[np.float32], *, beam_size: int | None = None
    ) -> AsrResult:
        """Recognise one utterance (float32 mono 16 kHz in [-1, 1]), with ``beam_size``
        instead of ``asr.beam_size`` when given.

        An utterance shorter than ``asr.padded_s`` (less a second) is decoded padded to that
        length instead of Whisper's 30 s (see :meth:`_transcribe_short`); a longer one, or any
        with ``asr.padded_s = 0``, goes through faster-whisper's own 30 s windows.
        """
        language = self.config.language or None
        if audio.size < _MIN_SAMPLES:
            return AsrResult(text="", language=language or "", avg_logprob=0.0, segments=())
        beam = beam_size or self.config.beam_size
        padded = self.config.padded_s
        if padded and audio.size <= (padded - _PAD_MARGIN_S) * _RATE:
            return self._transcribe_short(np.ascontiguousarray(audio, dtype=np.float32), padded,
                                          beam)
        self._local.encoded = None
        segments, info = self._model.transcribe(
            np.ascontiguousarray(audio, dtype=np.float32),
            beam_size=beam,
            language=language,
            initial_prompt=self.prompt,
            condition_on_previous_text=False,
            vad_filter=False,
            temperature=0.0,
        )
        parts = [
            (float(s.start), float(s.end), s.text.strip(), float(s.avg_logprob)) for s in segments
        ]
        kept = [p for p in parts if p[2]]
        logprob = sum(p[3] for p in kept) / len(kept) if kept else 0.0
        result = AsrResult(
            text=" ".join(p[2] for p in kept),
            language=info.language,
            avg_logprob=logprob,
            segments=tuple((p[0], p[1], p[2]) for p in kept),
        )
        encoded = getattr(self._local, "encoded", None)
        self._local.last = (result, encoded, min(int(audio.size) // 160, 3000))
        return result

    def _transcribe_short(
        self, audio: npt.NDArray[np.float32], padded_s: float, beam_size: int
    ) -> AsrResult:
        """One utterance decoded with its features padded to ``padded_s`` seconds, not 30.

        Whisper's encoder costs the same for 3 s of speech as for 30 s when the input is padded
        to 30 s, as faster-whisper does; CTranslate2's encoder takes shorter inputs and its cost
        shrinks with them (tiny.en, 2 cores: about 3.5x less at 10 s; ``benchmarks/
        bench_listening.py`` measures it). The audio is padded with silence (as ``window.py``
        does: zeroed features, faster-whisper's own padding, heard "Nimbus" at the very end of
        an utterance as "nambas" more often), the phrases are the prompt, no timestamps; what a
        30 s window would stop by other means is stopped here: output capped by the audio's
        length, a tail that repeats the transcript's beginning cut off (a short window's
        typical slip: "What is X? Nimbus. What is"), and silence judged by the same
        no-speech rule faster-whisper applies (no-speech probability > 0.6 and average
        log-probability < -1).
        """
        model = self._model
        tokenizer = self._get_tokenizer()
        frames = int(padded_s * _FRAMES_PER_S)
        silence = np.zeros(max(0, int(padded_s * _RATE) - audio.size), np.float32)
        features = model.feature_extractor(np.concatenate([audio, silence]))[:, :frames]
        content = min(audio.size // (_RATE // _FRAMES_PER_S), frames)
        self._local.encoded = None
        encoded = model.encode(features)
        prompt = list(self._prompt_tokens(tokenizer))
        seconds = audio.size / _RATE
        generated = model.model.generate(
            encoded,
            [prompt],
            beam_size=beam_size,
            max_length=len(prompt) + int(seconds * _TOKENS_PER_S) + 6,
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=[-1],
        )[0]
        tokens = trim_repeat([t for t in generated.sequences_ids[0] if t < tokenizer.eot])
        avg_logprob = float(generated.scores[0]) * len(tokens) / (len(tokens) + 1)
        text = tokenizer.decode(tokens).strip()
        if generated.no_speech_prob > 0.6 and avg_logprob < -1.0:
            text = ""
        result = AsrResult(
            text=text,
            language=self.config.language or "en",
            avg_logprob=avg_logprob if text else 0.0,
            segments=((0.0, round(seconds, 3), text),) if text else (),
        )
        self._local.last = (result, encoded, content)
        return result

    def _prompt_tokens(self, tokenizer: Any) -> tuple[int, ...]:
        if self._short_prompt is None:
            previous = [tokenizer.sot_prev, *tokenizer.encode(" " + self.prompt)] if (
                self.prompt) else []
            self._short_prompt = (*previous, *tokenizer.sot_sequence, tokenizer.no_timestamps)
        return self._short_prompt

    def evidence(self, result: AsrResult, *, redecode: bool = False,
                 text: str | None = None) -> PhraseEvidence | None:
        """Unprompted word probabilities (and optionally a re-decode) for the newest
        ``transcribe`` result; of ``text`` instead of its transcript when given (the phrase
        stage asks for the transcript with commas around a candidate phrase: the comma's
        probability says whether the speaker paused there, see ``phrases/verify.py``).

        Reuses that call's encoder output, so it costs one decoder pass over the transcript's
        tokens (about 25 ms with tiny.en on 2 cores). None when ``result`` is not the newest
        result, or the audio was longer than one 30 s window (the cached encoder output would
        cover only its last window).
        """
        last = getattr(self._local, "last", None)
        if last is None or last[0] is not result or last[1] is None or not result.text:
            return None
        _, encoded, frames = last
        if len(result.segments) and result.segments[-1][1] > 30.0:
            return None
        started = time.perf_counter()
        tokenizer = self._get_tokenizer()
        model = self._model.model
        text_tokens = tokenizer.encode(" " + (text or result.text).strip())
        aligned = model.align(
            encoded, tokenizer.sot_sequence, [text_tokens], frames
        )[0]
        words, word_tokens = tokenizer.split_to_word_tokens([*text_tokens, tokenizer.eot])
        probabilities = list(aligned.text_token_probs)
        times = self._word_times(aligned.alignments, [len(t) for t in word_tokens])
        scored: list[WordScore] = []
        position = 0
        for index, (word, tokens) in enumerate(zip(words, word_tokens, strict=True)):
            chunk = probabilities[position : position + len(tokens)]
            position += len(tokens)
            if tokens == [tokenizer.eot] or not word.strip():
                continue
            start, end = times[index] if index < len(times) else (0.0, 0.0)
            scored.append(
                WordScore(
                    word=word.strip(),
                    start=start,
                    end=end,
                    probability=float(sum(chunk) / len(chunk)) if chunk else 0.0,
                    rest=float(sum(chunk[1:]) / len(chunk[1:])) if len(chunk) > 1 else None,
                )
            )
        unbiased = None
        if redecode:
            generated = model.generate(
                encoded,
                [[*tokenizer.sot_sequence, tokenizer.no_timestamps]],
                beam_size=1,
                max_length=min(448, 3 * len(text_tokens) + 16),
                suppress_blank=True,
                suppress_tokens=[-1],
            )[0]
            unbiased = tokenizer.decode(generated.sequences_ids[0]).strip()
        return PhraseEvidence(
            words=tuple(scored),
            unbiased_text=unbiased,
            seconds=time.perf_counter() - started,
        )

    def holds(self, result: AsrResult) -> bool:
        """Whether ``result`` is this thread's newest transcription with its encoder output
        still at hand (evidence, likelihoods and frames need it)."""
        last = getattr(self._local, "last", None)
        return last is not None and last[0] is result and last[1] is not None

    def likelihoods(self, result: AsrResult, texts: Sequence[str]) -> list[float] | None:
        """The log-probability of each text given the audio of the newest ``transcribe`` result,
        under the same phrase prompt its decode used (teacher-forced: one decoder pass per text,
        no generation). Greedy decoding can miss a transcript the model finds as likely as the
        one it wrote ("... in this." vs "..., Nimbus."); this scores such alternatives. None
        when ``result`` is not the newest result."""
        if not self.holds(result) or not texts:
            return None
        last = self._local.last
        tokenizer = self._get_tokenizer()
        prompt = list(self._prompt_tokens(tokenizer))
        sequences = [tokenizer.encode(" " + text.strip()) for text in texts]
        scores: list[float] = []
        for sequence in sequences:
            aligned = self._model.model.align(last[1], prompt, [sequence], last[2])[0]
            probabilities = np.maximum(np.asarray(aligned.text_token_probs, np.float64), 1e-9)
            scores.append(float(np.log(probabilities).sum()))
        return scores

    def _get_tokenizer(self) -> Any:
        if self._tokenizer is None:
            from faster_whisper.tokenizer import Tokenizer  # noqa: PLC0415 - heavy

            self._tokenizer = Tokenizer(
                self._model.hf_tokenizer,
                self._model.model.is_multilingual,
                task="transcribe",
                language=self.config.language or "en",
            )
        return self._tokenizer

    def frames(self, result: AsrResult, start: float, end: float) -> npt.NDArray[np.float32] | None:
        """The encoder's frames (unit length, one per 20 ms) over ``start``..``end`` seconds of
        the newest ``transcribe`` call's audio, from the encoder pass it already made (for the
        enrolled phrase template, ``phrases/template.py``). None when ``result`` is not the
        newest result or the span holds fewer than two frames."""
        last = getattr(self._local, "last", None)
        if last is None or last[0] is not result or last[1] is None:
            return None
        encoded = np.asarray(last[1])[0]  # a view of CTranslate2's CPU output, (1500, width)
        first = max(0, int(start / FRAME_S))
        stop = min(int(encoded.shape[0]), int(end / FRAME_S) + 1)
        if stop - first < 2:
            return None
        return unit_frames(encoded[first:stop])

    @staticmethod
    def _word_times(
        alignments: Sequence[tuple[int, int]], lengths: Sequence[int]
    ) -> list[tuple[float, float]]:
        """(start, end) seconds per word from the token/frame alignment path (as faster-whisper's
        word timestamps do: a word starts where the path first enters its first token)."""
        token_start: dict[int, float] = {}
        for text_index, time_index in alignments:
            token_start.setdefault(int(text_index), int(time_index) * 0.02)
        last = max(token_start.values(), default=0.0)
        times: list[tuple[float, float]] = []
        boundary = 0
        for length in lengths:
            start = token_start.get(boundary, last)
            end = token_start.get(boundary + length, last)
            times.append((start, max(start, end)))
            boundary += length
        return times

    @property
    def model(self) -> Any:
        """The loaded faster-whisper ``WhisperModel`` (for decoders that drive it directly)."""
        return self._model
