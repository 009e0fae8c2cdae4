"""The phrases stage: transcripts -> phrase heard / command / stop, and per-site state events."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import PhrasesConfig
from nimbus.daemon.events import (
    ArbitrationLost,
    AssistantState,
    Command,
    CommandCandidate,
    CommandExpected,
    Event,
    PhraseHeard,
    PhraseRejected,
    PlaybackFinished,
    PlaybackStarted,
    ResponseDone,
    ResponseStarted,
    Say,
    Sentence,
    SpeechStarted,
    Stop,
    Transcript,
)
from nimbus.handlers.listening.phrases.matcher import (
    ActionHeard,
    CommandReady,
    PhraseMatcher,
    Rejected,
    StopHeard,
)
from nimbus.handlers.listening.state import StateTracker

__all__ = ["PhraseHandler"]

log = logging.getLogger(__name__)

_WATCHED = (
    Transcript,
    Command,
    Stop,
    SpeechStarted,
    ResponseStarted,
    ResponseDone,
    PlaybackStarted,
    PlaybackFinished,
    Sentence,
    Say,
    ArbitrationLost,
)


class PhraseHandler:
    """Thin async shell around :class:`PhraseMatcher` and :class:`StateTracker`."""

    name = "phrases"

    def __init__(self, bus: Bus, config: PhrasesConfig, *,
                 arbitrated: Collection[str] | Callable[[str], bool] = (),
                 cancelling: Callable[[str], bool] | None = None) -> None:
        """``cancelling(site)``: whether the site's microphone is echo-cancelled right now
        (then a command may come over an answer)."""
        self._bus = bus
        self._cancelling = cancelling
        self._arbitrated = (arbitrated if callable(arbitrated)
                            else frozenset(arbitrated).__contains__)
        """Whether a site is in an arbitration group: its voice commands are candidates first."""
        self.matcher = PhraseMatcher(config)
        self.tracker = StateTracker()
        self.finals = 0
        """Final transcripts fully handled (their commands/stops already published)."""
        self._handled = asyncio.Condition()
        self._expected: dict[str, str] = {}
        """Per site: the last command.expected text published (each text once)."""

    async def prepare(self) -> None:
        return None

    async def wait_finals(self, count: int) -> None:
        """Wait until ``count`` final transcripts have been handled."""
        async with self._handled:
            await self._handled.wait_for(lambda: self.finals >= count)

    async def run(self) -> None:
        # Lossless: transcripts and control events are small and must not be lost.
        async with self._bus.subscribe(*_WATCHED, maxsize=1024, name=self.name) as events:
            async for event in events:
                try:
                    await self._handle(event)
                except (asyncio.CancelledError, TimeoutError):
                    raise
                except Exception:
                    log.exception("phrase handling failed on %s", event.type.value)
                if isinstance(event, Transcript) and event.final:
                    async with self._handled:
                        self.finals += 1
                        self._handled.notify_all()

    async def _handle(self, event: Event) -> None:
        match event:
            case Transcript():
                await self._transcript(event)
                return
            case PlaybackStarted():
                self.matcher.playback(event.site, active=True, now=event.time)
            case PlaybackFinished(cancelled=cancelled):
                self.matcher.playback(event.site, active=False, now=event.time)
                if not cancelled:
                    self.matcher.answered(event.site, event.time)
            case ResponseDone(cancelled=cancelled):
                if not cancelled:
                    self.matcher.answered(event.site, event.time)
            case Sentence(text=text) | Say(text=text):
                self.matcher.spoken(event.site, text)
            case Stop():
                self.matcher.stopped(event.site)
            case ArbitrationLost():
                # Another room answers this utterance: this site's turn is over.
                changed = self.tracker.utterance_done(event.site, event.id)
                if changed is not None:
                    await self._bus.publish(changed)
                return
        await self._publish_state(event)

    async def _publish_state(self, event: Event) -> None:
        changed = self.tracker.observe(event)
        if changed is not None:
            await self._bus.publish(changed)

    async def _expect(self, event: Transcript) -> None:
        """Tell the responder what the utterance asks so far, so it can read ahead."""
        text = self.matcher.expected_command(
            event.site, event.text, now=event.time, at=event.end
        )
        if text is None or self._expected.get(event.site) == text:
            return
        self._expected[event.site] = text
        await self._bus.publish(CommandExpected(site=event.site, cause=event.id, text=text))

    async def _transcript(self, event: Transcript) -> None:
        cancelled = self._cancelling is not None and self._cancelling(event.site)
        outcomes = self.matcher.transcript(
            event.site,
            event.text,
            final=event.final,
            utterance=round(event.start, 3),
            now=event.time,
            words=event.words,
            at=event.end,
            busy=self.tracker.state(event.site)
            in (AssistantState.THINKING, AssistantState.SPEAKING),
            cancelled=cancelled,
            # A site with echo cancellation is a live local microphone: its utterance began
            # by publish time less its length (a file may be read faster than real time).
            began=event.time - (event.end - event.start) if cancelled else None,
        )
        if not event.final and not outcomes:
            await self._expect(event)
        elif event.final:
            self._expected.pop(event.site, None)
        commanded = False
        for outcome in outcomes:
            match outcome:
                case StopHeard(match=m) | ActionHeard(match=m):
                    await self._bus.publish(
                        PhraseHeard(
                            site=event.site,
                            cause=event.id,
                            phrase=m.phrase,
                            kind=m.kind,
                            heard=m.heard,
                            score=round(m.score, 3),
                        )
                    )
                    if isinstance(outcome, StopHeard):
                        commanded = True
                        await self._bus.publish(
                            Stop(site=event.site, cause=event.id, reason="stop phrase")
                        )
                case Rejected(match=m, score=score, reason=reason, pause=pause):
                    log.info(
                        "phrase candidate rejected",
                        extra={"site": event.site, "phrase": m.phrase, "heard": event.text,
                               "score": round(score, 3), "reason": reason, "pause": pause},
                    )
                    await self._bus.publish(
                        PhraseRejected(
                            site=event.site,
                            cause=event.id,
                            phrase=m.phrase,
                            kind=m.kind,
                            heard=event.text,
                            score=round(score, 3),
                            reason=reason,
                            pause=None if pause is None else round(pause, 3),
                        )
                    )
                case CommandReady(text=text) if self._arbitrated(event.site):
                    commanded = True
                    await self._bus.publish(CommandCandidate(
                        site=event.site, cause=event.id, text=text, level_db=event.level_db,
                        avg_logprob=event.avg_logprob))
                case CommandReady(text=text):
                    commanded = True
                    await self._bus.publish(
                        Command(site=event.site, cause=event.id, text=text, origin="voice")
                    )
        if event.final and not commanded:
            changed = self.tracker.utterance_done(event.site, event.id)
            if changed is not None:
                await self._bus.publish(changed)
