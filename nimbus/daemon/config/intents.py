"""Intent sections: everyday intents before the LLM, the user's notes, Home Assistant."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass

from nimbus.daemon.config.checks import ConfigError, check_range

__all__ = ["HomeAssistantConfig", "IntentsConfig"]


@dataclass(frozen=True, slots=True, kw_only=True)
class IntentsConfig:
    """[intents] everyday commands done without the model: time, timers, memory, home control."""

    enabled: bool = True
    """Off: every command goes to the responder as before."""
    time_zone: str = ""
    """IANA name ("Europe/London") the time, date and alarms are told in; empty = the system's."""
    ring_s: float = 60.0
    """A finished timer repeats its alert this long (or until a stop phrase silences it)."""
    ring_every_s: float = 10.0
    """Seconds between two alerts of a ringing timer."""
    max_timers: int = 20
    """Timers and alarms per site at once; one more is refused."""
    notes: bool = True
    """"Remember that …" stores the sentence in a notes document that answers later questions."""
    shared_notes: bool = True
    """All sites share one notes document (the household); false = one per site."""
    semantic_min: float = 0.7
    """Everyday questions the rules miss are recognised by meaning (the embedding model's cosine
    similarity to example sentences) when at least this near; 0 = off."""
    semantic_margin: float = 0.1
    """...and this much nearer than to any example of something else."""

    def __post_init__(self) -> None:
        if self.time_zone:
            try:
                zoneinfo.ZoneInfo(self.time_zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                raise ConfigError(
                    f"intents.time_zone = {self.time_zone!r}: not an IANA time zone "
                    "(e.g. Europe/London, America/New_York)") from None
        check_range("intents.ring_s", self.ring_s, 0.0, 3600)
        check_range("intents.ring_every_s", self.ring_every_s, 1.0, 600)
        check_range("intents.max_timers", self.max_timers, 1, 1000)
        check_range("intents.semantic_min", self.semantic_min, 0.0, 1.0)
        check_range("intents.semantic_margin", self.semantic_margin, 0.0, 1.0)


@dataclass(frozen=True, slots=True, kw_only=True)
class HomeAssistantConfig:
    """[homeassistant] where home-control commands go (its conversation API)."""

    url: str = ""
    """e.g. http://homeassistant.local:8123; empty = no Home Assistant (intents go to MQTT)."""
    token: str = ""
    """A long-lived access token (Profile > Security in Home Assistant)."""
    agent_id: str = ""
    """Conversation agent to ask; empty = Home Assistant's default (its own intents)."""
    language: str = "en"
    timeout_s: float = 10.0

    def __post_init__(self) -> None:
        if self.url and not self.url.startswith(("http://", "https://")):
            raise ConfigError(f"homeassistant.url = {self.url!r}: must start with http:// "
                              "or https://")
        if self.url and not self.token:
            raise ConfigError("homeassistant.token: required when homeassistant.url is set "
                              "(a long-lived access token)")
        check_range("homeassistant.timeout_s", self.timeout_s, 0.1, 120)

    @property
    def enabled(self) -> bool:
        return bool(self.url)
