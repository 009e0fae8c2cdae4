"""Days people name instead of dating them: "what day is Christmas this year", "when is Easter",
"what's the date on Saturday", "what day of the week is the 25th". Pure.

Fixed feasts fall on their date, Easter on the Gregorian computus, and a weekday
or a day of the month on the next one from today (today itself counts). A feast asked without
a year is this year's unless it is past, then next year's ("when is Halloween" in November);
"this year", "next year" and "last year" say which. Days whose date differs by country
(Mother's Day, Thanksgiving) are not named here, so they are left to the responder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

__all__ = ["DAY_NAME", "NamedDay", "easter", "resolve_day"]

_FIXED: Final[dict[str, tuple[str, int, int]]] = {
    "christmas": ("Christmas Day", 12, 25), "christmas day": ("Christmas Day", 12, 25),
    "xmas": ("Christmas Day", 12, 25), "christmas eve": ("Christmas Eve", 12, 24),
    "boxing day": ("Boxing Day", 12, 26), "new year's day": ("New Year's Day", 1, 1),
    "new years day": ("New Year's Day", 1, 1), "new year": ("New Year's Day", 1, 1),
    "new year's eve": ("New Year's Eve", 12, 31), "new years eve": ("New Year's Eve", 12, 31),
    "hogmanay": ("Hogmanay", 12, 31), "halloween": ("Halloween", 10, 31),
    "valentine's day": ("Valentine's Day", 2, 14), "valentines day": ("Valentine's Day", 2, 14),
    "valentine's": ("Valentine's Day", 2, 14), "bonfire night": ("Bonfire Night", 11, 5),
    "guy fawkes night": ("Bonfire Night", 11, 5), "st patrick's day": ("St Patrick's Day", 3, 17),
    "saint patrick's day": ("St Patrick's Day", 3, 17),
    "st patricks day": ("St Patrick's Day", 3, 17),
    "burns night": ("Burns Night", 1, 25), "st andrew's day": ("St Andrew's Day", 11, 30),
    "st george's day": ("St George's Day", 4, 23), "st david's day": ("St David's Day", 3, 1),
    "independence day": ("Independence Day", 7, 4),
    "the fourth of july": ("the Fourth of July", 7, 4),
    "fourth of july": ("the Fourth of July", 7, 4), "remembrance day": ("Remembrance Day", 11, 11),
    "armistice day": ("Armistice Day", 11, 11), "april fool's day": ("April Fool's Day", 4, 1),
    "april fools day": ("April Fool's Day", 4, 1), "may day": ("May Day", 5, 1),
}
_EASTER: Final[dict[str, tuple[str, int]]] = {
    "easter": ("Easter Sunday", 0), "easter sunday": ("Easter Sunday", 0),
    "easter day": ("Easter Sunday", 0), "good friday": ("Good Friday", -2),
    "easter monday": ("Easter Monday", 1), "palm sunday": ("Palm Sunday", -7),
    "ash wednesday": ("Ash Wednesday", -46), "pancake day": ("Pancake Day", -47),
    "shrove tuesday": ("Shrove Tuesday", -47), "whit sunday": ("Whit Sunday", 49),
    "pentecost": ("Pentecost", 49),
}
_WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NAMES: Final = "|".join(re.escape(n) for n in sorted([*_FIXED, *_EASTER, *_WEEKDAYS], key=len,
                                                       reverse=True))
DAY_NAME: Final = rf"(?:{_NAMES}|the (?:[1-9]|[12][0-9]|3[01])(?:st|nd|rd|th))"
"""A day people name: a feast, a weekday, "the 25th" (a regular expression, lower case)."""


@dataclass(frozen=True, slots=True)
class NamedDay:
    """The day a name means, and how to say its name ("Christmas Day", "Saturday")."""

    day: date
    name: str


def resolve_day(name: str, which: str, today: date) -> NamedDay | None:
    """The date ``name`` ("christmas", "saturday", "the 25th") means, seen from ``today``;
    ``which`` is "this", "next", "last" (year) or "". None: not a day named here."""
    year = today.year + {"next": 1, "last": -1}.get(which, 0)
    if name in _FIXED:
        said, month, day_of_month = _FIXED[name]
        found = date(year, month, day_of_month)
        if not which and found < today:
            found = date(year + 1, month, day_of_month)
        return NamedDay(found, said)
    if name in _EASTER:
        said, shift = _EASTER[name]
        found = easter(year) + timedelta(days=shift)
        if not which and found < today:
            found = easter(year + 1) + timedelta(days=shift)
        return NamedDay(found, said)
    if name in _WEEKDAYS:
        ahead = (_WEEKDAYS.index(name) - today.weekday()) % 7
        return NamedDay(today + timedelta(days=ahead), name.capitalize())
    nth = re.fullmatch(r"the ([0-9]{1,2})(?:st|nd|rd|th)", name)
    if nth is None:
        return None
    wanted = int(nth.group(1))
    month_start = today.replace(day=1)
    for months_ahead in range(3):  # this month's, else the next month that has that day
        first = (month_start + timedelta(days=32 * months_ahead)).replace(day=1)
        try:
            found = first.replace(day=wanted)
        except ValueError:
            continue  # "the 31st" in a 30-day month
        if found >= today:
            return NamedDay(found, f"the {wanted}{_suffix(wanted)}")
    return None


def easter(year: int) -> date:
    """Easter Sunday of ``year`` in the Gregorian calendar (the anonymous Gregorian computus,
    Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * weekday) // 433
    month = (h + weekday - 7 * m + 90) // 25
    return date(year, month, (h + weekday - 7 * m + 33 * month + 19) % 32)


def _suffix(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
