"""Which time zone a city or country keeps, from the tz database and Unicode CLDR's names.

"What time is it in Toronto?" is known without a connection: the time here, carried to the
place's zone (``zoneinfo``, the system's tz database: summer time included). A place is found
by CLDR's English name of a zone's city (through Babel: "Toronto", "Kolkata", "New York") or of
a country whose zones all keep one time now ("Japan", "India", "China"). A country that spans
several times ("the United States", "Australia") is said to, and the user asked to name a
city; a place neither names is not guessed at.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from datetime import datetime
from typing import Final

__all__ = ["PlaceTime", "PlaceZones"]

_ALIASES: Final = {
    "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB", "britain": "GB",
    "great britain": "GB", "the uk": "GB", "uk": "GB", "america": "US", "the us": "US",
    "us": "US", "usa": "US", "the usa": "US", "the states": "US", "holland": "NL",
}
"""Everyday names CLDR does not list as a country's English name."""


@dataclass(frozen=True, slots=True)
class PlaceTime:
    """What a place's clock says, or that it keeps several (``zone`` None)."""

    place: str
    """The place as CLDR names it ("Toronto", "Japan")."""
    zone: zoneinfo.ZoneInfo | None


class PlaceZones:
    """Places and their zones (built once: about 0.3 s; call it off the event loop)."""

    def __init__(self) -> None:
        from babel import Locale  # noqa: PLC0415 - only the intents handler needs it
        from babel.core import get_global  # noqa: PLC0415
        from babel.dates import get_timezone_location  # noqa: PLC0415

        self._places: dict[str, tuple[str, tuple[str, ...]]] = {}
        for zone in sorted(zoneinfo.available_timezones()):
            if "/" not in zone or zone.startswith(("Etc/", "SystemV/", "posix/", "right/")):
                continue
            try:
                city = get_timezone_location(zone, locale="en", return_city=True)
            except (LookupError, ValueError):
                continue
            name, zones = self._places.get(city.lower(), (city, ()))
            self._places[city.lower()] = (name, (*zones, zone))
        english = Locale("en").territories
        for code, zones in get_global("territory_zones").items():
            if code in english and zones:
                self._places.setdefault(english[code].lower(), (english[code], tuple(zones)))
        for alias, code in _ALIASES.items():
            said = alias.removeprefix("the ")
            self._places[alias] = (said.upper() if len(said) <= 3 else said.title(),
                                   tuple(get_global("territory_zones")[code]))

    def find(self, place: str, now: datetime) -> PlaceTime | None:
        """The zone ``place`` keeps at ``now`` (aware), or None when no zone or country is so
        named."""
        said = re.sub(r"\s+", " ", place.lower().strip(" .?!,")).removeprefix("the ")
        found = self._places.get(said) or self._places.get(f"the {said}")
        if found is None:
            return None
        name, zones = found
        infos = [zoneinfo.ZoneInfo(zone) for zone in zones]
        offsets = {now.astimezone(info).utcoffset() for info in infos}
        return PlaceTime(name, infos[0] if len(offsets) == 1 else None)
