"""OpenAI-compatible HTTP backend (llama.cpp server, vLLM, Ollama): streaming chat over SSE."""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

import httpx

from nimbus.daemon.config import LlmConfig
from nimbus.handlers.responding.llm.base import Delta, LlmError, Message, estimate_tokens

__all__ = ["OpenAIBackend", "parse_sse_line"]

log = logging.getLogger(__name__)

_BACKOFF_S = 0.25
_DETAIL_CHARS = 300


def parse_sse_line(line: str) -> dict[str, Any] | None:
    """The JSON of one ``data:`` line of an SSE stream; None for other lines and ``[DONE]``."""
    if not line.startswith("data:"):
        return None
    data = line[5:].strip()
    if not data or data == "[DONE]":
        return None
    try:
        parsed = json.loads(data)
    except ValueError:
        raise LlmError("llm_bad_response", f"the server sent invalid JSON: {data[:200]}") from None
    if not isinstance(parsed, dict):
        raise LlmError("llm_bad_response", f"the server sent {data[:200]}")
    return parsed


def _error_detail(response: httpx.Response) -> str:
    try:
        body = response.read().decode("utf-8", "replace")
    except httpx.HTTPError:
        return ""
    try:
        parsed = json.loads(body)
    except ValueError:
        return body.strip()[:_DETAIL_CHARS]
    if isinstance(parsed, dict):
        error = parsed.get("error", parsed.get("detail", parsed))
        if isinstance(error, dict):
            error = error.get("message", error)
        return str(error)[:_DETAIL_CHARS]
    return body.strip()[:_DETAIL_CHARS]


def _status_error(url: str, response: httpx.Response) -> LlmError:
    status = response.status_code
    detail = _error_detail(response)
    hint = ""
    if status in (401, 403):
        hint = " (check llm.api_key)"
    elif status == 404:
        hint = " (check llm.url - it usually ends in /v1 - and llm.model)"
    elif status >= 500:
        hint = " (the LLM server failed; see its log)"
    message = f"{url} answered HTTP {status} {response.reason_phrase}{hint}"
    if detail:
        message += f": {detail}"
    return LlmError("llm_http_error", message)


class OpenAIBackend:
    """Streams chat completions from ``{llm.url}/chat/completions``.

    Connection failures are retried ``llm.retries`` times with jittered exponential backoff
    (only before any answer arrived, so nothing is ever duplicated); HTTP errors, timeouts and
    malformed streams become :class:`LlmError` with a message naming the server.
    """

    parallel = True

    def __init__(self, config: LlmConfig) -> None:
        self._config = config
        self.url = config.url.rstrip("/")
        self.name = config.model or "(server default)"
        self.n_ctx = config.n_ctx
        headers = {"Accept": "text/event-stream"}
        if config.api_key:
            headers["Authorization"] = f"Bearer {config.api_key}"
        self._client = httpx.Client(
            headers=headers,
            timeout=httpx.Timeout(config.timeout_s, connect=config.connect_timeout_s),
        )

    def count_tokens(self, text: str) -> int:
        return estimate_tokens(text)

    def _body(self, messages: Sequence[Message]) -> dict[str, Any]:
        body: dict[str, Any] = {
            "messages": [m.as_dict() for m in messages],
            "stream": True,
            "stream_options": {"include_usage": True},
            "max_tokens": self._config.max_tokens,
            "temperature": self._config.temperature,
            "top_p": self._config.top_p,
            # The confidence gate's input (vLLM and llama.cpp's server send them; a server that
            # sends none leaves general answers' facts unspoken).
            "logprobs": True,
        }
        if self._config.model:
            body["model"] = self._config.model
        if self._config.seed >= 0:
            body["seed"] = self._config.seed
        return body

    def _open(self, body: dict[str, Any], cancel: threading.Event) -> httpx.Response:
        endpoint = f"{self.url}/chat/completions"
        attempts = self._config.retries + 1
        for attempt in range(1, attempts + 1):
            request = self._client.build_request("POST", endpoint, json=body)
            try:
                return self._client.send(request, stream=True)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                if attempt == attempts or cancel.is_set():
                    raise LlmError(
                        "llm_unreachable",
                        f"cannot connect to the LLM server at {self.url} "
                        f"({attempt} attempt{'s' if attempt > 1 else ''}): {exc}",
                    ) from None
                delay = random.uniform(0, _BACKOFF_S * 2**attempt)
                log.warning("LLM server %s unreachable (%s); retry %d/%d in %.2fs",
                            self.url, exc, attempt, attempts - 1, delay)
                if cancel.wait(delay):
                    break
            except httpx.TimeoutException as exc:
                raise LlmError("llm_timeout", f"{endpoint} timed out: {exc}") from None
            except httpx.HTTPError as exc:
                raise LlmError("llm_http_error", f"{endpoint}: {exc}") from None
        raise LlmError("llm_unreachable", f"cancelled while connecting to {self.url}")

    def stream(self, messages: Sequence[Message], cancel: threading.Event) -> Iterator[Delta]:
        body = self._body(messages)
        prompt_estimate = sum(self.count_tokens(m.content) + 4 for m in messages)
        response = self._open(body, cancel)
        finish: str | None = None
        usage: dict[str, Any] = {}
        pieces = 0
        started = time.monotonic()
        try:
            if response.status_code >= 400:
                raise _status_error(f"{self.url}/chat/completions", response)
            for line in response.iter_lines():
                if cancel.is_set():
                    break
                chunk = parse_sse_line(line)
                if chunk is None:
                    continue
                if "error" in chunk:
                    raise LlmError("llm_http_error",
                                   f"{self.url} reported: {str(chunk['error'])[:_DETAIL_CHARS]}")
                if isinstance(chunk.get("usage"), dict):
                    usage = chunk["usage"]
                for choice in chunk.get("choices") or ():
                    text = (choice.get("delta") or {}).get("content") or ""
                    if text:
                        pieces += 1
                        yield Delta(text=text, logprob=_least_logprob(choice.get("logprobs")))
                    finish = choice.get("finish_reason") or finish
        except httpx.TimeoutException:
            raise LlmError("llm_timeout",
                           f"{self.url} sent nothing for {self._config.timeout_s:g}s "
                           f"(llm.timeout_s) after {time.monotonic() - started:.1f}s") from None
        except httpx.HTTPError as exc:
            raise LlmError("llm_http_error", f"{self.url}: stream broke: {exc}") from None
        finally:
            response.close()
        yield Delta(
            finish="cancelled" if cancel.is_set() else (finish or "stop"),
            prompt_tokens=int(usage.get("prompt_tokens") or prompt_estimate),
            completion_tokens=int(usage.get("completion_tokens") or pieces),
        )

    def close(self) -> None:
        self._client.close()


def _least_logprob(logprobs: object) -> float | None:
    """The least token log-probability of a chunk (OpenAI's ``logprobs.content``), or None."""
    if not isinstance(logprobs, dict):
        return None
    values = [item.get("logprob") for item in logprobs.get("content") or ()
              if isinstance(item, dict)]
    numbers = [float(v) for v in values if isinstance(v, int | float)]
    return min(numbers) if numbers else None
