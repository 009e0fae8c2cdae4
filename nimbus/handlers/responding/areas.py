"""Which area (room) each site stands in, for the prompt: "The user is in the kitchen." Pure.

From the configuration (``mqtt.areas``, a Wyoming satellite's ``area``) and from satellites that
say where they stand when they connect (``satellite.state`` with an area, e.g. ``nimbus
satellite --area Kitchen``); the newest word wins.
"""

from __future__ import annotations

from nimbus.daemon.config import Config
from nimbus.daemon.events import SatelliteState

__all__ = ["SiteAreas", "area_sentence"]

_MAX_CHARS = 64


def area_sentence(area: str) -> str:
    """The sentence the system prompt gets for a site's area ("" for none)."""
    area = " ".join(area.split())[:_MAX_CHARS]
    return f"The user is in the {area.lower()}." if area else ""


class SiteAreas:
    """Site -> area."""

    def __init__(self, config: Config) -> None:
        self._areas = {s.site: s.area for s in config.wyoming.satellites if s.area}
        self._areas |= {site.strip(): area.strip()
                        for site, area in config.mqtt.area_of().items()}

    def observe(self, event: SatelliteState) -> None:
        if event.area:
            self._areas[event.site] = event.area

    def of(self, site: str) -> str:
        return self._areas.get(site, "")
