"""transformers backend (optional extra): a local causal-LM folder and its chat template."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from nimbus.daemon.config import LlmConfig
from nimbus.handlers.responding.llm.base import Delta, LlmError, Message

__all__ = ["TransformersBackend"]

log = logging.getLogger(__name__)


class TransformersBackend:
    """A ``transformers`` causal LM loaded from a local folder (never from a hub).

    ``generate`` runs in a helper thread and streams text through ``TextIteratorStreamer``; a
    stopping criterion reads the cancel flag, so a stop ends generation after the current token.
    One stream at a time (the model is shared).
    """

    parallel = False

    def __init__(self, path: Path, config: LlmConfig) -> None:
        try:
            import torch  # noqa: PLC0415 - optional extra, imported lazily
            from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: PLC0415
        except ImportError as exc:
            raise LlmError(
                "backend_unavailable",
                f'llm.backend = "transformers" needs the transformers extra '
                f"(pip install 'nimbus-assistant[transformers]'): {exc}",
            ) from None
        self._torch: Any = torch
        self._config = config
        self.name = path.name
        try:
            self._tokenizer: Any = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
            self._model: Any = AutoModelForCausalLM.from_pretrained(
                str(path), local_files_only=True
            )
        except (OSError, ValueError) as exc:
            raise LlmError("model_load_failed", f"cannot load transformers model {path}: {exc}") \
                from None
        self._model.eval()  # type: ignore[no-untyped-call]  # inference mode, no dropout
        if not getattr(self._tokenizer, "chat_template", None):
            raise LlmError("model_load_failed",
                           f"{path}: the tokenizer has no chat template (tokenizer_config.json "
                           "chat_template); Nimbus needs an instruction-tuned chat model")
        limit = getattr(self._model.config, "max_position_embeddings", None) or config.n_ctx
        self.n_ctx = min(config.n_ctx, int(limit))
        log.info("transformers model %s loaded (n_ctx %d)", self.name, self.n_ctx)

    def count_tokens(self, text: str) -> int:
        if not text:
            return 0
        return len(self._tokenizer.encode(text, add_special_tokens=False))

    def _prompt_ids(self, messages: Sequence[Message]) -> Any:
        text = self._tokenizer.apply_chat_template(
            [m.as_dict() for m in messages], tokenize=False, add_generation_prompt=True
        )
        encoded = self._tokenizer(text, return_tensors="pt", add_special_tokens=False)
        return encoded["input_ids"]

    def stream(self, messages: Sequence[Message], cancel: threading.Event) -> Iterator[Delta]:
        from transformers import (  # noqa: PLC0415
            StoppingCriteria,
            StoppingCriteriaList,
            TextIteratorStreamer,
        )

        torch = self._torch
        input_ids = self._prompt_ids(messages)
        n_prompt = int(input_ids.shape[1])
        room = self.n_ctx - n_prompt
        if room < 8:
            raise LlmError("context_overflow",
                           f"the prompt takes {n_prompt} tokens but the context window is "
                           f"{self.n_ctx}: shorten it or lower llm.max_input_tokens")

        abandoned = threading.Event()

        class _Cancel(StoppingCriteria):
            def __call__(self, ids: Any, scores: Any, **kwargs: Any) -> Any:
                halt = cancel.is_set() or abandoned.is_set()
                return torch.full((ids.shape[0],), halt, dtype=torch.bool, device=ids.device)

        streamer = TextIteratorStreamer(self._tokenizer, skip_prompt=True,
                                        skip_special_tokens=True, timeout=self._config.timeout_s)
        sampling = self._config.temperature > 0
        kwargs: dict[str, Any] = {
            "input_ids": input_ids,
            "attention_mask": torch.ones_like(input_ids),
            "max_new_tokens": min(self._config.max_tokens, room),
            "do_sample": sampling,
            "repetition_penalty": self._config.repeat_penalty,
            "streamer": streamer,
            "stopping_criteria": StoppingCriteriaList([_Cancel()]),
            "pad_token_id": self._tokenizer.pad_token_id or self._tokenizer.eos_token_id,
        }
        if sampling:
            kwargs.update(temperature=self._config.temperature, top_p=self._config.top_p)
        result: dict[str, Any] = {}

        def generate() -> None:
            try:
                if self._config.seed >= 0:
                    torch.manual_seed(self._config.seed)
                with torch.inference_mode():
                    result["output"] = self._model.generate(**kwargs)
            except Exception as exc:  # handed to the consuming thread below
                result["error"] = exc
                streamer.end()  # type: ignore[no-untyped-call]  # unblocks the reader

        worker = threading.Thread(target=generate, name="transformers-generate", daemon=True)
        worker.start()
        try:
            for text in streamer:
                if text:
                    yield Delta(text=text)
                if cancel.is_set():
                    break
        finally:
            abandoned.set()  # ends generate() if the consumer stopped reading early
            worker.join()
        cancel_after = cancel.is_set()
        if "error" in result:
            error = result["error"]
            raise LlmError("llm_failed", f"generation failed: {type(error).__name__}: {error}")
        output = result.get("output")
        completion = int(output.shape[1]) - n_prompt if output is not None else 0
        yield Delta(finish="cancelled" if cancel_after else "stop",
                    prompt_tokens=n_prompt, completion_tokens=completion)

    def close(self) -> None:
        self._model = None
