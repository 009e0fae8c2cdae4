"""The responder: answers each Command with a streamed, document-grounded LLM response."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any, TypeVar

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import Config, ConfigError
from nimbus.daemon.events import (
    Command,
    CommandExpected,
    Error,
    Grounding,
    ResponseDelta,
    ResponseDone,
    ResponseStarted,
    SatelliteState,
    SearchHit,
    Source,
    Stop,
)
from nimbus.daemon.priority import LLM_NICENESS, nicer
from nimbus.handlers.responding.answer import (
    QUERY_CHARS,
    AnswerPlan,
    Progress,
    ReadAhead,
    Running,
    Searcher,
    from_documents,
    may_be_documents,
    plan_answer,
    same_words,
)
from nimbus.handlers.responding.areas import SiteAreas, area_sentence
from nimbus.handlers.responding.confidence import ConfidenceGate, asks_for_fiction, gate_for
from nimbus.handlers.responding.cues import asked_by_name
from nimbus.handlers.responding.grounding import (
    NOT_FOUND,
    AnswerGate,
    asked_part,
    not_found_grounding,
)
from nimbus.handlers.responding.intents.notes import in_notes
from nimbus.handlers.responding.intents.rules import intent_for
from nimbus.handlers.responding.intents.semantic import SemanticIntents, meant_intent
from nimbus.handlers.responding.llm import LlmBackend, LlmError, load_backend
from nimbus.handlers.responding.llm.base import Delta, PromptWarmer
from nimbus.handlers.responding.memory import ConversationMemory, memory_key
from nimbus.handlers.responding.prompt import PromptPlan
from nimbus.handlers.responding.reference.book import ReferenceBook, reference_grounding
from nimbus.handlers.responding.unreadable import cannot_read

__all__ = ["LlmUnavailable", "Responder", "Searcher"]

log = logging.getLogger(__name__)

T = TypeVar("T")

STAGE = "llm"
_SHOWN_QUESTION_CHARS = 500
_SOURCE_TEXT_CHARS = 400


class LlmUnavailable(ConfigError):
    """The configured model cannot be loaded at start-up (the CLI prints it, exit code 2)."""


class Responder:
    """Consumes ``Command`` and ``Stop``; publishes ``ResponseStarted/Delta/Done`` and ``Error``.

    One response per site: a new command on a site, or a stop for it, sets the running
    response's cancel flag, which the backend checks between tokens; the cancelled response
    still ends with ``ResponseDone(cancelled=True)`` before the next one starts. A serial
    backend (llama.cpp, transformers) serves one site at a time, on the thread owning the model."""

    name = "responder"

    def __init__(
        self,
        config: Config,
        bus: Bus,
        *,
        backend: LlmBackend | None = None,
        retriever: Searcher | None = None,
        open_retriever: Callable[[], Searcher] | None = None,
    ) -> None:
        self._config = config
        self._llm = config.llm
        self._bus = bus
        self._backend = backend
        self._retriever = retriever
        self._open_retriever = open_retriever
        self._owns_retriever = False
        self._retrieval_problem = ""
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="llm",
                                            initializer=nicer(LLM_NICENESS))
        self._model_lock = asyncio.Lock()
        self._memory: ConversationMemory | None = None
        self._running: dict[str, Running] = {}
        self._last_intent: dict[str, str] = {}
        self._read_ahead: ReadAhead | None = None
        self._areas = SiteAreas(config)
        self.reference = ReferenceBook(self._llm.reference) if self._llm.reference else None
        self.meaning: SemanticIntents | None = None
        """Everyday questions the rules miss, by meaning (needs the retriever's model)."""
        self.read_aheads = 0  # prompts read ahead to completion (for tests and status)
        self.listening = asyncio.Event()  # set once run() has subscribed

    @property
    def backend(self) -> LlmBackend:
        if self._backend is None:
            raise RuntimeError("Responder.prepare() has not run")
        return self._backend

    @property
    def memory(self) -> ConversationMemory:
        if self._memory is None:
            raise RuntimeError("Responder.prepare() has not run")
        return self._memory

    async def _off_loop(self, func: Callable[..., T], *args: Any) -> T:
        """Run on the model's own thread (or any worker for a parallel backend)."""
        if self._backend is not None and self._backend.parallel:
            return await asyncio.to_thread(func, *args)
        return await asyncio.get_running_loop().run_in_executor(self._executor, func, *args)

    async def prepare(self) -> None:
        if self._backend is None:
            try:
                self._backend = await self._off_loop(load_backend, self._config)
            except LlmError as exc:
                raise LlmUnavailable(f"llm: {exc.message}") from None
        self._memory = ConversationMemory(self._llm.memory_tokens, self.backend.count_tokens,
                                          idle_s=self._llm.conversation_idle_s)
        if self._retriever is None and self._open_retriever is not None and self._llm.top_k > 0:
            try:
                self._retriever = await asyncio.to_thread(self._open_retriever)
                self._owns_retriever = True
            except Exception as exc:
                self._retrieval_problem = f"documents are unavailable: {type(exc).__name__}: {exc}"
                log.warning("%s; answering without them", self._retrieval_problem)
        intents = self._config.intents
        if self._retriever is not None and intents.enabled and intents.semantic_min > 0:
            self.meaning = SemanticIntents(self._retriever.embed, margin=intents.semantic_margin,
                                           min_similarity=intents.semantic_min)

    async def run(self) -> None:
        try:
            async with (
                asyncio.TaskGroup() as tg,
                # Commands and stops are small and rare; a full queue makes publishers wait.
                self._bus.subscribe(Command, CommandExpected, Stop, SatelliteState,
                                    name=self.name, maxsize=64) as events,
            ):
                self.listening.set()
                if self.reference is not None:  # built once per machine, in the background
                    tg.create_task(asyncio.to_thread(self.reference.open), name="reference")
                if self.meaning is not None:  # its examples embedded before the first command
                    tg.create_task(asyncio.to_thread(self.meaning.prepare), name="meaning")
                async for event in events:
                    match event:
                        case SatelliteState():
                            self._areas.observe(event)
                        case Stop():
                            if self._read_ahead is not None and self._read_ahead.site == \
                                    event.site:
                                self._read_ahead.cancel.set()
                                self._read_ahead = None
                            running = self._running.get(event.site)
                            if running is not None and running.targeted_by(event):
                                running.cancel.set()
                        case CommandExpected():
                            self._start_read_ahead(event, tg)
                        case Command():
                            previous = self._running.get(event.site)
                            if previous is not None:
                                previous.cancel.set()
                            # The intent stage before the model: time, timers, notes, home…
                            after = self._last_intent.pop(event.site, "")  # "cancel that"
                            intent = intent_for(event, after) if self._config.intents.enabled \
                                else None
                            if intent is not None and not may_be_documents(
                                    intent, event, self._llm, self._retriever):
                                self._last_intent[event.site] = intent.name
                                await self._bus.publish(intent)  # the intents handler answers
                                continue
                            running = Running(command=event, declined=intent,
                                              read_ahead=self._take_read_ahead(event))
                            self._running[event.site] = running
                            running.task = tg.create_task(
                                self._respond(running, previous), name=f"respond:{event.site}"
                            )
        except asyncio.CancelledError:
            # Shutting down (a crash instead keeps the retriever for the supervisor's restart).
            if self._owns_retriever and self._retriever is not None:
                await asyncio.to_thread(self._retriever.close)
                self._retriever = None
            raise
        finally:
            self.listening.clear()
            for running in self._running.values():
                running.cancel.set()

    # --- reading ahead -----------------------------------------------------------------------

    def _start_read_ahead(self, expected: CommandExpected, tg: asyncio.TaskGroup) -> None:
        """Retrieve and prefill for the command a partial transcript announces.

        Only when the model is idle (a read-ahead never delays an answer being generated) and
        the backend can keep a prompt in its cache; a newer expectation replaces an older one.
        """
        if (not isinstance(self._backend, PromptWarmer) or self._backend.parallel
                or self._running or not expected.text.strip()):
            return
        current = self._read_ahead
        if current is not None:
            if current.site == expected.site and same_words(current.text, expected.text):
                return
            current.cancel.set()
        read_ahead = ReadAhead(site=expected.site, text=expected.text.strip())
        self._read_ahead = read_ahead
        tg.create_task(self._run_read_ahead(read_ahead), name=f"read-ahead:{expected.site}")

    def _take_read_ahead(self, command: Command) -> ReadAhead | None:
        """The read-ahead done for ``command`` (kept running), or None (others are stopped)."""
        read_ahead, self._read_ahead = self._read_ahead, None
        if read_ahead is not None and not read_ahead.matches(command):
            read_ahead.cancel.set()
            return None
        return read_ahead

    async def _run_read_ahead(self, read_ahead: ReadAhead) -> None:
        backend = self._backend
        assert isinstance(backend, PromptWarmer)
        hits: list[SearchHit] | None = None
        try:
            if self._retriever is not None and self._llm.top_k > 0:
                hits = await asyncio.to_thread(
                    self._retriever.search, asked_by_name(read_ahead.text)[:QUERY_CHARS],
                    k=self._llm.top_k,
                    max_distance=self._llm.max_distance)
            else:
                hits = []
        except (asyncio.CancelledError, TimeoutError):
            raise
        except Exception:  # the command's own retrieval will report it
            log.debug("read-ahead retrieval failed", exc_info=True)
        finally:
            if not read_ahead.hits.done():
                read_ahead.hits.set_result(hits)
        if hits is None or read_ahead.cancel.is_set():
            return
        begun = time.perf_counter()
        try:
            plan = await self._off_loop(self._plan, read_ahead.site, read_ahead.text, hits)
            async with self._model_lock:
                if read_ahead.cancel.is_set() or not plan.needs_model(self._llm):
                    return
                cached = await self._off_loop(backend.warm, plan.prompt.messages,
                                              read_ahead.cancel)
        except (asyncio.CancelledError, TimeoutError):
            raise
        except Exception:  # only a hint: the command itself will meet and report any problem
            log.warning("reading ahead failed", exc_info=True)
            return
        self.read_aheads += 1
        log.debug("read ahead %d prompt tokens for %r in %.3f s", cached, read_ahead.text[:60],
                  time.perf_counter() - begun)

    # --- one response ------------------------------------------------------------------------

    async def _respond(self, running: Running, previous: Running | None) -> None:
        command = running.command
        try:
            if previous is not None and previous.task is not None:
                await asyncio.wait([previous.task])
            if running.declined is not None and self._retriever is not None and not (
                    await from_documents(running, self._retriever, self._llm)):
                await self._bus.publish(running.declined)  # the intents handler declines it
                return
            await self._answer(running)
        finally:
            if self._running.get(command.site) is running:
                del self._running[command.site]

    async def _error(self, code: str, message: str, *, site: str, cause: str,
                     stage: str = STAGE) -> None:
        await self._bus.publish(Error(code=code, message=message, stage=stage, site=site,
                                      cause=cause))

    async def _answer(self, running: Running) -> None:
        command = running.command
        question = command.text.strip()
        if not question:
            await self._error("empty_command", "the command has no text: nothing to answer",
                              site=command.site, cause=command.id)
            return
        if self.meaning and not running.declined and (meant := await asyncio.to_thread(
                meant_intent, self.meaning, command)):  # not one the documents took back
            await self._bus.publish(meant)  # an everyday question in new words: intents answer
            return
        received = time.perf_counter()
        shown = question if len(question) <= _SHOWN_QUESTION_CHARS else (
            question[:_SHOWN_QUESTION_CHARS] + "…")
        started = ResponseStarted(site=command.site, cause=command.id, question=shown,
                                  model=self.backend.name)
        running.response_id = started.id
        await self._bus.publish(started)
        progress = Progress()
        try:
            await self._generate(running, started, question, progress, received)
        except asyncio.CancelledError:
            running.cancel.set()
            raise
        except LlmError as exc:
            await self._error(exc.code, exc.message, site=command.site, cause=started.id)
        except Exception as exc:
            log.exception("response to %r failed", shown[:80])
            await self._error("llm_failed", f"the answer failed: {type(exc).__name__}: {exc}",
                              site=command.site, cause=started.id)
        text = "".join(progress.text)
        progress.timings["total"] = time.perf_counter() - received
        sources = tuple(
            Source(path=hit.path, page=hit.page, score=hit.score,
                   text=hit.text[:_SOURCE_TEXT_CHARS])
            for hit in (progress.plan.sources if progress.plan else ())
        )
        await self._bus.publish(ResponseDone(
            site=command.site, cause=started.id, text=text, cancelled=running.cancel.is_set(),
            sources=sources, prompt_tokens=progress.prompt_tokens,
            completion_tokens=progress.completion_tokens,
            timings={k: round(v, 4) for k, v in progress.timings.items()},
            grounding=progress.grounding,
        ))
        if text.strip() and progress.plan is not None:  # a cancelled answer: what was said
            await self._off_loop(self.memory.add,
                                 memory_key(command.site, command.conversation),
                                 progress.plan.question,
                                 text.strip())

    async def _retrieve(self, running: Running, question: str, started: ResponseStarted,
                        progress: Progress) -> list[SearchHit]:
        command = running.command
        if not command.use_docs or self._llm.top_k <= 0:
            return []
        if self._retriever is None:
            if self._retrieval_problem:
                problem, self._retrieval_problem = self._retrieval_problem, ""
                await self._error("retrieval_unavailable", problem, site=command.site,
                                  cause=started.id, stage="retrieval")
            return []
        begun = time.perf_counter()
        if running.read_ahead is not None:
            early = await running.read_ahead.hits
            if early is not None:  # retrieved while the user was finishing the question
                progress.timings["retrieval"] = time.perf_counter() - begun
                return early
        try:
            hits = await asyncio.to_thread(
                self._retriever.search, question[:QUERY_CHARS], k=self._llm.top_k,
                max_distance=self._llm.max_distance)
        except Exception as exc:
            log.exception("retrieval failed")
            await self._error("retrieval_failed",
                              f"document search failed, answering without documents: "
                              f"{type(exc).__name__}: {exc}",
                              site=command.site, cause=started.id, stage="retrieval")
            return []
        finally:
            progress.timings["retrieval"] = time.perf_counter() - begun
        return hits

    async def _generate(self, running: Running, started: ResponseStarted, question: str,
                        progress: Progress, received: float) -> None:
        command = running.command
        question = asked_by_name(question)  # "what's the dog called" meets "the dog's name is"
        if self._retriever is not None and command.use_docs and self._llm.top_k and (
                unreadable := cannot_read(asked_part(question), await asyncio.to_thread(
                    self._retriever.documents))) is not None:  # "I can't read letter.docx: …"
            progress.grounding = Grounding(status="not_found")
            await self._release(started, [unreadable], progress, received)
            return
        hits = await self._retrieve(running, question, started, progress)
        begun = time.perf_counter()
        grounded = await self._off_loop(self._plan, command.site, question, hits,
                                        memory_key(command.site, command.conversation))
        plan = progress.plan = grounded.prompt
        progress.timings["prompt"] = time.perf_counter() - begun
        if grounded.mode == "not_found":  # nothing to ask the model
            progress.grounding = not_found_grounding(grounded.evidence)
            progress.plan = replace(plan, sources=())
            await self._release(started, [NOT_FOUND], progress, received)
            return
        if grounded.mode == "general" and self.reference is not None and not asks_for_fiction(
                question) and (found := await asyncio.to_thread(self.reference.answer,
                                                                question)) is not None:
            progress.grounding = reference_grounding(found)  # read out, not written
            progress.plan = replace(plan, sources=())
            await self._release(started, [found.text], progress, received)
            return
        if plan.truncated:
            await self._error("command_truncated", f"the question has {plan.original_chars} "
                              "characters, more than fits in llm.max_input_tokens "
                              f"({self._llm.max_input_tokens}); answering its beginning",
                              site=command.site, cause=started.id)
        gate = gate_for(self._llm, grounded.mode, grounded.evidence, question, corroborate=(
            self.reference.corroborator(question) if self.reference is not None else None))
        if isinstance(gate, AnswerGate) and gate.enabled and self._llm.answer_style == \
                "extractive":  # no model call
            await self._release(started, gate.quote(), progress, received)
        elif self.backend.parallel:
            await self._stream(running, started, plan, progress, received, gate)
        else:
            async with self._model_lock:
                progress.timings["queued"] = time.perf_counter() - received
                await self._stream(running, started, plan, progress, received, gate)
        if not running.cancel.is_set():  # a stopped answer says nothing more
            await self._release(started, gate.finish(), progress, received)
        grounding = gate.grounding()
        if grounded.mode == "grounded" and in_notes(grounded.evidence, self._config.notes_path):
            grounding = replace(grounding, status="memory")  # what the user told it to remember
        elif isinstance(gate, AnswerGate) and grounded.mode in ("general", None):
            grounding = replace(grounding, status="general" if grounded.mode else "unchecked",
                                evidence=())
        elif (self._llm.speak_sources and grounding.status == "supported"
              and grounded.evidence and not running.cancel.is_set()):
            await self._release(started, [f"Source: {grounded.evidence[0].label}."], progress,
                                received)
        progress.grounding = grounding

    def _plan(self, site: str, question: str, hits: list[SearchHit],
              memory: str | None = None) -> AnswerPlan:
        """Pick the evidence and the way to answer, then fit the prompt (on a worker thread)."""
        system = " ".join(filter(None, (self._llm.system_prompt,
                                        area_sentence(self._areas.of(site)))))
        return plan_answer(self._llm, question, hits, system=system,
                           embed=self._retriever.embed if self._retriever is not None else None,
                           count=self.backend.count_tokens,
                           turns=self.memory.turns(memory or site))

    async def _release(self, started: ResponseStarted, texts: list[str], progress: Progress,
                       received: float) -> None:
        """Publish text cleared for speech as ``response.delta`` (the speaker sees only this)."""
        for text in texts:
            if "first_sentence" not in progress.timings:
                progress.timings["first_sentence"] = time.perf_counter() - received
            index = progress.released
            progress.released += 1
            progress.text.append(text)
            await self._bus.publish(ResponseDelta(site=started.site, cause=started.id,
                                                  text=text, index=index))

    async def _stream(self, running: Running, started: ResponseStarted, plan: PromptPlan,  # noqa: PLR0917
                      progress: Progress, received: float,
                      gate: AnswerGate | ConfidenceGate) -> None:
        if running.cancel.is_set():
            return
        deltas: Iterator[Delta] = await self._off_loop(
            self.backend.stream, plan.messages, running.cancel)
        index = 0
        first_at = 0.0
        finished = False
        try:
            while (delta := await self._off_loop(next, deltas, None)) is not None:
                if delta.finish is not None:
                    finished = True
                    progress.prompt_tokens = delta.prompt_tokens or plan.tokens
                    progress.completion_tokens = delta.completion_tokens or index
                    break
                if not delta.text:
                    continue
                now = time.perf_counter()
                if index == 0:
                    first_at = now
                    progress.timings["first_token"] = now - received
                index += 1
                await self._release(started, gate.push(delta.text, delta.logprob), progress,
                                    received)
                if gate.finished:  # the answer is complete (sentence limit or fallback)
                    progress.prompt_tokens = plan.tokens
                    progress.completion_tokens = index
                    break
        finally:
            close = getattr(deltas, "close", None)
            if not finished and close is not None:
                # Release the backend's generation state on the thread that owns the model.
                self._executor.submit(close)
        if isinstance(self.backend, PromptWarmer):
            progress.timings["cached_prompt_tokens"] = self.backend.cached_prompt_tokens
        decoding = time.perf_counter() - first_at
        if index > 1 and first_at and decoding > 0:
            progress.timings["tokens_per_s"] = (progress.completion_tokens - 1) / decoding
