"""One answer while it is produced: its plan (prompt, mode, evidence) and its progress, and
the reading ahead done for it while the user was still speaking."""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Final, Protocol

import numpy as np
import numpy.typing as npt

from nimbus.daemon.config import LlmConfig
from nimbus.daemon.events import Command, Grounding, Intent, SearchHit, Stop
from nimbus.handlers.responding.asked_for import settle
from nimbus.handlers.responding.cues import asked_by_name
from nimbus.handlers.responding.evidence import EvidenceSentence, gather_evidence
from nimbus.handlers.responding.grounding import (
    Mode,
    answered_by_documents,
    asked_part,
    decide,
)
from nimbus.handlers.responding.memory import Turn
from nimbus.handlers.responding.prompt import Counter, PromptPlan, build_prompt

__all__ = ["AnswerPlan", "Progress", "ReadAhead", "Running", "Searcher", "from_documents",
           "may_be_documents", "plan_answer", "same_words"]

log = logging.getLogger(__name__)


class Searcher(Protocol):
    """What the responder needs from DOCUMENTS' ``Retriever`` (callable from a worker thread)."""

    def search(self, query: str, *, k: int, max_distance: float | None = None) -> list[SearchHit]:
        ...

    def embed(self, texts: list[str]) -> npt.NDArray[np.float32]: ...

    def documents(self) -> list[tuple[str, str, str]]:
        """(path, status, why) of every file the store knows: unreadable ones are named."""
        ...

    def close(self) -> None: ...


_WORDS = re.compile(r"\w+")
"""Read-ahead text and command text match when their words do (case and punctuation aside)."""


@dataclass(frozen=True, slots=True)
class AnswerPlan:
    """A prompt and how the answer is held to its evidence."""

    prompt: PromptPlan
    mode: Mode | None
    """None: evidence selection is off (``llm.evidence_sentences = 0``): whole passages."""
    evidence: tuple[EvidenceSentence, ...] = ()

    def needs_model(self, llm: LlmConfig) -> bool:
        """False when the answer is said without the model (not found, or read verbatim)."""
        if self.mode == "not_found":
            return False
        return not (self.mode == "grounded" and llm.gate and llm.answer_style == "extractive")


@dataclass(slots=True)
class Progress:
    """What a response has produced so far (filled while streaming)."""

    text: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    plan: PromptPlan | None = None
    grounding: Grounding = field(default_factory=Grounding)
    released: int = 0
    """response.delta events published."""


@dataclass(slots=True, eq=False)
class ReadAhead:
    """Retrieval and prompt prefill for an expected command, done while the user finishes."""

    site: str
    text: str
    cancel: threading.Event = field(default_factory=threading.Event)
    hits: asyncio.Future[list[SearchHit] | None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future())
    """The passages retrieved for ``text`` (None: retrieval failed or was abandoned)."""

    def matches(self, command: Command) -> bool:
        return (command.site == self.site and command.use_docs
                and same_words(command.text, self.text))


def same_words(a: str, b: str) -> bool:
    return _WORDS.findall(a.lower()) == _WORDS.findall(b.lower())


@dataclass(slots=True)
class Running:
    """A command being answered on a site, and how to stop it."""

    command: Command
    cancel: threading.Event = field(default_factory=threading.Event)
    response_id: str | None = None
    task: asyncio.Task[None] | None = None
    read_ahead: ReadAhead | None = None
    """The read-ahead done for this very command, if any."""
    declined: Intent | None = None
    """What the intent stage would say instead ("I can't know that: … live information")
    when the documents do not answer (:func:`from_documents`)."""

    def targeted_by(self, stop: Stop) -> bool:
        return stop.target is None or stop.target in (
            self.command.id, self.command.cause, self.response_id)


def plan_answer(llm: LlmConfig, question: str, hits: list[SearchHit], *, system: str,
                embed: Callable[[list[str]], npt.NDArray[np.float32]] | None, count: Counter,
                turns: Sequence[Turn]) -> AnswerPlan:
    """Pick the evidence and the way to answer, then fit the prompt (blocking: a worker's)."""
    mode: Mode | None = None
    evidence: list[EvidenceSentence] = []
    if llm.evidence_sentences > 0:
        evidence = gather_evidence(asked_part(question), hits, llm.evidence_sentences,
                                   embed if hits else None)
        mode, evidence = settle(asked_part(question), decide(
            question, evidence, min_score=llm.min_evidence_score,
            min_coverage=llm.min_coverage), evidence, min_score=llm.min_evidence_score)
        hits = [SearchHit(path=s.path, page=s.page, score=s.score, text=s.text)
                for s in evidence] if mode == "grounded" else []
    prompt = build_prompt(system=system, question=question, count=count,
                          budget=llm.max_input_tokens, hits=hits, turns=turns)
    return AnswerPlan(prompt=prompt, mode=mode, evidence=tuple(evidence))


_CLOCK: Final = re.compile(r"\btime (?:is it|it is|is it now)\b", re.IGNORECASE)
QUERY_CHARS: Final = 1000
"""Retrieval uses at most this much of the question."""


def may_be_documents(intent: Intent, command: Command, llm: LlmConfig,
                     retriever: Searcher | None) -> bool:
    """Is the intent live information ("when is football training?", "what time can we check
    in at the cottage?") that documents may hold? Not the clock elsewhere ("what time is it in
    Tokyo?")."""
    clock = intent.slots.get("topic") == "time_elsewhere" and _CLOCK.search(command.text)
    return (intent.name == "realtime" and not clock and retriever is not None
            and command.use_docs and llm.top_k > 0 and llm.evidence_sentences > 0)


async def from_documents(running: Running, retriever: Searcher, llm: LlmConfig) -> bool:
    """Do the documents answer a command the intent stage would decline as live information?

    "When is football training?" with the club's fixtures sheet in the folder is the
    household's, not the world's (:func:`.grounding.answered_by_documents`). The passages
    found are kept for the answer (no second search). A failed search leaves it declined.
    """
    question = asked_by_name(running.command.text.strip())
    try:
        hits = await asyncio.to_thread(retriever.search, question[:QUERY_CHARS], k=llm.top_k,
                                       max_distance=llm.max_distance)
        evidence = await asyncio.to_thread(gather_evidence, asked_part(question), hits,
                                           llm.evidence_sentences,
                                           retriever.embed if hits else None)
    except Exception:
        log.warning("document search for %r failed; declined as live information",
                    question[:80], exc_info=True)
        return False
    if running.read_ahead is None:
        running.read_ahead = ReadAhead(site=running.command.site, text=running.command.text)
        running.read_ahead.hits.set_result(hits)
    return answered_by_documents(question, evidence, min_score=llm.min_evidence_score,
                                 min_coverage=llm.min_coverage)
