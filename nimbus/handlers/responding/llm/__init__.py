"""LLM backends behind one streaming interface, and the factory that builds one from config."""

from __future__ import annotations

from nimbus.daemon.config import Config
from nimbus.daemon.models import ModelNotFound, parse_hub_file, resolve_llm
from nimbus.handlers.responding.llm.base import (
    Delta,
    LlmBackend,
    LlmError,
    Message,
    estimate_tokens,
)
from nimbus.handlers.responding.llm.download import Progress, fetch_hub_model, fetch_model

__all__ = ["Delta", "LlmBackend", "LlmError", "Message", "estimate_tokens", "load_backend"]


def load_backend(config: Config, *, progress: Progress | None = None) -> LlmBackend:
    """Build and load the configured backend. Blocking (seconds): call it off the event loop.

    Raises :class:`LlmError` with a clear message when the model cannot be found, downloaded
    or loaded.
    """
    llm = config.llm
    if llm.backend == "openai":
        from nimbus.handlers.responding.llm.openai_http import OpenAIBackend  # noqa: PLC0415

        return OpenAIBackend(llm)
    try:
        location = resolve_llm(config)
    except ModelNotFound as exc:
        raise LlmError("model_not_found", exc.message) from None
    assert location.path is not None  # local backends always resolve to a path
    if llm.backend == "transformers":
        from nimbus.handlers.responding.llm.transformers_backend import (  # noqa: PLC0415 - optional extra
            TransformersBackend,
        )

        return TransformersBackend(location.path, llm)
    from nimbus.handlers.responding.llm.llama import LlamaBackend  # noqa: PLC0415 - heavy import

    path = location.path
    hub = parse_hub_file(llm.model)
    if llm.model.startswith(("http://", "https://")):
        path = fetch_model(llm.model, path, timeout_s=llm.timeout_s, progress=progress,
                           connect_timeout_s=llm.connect_timeout_s, sha256=llm.model_sha256)
    elif hub is not None:
        path = fetch_hub_model(hub, path, timeout_s=llm.timeout_s, progress=progress,
                               connect_timeout_s=llm.connect_timeout_s, sha256=llm.model_sha256)
    return LlamaBackend(path, llm, name=location.name)
