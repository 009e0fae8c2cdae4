"""The OpenAI-compatible HTTP backend against a real `python -m llama_cpp.server` (shipped GGUF)
and real misbehaving servers on 127.0.0.1: streaming, cancel, 4xx/5xx, down, hung."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from nimbus.daemon.config import load_config
from nimbus.handlers.responding.llm import Delta, LlmError, Message, load_backend
from nimbus.handlers.responding.llm.openai_http import OpenAIBackend, parse_sse_line
from tests.handlers.responding.llm_servers import (
    failing_server,
    free_port,
    llama_server,
    silent_server,
)

QUESTION = [Message(role="system", content="Answer in one short sentence."),
            Message(role="user", content="What is the capital of France?")]


def backend_for(url: str, *extra: str) -> OpenAIBackend:
    config = load_config(None, environ={}, overrides=[
        'llm.backend="openai"', f'llm.url="{url}"', 'llm.model="smollm2"', "llm.max_tokens=24",
        "llm.temperature=0", "llm.seed=0", *extra])
    backend = load_backend(config)
    assert isinstance(backend, OpenAIBackend)
    return backend


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    with llama_server(free_port(), log) as url:
        yield url


def collect(stream: Iterator[Delta]) -> tuple[str, Delta]:
    items = list(stream)
    assert items[-1].finish is not None
    return "".join(d.text for d in items), items[-1]


def test_sse_lines() -> None:
    assert parse_sse_line('data: {"a": 1}') == {"a": 1}
    assert parse_sse_line("data: [DONE]") is None
    assert parse_sse_line(": keep-alive") is None
    assert parse_sse_line("event: ping") is None
    with pytest.raises(LlmError, match="invalid JSON"):
        parse_sse_line("data: {not json")


@pytest.mark.slow
def test_streams_an_answer_from_a_real_llama_cpp_server(server_url: str) -> None:
    backend = backend_for(server_url)
    try:
        deltas = list(backend.stream(QUESTION, threading.Event()))
        text = "".join(d.text for d in deltas)
        assert "Paris" in text
        assert len(deltas) > 3, "the answer arrives in pieces"
        end = deltas[-1]
        assert end.finish in ("stop", "length")
        assert end.completion_tokens is not None
        assert end.completion_tokens >= 3
        assert end.prompt_tokens is not None
        assert end.prompt_tokens > 10
    finally:
        backend.close()


@pytest.mark.slow
def test_cancel_closes_the_stream_promptly(server_url: str) -> None:
    backend = backend_for(server_url, "llm.max_tokens=60")
    cancel = threading.Event()
    pieces: list[str] = []
    end: Delta | None = None
    try:
        story = [Message(role="user", content="Tell me a long story about a dragon.")]
        for delta in backend.stream(story, cancel):
            if delta.finish is not None:
                end = delta
                break
            pieces.append(delta.text)
            if len(pieces) == 3:
                cancel.set()
        assert end is not None
        assert end.finish == "cancelled"
        assert len(pieces) == 3
        text, _ = collect(backend.stream(QUESTION, threading.Event()))
        assert "Paris" in text, "the server answers the next request normally"
    finally:
        backend.close()


@pytest.mark.slow
def test_a_wrong_url_gives_404_with_a_hint(server_url: str) -> None:
    backend = backend_for(server_url.replace("/v1", "/nope/v1"))
    try:
        with pytest.raises(LlmError) as caught:
            collect(backend.stream(QUESTION, threading.Event()))
        assert caught.value.code == "llm_http_error"
        assert "404" in caught.value.message
        assert "check llm.url" in caught.value.message
    finally:
        backend.close()


def test_a_500_is_a_clear_error_with_the_servers_message() -> None:
    with failing_server() as url:
        backend = backend_for(url)
        try:
            with pytest.raises(LlmError) as caught:
                collect(backend.stream(QUESTION, threading.Event()))
        finally:
            backend.close()
    assert caught.value.code == "llm_http_error"
    assert "HTTP 500" in caught.value.message
    assert url in caught.value.message
    assert "model crashed: out of memory" in caught.value.message


def test_a_server_that_is_down_is_retried_then_reported() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    backend = backend_for(url, "llm.retries=2")
    try:
        with pytest.raises(LlmError) as caught:
            collect(backend.stream(QUESTION, threading.Event()))
    finally:
        backend.close()
    assert caught.value.code == "llm_unreachable"
    assert "3 attempts" in caught.value.message
    assert url in caught.value.message


def test_a_hung_server_times_out(tmp_path: Path) -> None:
    with silent_server() as url:
        backend = backend_for(url, "llm.timeout_s=0.5", "llm.retries=0")
        try:
            with pytest.raises(LlmError) as caught:
                collect(backend.stream(QUESTION, threading.Event()))
        finally:
            backend.close()
    assert caught.value.code == "llm_timeout"
    assert "timed out" in caught.value.message


def test_token_probabilities_are_read_from_an_openai_chunk() -> None:
    from nimbus.handlers.responding.llm.openai_http import _least_logprob  # noqa: PLC0415

    chunk = {"content": [{"token": " Par", "logprob": -0.05}, {"token": "is", "logprob": -0.4}]}
    assert _least_logprob(chunk) == -0.4
    assert _least_logprob(None) is None  # a server that sends none: the gate trusts no fact
    assert _least_logprob({"content": None}) is None
