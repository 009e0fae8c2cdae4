"""The one streaming interface every LLM backend implements, and its error type."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

__all__ = ["Delta", "LlmBackend", "LlmError", "Message", "Role", "estimate_tokens"]

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Message:
    """One chat message."""

    role: Role
    content: str

    def as_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


@dataclass(frozen=True, slots=True, kw_only=True)
class Delta:
    """A piece of a streaming answer.

    Text deltas come first; the backend's last item is a delta with ``finish`` set (text may be
    empty) carrying the token counts it knows.
    """

    text: str = ""
    finish: str | None = None
    """None while streaming; then stop | length | cancelled."""
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    logprob: float | None = None
    """The log-probability of the token(s) of ``text`` (the least, for several); None when the
    backend does not tell (the confidence gate then trusts no fact of it)."""


class LlmError(Exception):
    """A backend failure with a stable ``code`` and a human ``message``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@runtime_checkable
class LlmBackend(Protocol):
    """A loaded model. Synchronous: call it from a worker thread, never on the event loop.

    ``stream`` yields :class:`Delta` items and checks ``cancel`` between tokens; once it is set
    the stream ends within a token or two with ``finish="cancelled"``. A backend whose
    ``parallel`` is False holds state per generation: callers run one stream at a time.
    """

    name: str
    """Display name of the model."""
    n_ctx: int
    """Context window in tokens (prompt + answer)."""
    parallel: bool

    def count_tokens(self, text: str) -> int:
        """Tokens ``text`` takes in a prompt (exact where the backend has a tokenizer)."""
        ...

    def stream(self, messages: Sequence[Message], cancel: threading.Event) -> Iterator[Delta]: ...

    def close(self) -> None: ...


@runtime_checkable
class PromptWarmer(Protocol):
    """A backend that can read a prompt ahead into its cache (llama.cpp's KV cache).

    ``warm`` evaluates the prompt of ``messages`` (checking ``cancel`` between batches) so that
    a later ``stream`` whose prompt starts the same way only reads what differs. It returns
    how many prompt tokens are now cached. ``cached_prompt_tokens`` is how many tokens of the
    last streamed prompt were found already read.
    """

    cached_prompt_tokens: int

    def warm(self, messages: Sequence[Message], cancel: threading.Event) -> int: ...


def estimate_tokens(text: str) -> int:
    """A conservative token estimate for backends without a local tokenizer (~3 chars a token)."""
    return (len(text) + 2) // 3
