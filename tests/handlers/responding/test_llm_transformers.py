"""The transformers backend on a tiny randomly initialised causal LM and tokenizer built here
(no hub): the real loading, chat-template, streaming and cancel code paths run."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from nimbus.daemon.config import Config, load_config
from nimbus.handlers.responding.llm import Delta, LlmError, Message, load_backend

transformers = pytest.importorskip("transformers", reason="the optional transformers extra")
tokenizers = pytest.importorskip("tokenizers", reason="ships with transformers")

CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
CORPUS = [
    "the quick brown fox jumps over the lazy dog",
    "what is the capital of france paris is the capital",
    "tell me a long story about a dragon who lived in a cave",
    "answer briefly in plain sentences without lists",
] * 20


def build_tiny_model(folder: Path, *, chat_template: str | None = CHAT_TEMPLATE) -> Path:
    """A byte-level BPE tokenizer trained on a few sentences and a 2-layer random Llama."""
    import torch  # noqa: PLC0415

    bpe = tokenizers.ByteLevelBPETokenizer()
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    bpe.train_from_iterator(CORPUS, vocab_size=400, min_frequency=1, special_tokens=specials,
                            show_progress=False)
    tokenizer = transformers.PreTrainedTokenizerFast(
        tokenizer_object=bpe, bos_token="<|im_start|>", eos_token="<|im_end|>",
        pad_token="<|endoftext|>", unk_token="<|endoftext|>")
    if chat_template is not None:
        tokenizer.chat_template = chat_template
    tokenizer.save_pretrained(str(folder))
    config = transformers.LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
        num_attention_heads=2, num_key_value_heads=2, max_position_embeddings=256,
        bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id)
    torch.manual_seed(0)
    transformers.LlamaForCausalLM(config).save_pretrained(str(folder))
    return folder


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("tiny-llama"))


def backend_config(folder: Path, *extra: str) -> Config:
    return load_config(None, environ={}, overrides=[
        'llm.backend="transformers"', f'llm.model="{folder}"', "llm.n_ctx=512",
        "llm.max_input_tokens=200", "llm.max_tokens=24", "llm.temperature=0", "llm.seed=0",
        *extra])


QUESTION = [Message(role="system", content="answer briefly"),
            Message(role="user", content="what is the capital of france")]


def test_streams_tokens_with_the_models_chat_template(model_dir: Path) -> None:
    backend = load_backend(backend_config(model_dir))
    assert backend.name == model_dir.name
    assert backend.n_ctx == 256, "capped by the model's max_position_embeddings"
    items = list(backend.stream(QUESTION, threading.Event()))
    end = items[-1]
    assert end.finish == "stop"
    assert all(d.finish is None and d.text for d in items[:-1])
    assert len(items) >= 2, "random weights still produce streamed text"
    assert end.completion_tokens is not None
    assert 1 <= end.completion_tokens <= 24
    expected = backend.count_tokens("<|im_start|>system\nanswer briefly<|im_end|>\n")
    assert end.prompt_tokens is not None
    assert end.prompt_tokens > expected
    again = list(backend.stream(QUESTION, threading.Event()))
    assert "".join(d.text for d in again) == "".join(d.text for d in items), "greedy is stable"


def test_cancel_stops_generation_between_tokens(model_dir: Path) -> None:
    backend = load_backend(backend_config(model_dir, "llm.max_tokens=200"))
    cancel = threading.Event()
    pieces: list[str] = []
    end: Delta | None = None
    for delta in backend.stream(QUESTION, cancel):
        if delta.finish is not None:
            end = delta
            break
        pieces.append(delta.text)
        cancel.set()
    assert end is not None
    assert end.finish == "cancelled"
    assert end.completion_tokens is not None
    assert end.completion_tokens < 200


def test_overflow_and_missing_template_are_clear_errors(model_dir: Path, tmp_path: Path) -> None:
    backend = load_backend(backend_config(model_dir))
    with pytest.raises(LlmError) as caught:
        next(backend.stream([Message(role="user", content="dragon " * 400)], threading.Event()))
    assert caught.value.code == "context_overflow"
    plain = build_tiny_model(tmp_path / "no-template", chat_template=None)
    with pytest.raises(LlmError, match="no chat template"):
        load_backend(backend_config(plain))
    with pytest.raises(LlmError) as missing:
        load_backend(backend_config(tmp_path / "absent"))
    assert missing.value.code == "model_not_found"
