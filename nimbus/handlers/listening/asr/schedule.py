"""ASR scheduling policy: which decode the single ASR worker runs next, and which it skips.

Pure: no clock, no thread, no model. Every method that depends on time takes ``now`` (monotonic
seconds), so the rules are tested with a hand-moved fake clock; :class:`AsrHandler` is the shell
that feeds it segments and playback changes and runs the jobs it hands out.

The rules, in the order they are applied:

1. **One decode at a time, nothing queued behind it.** Whisper runs on one worker; what waits
   waits here, where it can still be replaced: at most one partial and one stop window per site
   are pending (a newer one replaces the older), finals wait in arrival order.
2. **A stop never waits.** While the assistant is playing audio on a site, the site's partials
   become *stop windows*: only the newest ``stop_window_s`` of speech is decoded (a stop phrase is
   short, and the shell decodes it padded to 10 s instead of 30 s: ~7x cheaper, see
   ``window.py``), ahead of every other job, with no budget. Full partials of a speaking site
   are not decoded at all: while the assistant talks, only a stop phrase acts there.
3. **Finals next, in order.** A final replaces its site's pending partial (it holds all of its
   speech). A partial still running when its final arrives is *stale*: its transcript is not
   published (the final comes right after it), though a final of the same speech may reuse it.
4. **Pause partials** (cut on the first silent frame, see ``Segmenter``) always run when the worker
   is free: the final reuses them when no more speech comes, so they only ever bring the final
   forward, by the VAD hang-over.
5. **Mid-speech partials fit the machine.** Decode cost is measured online (:class:`DecodeCost`).
   A mid-speech partial runs only if its predicted decode time is at most the hang-over (the
   earliest its utterance's final can arrive after speech stops), so it can never make a final
   later than it would be without partials; and only while partials keep within ``budget`` of the
   worker's time: after a partial that took ``c`` seconds the next one waits ``c (1 - b) / b``.
   On a slow machine that means fewer partials, then none but the pause partials.

Decodes of utterances longer than ``short_s`` (the ASR's short window, see ``engine.py``) pad to
Whisper's 30 s instead of 10 s and cost several times more: they have a cost model of their own
(``long_cost``), so that a long utterance's partials are judged by what long decodes cost.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Literal

from nimbus.daemon.events import SpeechSegment

__all__ = ["AsrScheduler", "DecodeCost", "Job", "Offer", "offer_of"]

JobKind = Literal["stop", "final", "pause", "partial"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Offer:
    """What the scheduler needs to know of one speech segment."""

    id: str
    site: str
    utterance: str | None
    """Id of the utterance (its ``speech.started``) the segment belongs to."""
    audio_s: float
    final: bool = False
    pause: bool = False
    """A partial cut when the speaker paused (its final may reuse it)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Job:
    """One decode to run now: ``audio_s`` seconds from the end of segment ``offer``."""

    offer: Offer
    kind: JobKind
    audio_s: float


@dataclass(slots=True)
class DecodeCost:
    """Online decode time of one model: ``seconds = fixed + per_second * audio seconds``.

    Fitted by least squares on the last ``window`` decodes, so it follows the machine's load as
    it changes. Whisper pads every input to 30 s for its encoder, so the fixed part dominates
    short inputs; a plain seconds-per-audio-second ratio would overrate long utterances and
    underrate short ones. Until decodes of different lengths were seen, the prior slope is
    kept and only scaled to what was measured.
    """

    prior_fixed: float = 0.3
    prior_per_second: float = 0.05
    window: int = 16
    _samples: deque[tuple[float, float]] = field(default_factory=deque)

    def observe(self, audio_s: float, seconds: float) -> None:
        self._samples.append((max(0.0, audio_s), max(0.0, seconds)))
        while len(self._samples) > self.window:
            self._samples.popleft()

    @property
    def observed(self) -> int:
        return len(self._samples)

    def coefficients(self) -> tuple[float, float]:
        """(fixed seconds, seconds per audio second) as now estimated."""
        if not self._samples:
            return self.prior_fixed, self.prior_per_second
        n = len(self._samples)
        mean_a = sum(a for a, _ in self._samples) / n
        mean_s = sum(s for _, s in self._samples) / n
        spread = sum((a - mean_a) ** 2 for a, _ in self._samples)
        if spread >= 1.0:  # lengths differ by a second or more: the slope is measurable
            slope = sum((a - mean_a) * (s - mean_s) for a, s in self._samples) / spread
            slope = max(0.0, slope)
        else:
            prior = self.prior_fixed + self.prior_per_second * mean_a
            slope = self.prior_per_second * (mean_s / prior if prior > 0 else 1.0)
        return max(0.0, mean_s - slope * mean_a), slope

    def predict(self, audio_s: float) -> float:
        fixed, slope = self.coefficients()
        return fixed + slope * max(0.0, audio_s)

    def per_audio_second(self, audio_s: float) -> float:
        """Decode seconds per second of audio, for an input of ``audio_s`` seconds."""
        return self.predict(audio_s) / audio_s if audio_s > 0 else float("inf")


@dataclass(slots=True)
class _Stats:
    decoded: dict[str, int] = field(default_factory=dict)
    skipped_slow: int = 0
    """Mid-speech partials not decoded: predicted to outlast the hang-over."""
    replaced: int = 0
    """Pending partials or windows replaced by a newer one or by their final."""
    stale: int = 0
    """Partials that finished after their final arrived (not published)."""
    skipped_speaking: int = 0
    """Full partials not decoded because the assistant was speaking on the site."""


class AsrScheduler:
    """Decides which decode runs next; see the module docstring for the rules."""

    def __init__(
        self,
        *,
        hangover_s: float = 0.4,
        budget: float = 0.5,
        stop_window_s: float = 1.5,
        cost: DecodeCost | None = None,
        short_s: float = 0.0,
    ) -> None:
        if not 0 < budget <= 1:
            raise ValueError(f"budget must be in (0, 1], got {budget}")
        self.hangover_s = hangover_s
        self.budget = budget
        self.stop_window_s = stop_window_s
        self.cost = cost or DecodeCost()
        """Padded decodes (partials and finals) of utterances up to ``short_s`` (of all if 0)."""
        self.short_s = short_s
        self.long_cost = DecodeCost()
        """Decodes of utterances longer than ``short_s`` (Whisper's full 30 s window)."""
        self.window_cost = DecodeCost(prior_fixed=0.05, prior_per_second=0.02)
        """Stop windows (short, unpadded decodes: see ``window.py``)."""
        self.stats = _Stats()
        self.running: Job | None = None
        self._finals: deque[Offer] = deque()
        self._partials: dict[str, Offer] = {}
        self._stops: dict[str, Offer] = {}
        self._playing: dict[str, set[str]] = {}
        self._stale = False
        self._rest_until = float("-inf")

    # --- inputs ------------------------------------------------------------------------------

    def playback(self, site: str, *, started: bool, key: str = "") -> None:
        """The assistant started or finished playing ``key`` (a response on a sink) on ``site``."""
        playing = self._playing.setdefault(site, set())
        if started:
            playing.add(key)
        else:
            playing.discard(key)
        if not playing:
            del self._playing[site]

    def cost_of(self, audio_s: float) -> DecodeCost:
        """The cost model of a (partial or final) decode of ``audio_s`` seconds."""
        return self.long_cost if self.short_s and audio_s > self.short_s else self.cost

    def speaking(self, site: str) -> bool:
        return site in self._playing

    def offer(self, offer: Offer) -> None:
        """A new segment: queue it, replacing what it makes useless."""
        site = offer.site
        if offer.final:
            if self._partials.pop(site, None) is not None:
                self.stats.replaced += 1
            running = self.running
            if (running is not None and running.kind in ("partial", "pause")
                    and running.offer.site == site and running.offer.utterance == offer.utterance):
                self._stale = True
            self._finals.append(offer)
            return
        if self.speaking(site):
            if self._stops.pop(site, None) is not None:
                self.stats.replaced += 1
            self._stops[site] = offer
            return
        if self._partials.pop(site, None) is not None:
            self.stats.replaced += 1
        self._partials[site] = offer

    # --- the worker --------------------------------------------------------------------------

    def next_job(self, now: float) -> Job | None:
        """The job to start now, or None (nothing to do, a decode is running, or resting)."""
        if self.running is not None:
            return None
        job = self._pick(now)
        if job is not None:
            self.running = job
            self._stale = False
        return job

    def ready_at(self) -> float | None:
        """When a partial held back by the budget may run (None: nothing is held back)."""
        if self.running is None and self._partials:
            return self._rest_until
        return None

    def finished(self, job: Job, *, now: float, seconds: float) -> bool:
        """The running job is done after ``seconds`` of decoding; True: publish its transcript."""
        if job is not self.running:
            raise ValueError("finished() must be given the running job")
        self.running = None
        cost = self.window_cost if job.kind == "stop" else self.cost_of(job.audio_s)
        cost.observe(job.audio_s, seconds)
        self.stats.decoded[job.kind] = self.stats.decoded.get(job.kind, 0) + 1
        if job.kind in ("partial", "pause"):
            self._rest_until = now + seconds * (1 - self.budget) / self.budget
        if self._stale:
            self._stale = False
            self.stats.stale += 1
            return False
        return True

    def release(self, job: Job) -> None:
        """The running job ended without a decode (its result was reused, or it failed)."""
        if job is self.running:
            self.running = None
            self._stale = False

    def pending(self) -> set[str]:
        """Ids of every segment still waiting here (the shell keeps their audio)."""
        ids = {o.id for o in self._finals}
        ids.update(o.id for o in self._partials.values())
        ids.update(o.id for o in self._stops.values())
        if self.running is not None:
            ids.add(self.running.offer.id)
        return ids

    def _pick(self, now: float) -> Job | None:
        if self._stops:
            site = next(iter(self._stops))
            offer = self._stops.pop(site)
            return Job(offer=offer, kind="stop", audio_s=min(offer.audio_s, self.stop_window_s))
        if self._finals:
            offer = self._finals.popleft()
            return Job(offer=offer, kind="final", audio_s=offer.audio_s)
        for site, offer in list(self._partials.items()):
            if self.speaking(site):
                del self._partials[site]
                self.stats.skipped_speaking += 1
                continue
            if offer.pause:
                del self._partials[site]
                return Job(offer=offer, kind="pause", audio_s=offer.audio_s)
            if self.cost_of(offer.audio_s).predict(offer.audio_s) > self.hangover_s:
                del self._partials[site]
                self.stats.skipped_slow += 1
                continue
            if now >= self._rest_until:
                del self._partials[site]
                return Job(offer=offer, kind="partial", audio_s=offer.audio_s)
        return None


def offer_of(segment: SpeechSegment) -> Offer:
    """What the scheduler needs to know of a segment (16 kHz, 16-bit PCM)."""
    return Offer(
        id=segment.id,
        site=segment.site,
        utterance=segment.cause,
        audio_s=len(segment.audio) / (2 * 16000),
        final=segment.final,
        pause=segment.pause,
    )
