"""Responding: time to first token / first sentence, tokens per second, retrieval latency.

`python -m benchmarks responding [--quick]`. Every number goes through the real Responder (the
events a voice client sees), per backend: llama.cpp with the shipped SmolLM2-135M GGUF (with and
without documents), the OpenAI-compatible HTTP backend against `python -m llama_cpp.server`
serving the same GGUF on 127.0.0.1, and the transformers backend on a TINY RANDOM model built
here (it measures the backend's own overhead, not a real model's speed). Retrieval latency is
`Retriever.search` over a real store (PDF + text files, all-MiniLM-L6-v2, sqlite-vec + FTS5).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pymupdf

from benchmarks._harness import machine, print_table, summarize, write_results
from nimbus.daemon.bus import Bus
from nimbus.daemon.config import Config, load_config
from nimbus.daemon.events import Command, Error, ResponseDone, ResponseStarted
from nimbus.daemon.testing import EventRecorder, running
from nimbus.handlers.responding.handler import Responder, Searcher
from nimbus.handlers.responding.llm import LlmBackend, load_backend
from nimbus.watchfolders.embedder import Embedder
from nimbus.watchfolders.oneshot import ingest_paths
from nimbus.watchfolders.retriever import Retriever

DOC_QUESTIONS = [
    "Who is the head gardener of the Zorvex garden?",
    "Where are the tools kept in the community garden?",
    "How many eggs go into the pancakes?",
]
PLAIN_QUESTIONS = [
    "What is the capital of France?",
    "Why is the sky blue?",
    "Give me one tip for sleeping better.",
]
FILLER_TOPICS = ["boiler", "router", "lease", "bins", "car", "oven", "school", "doctor"]
SETTINGS = ("llm.temperature=0", "llm.seed=0", "llm.max_tokens=60", "llm.n_ctx=2048",
            "llm.max_input_tokens=1400", "llm.memory_tokens=0")


def _make_library(root: Path, filler: int) -> tuple[Path, Path]:
    state, watch = root / "state", root / "watched"
    state.mkdir()
    watch.mkdir()
    doc = pymupdf.open()
    for text in (
        "Community garden handbook. Volunteers water the beds every morning in summer. Tools "
        "are kept in the green shed near the gate. Please return the wheelbarrows after use.",
        "Staff. The head gardener of the Zorvex community garden is Marigold Finch. She plans "
        "the planting calendar and trains new volunteers.",
    ):
        doc.new_page().insert_textbox(pymupdf.Rect(50, 50, 550, 800), text, fontsize=11)
    doc.save(watch / "garden-notes.pdf")
    doc.close()
    (watch / "pancakes.txt").write_text(
        "Pancake recipe. Mix two eggs, one cup of flour and one cup of milk. Fry in butter.",
        encoding="utf-8")
    for i in range(filler):
        topic = FILLER_TOPICS[i % len(FILLER_TOPICS)]
        (watch / f"note-{i:03d}.txt").write_text(
            f"Household note {i} about the {topic}. The {topic} was checked on day {i} and "
            f"needs another look in {i % 12 + 1} months. Keep the {topic} receipt number "
            f"{1000 + i} in the blue folder.", encoding="utf-8")
    return state, watch


def _config(state: Path, watch: Path, *extra: str) -> Config:
    return load_config(None, environ={}, overrides=[
        f'daemon.state_dir="{state}"', f'watch.folders=["{watch}"]', *SETTINGS, *extra])


async def _answers(config: Config, backend: LlmBackend, retriever: Searcher | None,
                   questions: Sequence[str], *, reps: int, use_docs: bool) -> list[ResponseDone]:
    bus = Bus()
    responder = Responder(config, bus, backend=backend, retriever=retriever)
    done: list[ResponseDone] = []
    async with EventRecorder(bus) as recorder, running(responder):
        for rep in range(reps + 1):  # the first round warms caches and is not counted
            for i, question in enumerate(questions):
                command = Command(text=question, use_docs=use_docs, site=f"bench-{rep}-{i}")
                await bus.publish(command)
                started = await recorder.wait_for(
                    lambda e, c=command: isinstance(e, ResponseStarted) and e.cause == c.id,
                    within=300)
                end = await recorder.wait_for(
                    lambda e, s=started: isinstance(e, ResponseDone) and e.cause == s.id,
                    within=300)
                errors = [e for e in recorder.of(Error) if e.cause in (command.id, started.id)]
                if errors:
                    raise RuntimeError(f"benchmark answer failed: {errors}")
                assert isinstance(end, ResponseDone)
                if rep:
                    done.append(end)
    return done


def _row(backend: str, model: str, docs: str, done: list[ResponseDone]) -> dict[str, Any]:
    def median(key: str) -> float:
        return float(summarize([d.timings[key] for d in done if key in d.timings])
                     .get("median", float("nan")))

    return {
        "backend": backend, "model": model, "docs": docs, "answers": len(done),
        "first_token_s": median("first_token"), "first_sentence_s": median("first_sentence"),
        "total_s": median("total"), "tokens_per_s": median("tokens_per_s"),
        "prompt_tokens": float(summarize([float(d.prompt_tokens) for d in done])["median"]),
        "answer_tokens": float(summarize([float(d.completion_tokens) for d in done])["median"]),
        "retrieval_ms": 1000 * median("retrieval") if docs == "yes" else "",
    }


def _llama_rows(config: Config, retriever: Retriever, reps: int) -> list[dict[str, Any]]:
    backend = load_backend(config)
    rows = []
    for docs, questions in (("no", PLAIN_QUESTIONS), ("yes", DOC_QUESTIONS)):
        done = asyncio.run(_answers(config, backend, retriever, questions, reps=reps,
                                    use_docs=docs == "yes"))
        rows.append(_row("llama_cpp", backend.name, docs, done))
    return rows


def _openai_rows(config: Config, reps: int, log: Path) -> list[dict[str, Any]]:
    try:
        import llama_cpp.server.app  # noqa: F401, PLC0415 - only to check the extra is there
    except ImportError as exc:
        print(f"skipping the openai backend: llama_cpp.server unavailable ({exc})")
        return []
    from tests.handlers.responding.llm_servers import free_port, llama_server  # noqa: PLC0415

    port = free_port()
    with llama_server(port, log, n_ctx=2048) as url:
        http = config_with(config, 'llm.backend="openai"', f'llm.url="{url}"',
                           'llm.model="smollm2"')
        backend = load_backend(http)
        try:
            done = asyncio.run(_answers(http, backend, None, PLAIN_QUESTIONS, reps=reps,
                                    use_docs=False))
        finally:
            backend.close()
    return [_row("openai (llama_cpp.server, 127.0.0.1)", "SmolLM2-135M-Instruct Q4_1", "no",
                 done)]


def _transformers_rows(config: Config, reps: int, root: Path) -> list[dict[str, Any]]:
    try:
        from tests.handlers.responding.test_llm_transformers import build_tiny_model  # noqa: PLC0415
    except ImportError as exc:
        print(f"skipping the transformers backend: {exc}")
        return []
    folder = build_tiny_model(root / "tiny-llama")
    tiny = config_with(config, 'llm.backend="transformers"', f'llm.model="{folder}"',
                       "llm.n_ctx=256", "llm.max_input_tokens=200")
    backend = load_backend(tiny)
    done = asyncio.run(_answers(tiny, backend, None, PLAIN_QUESTIONS, reps=reps, use_docs=False))
    return [_row("transformers", "tiny random Llama (2 layers, overhead only)", "no", done)]


def config_with(config: Config, *extra: str) -> Config:
    return _config(config.state_path, config.watch_paths[0], *extra)


def _retrieval_rows(retriever: Retriever, chunks: int, reps: int) -> list[dict[str, Any]]:
    samples: list[float] = []
    for _ in range(reps + 1):
        for question in DOC_QUESTIONS + PLAIN_QUESTIONS:
            begun = time.perf_counter()
            retriever.search(question, k=4, max_distance=1.2)
            samples.append(time.perf_counter() - begun)
    stats = summarize(samples[len(DOC_QUESTIONS + PLAIN_QUESTIONS):])
    return [{"stage": "retrieval (embed query + hybrid search, k=4)", "chunks": chunks,
             "median_ms": 1000 * stats["median"], "p90_ms": 1000 * stats["p90"],
             "n": stats["n"]}]


def _timed(label: str, func: Callable[[], Any]) -> Any:
    begun = time.perf_counter()
    result = func()
    print(f"{label}: {time.perf_counter() - begun:.2f}s")
    return result


def main(argv: list[str]) -> list[dict[str, Any]]:
    quick = "--quick" in argv
    reps = 2 if quick else 5
    with ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-resp-")))
        state, watch = _make_library(root, filler=8 if quick else 60)
        config = _config(state, watch)
        embedder = _timed("load embedder", lambda: Embedder(config.embeddings))
        outcomes = _timed("ingest", lambda: ingest_paths(config, [watch], embedder=embedder))
        chunks = sum(o.chunks for o in outcomes)
        retriever = stack.enter_context(Retriever.open(config, embedder=embedder))
        rows = _llama_rows(config, retriever, reps)
        rows += _openai_rows(config, reps, root / "server.log")
        rows += _transformers_rows(config, reps, root)
        retrieval = _retrieval_rows(retriever, chunks, reps)
    print_table("Responding (medians over answers; times from the command's arrival)", rows)
    print_table("Retrieval", retrieval)
    path = write_results("responding", rows, retrieval=retrieval, quick=quick,
                         settings=list(SETTINGS))
    print(f"\nwrote {path} on {machine()['cpu']} ({machine()['cores']} cores)")
    return rows + retrieval

