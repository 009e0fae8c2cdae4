"""The embedding model: loaded once per daemon; a question never waits behind an ingest batch."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from nimbus.app.compose import build_handlers
from nimbus.daemon.bus import Bus
from nimbus.daemon.config import EmbeddingsConfig
from nimbus.handlers.responding.handler import Responder
from nimbus.watchfolders.embedder import Embedder, SharedEmbedder
from nimbus.watchfolders.handler import DocumentsHandler
from nimbus.watchfolders.retriever import Retriever
from tests.watchfolders.helpers import make_config

pytestmark = pytest.mark.slow

TEXTS = ["The head gardener keeps the tools in the shed.", "Volunteers water the beds at dawn.",
         "Return every tool after use.", "short", ""]


def test_vectors_are_sentence_transformers_own(embedder: Embedder) -> None:
    mine = embedder.embed(TEXTS)
    theirs = embedder._model.encode(TEXTS, normalize_embeddings=True, convert_to_numpy=True)
    assert mine.shape == (len(TEXTS), embedder.dimension)
    assert mine.dtype == np.float32
    assert np.allclose(np.linalg.norm(mine, axis=1), 1.0, atol=1e-5)
    assert np.allclose(mine, theirs, atol=1e-4)
    assert embedder.embed([]).shape == (0, embedder.dimension)


def test_a_question_embedded_twice_runs_the_model_once(embedder: Embedder,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The intent stage and retrieval both embed a command: the second is served from memory,
    and a caller changing its copy changes nothing for the next."""
    runs: list[int] = []
    forward = embedder._forward

    def counted(features: dict[str, Any]) -> Any:
        runs.append(len(features["input_ids"]))
        return forward(features)

    monkeypatch.setattr(embedder, "_forward", counted)
    question = "Which weekday is it, love? (asked once)"
    first = embedder.embed([question])
    first[0, 0] += 1.0
    second = embedder.embed([question])
    assert runs == [1]
    assert np.allclose(second, embedder._model.encode([question], normalize_embeddings=True),
                       atol=1e-4)


def test_a_query_does_not_wait_for_an_ingest_batch(embedder: Embedder) -> None:
    in_batch = threading.Event()
    forward = embedder._forward

    def ingest_forward(features: dict[str, Any]) -> Any:
        if len(features["input_ids"]) > 1:  # the ingest batch, not the one-text query
            in_batch.set()
        return forward(features)

    passages = [f"Passage {i} about the garden, its beds, tools and the people who tend them."
                for i in range(embedder.batch_size)]
    query_done = threading.Event()
    batch_done_before_query = []

    def ingest() -> np.ndarray[Any, Any]:
        vectors = embedder.embed(passages * 20)  # one call, many forward passes
        batch_done_before_query.append(not query_done.is_set())
        return vectors

    embedder._forward = ingest_forward  # type: ignore[method-assign]
    try:
        with ThreadPoolExecutor(2) as pool:
            batch = pool.submit(ingest)
            assert in_batch.wait(60)
            query = pool.submit(embedder.embed, ["where are the tools kept?"]).result(60)
            query_done.set()
            vectors = batch.result(120)
    finally:
        del embedder._forward
    assert batch_done_before_query == [False]  # the question's vector came first
    assert query.shape == (1, embedder.dimension)
    assert vectors.shape == (len(passages) * 20, embedder.dimension)
    assert np.allclose(vectors[0], embedder.embed(passages[:1])[0], atol=1e-4)


def test_the_shared_embedder_loads_once_for_concurrent_users(monkeypatch: pytest.MonkeyPatch,
                                                            embedder: Embedder) -> None:
    loads = []

    def load(config: EmbeddingsConfig) -> Embedder:
        loads.append(config)
        return embedder

    monkeypatch.setattr("nimbus.watchfolders.embedder.Embedder", load)
    shared = SharedEmbedder(EmbeddingsConfig())
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda _: shared.get(), range(8)))
    assert all(g is embedder for g in got)
    assert len(loads) == 1


async def test_the_daemon_gives_documents_and_retrieval_one_model(tmp_path: Path) -> None:
    watched = tmp_path / "docs"
    watched.mkdir()
    config = make_config(tmp_path, watched, "audio.input=\"none\"", "audio.output=\"none\"")
    handlers = build_handlers(config, Bus())
    documents = next(h for h in handlers if isinstance(h, DocumentsHandler))
    responder = next(h for h in handlers if isinstance(h, Responder))
    shared = documents._embedder
    assert isinstance(shared, SharedEmbedder)
    await documents.prepare()
    assert documents._embedder is shared.get()
    retriever = responder._open_retriever() if responder._open_retriever else None
    assert isinstance(retriever, Retriever)
    try:
        assert retriever._embedder is shared.get()  # the same model, not a second copy
    finally:
        retriever.close()
