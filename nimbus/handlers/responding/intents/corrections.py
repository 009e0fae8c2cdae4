"""A value corrected in the same breath: "set a timer for 50 minutes no wait make that 55",
"an alarm for half ten at night, no, make it eleven pm". Pure. The request is read with the
corrected value; the first one is never set."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final, Protocol, TypeVar

from nimbus.handlers.responding.intents.numbers import find_duration, parse_number

__all__ = ["corrected", "restated"]

_CORRECTION: Final = re.compile(
    r"^(?P<first>.+?)[\s,.;:!-]+(?:(?:no|nah|sorry|oh|wait|hang on|actually|hold on)[\s,.!-]+)*"
    r"(?:make (?:that|it)|change (?:that|it) to|i mean|i meant)[\s,]+(?P<second>.+)$"
    # "a timer for 12 minutes no sorry 14 minutes": the new value straight after the "no"
    r"|^(?P<first2>.+?)[\s,.;:!-]+(?:(?:no|nah|sorry|wait|actually)[\s,.!-]+)+"
    r"(?P<second2>(?:\d+|[a-z]+)(?: [a-z]+)?(?: (?:minutes?|mins?|seconds?|secs?|hours?|hrs?|"
    r"am|pm|a m|p m|o'clock))?)$", re.IGNORECASE)
_UNIT_WORD: Final = re.compile(r"\b(seconds?|secs?|minutes?|mins?|hours?|hrs?)\b", re.IGNORECASE)


class _Match(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def problem(self) -> str: ...


M = TypeVar("M", bound=_Match)


def corrected(text: str, match: Callable[[str], M | None]) -> M | None:
    """The timer or alarm ``text`` asks for with its value corrected, or None (no correction)."""
    found = _CORRECTION.match(text.strip(" .!?"))
    if found is None:
        return None
    first_said = found.group("first") or found.group("first2")
    second = (found.group("second") or found.group("second2")).strip(" .!?,")
    first = match(first_said)
    if first is None or first.problem or first.name not in ("timer_set", "alarm_set"):
        return None
    if first.name == "alarm_set":
        rebuilt = f"set an alarm for {second}"
    else:
        span = find_duration(first_said)
        if span is None:
            return None
        value = second
        if find_duration(second) is None:  # "make that 55": the unit said first
            unit = _UNIT_WORD.search(first_said[span.start:span.end])
            if parse_number(second) is None or unit is None:
                return None
            value = f"{second} {unit.group(1)}"
        rebuilt = first_said[:span.start] + value + first_said[span.end:]
    again = match(rebuilt)
    if again is None or again.name != first.name or again.problem:
        return None
    return again


_RESTATED: Final = re.compile(
    r"^(?P<first>.+?)[\s,.;:!-]+(?:(?:sorry|no|oh|wait|actually)[\s,.!-]+)*i (?:mean|meant)"
    r"[\s,]+(?P<second>.+)$", re.IGNORECASE)
_CLOCK: Final = frozenset({"time", "date", "weekday"})


def restated(text: str, match: Callable[[str], M | None]) -> M | None:
    """The clock question the user meant after correcting the one they began ("what's the date
    today, sorry, no, I mean the day of the week"), or None. Only clock questions: they neither
    do nor keep anything."""
    found = _RESTATED.match(text.strip(" .!?"))
    if found is None:
        return None
    first = match(found.group("first"))
    if first is None or first.name not in _CLOCK:
        return None
    second = found.group("second").strip(" .!?,")
    for said in (second, f"what's {second}", f"what is {second}"):
        meant = match(said)
        if meant is not None and meant.name in _CLOCK and not meant.problem:
            return meant
    return None
