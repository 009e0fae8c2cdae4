"""The arbitration stage: command candidates of grouped sites -> one ``command`` per utterance.

A thin shell around :class:`Arbiter`: it feeds it speech starts/ends and the sites' listening
state, offers each ``command.candidate``, and publishes what it decides - the winner's
``command`` (caused by the same transcript, as if no arbitration had happened) and an
``arbitration.lost`` for every other site, naming the winner (the phrase stage then puts that
site back to idle). Between events it sleeps until the arbiter's next deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from functools import partial

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import ArbitrationConfig
from nimbus.daemon.events import (
    ArbitrationLost,
    AssistantState,
    Command,
    CommandCandidate,
    Event,
    SpeechEnded,
    SpeechStarted,
    StateChanged,
)
from nimbus.handlers.listening.arbitration.arbiter import Answer, Arbiter, Candidate, Decision

__all__ = ["ArbitrationHandler"]

log = logging.getLogger(__name__)


class ArbitrationHandler:
    """Decides which grouped site answers a command several sites heard."""

    name = "arbitration"

    def __init__(self, bus: Bus, config: ArbitrationConfig, *, local_site: str = "default",
                 clock: Callable[[], float] = time.monotonic) -> None:
        """``local_site``: the daemon's own microphone (``daemon.site``), in no default group."""
        self._bus = bus
        self._config = config
        self.arbiter = Arbiter(partial(config.group_for, local_site=local_site),
                               window_s=config.window_s,
                               wait_s=config.wait_s, min_similarity=config.min_similarity)
        self._clock = clock
        self._candidates: dict[str, CommandCandidate] = {}

    async def prepare(self) -> None:
        return None

    async def run(self) -> None:
        # Lossless: small, rare events; a decision must never be lost.
        async with self._bus.subscribe(CommandCandidate, SpeechStarted, SpeechEnded,
                                       StateChanged, maxsize=256, name=self.name) as events:
            while True:
                deadline = self.arbiter.deadline(self._clock())
                delay = None if deadline is None else max(0.0, deadline - self._clock())
                event: Event | None = None
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(delay):
                        event = await events.get()
                decisions = self._observe(event) if event is not None else []
                await self._publish([*decisions, *self.arbiter.settle(self._clock())])

    def _observe(self, event: Event) -> list[Decision]:
        match event:
            case SpeechStarted():
                self.arbiter.speech_started(event.site)
            case SpeechEnded():
                self.arbiter.speech_ended(event.site, event.time)
            case StateChanged(state=state):
                self.arbiter.listening(event.site, state is AssistantState.LISTENING)
            case CommandCandidate():
                self._candidates[event.id] = event
                score = event.level_db if self._config.signal == "level" else event.avg_logprob
                return self.arbiter.offer(
                    Candidate(id=event.id, site=event.site, text=event.text, score=score,
                              ended=self.arbiter.ended_at(event.site)), self._clock())
        return []

    async def _publish(self, decisions: list[Decision]) -> None:
        for decision in decisions:
            heard = self._candidates.pop(decision.candidate.id, None)
            if heard is None:
                continue
            if isinstance(decision, Answer):
                if decision.rivals:
                    log.info("arbitration: %s answers %r (%d other site(s) heard it; waited "
                             "%.2f s)", heard.site, heard.text, decision.rivals, decision.waited)
                await self._bus.publish(Command(site=heard.site, cause=heard.cause,
                                                text=heard.text, origin="voice"))
            else:
                log.info("arbitration: %s heard %r but %s heard it better (%s %.2f < %.2f)",
                         heard.site, heard.text, decision.winner.site, self._config.signal,
                         decision.candidate.score, decision.winner.score)
                await self._bus.publish(ArbitrationLost(
                    site=heard.site, cause=heard.id, winner=decision.winner.site,
                    text=heard.text, signal=self._config.signal,
                    score=decision.candidate.score, winner_score=decision.winner.score))
