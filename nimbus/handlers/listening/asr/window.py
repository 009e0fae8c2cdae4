"""Short-window decoding: the newest second or two of speech, fast enough to catch a stop phrase.

faster-whisper pads every input to Whisper's 30-second window, so its encoder costs the same for
1.5 s of audio as for 30 s. CTranslate2's encoder accepts shorter inputs and its cost shrinks with
them (tiny.en, 2-core EPYC: 0.54 s at 30 s, 0.06 s at 10 s, 0.01 s at 1.5 s). Whisper was trained
on 30-second windows, though: fed 1.5 s unpadded it often stops early or repeats itself. Measured
on 26 stop-phrase and other utterances (Piper and espeak voices, windows ending at the speech's
end and 0.3 s later; "Yonder" heard when said, not heard when not; ``python -m benchmarks
stop_window``): unpadded 1.5 s windows were right in 37-42 of 52, windows padded to 10 s in 48
of 52 — the same as the full 30 s padding (48 of 52), in a quarter of its time (median 0.15 s vs
0.56 s at load 3.5 on 2 cores). So a window is padded with silence to 10 s. Also: the phrases
as prompt, no 3-token n-gram repeated, output capped by the audio's length, and the window
starts at the quietest 20 ms near its nominal start, so it does not open in the middle of a word.

Only stop-phrase detection uses this; partial and final transcripts keep the padded decode.

**A second look for the stop phrase** (``asr.stop_rescue_margin``). Over the answer's residue
greedy decoding writes the user's "Yonder" as a near word ("Yong that.", "Okay, you're
awesome.", "Yum, good stuff."). When a window's transcript holds no stop phrase, the phrase is
put where the ASR wrote something else - instead of its first or last one or two words, or
after its last word (``stop_hypotheses``) - and the
versions are scored teacher-forced on the encoder output the decode already made (one batched
decoder pass, the end of text included, so a version that stops early pays for it); the
likeliest within the margin of the decoded transcript's own log-probability becomes the
window's text. The phrase stage's echo rules judge it like any other window
(``phrases/echo.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from nimbus.handlers.listening.phrases.matcher import find_phrases, tokenize

__all__ = ["WindowDecoder", "quiet_start", "stop_hypotheses"]

_RATE = 16000
_PADDED_S = 10.0
_TOKENS_PER_S = 5
"""Output cap: speech is at most ~4 tokens a second; more is Whisper repeating itself."""


def quiet_start(audio: npt.NDArray[np.float32], seconds: float, *, slack: float = 0.4,
                frame: int = 320) -> int:
    """Index where the newest ``seconds`` of ``audio`` should start: the quietest ``frame``
    within ``slack`` seconds of the nominal start (word gaps are quiet)."""
    nominal = len(audio) - int(seconds * _RATE)
    if nominal <= 0:
        return 0
    low = max(0, nominal - int(slack * _RATE))
    high = min(len(audio) - frame, nominal + int(slack * _RATE))
    count = (high - low) // frame
    if count <= 0:
        return nominal
    frames = audio[low : low + count * frame].reshape(count, frame)
    return low + int(np.argmin((frames.astype(np.float64) ** 2).mean(axis=1))) * frame


def stop_hypotheses(text: str, phrase: str) -> list[str]:
    """Versions of ``text`` that say ``phrase`` where the ASR wrote something else (see module
    docstring); none for an empty transcript. Never the phrase alone: over faint residue the
    prompted model finds "Yonder." within 2-5 nats of whatever it wrote ("Right.", "Young."),
    and such windows stopped answers before the user spoke (dev split, 6 of 144 trials)."""
    words = text.split()
    if not words:
        return []
    out = [f"{phrase}, " + " ".join(words[count:]) for count in (1, 2) if len(words) > count]
    for count in (0, 1, 2):
        if len(words) > count:
            head = " ".join(words[: len(words) - count]).rstrip(".,?!;:")
            if head:
                out.append(f"{head}, {phrase}.")
    return list(dict.fromkeys(out))


class WindowDecoder:
    """Decodes short audio without Whisper's 30-second padding. Call from the ASR thread."""

    def __init__(self, model: Any, prompt: str | None, language: str, *,
                 padded_s: float = _PADDED_S, stops: Sequence[str] = (),
                 rescue_margin: float = 0.0, tolerance: float = 0.75) -> None:
        from faster_whisper.tokenizer import Tokenizer  # noqa: PLC0415 - heavy

        self._model = model
        self.padded_s = padded_s
        """Silence is added up to this length (0: none; ``benchmarks/bench_stop_window.py``)."""
        tokenizer = Tokenizer(
            model.hf_tokenizer, model.model.is_multilingual, task="transcribe",
            language=language or "en",
        )
        self._tokenizer = tokenizer
        previous = [tokenizer.sot_prev, *tokenizer.encode(" " + prompt)] if prompt else []
        self._prompt = [*previous, *tokenizer.sot_sequence, tokenizer.no_timestamps]
        self.stops = tuple(stops)
        """Stop phrases a window without one is rescored for (none: never)."""
        self.rescue_margin = rescue_margin
        """Nats: a version with a stop phrase this close to the decoded one replaces it."""
        self.tolerance = tolerance
        """``phrases.tolerance``: a stop the phrase stage would not find is none here either."""
        self.rescued = 0
        """Windows whose text a rescored version replaced."""
        self.last_gap: float | None = None
        """The newest window's best version's gap in nats (None: nothing was rescored)."""

    def transcribe(self, audio: npt.NDArray[np.float32]) -> str:
        """The text of ``audio`` (16 kHz mono float32, a few seconds at most)."""
        import ctranslate2  # type: ignore[import-untyped]  # noqa: PLC0415 - heavy

        if audio.size < _RATE // 10:
            return ""
        if self.padded_s:
            audio = audio[-int(self.padded_s * _RATE) :]
        silence = np.zeros(max(0, int(self.padded_s * _RATE) - audio.size), np.float32)
        features = self._model.feature_extractor(np.concatenate([audio, silence]))[:, :-1]
        seconds = audio.size / _RATE
        encoded = self._model.model.encode(
            ctranslate2.StorageView.from_array(np.ascontiguousarray(features[None])))
        result = self._model.model.generate(
            encoded,
            [self._prompt],
            beam_size=1,
            max_length=len(self._prompt) + int(seconds * _TOKENS_PER_S) + 4,
            no_repeat_ngram_size=3,
            suppress_blank=True,
        )
        eot = self._tokenizer.eot
        text: str = self._tokenizer.decode([t for t in result[0].sequences_ids[0] if t < eot])
        self.last_gap = None
        if self.stops and self.rescue_margin > 0:
            return self._rescued(encoded, min(features.shape[-1], int(seconds * 100)),
                                 text.strip())
        return text.strip()

    def _rescued(self, encoded: Any, frames: int, text: str) -> str:
        """``text``, or the likeliest version of it with a stop phrase within the margin."""
        if not text or find_phrases(tokenize(text), self.stops, kind="stop",
                                    tolerance=self.tolerance):
            return text
        versions = [h for phrase in self.stops for h in stop_hypotheses(text, phrase)]
        if not versions:
            return text
        scores = self._scores(encoded, frames, [text, *versions])
        gap, best = min((scores[0] - score, version)
                        for score, version in zip(scores[1:], versions, strict=True))
        self.last_gap = gap
        if gap > self.rescue_margin:
            return text
        self.rescued += 1
        return best

    def _scores(self, encoded: Any, frames: int, texts: Sequence[str]) -> list[float]:
        """Log-probability of each text and then the end of text, teacher-forced, in one
        batched decoder pass over the window's encoder output."""
        import ctranslate2  # noqa: PLC0415 - heavy

        sequences = [[*self._tokenizer.encode(" " + t.strip()), self._tokenizer.eot]
                     for t in texts]
        batch = np.repeat(np.asarray(encoded), len(texts), axis=0)
        aligned = self._model.model.align(
            ctranslate2.StorageView.from_array(np.ascontiguousarray(batch)), self._prompt,
            sequences, [max(frames, 2)] * len(texts))
        return [float(np.log(np.maximum(np.asarray(a.text_token_probs, np.float64), 1e-9)).sum())
                for a in aligned]
