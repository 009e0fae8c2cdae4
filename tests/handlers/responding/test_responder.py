"""The responder with the real shipped GGUF and a real document store: grounded answers with
citations, cancellation, one response per site, memory, ugly input, backend failures, the CLI."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import threading
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import Config, load_config
from nimbus.daemon.events import (
    Command,
    CommandExpected,
    Error,
    ResponseDelta,
    ResponseDone,
    ResponseStarted,
    SatelliteState,
    Stop,
)
from nimbus.daemon.testing import EventRecorder, running, strip
from nimbus.handlers.responding.handler import Responder, Searcher
from nimbus.handlers.responding.llm import LlmBackend, load_backend
from nimbus.handlers.responding.llm.base import Message
from nimbus.handlers.responding.llm.openai_http import OpenAIBackend
from nimbus.handlers.routing import CommandRouter
from nimbus.watchfolders.embedder import Embedder
from nimbus.watchfolders.oneshot import ingest_paths
from nimbus.watchfolders.retriever import Retriever
from tests.conftest import NIMBUS, write_config
from tests.handlers.responding.llm_servers import failing_server, free_port, llama_server

pytestmark = pytest.mark.slow

GARDEN_PAGES = [
    "Community garden handbook. Volunteers water the beds every morning in summer. Tools are "
    "kept in the green shed near the gate. Please return the wheelbarrows after use.",
    "Staff. The head gardener of the Zorvex community garden is Marigold Finch. She plans the "
    "planting calendar and trains new volunteers.",
]
GARDEN_QUESTION = "Who is the head gardener of the Zorvex garden?"
"""Only page 2 of garden-notes.pdf knows; the 135M model repeats the name when given it."""
CAPITAL = "What is the capital of France?"
STORY = "Tell me a long story about a dragon who lived in a cave."
SETTINGS = ("llm.temperature=0", "llm.seed=0", "llm.max_tokens=40", "llm.n_ctx=1024",
            "llm.max_input_tokens=700", "llm.memory_tokens=256", 'llm.grounded_style="model"',
            'llm.reference=""')
"""The model answers from the documents here, and general questions too: these tests are about
its streaming path (the shipped model's default, reading the best evidence sentence, is tested
in test_grounded_daemon.py; general questions read from WordNet in reference/)."""
WAIT = 120.0
"""Generous: other engineers' tests share the two cores."""


def make_pdf(path: Path, pages: list[str]) -> Path:
    doc = pymupdf.open()
    for text in pages:
        doc.new_page().insert_textbox(pymupdf.Rect(50, 50, 550, 800), text, fontsize=11)
    doc.save(path)
    doc.close()
    return path


@dataclass
class Library:
    """A real store in a temp state dir, built from a real watched folder."""

    root: Path
    state_dir: Path
    watch_dir: Path
    retriever: Retriever

    def config(self, *extra: str) -> Config:
        return load_config(None, environ={}, overrides=[
            f'daemon.state_dir="{self.state_dir}"', f'watch.folders=["{self.watch_dir}"]',
            "websocket.port=0", *SETTINGS, *extra])

    def config_file(self, *extra: str) -> Path:
        lines = "".join(f"{line}\n" for line in extra)
        settings = "\n".join(s.removeprefix("llm.") for s in SETTINGS)
        return write_config(self.root / "nimbus.toml", self.state_dir, self.watch_dir,
                            f"[llm]\n{settings}\n{lines}")


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    root = tmp_path_factory.mktemp("responder")
    state_dir, watch_dir = root / "state", root / "watched"
    state_dir.mkdir()
    watch_dir.mkdir()
    make_pdf(watch_dir / "garden-notes.pdf", GARDEN_PAGES)
    (watch_dir / "pancakes.txt").write_text(
        "Pancake recipe. Mix two eggs, one cup of flour and one cup of milk. Fry in butter.",
        encoding="utf-8")
    config = load_config(None, environ={}, overrides=[
        f'daemon.state_dir="{state_dir}"', f'watch.folders=["{watch_dir}"]'])
    embedder = Embedder(config.embeddings)
    outcomes = ingest_paths(config, [watch_dir], embedder=embedder)
    assert sorted(o.status for o in outcomes) == ["ingested", "ingested"], outcomes
    retriever = Retriever.open(config, embedder=embedder)
    try:
        yield Library(root, state_dir, watch_dir, retriever)
    finally:
        retriever.close()


@pytest.fixture(scope="module")
def backend(library: Library) -> LlmBackend:
    return load_backend(library.config())


@dataclass
class Assistant:
    bus: Bus
    recorder: EventRecorder
    responder: Responder

    async def send(self, text: str, *, site: str = "default", use_docs: bool = True) -> Command:
        command = Command(text=text, site=site, use_docs=use_docs, origin="cli")
        await self.bus.publish(command)
        return command

    async def started(self, command: Command) -> ResponseStarted:
        event = await self.recorder.wait_for(
            lambda e: isinstance(e, ResponseStarted) and e.cause == command.id, within=WAIT)
        assert isinstance(event, ResponseStarted)
        return event

    async def done(self, started: ResponseStarted) -> ResponseDone:
        event = await self.recorder.wait_for(
            lambda e: isinstance(e, ResponseDone) and e.cause == started.id, within=WAIT)
        assert isinstance(event, ResponseDone)
        return event

    def deltas(self, started: ResponseStarted) -> list[ResponseDelta]:
        return [e for e in self.recorder.of(ResponseDelta)
                if isinstance(e, ResponseDelta) and e.cause == started.id]

    def errors(self, *causes: str) -> list[Error]:
        return [e for e in self.recorder.of(Error) if isinstance(e, Error) and e.cause in causes]

    async def ask(self, text: str, **kwargs: object) -> tuple[ResponseStarted, ResponseDone]:
        command = await self.send(text, **kwargs)  # type: ignore[arg-type]
        started = await self.started(command)
        return started, await self.done(started)


def assistant_for(config: Config, backend: LlmBackend,
                  retriever: Searcher | None = None) -> tuple[Bus, Responder]:
    bus = Bus()
    return bus, Responder(config, bus, backend=backend, retriever=retriever)


@pytest.fixture
async def assistant(library: Library, backend: LlmBackend) -> AsyncIterator[Assistant]:
    bus, responder = assistant_for(library.config(), backend, library.retriever)
    async with EventRecorder(bus) as recorder, running(responder):
        yield Assistant(bus, recorder, responder)


# --- grounded answers --------------------------------------------------------------------------


async def test_answers_from_the_watched_document_and_cites_it(assistant: Assistant) -> None:
    command = await assistant.send(GARDEN_QUESTION)
    started = await assistant.started(command)
    done = await assistant.done(started)
    deltas = assistant.deltas(started)

    assert "Marigold" in done.text
    assert done.text == "".join(d.text for d in deltas)
    assert [d.index for d in deltas] == list(range(len(deltas)))
    assert not done.cancelled
    cited = [(Path(s.path).name, s.page) for s in done.sources]
    assert ("garden-notes.pdf", 2) in cited
    assert cited[0] == ("garden-notes.pdf", 2), "the page with the fact ranks first"
    assert "Marigold Finch" in done.sources[0].text
    assert "pancakes.txt" not in [name for name, _ in cited]
    assert done.prompt_tokens > 0
    assert 0 < done.completion_tokens <= 40
    for key in ("retrieval", "first_token", "first_sentence", "total"):
        assert key in done.timings
    assert done.timings["first_token"] <= done.timings["total"]
    assert started.model == "SmolLM2-135M-Instruct Q4_1"
    assert started.question == GARDEN_QUESTION
    assert assistant.errors(command.id, started.id) == []

    ordered = [strip(e)[0] for e in assistant.recorder.events
               if e.id in {command.id, started.id, done.id} or e in deltas]
    assert ordered == ["command", "response.started", *["response.delta"] * len(deltas),
                       "response.done"]


async def test_an_expected_command_is_read_ahead_and_the_command_finds_it_done(
        assistant: Assistant) -> None:
    # What the phrase handler announces from a partial transcript while the user finishes.
    expected = CommandExpected(site="porch", text=GARDEN_QUESTION.rstrip("?"))
    await assistant.bus.publish(expected)
    async with asyncio.timeout(WAIT):
        while assistant.responder.read_aheads < 1:  # noqa: ASYNC110 - a counter, no event
            await asyncio.sleep(0.01)

    started, done = await assistant.ask(GARDEN_QUESTION, site="porch")
    # Its passages were retrieved ahead and its prompt (system, passages, most of the
    # question) already read: llama.cpp found all but the last few tokens in its cache.
    assert done.timings["cached_prompt_tokens"] >= done.prompt_tokens - 8
    assert "Marigold" in done.text
    assert (Path(done.sources[0].path).name, done.sources[0].page) == ("garden-notes.pdf", 2)
    assert assistant.errors(started.id) == []

    # A different command does not use a stale read-ahead: it retrieves and reads its own.
    await assistant.bus.publish(CommandExpected(site="porch", text="what is in the shed"))
    _, other = await assistant.ask(CAPITAL, site="porch", use_docs=False)
    assert "Paris" in other.text
    assert other.timings["cached_prompt_tokens"] < other.prompt_tokens - 8


class _WarmThrows:
    """The real shipped model, except that reading ahead throws (a model that fails)."""

    def __init__(self, backend: LlmBackend) -> None:
        self._backend = backend
        self.warm_calls = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self._backend, name)

    def warm(self, messages: object, cancel: object) -> int:
        self.warm_calls += 1
        raise RuntimeError("the model fell over while reading ahead")


async def test_a_read_ahead_that_throws_leaves_the_responder_answering(
        library: Library, backend: LlmBackend) -> None:
    throwing = _WarmThrows(backend)
    bus, responder = assistant_for(library.config(), throwing,  # type: ignore[arg-type]
                                   library.retriever)
    async with EventRecorder(bus) as recorder, running(responder):
        assistant = Assistant(bus, recorder, responder)
        await bus.publish(CommandExpected(site="attic", text=GARDEN_QUESTION))
        async with asyncio.timeout(WAIT):
            while throwing.warm_calls < 1:  # noqa: ASYNC110 - a counter, no event
                await asyncio.sleep(0.01)
        _, done = await assistant.ask(GARDEN_QUESTION, site="attic")
    assert "Marigold" in done.text
    assert not done.cancelled
    assert responder.read_aheads == 0


async def test_no_docs_means_no_retrieval_and_no_sources(assistant: Assistant) -> None:
    _, done = await assistant.ask(CAPITAL, use_docs=False)
    assert "Paris" in done.text
    assert done.sources == ()
    assert "retrieval" not in done.timings


class _PromptSpy:
    """The real backend, with the messages of each stream kept (to read the prompt)."""

    def __init__(self, backend: LlmBackend) -> None:
        self._backend = backend
        self.prompts: list[list[Message]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._backend, name)

    def stream(self, messages: Sequence[Message], cancel: threading.Event) -> Iterator[Any]:
        self.prompts.append(list(messages))
        return self._backend.stream(messages, cancel)


async def test_the_prompt_says_which_room_the_user_is_in(library: Library,
                                                         backend: LlmBackend) -> None:
    spy = _PromptSpy(backend)
    config = library.config('mqtt.areas=["kitchen=Kitchen"]')
    bus = Bus()
    responder = Responder(config, bus, backend=spy)  # type: ignore[arg-type]
    async with EventRecorder(bus) as recorder, running(responder):
        assistant = Assistant(bus, recorder, responder)
        # A satellite that says where it stands when it connects (`nimbus satellite --area`).
        await bus.publish(SatelliteState(site="bedroom", state="connected", area="Guest Bedroom"))
        for site in ("kitchen", "bedroom", "porch"):
            await assistant.ask(CAPITAL, site=site, use_docs=False)
    systems = [prompt[0].content for prompt in spy.prompts]
    assert systems[0].endswith(" The user is in the kitchen.")
    assert systems[1].endswith(" The user is in the guest bedroom.")
    assert "The user is in" not in systems[2], "a site with no area says nothing"
    assert systems[2] == config.llm.system_prompt


# --- cancellation, one response per site ------------------------------------------------------


async def test_stop_cancels_within_a_few_tokens_and_the_next_question_works(
        assistant: Assistant) -> None:
    command = await assistant.send(STORY, use_docs=False)
    started = await assistant.started(command)
    await assistant.recorder.wait_for(
        lambda e: isinstance(e, ResponseDelta) and e.cause == started.id and e.index == 2,
        within=WAIT)
    await assistant.bus.publish(Stop(site="elsewhere"))
    await assistant.bus.publish(Stop(site="default", target="some-other-response"))
    await assistant.bus.publish(Stop(site="default", target=started.id, reason="test"))
    stop_seen = len(assistant.deltas(started))
    done = await assistant.done(started)

    assert done.cancelled
    assert len(assistant.deltas(started)) <= stop_seen + 3, "ends within a few tokens"
    assert done.completion_tokens < 40
    assert done.text == "".join(d.text for d in assistant.deltas(started))

    _, after = await assistant.ask(CAPITAL, use_docs=False)
    assert not after.cancelled
    assert "Paris" in after.text


async def test_a_new_command_on_a_site_cancels_the_running_one(assistant: Assistant) -> None:
    story = await assistant.send(STORY, use_docs=False)
    story_started = await assistant.started(story)
    await assistant.recorder.wait_for(
        lambda e: isinstance(e, ResponseDelta) and e.cause == story_started.id, within=WAIT)
    other_site = await assistant.send(CAPITAL, site="kitchen", use_docs=False)
    follow_up = await assistant.send(CAPITAL, use_docs=False)

    story_done = await assistant.done(story_started)
    follow_started = await assistant.started(follow_up)
    follow_done = await assistant.done(follow_started)
    kitchen_done = await assistant.done(await assistant.started(other_site))

    assert story_done.cancelled
    assert not follow_done.cancelled
    assert "Paris" in follow_done.text
    assert not kitchen_done.cancelled, "another site's response is not cancelled"
    assert "Paris" in kitchen_done.text
    events = assistant.recorder.events
    assert events.index(story_done) < events.index(follow_started), \
        "the cancelled response is done before the next one starts"


async def test_memory_carries_the_conversation_per_site(assistant: Assistant) -> None:
    _, first = await assistant.ask(CAPITAL, site="memo", use_docs=False)
    _, second = await assistant.ask("And what is the capital of Germany?", site="memo",
                                    use_docs=False)
    _, fresh = await assistant.ask("And what is the capital of Germany?", site="fresh",
                                   use_docs=False)
    turns = assistant.responder.memory.turns("memo")
    assert [t.user for t in turns] == [CAPITAL, "And what is the capital of Germany?"]
    assert turns[0].assistant == first.text.strip()
    assert second.prompt_tokens > fresh.prompt_tokens, "the first turn is in the prompt"
    assert "Berlin" in second.text


# --- ugly input -------------------------------------------------------------------------------


async def test_an_empty_command_is_an_error_and_nothing_starts(assistant: Assistant) -> None:
    command = await assistant.send("   ")
    error = await assistant.recorder.wait_for(
        lambda e: isinstance(e, Error) and e.cause == command.id, within=WAIT)
    assert isinstance(error, Error)
    assert error.code == "empty_command"
    assert error.stage == "llm"
    assert not [e for e in assistant.recorder.of(ResponseStarted) if e.cause == command.id]
    _, done = await assistant.ask(CAPITAL, use_docs=False)
    assert "Paris" in done.text


async def test_a_50kb_command_is_cut_to_fit_with_a_note(assistant: Assistant) -> None:
    long_turn = "We talked about gardening tools and watering schedules. " * 8
    for _ in range(6):
        assistant.responder.memory.add("default", long_turn, long_turn)
    question = (GARDEN_QUESTION + " ") + ("Some pasted log line that goes on and on. " * 1200)
    assert len(question.encode()) > 50_000
    command = await assistant.send(question)
    started = await assistant.started(command)
    done = await assistant.done(started)

    notes = assistant.errors(started.id)
    assert [e.code for e in notes] == ["command_truncated"]
    assert str(len(question.strip())) in notes[0].message
    assert "llm.max_input_tokens" in notes[0].message
    assert len(started.question) <= 501
    assert not done.cancelled
    assert done.completion_tokens >= 1
    assert 0 < done.prompt_tokens <= 700, "system + documents + memory + question fit the budget"
    assert done.sources, "documents still fit beside the cut question"


async def test_a_prompt_beyond_the_context_window_is_an_error_event(
        library: Library, backend: LlmBackend) -> None:
    # The budget is misconfigured for this model (n_ctx 1024): the backend refuses clearly.
    config = library.config("llm.n_ctx=8192", "llm.max_input_tokens=6000")
    bus, responder = assistant_for(config, backend)
    async with EventRecorder(bus) as recorder, running(responder):
        helper = Assistant(bus, recorder, responder)
        started, done = await helper.ask("Please read this. " * 3000, use_docs=False)
        errors = helper.errors(started.id)
        assert "context_overflow" in [e.code for e in errors]
        overflow = next(e for e in errors if e.code == "context_overflow")
        assert "llm.n_ctx" in overflow.message
        assert done.text == ""
        assert not done.cancelled
        _, after = await helper.ask(CAPITAL, use_docs=False)
        assert "Paris" in after.text, "the responder keeps serving"


# --- HTTP backend failures --------------------------------------------------------------------


def openai_config(library: Library, url: str) -> Config:
    # llama-cpp-python's server streams no token probabilities, so the confidence gate would
    # (rightly) hold back every fact of a general answer; these tests are about the connection.
    return library.config('llm.backend="openai"', f'llm.url="{url}"', 'llm.model="smollm2"',
                          "llm.retries=1", "llm.connect_timeout_s=2", "llm.gate=false")


async def test_http_500_is_an_error_event_and_the_responder_keeps_running(
        library: Library) -> None:
    with failing_server() as url:
        config = openai_config(library, url)
        backend = OpenAIBackend(config.llm)
        bus, responder = assistant_for(config, backend)
        try:
            async with EventRecorder(bus) as recorder, running(responder):
                helper = Assistant(bus, recorder, responder)
                for _ in range(2):
                    started, done = await helper.ask(CAPITAL, use_docs=False)
                    [error] = helper.errors(started.id)
                    assert error.code == "llm_http_error"
                    assert "HTTP 500" in error.message
                    assert "model crashed" in error.message
                    assert error.stage == "llm"
                    assert done.text == ""
                    assert recorder.events.index(error) < recorder.events.index(done)
        finally:
            backend.close()


async def test_server_down_is_an_error_then_answers_once_it_is_up(
        library: Library, tmp_path: Path) -> None:
    port = free_port()
    config = openai_config(library, f"http://127.0.0.1:{port}/v1")
    backend = OpenAIBackend(config.llm)
    bus, responder = assistant_for(config, backend)
    try:
        async with EventRecorder(bus) as recorder, running(responder):
            helper = Assistant(bus, recorder, responder)
            started, done = await helper.ask(CAPITAL, use_docs=False)
            [error] = helper.errors(started.id)
            assert error.code == "llm_unreachable"
            assert f"127.0.0.1:{port}" in error.message
            with llama_server(port, tmp_path / "server.log"):
                started, done = await helper.ask(CAPITAL, use_docs=False)
            assert helper.errors(started.id) == []
            assert "Paris" in done.text
            assert done.completion_tokens > 0
    finally:
        backend.close()


# --- the CLI ----------------------------------------------------------------------------------


def nimbus(*args: str, config: Path, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NIMBUS_CONFIG": str(config)}
    env.pop("NIMBUS_URL", None)
    return subprocess.run([*NIMBUS, *args], capture_output=True, text=True, timeout=timeout,
                          env=env, check=False)


def test_ask_local_prints_the_answer_and_its_sources(library: Library) -> None:
    config = library.config_file()
    result = nimbus("ask", "--local", "--json", GARDEN_QUESTION, config=config)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert "Marigold" in answer["text"]
    assert answer["sources"][0]["page"] == 2
    assert Path(answer["sources"][0]["path"]).name == "garden-notes.pdf"
    assert answer["completion_tokens"] > 0
    assert "first_token" in answer["timings"]


async def test_ask_through_the_daemon_streams_then_lists_sources(
        library: Library, backend: LlmBackend) -> None:
    from nimbus.handlers.interfaces.websocket.handler import WebSocketServer  # noqa: PLC0415

    path = library.config_file()
    config = load_config(path, environ={})
    bus = Bus()
    responder = Responder(config, bus, backend=backend, retriever=library.retriever)
    server = WebSocketServer(config, bus)
    async with running(server, CommandRouter(bus), responder):
        shown = await asyncio.to_thread(nimbus, "ask", GARDEN_QUESTION, config=path)
        as_json = await asyncio.to_thread(nimbus, "ask", "--json", "--no-docs", CAPITAL,
                                          config=path)
        empty = await asyncio.to_thread(nimbus, "ask", "", config=path)
    assert shown.returncode == 0, shown.stderr
    answer, _, sources = shown.stdout.partition("\nSources:\n")
    assert "Marigold" in answer
    assert "[1] garden-notes.pdf, page 2" in sources
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert "Paris" in data["text"]
    assert data["sources"] == []
    assert empty.returncode == 1
    assert "empty_command" in empty.stderr


def test_a_missing_gguf_is_a_clear_start_up_error_and_doctor_shows_it(
        library: Library) -> None:
    missing = library.root / "models" / "missing.gguf"
    config = library.config_file(f'model = "{missing}"')
    run = nimbus("run", config=config, timeout=120)
    assert run.returncode == 2
    assert f"GGUF file {missing} does not exist" in run.stderr
    assert "Traceback" not in run.stderr
    doctor = nimbus("doctor", "--no-load", "--json", config=config, timeout=120)
    checks = {c["name"]: c for c in json.loads(doctor.stdout)}
    assert doctor.returncode == 1
    assert not checks["model:llm"]["ok"]
    assert str(missing) in checks["model:llm"]["detail"]
    ask = nimbus("ask", "--local", "hello", config=config, timeout=120)
    assert ask.returncode == 2
    assert str(missing) in ask.stderr


