"""The llama.cpp backend on the real shipped SmolLM2 GGUF: template, streaming, cancel, limits."""

from __future__ import annotations

import functools
import http.server
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from nimbus.daemon.config import Config, load_config
from nimbus.daemon.models import resolve_llm
from nimbus.handlers.responding.llm import Delta, LlmError, Message, load_backend
from nimbus.handlers.responding.llm.llama import LlamaBackend

pytestmark = pytest.mark.slow

QUESTION = [Message(role="system", content="Answer in one short sentence."),
            Message(role="user", content="What is the capital of France?")]


def llm_config(*extra: str) -> Config:
    return load_config(None, environ={}, overrides=[
        "llm.n_ctx=512", "llm.max_input_tokens=400", "llm.max_tokens=24", "llm.temperature=0",
        "llm.seed=0", *extra])


@pytest.fixture(scope="module")
def backend() -> LlamaBackend:
    loaded = load_backend(llm_config())
    assert isinstance(loaded, LlamaBackend)
    return loaded


def collect(stream: Iterator[Delta]) -> tuple[str, Delta]:
    items = list(stream)
    assert items[-1].finish is not None, "a stream ends with a finish delta"
    assert all(d.finish is None for d in items[:-1])
    return "".join(d.text for d in items), items[-1]


def test_answers_with_the_chat_template_from_the_gguf(backend: LlamaBackend) -> None:
    tokens, stops = backend.prompt_tokens(QUESTION)
    rendered = backend._llm.detokenize(tokens, special=True).decode()
    assert "<|im_start|>system\nAnswer in one short sentence.<|im_end|>" in rendered
    assert rendered.endswith("<|im_start|>assistant\n")
    assert stops == ["<|im_end|>"]
    text, end = collect(backend.stream(QUESTION, threading.Event()))
    assert "Paris" in text
    assert "<|im_end|>" not in text
    assert end.finish in ("stop", "length")
    assert end.prompt_tokens == len(tokens)
    assert end.completion_tokens is not None
    assert end.completion_tokens >= 2
    assert backend.name == "SmolLM2-135M-Instruct Q4_1"
    assert backend.n_ctx == 512


def test_a_template_without_system_messages_gets_them_folded_into_the_question(
        backend: LlamaBackend) -> None:
    from llama_cpp.llama_chat_format import (  # noqa: PLC0415 - only here
        MISTRAL_INSTRUCT_CHAT_TEMPLATE,
        Jinja2ChatFormatter,
    )

    messages = [Message(role="system", content="Be brief."),
                Message(role="user", content="Hi"), Message(role="assistant", content="Hello"),
                Message(role="system", content="Documents: [1] notes.txt: the shed is green."),
                Message(role="user", content="What colour is the shed?")]
    native = backend._formatter  # swap in a template that takes user/assistant turns only
    backend._formatter = Jinja2ChatFormatter(
        template=MISTRAL_INSTRUCT_CHAT_TEMPLATE, eos_token="</s>", bos_token="<s>")
    try:
        tokens, _ = backend.prompt_tokens(messages)
    finally:
        backend._formatter = native
    text = backend._llm.detokenize(tokens).decode()
    assert "[INST] Be brief.\n\nHi [/INST]" in text
    assert "[INST] Documents: [1] notes.txt: the shed is green.\n\nWhat colour" in text


def test_same_seed_same_answer(backend: LlamaBackend) -> None:
    first, _ = collect(backend.stream(QUESTION, threading.Event()))
    second, _ = collect(backend.stream(QUESTION, threading.Event()))
    assert first == second


def test_cancel_ends_the_stream_within_a_token_or_two(backend: LlamaBackend) -> None:
    cancel = threading.Event()
    story = [Message(role="user", content="Tell me a long story about a dragon.")]
    texts: list[str] = []
    end: Delta | None = None
    for delta in backend.stream(story, cancel):
        if delta.finish is not None:
            end = delta
            break
        texts.append(delta.text)
        if len(texts) == 3:
            cancel.set()
    assert end is not None
    assert end.finish == "cancelled"
    assert 3 <= len(texts) <= 5
    assert end.completion_tokens is not None
    assert end.completion_tokens <= 6
    again, _ = collect(backend.stream(QUESTION, threading.Event()))
    assert "Paris" in again, "the model answers normally after a cancel"


def test_a_prompt_beyond_the_context_window_is_refused_clearly(backend: LlamaBackend) -> None:
    huge = [Message(role="user", content="word " * 2000)]
    with pytest.raises(LlmError) as caught:
        next(backend.stream(huge, threading.Event()))
    assert caught.value.code == "context_overflow"
    assert "llm.n_ctx" in caught.value.message
    assert backend.count_tokens("word " * 100) >= 100
    text, _ = collect(backend.stream(QUESTION, threading.Event()))
    assert text, "still usable afterwards"


def test_missing_or_wrong_gguf_path_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.gguf"
    with pytest.raises(LlmError) as caught:
        load_backend(llm_config(f'llm.model="{missing}"'))
    assert caught.value.code == "model_not_found"
    assert str(missing) in caught.value.message
    not_gguf = tmp_path / "model.gguf"
    not_gguf.write_bytes(b"PK\x03\x04 this is a zip")
    with pytest.raises(LlmError, match="not a GGUF file"):
        load_backend(llm_config(f'llm.model="{not_gguf}"'))
    truncated = tmp_path / "cut.gguf"
    shipped = resolve_llm(Config()).path
    assert shipped is not None
    with shipped.open("rb") as source:
        truncated.write_bytes(source.read(4096))
    with pytest.raises(LlmError) as broken:
        load_backend(llm_config(f'llm.model="{truncated}"'))
    assert broken.value.code == "model_load_failed"
    assert str(truncated) in broken.value.message


@pytest.fixture
def gguf_server(tmp_path: Path) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 serving a copy of the shipped GGUF."""
    shipped = resolve_llm(Config()).path
    assert shipped is not None
    root = tmp_path / "www"
    root.mkdir()
    shutil.copy(shipped, root / "smol.gguf")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/smol.gguf"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_gguf_url_is_downloaded_once_with_progress(gguf_server: str, state_dir: Path) -> None:
    config = llm_config(f'llm.model="{gguf_server}"', f'daemon.state_dir="{state_dir}"')
    seen: list[tuple[int, int | None]] = []
    backend = load_backend(config, progress=lambda done, total: seen.append((done, total)))
    cached = state_dir / "models" / "smol.gguf"
    assert cached.is_file()
    assert seen[-1][0] == seen[-1][1] == cached.stat().st_size
    assert len(seen) > 2, "progress is reported while downloading"
    assert not list((state_dir / "models").glob("*.part"))
    text, _ = collect(backend.stream(QUESTION, threading.Event()))
    assert "Paris" in text
    again: list[tuple[int, int | None]] = []
    load_backend(config, progress=lambda done, total: again.append((done, total)))
    assert again == [], "the second start uses the cached file"


def test_offline_url_download_fails_with_a_clear_message(state_dir: Path) -> None:
    with socket.socket() as probe:  # a port on which nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/models/smol.gguf"
    config = llm_config(f'llm.model="{url}"', f'daemon.state_dir="{state_dir}"')
    with pytest.raises(LlmError) as caught:
        load_backend(config)
    assert caught.value.code == "model_download_failed"
    assert url in caught.value.message
    assert "offline" in caught.value.message
    assert "llm.model" in caught.value.message
    assert not (state_dir / "models" / "smol.gguf").exists()
    assert not list((state_dir / "models").glob("*.part"))


class CancelAfter(threading.Event):
    """A cancel flag that turns itself on after being looked at ``checks`` times: a stop that
    lands while the prompt is being read, without timing."""

    def __init__(self, checks: int) -> None:
        super().__init__()
        self.checks = checks

    def is_set(self) -> bool:
        self.checks -= 1
        if self.checks < 0:
            self.set()
        return super().is_set()


def test_a_stop_lands_while_a_long_prompt_is_being_read(backend: LlamaBackend) -> None:
    from nimbus.handlers.responding.llm.llama import PREFILL_BATCH  # noqa: PLC0415

    long_prompt = [Message(role="user", content="Summarise: " + "the cat sat on the mat. " * 60)]
    tokens, _ = backend.prompt_tokens(long_prompt)
    assert len(tokens) > 2 * PREFILL_BATCH
    backend.prefill([1, 2, 3], threading.Event())  # nothing of the long prompt is cached
    items = list(backend.stream(long_prompt, CancelAfter(1)))
    assert [d.finish for d in items] == ["cancelled"]
    assert items[0].completion_tokens == 0
    assert backend._llm.n_tokens <= PREFILL_BATCH + 3, "stopped after one batch"
    text, _ = collect(backend.stream(QUESTION, threading.Event()))
    assert "Paris" in text, "a prompt read halfway leaves the model usable"


def test_the_shared_prompt_prefix_stays_cached(backend: LlamaBackend) -> None:
    first = [*QUESTION[:1], Message(role="user", content="What is the capital of Italy?")]
    collect(backend.stream(first, threading.Event()))
    tokens, _ = backend.prompt_tokens(QUESTION)
    common = next(i for i, (a, b) in enumerate(
        zip(backend.prompt_tokens(first)[0], tokens, strict=False)) if a != b)
    evaluated: list[int] = []
    original = backend._llm.eval
    backend._llm.eval = lambda batch: (evaluated.extend(batch), original(batch))[1]
    try:
        backend.prefill(tokens, threading.Event())
    finally:
        backend._llm.eval = original
    assert len(evaluated) == len(tokens) - 1 - common, "only the new part of the prompt is read"
