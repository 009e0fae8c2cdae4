"""Clock-free speech segmenter: per-frame speech probabilities in, utterance boundaries out."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "Ended",
    "Growing",
    "SegmentEvent",
    "Segmenter",
    "SegmenterSettings",
    "Started",
    "ends_question",
]


def ends_question(text: str) -> bool:
    """True when a transcript is a whole question: it ends with a question mark (closing quotes
    and brackets aside). Whisper only writes one when the speech sounded finished."""
    return text.rstrip().rstrip("\"')]»\u201d\u2019").endswith(("?", "\uff1f"))


@dataclass(frozen=True, slots=True, kw_only=True)
class SegmenterSettings:
    """Segmentation parameters in milliseconds/seconds (see ``[vad]`` in the config)."""

    threshold: float = 0.5
    echo_threshold: float | None = None
    """The threshold for frames heard while the site's own answer plays through its echo
    canceller (None: ``threshold``)."""
    min_speech_ms: int = 250
    silence_ms: int = 400
    preroll_ms: int = 300
    max_speech_s: float = 30.0
    partial_interval_s: float | None = None
    """Emit a growing segment every this many seconds of speech (None: no partials)."""
    question_silence_ms: int = 0
    """Shorter hang-over once :meth:`Segmenter.end_early` says the pause partial's transcript
    is a whole question (0: never shorter)."""
    rate: int = 16000


@dataclass(frozen=True, slots=True, kw_only=True)
class Started:
    """Speech began; ``offset`` is the stream time of the first kept sample (pre-roll included)."""

    offset: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Growing:
    """The utterance so far (for partial transcripts)."""

    start: float
    audio: npt.NDArray[np.int16]
    pause: bool = False
    """Cut on the first silent frame: if the utterance ends without more speech, the final
    holds the same speech (see ``Ended.same_as_pause``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Ended:
    """The utterance is over."""

    start: float
    end: float
    audio: npt.NDArray[np.int16]
    reason: Literal["silence", "max_length", "end_of_stream"]
    same_as_pause: bool = False
    """No speech since the last pause partial: only silence was added to it."""


SegmentEvent = Started | Growing | Ended


class Segmenter:
    """Hysteresis segmenter in the style of Silero's VADIterator, with min-speech and pre-roll.

    A frame is speech at ``p >= threshold`` and silence at ``p < threshold - 0.15``; in between it
    keeps the current run. Speech must last ``min_speech_ms`` before :class:`Started`; the
    utterance ends after ``silence_ms`` of silence (the hang-over) or at ``max_speech_s``, or
    after ``question_silence_ms`` once :meth:`end_early` was called for its pause (the shell
    calls it when the pause partial was transcribed as a whole question: semantic end-pointing).
    Time is counted in samples, never read from a clock.
    """

    def __init__(self, settings: SegmenterSettings) -> None:
        self.settings = settings
        rate = settings.rate
        self._min_speech = int(settings.min_speech_ms * rate / 1000)
        self._silence = int(settings.silence_ms * rate / 1000)
        self._question_silence = int(settings.question_silence_ms * rate / 1000)
        self._preroll = int(settings.preroll_ms * rate / 1000)
        self._max = int(settings.max_speech_s * rate)
        self._partial = (
            int(settings.partial_interval_s * rate) if settings.partial_interval_s else 0
        )
        self.position = 0
        """Samples seen so far on this stream."""
        self._ring: deque[npt.NDArray[np.int16]] = deque()
        self._ring_samples = 0
        self._frames: list[npt.NDArray[np.int16]] = []
        self._samples = 0
        self._start = 0
        self._speech = 0
        self._silence_run = 0
        self._active = False
        self._pending = False
        self._next_partial = 0
        self._paused = False
        """A pause partial was cut and no speech came since."""
        self._early = False
        """The pause partial is a whole question: end after the shorter hang-over."""

    def end_early(self) -> bool:
        """The current pause partial was heard as a whole question: end the utterance once
        ``question_silence_ms`` of silence have passed (at once if they have). False when it
        cannot apply: no pause is open (speech resumed, or the utterance ended), or it is off."""
        if not (self._active and self._paused and 0 < self._question_silence < self._silence):
            return False
        self._early = True
        return True

    @property
    def active(self) -> bool:
        """True while inside an utterance (after Started, before Ended)."""
        return self._active

    def process(self, frame: npt.NDArray[np.int16], probability: float, *,
                echo: bool = False) -> list[SegmentEvent]:
        """Feed one frame and its speech probability; returns what happened. ``echo``: the
        frame was heard while the site's own answer played through its echo canceller (then
        ``echo_threshold`` applies)."""
        events: list[SegmentEvent] = []
        threshold = self.settings.threshold
        if echo and self.settings.echo_threshold is not None:
            threshold = self.settings.echo_threshold
        is_speech = probability >= threshold
        is_silence = probability < max(0.01, threshold - 0.15)
        size = len(frame)
        if not self._pending and not self._active:
            if is_speech:
                self._pending = True
                self._frames = list(self._ring)
                self._samples = self._ring_samples
                self._start = self.position - self._ring_samples
                self._ring.clear()
                self._ring_samples = 0
                self._speech = 0
                self._silence_run = 0
            else:
                self._remember(frame)
                self.position += size
                return events
        self._frames.append(frame)
        self._samples += size
        self.position += size
        if is_speech:
            self._speech += size
            self._silence_run = 0
            self._paused = False
            self._early = False
        elif is_silence or self._silence_run:
            self._silence_run += size
        if self._pending:
            if self._speech >= self._min_speech:
                self._pending = False
                self._active = True
                self._next_partial = self._samples + self._partial
                events.append(Started(offset=self._start / self.settings.rate))
            elif self._silence_run >= self._silence:
                self._abandon()
                return events
        if self._active:
            hangover = self._question_silence if self._early else self._silence
            if self._silence_run >= hangover:
                events.append(self._end("silence"))
            elif self._samples >= self._max:
                events.append(self._end("max_length"))
            elif self._partial and self._silence_run == size and not self._paused:
                # The speaker paused: decode now, during the hang-over; if no more speech
                # comes, the final reuses this transcript instead of decoding again.
                self._paused = True
                self._next_partial = self._samples + self._partial
                audio = np.concatenate(self._frames)
                events.append(
                    Growing(start=self._start / self.settings.rate, audio=audio, pause=True)
                )
            elif self._partial and self._samples >= self._next_partial and not self._silence_run:
                # Only while speech goes on: a partial in the hang-over would delay the final.
                self._next_partial = self._samples + self._partial
                audio = np.concatenate(self._frames)
                events.append(Growing(start=self._start / self.settings.rate, audio=audio))
        return events

    def finish(self) -> list[SegmentEvent]:
        """End of stream: close an open utterance (a pending, too-short one is dropped)."""
        if self._active:
            return [self._end("end_of_stream")]
        if self._pending:
            self._abandon()
        return []

    def _end(self, reason: Literal["silence", "max_length", "end_of_stream"]) -> Ended:
        audio = np.concatenate(self._frames) if self._frames else np.zeros(0, np.int16)
        ended = Ended(
            start=self._start / self.settings.rate,
            end=self.position / self.settings.rate,
            audio=audio,
            reason=reason,
            same_as_pause=self._paused,
        )
        self._active = False
        self._paused = False
        self._early = False
        self._frames = []
        self._samples = 0
        self._speech = 0
        self._silence_run = 0
        return ended

    def _abandon(self) -> None:
        """A blip shorter than min_speech: forget it, keeping its tail as pre-roll."""
        frames, self._frames = self._frames, []
        self._pending = False
        self._samples = 0
        for frame in frames:
            self._remember(frame)

    def _remember(self, frame: npt.NDArray[np.int16]) -> None:
        if self._preroll <= 0:
            return
        self._ring.append(frame)
        self._ring_samples += len(frame)
        while self._ring and self._ring_samples - len(self._ring[0]) >= self._preroll:
            self._ring_samples -= len(self._ring.popleft())
