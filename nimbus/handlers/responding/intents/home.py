"""Home Assistant's conversation API: where home-control commands go when it is configured.

Blocking (httpx), called from a worker thread. Home Assistant parses the sentence with its own
intents and entities and says what it did; Nimbus speaks that answer and claims nothing itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from nimbus.daemon.config.intents import HomeAssistantConfig

__all__ = ["HomeAnswer", "HomeAssistantClient", "HomeError"]


class HomeError(Exception):
    """Home Assistant could not be asked, or answered with something unreadable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class HomeAnswer:
    """What Home Assistant said and whether it says it acted."""

    speech: str
    response_type: str
    """action_done | query_answer | error (Home Assistant's own words)."""
    conversation_id: str = ""


class HomeAssistantClient:
    """POSTs a sentence to ``/api/conversation/process`` with a long-lived token."""

    def __init__(self, config: HomeAssistantConfig) -> None:
        self._config = config

    def _client(self) -> httpx.Client:
        """A connection per command: home control is rare, and nothing is left open."""
        return httpx.Client(base_url=self._config.url.rstrip("/"),
                            timeout=self._config.timeout_s,
                            headers={"Authorization": f"Bearer {self._config.token}"})

    def process(self, text: str, *, conversation_id: str = "") -> HomeAnswer:
        body: dict[str, Any] = {"text": text, "language": self._config.language}
        if self._config.agent_id:
            body["agent_id"] = self._config.agent_id
        if conversation_id:
            body["conversation_id"] = conversation_id
        try:
            with self._client() as client:
                reply = client.post("/api/conversation/process", json=body)
        except httpx.HTTPError as exc:
            raise HomeError("home_unreachable", f"Home Assistant at {self._config.url} could not "
                            f"be reached: {type(exc).__name__}: {exc}") from None
        if reply.status_code in (401, 403):
            raise HomeError("home_unauthorized", "Home Assistant refused the token "
                            f"(HTTP {reply.status_code}): check homeassistant.token")
        if reply.status_code != 200:
            raise HomeError("home_failed", f"Home Assistant answered HTTP {reply.status_code}: "
                            f"{reply.text[:200]}")
        try:
            data = reply.json()
            response = data["response"]
            speech = str(response.get("speech", {}).get("plain", {}).get("speech", "")).strip()
            kind = str(response.get("response_type", ""))
        except (ValueError, KeyError, TypeError, AttributeError):
            raise HomeError("home_bad_answer", "Home Assistant's answer could not be read: "
                            f"{reply.text[:200]}") from None
        if not speech:
            raise HomeError("home_bad_answer", "Home Assistant answered without any speech")
        return HomeAnswer(speech=speech, response_type=kind,
                          conversation_id=str(data.get("conversation_id") or ""))
