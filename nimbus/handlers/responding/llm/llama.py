"""llama-cpp-python backend: any GGUF (the shipped SmolLM2 by default), its own chat template."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from nimbus.daemon.config import LlmConfig
from nimbus.daemon.native_stderr import quiet_native_stderr
from nimbus.handlers.responding.llm.base import Delta, LlmError, Message

__all__ = ["LlamaBackend", "fold_system_messages", "gpu_offload_supported"]

log = logging.getLogger(__name__)

_MIN_ANSWER_TOKENS = 8
"""A prompt must leave at least this many tokens of the context window for the answer."""

PREFILL_BATCH = 128
"""Prompt tokens evaluated between two looks at the cancel flag (~0.3 s on 2 slow cores)."""


def gpu_offload_supported() -> bool:
    """Can this llama-cpp-python wheel put layers on a GPU (``llm.n_gpu_layers``)?"""
    import llama_cpp  # noqa: PLC0415 - heavy import

    return bool(llama_cpp.llama_supports_gpu_offload())


def _quiet_llama_cpp() -> None:
    """llama.cpp's own log callback prints errors only (what ``verbose=False`` would set)."""
    import llama_cpp._logger  # noqa: PLC0415 - loaded with llama_cpp

    llama_cpp._logger.set_verbose(False)


class LlamaBackend:
    """One loaded GGUF. Not thread-safe and stateful (KV cache): one stream at a time.

    The prompt is rendered with the chat template stored in the GGUF (``tokenizer.chat_template``)
    and tokenized here, so prompt token counts are exact and a prompt that cannot fit the context
    window is refused with ``context_overflow`` instead of failing inside llama.cpp.
    """

    parallel = False

    def __init__(self, path: Path, config: LlmConfig, *, name: str = "") -> None:
        from llama_cpp import Llama  # noqa: PLC0415 - heavy import, loaded off the event loop

        from nimbus.daemon.threads import thread_plan  # noqa: PLC0415

        self.name = name or path.name
        self._config = config
        self.gpu_offload = gpu_offload_supported()
        if config.n_gpu_layers and not self.gpu_offload:
            log.warning("llm.n_gpu_layers = %d, but this llama-cpp-python wheel is CPU-only "
                        "(llama_supports_gpu_offload() is false): every layer runs on the CPU",
                        config.n_gpu_layers)
        try:
            # verbose=False would make llama-cpp-python redirect fd 2 itself (save / dup2 /
            # restore, racing any other thread doing the same: the daemon's stderr could stay
            # silenced for good). The one owner of fd 2 silences the loader's chatter instead,
            # and llama-cpp-python is made quiet once the model is loaded.
            with quiet_native_stderr():
                self._llm: Any = Llama(
                    model_path=str(path),
                    n_ctx=config.n_ctx,
                    n_threads=config.n_threads or thread_plan().llm,
                    # Else one per core of the machine, even under taskset (see threads.py).
                    n_threads_batch=config.n_threads or thread_plan().llm,
                    n_gpu_layers=config.n_gpu_layers,
                    verbose=True,
                )
        except (ValueError, RuntimeError, OSError) as exc:
            raise LlmError("model_load_failed", f"cannot load GGUF {path}: {exc}") from None
        finally:
            _quiet_llama_cpp()
        self._llm.verbose = False  # no timings printed after each answer
        self.n_ctx = int(self._llm.n_ctx())
        self.cached_prompt_tokens = 0
        """Tokens of the last prompt found already in the KV cache (read ahead or shared)."""
        self._formatter = self._template_formatter()
        log.info("llama.cpp model %s loaded (n_ctx %d, chat template: %s)", self.name, self.n_ctx,
                 "from the GGUF" if self._formatter else f"built-in {self._llm.chat_format}")

    def _template_formatter(self) -> Any:
        template = self._llm.metadata.get("tokenizer.chat_template")
        if not template:
            return None
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter  # noqa: PLC0415

        model = self._llm._model  # token texts, as Llama itself gets them
        eos, bos = self._llm.token_eos(), self._llm.token_bos()
        return Jinja2ChatFormatter(
            template=template,
            eos_token=model.token_get_text(eos) if eos != -1 else "",
            bos_token=model.token_get_text(bos) if bos != -1 else "",
            stop_token_ids=[eos],
        )

    def count_tokens(self, text: str) -> int:
        if not text:
            return 0
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def prompt_tokens(self, messages: Sequence[Message]) -> tuple[list[int], list[str]]:
        """The rendered, tokenized prompt and its stop strings."""
        dicts = [m.as_dict() for m in messages]
        if self._formatter is None:
            text = "".join(f"{m.role}: {m.content}\n" for m in messages) + "assistant: "
            stops: list[str] = []
            add_bos = True
        else:
            try:
                rendered = self._formatter(messages=dicts)
            except Exception:  # jinja2's raise_exception(): e.g. "roles must alternate"
                # Some chat templates take no system message, or only a leading one: fold
                # system messages (the prompt, the documents) into the user turn after them.
                rendered = self._formatter(messages=fold_system_messages(dicts))
            text = rendered.prompt
            stop = rendered.stop
            stops = [stop] if isinstance(stop, str) else list(stop or [])
            add_bos = not rendered.added_special
        tokens = self._llm.tokenize(text.encode("utf-8"), add_bos=add_bos, special=True)
        return list(tokens), stops

    def prefill(self, tokens: Sequence[int], cancel: threading.Event) -> bool:
        """Evaluate all but the last prompt token in small batches; False if cancelled first.

        llama.cpp reads a whole prompt in one uninterruptible call; reading it here batch by
        batch lets a stop land during a long prompt too. What is already in the KV cache (the
        shared system prompt, the conversation so far) is kept, and ``create_completion`` then
        finds the prompt cached and evaluates only its last token.
        """
        llm = self._llm
        head = list(tokens[:-1])
        cached = 0
        for have, want in zip(llm.input_ids[: llm.n_tokens].tolist(), head, strict=False):
            if have != want:
                break
            cached += 1
        if cached == 0:
            llm.reset()
        else:
            llm.n_tokens = cached  # eval() drops the KV cache beyond this point
        self.cached_prompt_tokens = cached
        for start in range(cached, len(head), PREFILL_BATCH):
            if cancel.is_set():
                return False
            llm.eval(head[start : start + PREFILL_BATCH])
        return not cancel.is_set()

    def warm(self, messages: Sequence[Message], cancel: threading.Event) -> int:
        """Read the prompt of ``messages`` into the KV cache ahead of a ``stream`` (see
        :class:`~nimbus.handlers.responding.llm.base.PromptWarmer`); the tokens now cached."""
        tokens, _stops = self.prompt_tokens(messages)
        if len(tokens) + _MIN_ANSWER_TOKENS > self.n_ctx:
            return 0  # the stream will report the overflow
        self.prefill(tokens, cancel)
        return int(self._llm.n_tokens)

    def stream(self, messages: Sequence[Message], cancel: threading.Event) -> Iterator[Delta]:
        from llama_cpp import StoppingCriteriaList  # noqa: PLC0415

        tokens, stops = self.prompt_tokens(messages)
        room = self.n_ctx - len(tokens)
        if room < _MIN_ANSWER_TOKENS:
            raise LlmError(
                "context_overflow",
                f"the prompt takes {len(tokens)} tokens but the context window (llm.n_ctx) is "
                f"{self.n_ctx}: shorten it or lower llm.max_input_tokens",
            )
        if not self.prefill(tokens, cancel):
            yield Delta(finish="cancelled", prompt_tokens=len(tokens), completion_tokens=0)
            return
        sampled = 0
        probs = _TokenProbs(self._llm)

        def count_or_cancel(ids: Any, _logits: Any) -> bool:
            nonlocal sampled
            sampled += 1
            probs.step(ids)
            return cancel.is_set()

        extra: dict[str, Any] = {}
        if self._config.seed >= 0:
            extra["seed"] = self._config.seed
        chunks = self._llm.create_completion(
            prompt=tokens,
            max_tokens=min(self._config.max_tokens, room),
            temperature=self._config.temperature,
            top_p=self._config.top_p,
            repeat_penalty=self._config.repeat_penalty,
            stop=stops,
            stream=True,
            stopping_criteria=StoppingCriteriaList([count_or_cancel]),
            **extra,
        )
        finish: str | None = None
        held: tuple[str, int] | None = None
        """A text piece waits for the next one: its last token's probability is known then."""
        try:
            for chunk in chunks:
                choice = chunk["choices"][0]
                if choice["text"]:
                    if held is not None:
                        yield Delta(text=held[0], logprob=probs.least_since(held[1]))
                    held = (choice["text"], len(probs.known))
                if cancel.is_set():
                    break
                finish = choice.get("finish_reason") or finish
            if held is not None:  # cut at max_tokens: its last token was sampled, not scored
                yield Delta(text=held[0], logprob=probs.least_since(
                    held[1], pending=finish == "length"))
        finally:
            chunks.close()
        yield Delta(finish="cancelled" if cancel.is_set() else (finish or "stop"),
                    prompt_tokens=len(tokens), completion_tokens=sampled)

    def close(self) -> None:
        self._llm.close()


def fold_system_messages(messages: list[dict[str, str]]) -> list[dict[str, str]]:
    """Messages with every system message folded into the user message that follows it."""
    folded: list[dict[str, str]] = []
    carry = ""
    for message in messages:
        if message["role"] == "system":
            carry += message["content"] + "\n\n"
            continue
        if carry and message["role"] == "user":
            message = {**message, "content": carry + message["content"]}  # noqa: PLW2901
            carry = ""
        folded.append(message)
    return folded


class _TokenProbs:
    """Log-probabilities of the sampled tokens, read off llama.cpp's logits as it samples.

    The stopping criterion runs after each sample, while the context still holds the logits the
    token was sampled from, but before the token is known; its id shows up in the next step's
    input. So each step keeps the log-softmax and scores the previous step's token with it.
    """

    def __init__(self, llm: Any) -> None:
        self._llm = llm
        self._vocab = int(llm.n_vocab())
        self._pending: np.ndarray[Any, np.dtype[np.float32]] | None = None
        self.known: list[float] = []
        self._seen = -1

    def step(self, ids: Any) -> None:
        if len(ids) == self._seen:
            return  # llama-cpp-python asks once more after the last token: nothing new
        self._seen = len(ids)
        if self._pending is not None and len(ids):
            self.known.append(float(self._pending[int(ids[-1])]))
        pointer = self._llm._ctx.get_logits_ith(-1)
        logits = np.ctypeslib.as_array(pointer, shape=(self._vocab,)).astype(np.float64)
        top = logits.max()
        self._pending = (logits - top - np.log(np.exp(logits - top).sum())).astype(np.float32)

    def least_since(self, start: int, *, pending: bool = False) -> float | None:
        """The least log-probability of tokens ``start:`` (with the last, unscored step's best
        token when ``pending``: an upper bound); None when no token is scored."""
        values = self.known[start:]
        if pending and self._pending is not None:
            values = [*values, float(self._pending.max())]
        return min(values) if values else None
