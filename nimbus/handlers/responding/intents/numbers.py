"""Spoken numbers, durations and clock times as people say them. Pure.

"ten", "twenty-five", "one and a half", "an hour and a half", "1h30", "half past six",
"quarter to seven", "7:30 pm", "minus five". Values are returned even when they make no sense
(-5 minutes, 900 days, 25 o'clock): deciding what is acceptable is the caller's job, so that
nonsense is refused out loud instead of being misheard as something else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

__all__ = ["NUMBER_WORDS", "ClockTime", "Duration", "find_clock_time", "find_duration",
           "parse_number"]

_UNITS: Final[dict[str, int]] = {
    "zero": 0, "oh": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}
_TENS: Final[dict[str, int]] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
NUMBER_WORDS: Final = "|".join(sorted([*_UNITS.keys() - {"a", "an", "oh"}, *_TENS, "half",
                                        "quarter", "couple", "few"], key=len, reverse=True))
"""A word that starts a spoken number (not "a"/"an")."""
_NUMBER_WORD: Final = "|".join(sorted([*_UNITS, *_TENS, "hundred", "thousand", "couple",
                                        "few", "half", "quarter", "minus", "negative", "and",
                                        "a"], key=len, reverse=True))
NUMBER: Final = (rf"(?<![\w'])(?:(?:minus|negative)\s+|-)?(?:\d+(?:[.,]\d+)?|(?:(?:{_NUMBER_WORD})"
                 rf"(?:[\s-]+(?:{_NUMBER_WORD}))*)(?![\w']))")
"""A number as digits or words (greedy over number words; parse_number reads it), never the
end of another word ("banana" is no "a")."""

_SECONDS_PER: Final[dict[str, float]] = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "day": 86400, "days": 86400, "week": 604800, "weeks": 604800,
}
_UNIT: Final = r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|[smh])\b"
_PART: Final = re.compile(rf"({NUMBER})\s*(?:-\s*|of\s+)?({_UNIT})"
                          r"(\s+and\s+(?:a\s+half|a\s+quarter|three\s+quarters))?",
                          re.IGNORECASE)
_ORDINAL_SECOND: Final = re.compile(r"\s+(?:timer|one|alarm|countdown)\b", re.IGNORECASE)
_HALF_AN: Final = re.compile(r"\b(?:half\s+an?\s+(hour|minute|second)|an?\s+(hour|minute|second)"
                             r"\s+and\s+a\s+"
                             r"half|(?:a\s+|three\s+)?quarters?\s+of\s+an\s+hour)\b",
                             re.IGNORECASE)


def parse_number(text: str) -> float | None:
    """The value of a number written in digits or words, or None."""
    words = text.strip().lower().replace("-", " ").split()
    sign = 1.0
    if words and words[0] in ("minus", "negative"):
        sign, words = -1.0, words[1:]
    elif text.strip().startswith("-"):
        sign, words = -1.0, text.strip()[1:].split()
    if not words:
        return None
    if len(words) == 1:
        try:
            return sign * float(words[0].replace(",", "."))
        except ValueError:
            pass
    total = 0.0
    current = 0.0
    seen = False
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else ""
        if word == "and" or (word in ("a", "an") and (
                following in ("half", "quarter", "couple", "few", "hundred", "thousand")
                or following in _UNITS or following in _TENS)):
            continue  # "a ninety second timer" is ninety seconds, not ninety-one
        if word == "couple":
            current += 2
        elif word == "few":
            current += 3
        elif word == "half":
            current += 0.5
        elif word == "quarter":
            current += 0.25
        elif word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            try:
                current += float(word.replace(",", "."))
            except ValueError:
                return None
        seen = True
    return sign * (total + current) if seen else None


@dataclass(frozen=True, slots=True)
class Duration:
    """A stretch of time said in a command, and where it was in the text."""

    seconds: float
    start: int
    end: int


def find_duration(text: str) -> Duration | None:
    """The first duration in ``text`` ("10 minutes", "an hour and a half", "1 hour 20")."""
    half = _HALF_AN.search(text)
    # "a second timer" is the second of two timers, not one second.
    parts = [p for p in _PART.finditer(text) if not (
        p.group(1).strip().lower() in ("a", "an") and p.group(2).lower().startswith("second")
        and _ORDINAL_SECOND.match(text, p.end()))]
    if half is not None and (not parts or half.start() <= parts[0].start()):
        phrase = half.group(0).lower()
        if "quarter" in phrase:  # "three quarters of an hour" is 45 minutes
            return Duration(2700.0 if "three" in phrase else 900.0, half.start(), half.end())
        unit = 3600.0 if "hour" in phrase else 60.0 if "minute" in phrase else 1.0
        seconds = unit * (1.5 if "and a half" in phrase else 0.5)
        return Duration(seconds, half.start(), half.end())
    if not parts:
        return None
    total = 0.0
    start = parts[0].start()
    end = parts[0].end()
    for index, part in enumerate(parts):
        if index and text[end:part.start()].strip().lower() not in ("", "and", ","):
            break
        value = parse_number(part.group(1))
        if value is None:
            return None
        unit = _SECONDS_PER[part.group(2).lower()]
        fraction = (part.group(3) or "").lower()
        total += value * unit + unit * (0.25 if "a quarter" in fraction else 0.75 if "three" in
                                        fraction else 0.5 if fraction else 0)
        end = part.end()
    # "1 hour 20", "one minute thirty": the next smaller unit after a unit, without its name
    tail = re.match(rf"\s*(?:and\s+)?(\d{{1,2}}|{_MINUTE_WORDS})\b(?!\s*(?:[:.]|am\b|pm\b|"
                    r"o'?clock|\w+s?\b(?<!and)))", text[end:], re.IGNORECASE)
    said = parse_number(tail.group(1).replace("-", " ")) if tail else None
    unit_said = parts[-1].group(2).lower()
    if tail and said is not None and 0 < said < 60 and unit_said.startswith(("h", "m")) and \
            not unit_said.startswith(("mo", "ms")):
        total += said * (60 if unit_said.startswith("h") else 1)
        end += tail.end()
    return Duration(total, start, end)


@dataclass(frozen=True, slots=True)
class ClockTime:
    """A time of day as said: hour 0-23 when it is valid, as given otherwise (25 o'clock)."""

    hour: int
    minute: int
    meridiem: str
    """"am", "pm" or "" (not said)."""

    @property
    def valid(self) -> bool:
        limit = 12 if self.meridiem else 23
        return 0 <= self.hour <= limit and 0 <= self.minute <= 59 and not (
            self.meridiem and self.hour == 0)

    def hour24(self) -> int:
        if self.meridiem == "pm" and self.hour < 12:
            return self.hour + 12
        if self.meridiem == "am" and self.hour == 12:
            return 0
        return self.hour


_MERIDIEM: Final = (r"(?:\s*(a\.?\s?m\.?|p\.?\s?m\.?|in\s+the\s+morning|"
                    r"in\s+the\s+(?:afternoon|evening)|this\s+(?:morning|afternoon|evening)|"
                    r"at\s+night|tonight|tomorrow\s+(?:morning|afternoon|evening|night)))?")
_CLOCK_DIGITS: Final = re.compile(rf"\b(\d{{1,2}})(?:[:.](\d{{2}}))?(?:\s*o'?\s?clock)?{_MERIDIEM}"
                                  r"(?![\d%])", re.IGNORECASE)
_CLOCK_WORDS: Final = re.compile(
    rf"\b(half|quarter|(?:{NUMBER})(?:\s+minutes?)?)\s+(past|after|to|till)\s+({NUMBER}|noon|"
    rf"midday|midnight){_MERIDIEM}", re.IGNORECASE)
_CLOCK_NAMED: Final = re.compile(r"\b(?:(?:twelve |12 )?noon|midday|midnight)\b", re.IGNORECASE)
_CLOCK_HALF: Final = re.compile(rf"\bhalf\s+((?!an?\b|past\b|hour)(?:{NUMBER})){_MERIDIEM}"
                                r"(?!\s*(?:hours?|minutes?|past))", re.IGNORECASE)
_CLOCK_SPACED: Final = re.compile(
    rf"\b([01]?\d|2[0-3])(?:\s+|(?<=\d\d)(?=\d\d\b))([0-5]\d)\b(?:\s*hours)?{_MERIDIEM}"
    r"(?!\s*(?:minutes?|mins?|seconds?|secs?|hours?|%))", re.IGNORECASE)
_CLOCK_SPACED_BAD: Final = re.compile(
    r"\b(\d{1,2})\s+([6-9]\d)\b(?!\s*(?:minutes?|mins?|seconds?|secs?|hours?|%))")
_HOUR_WORD: Final = "|".join(sorted([*_UNITS, "ten", "eleven", "twelve"], key=len, reverse=True))
_MINUTE_WORDS: Final = (r"(?:(?:twenty|thirty|forty|fifty)(?:[\s-]+(?:one|two|three|four|five|six|"
                        r"seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|"
                        r"sixteen|seventeen|eighteen|nineteen|oh[\s-]+(?:one|two|three|four|five|"
                        r"six|seven|eight|nine))")
_CLOCK_HOUR_MINUTE: Final = re.compile(rf"\b({_HOUR_WORD})\s+({_MINUTE_WORDS}){_MERIDIEM}\b",
                                       re.IGNORECASE)
_CLOCK_HOUR: Final = re.compile(
    rf"\b({NUMBER})(?:\s+o'?\s?clock|(?=\s*[.?!]?\s*$)|(?=\s+(?:a\.?m|p\.?m|in\s+the|at\s+night|"
    rf"tonight|tomorrow)\b)){_MERIDIEM}", re.IGNORECASE)


def _meridiem(raw: str | None) -> str:
    if not raw:
        return ""
    raw = raw.lower().replace(".", "").replace(" ", "")
    if "night" in raw:  # "at night" starts with an a, and is pm
        return "pm"
    if raw.startswith("a") or "morning" in raw:
        return "am"
    return "pm"


def find_clock_time(text: str) -> ClockTime | None:
    """A time of day in ``text``: "7:30 pm", "half past six", "seven thirty", "25 o'clock"."""
    found = _find_clock_time(text)
    night = re.search(r"\b(?:at\s+night|tonight)\b", text, re.IGNORECASE)
    if found is not None and night and found.hour == 12 and found.meridiem == "pm":
        return ClockTime(12, found.minute, "am")  # "twelve at night" is midnight
    return found


def _find_clock_time(text: str) -> ClockTime | None:
    words = _CLOCK_WORDS.search(text)
    if words is not None:
        named = words.group(3).lower()
        base = 12 if named in ("noon", "midday", "midnight") else parse_number(named)
        lead = re.sub(r"^an?\s+", "", words.group(1).lower())  # "a quarter to seven"
        minutes = 30 if lead == "half" else 15 if lead == "quarter" else parse_number(
            re.sub(r"\s+minutes?$", "", lead))
        if base is not None and minutes is not None:
            hour, minute = int(base), int(minutes)
            before = words.group(2).lower() in ("to", "till")
            if before:
                hour, minute = hour - 1, 60 - minute
            meridiem = _meridiem(words.group(4))
            if named in ("noon", "midday", "midnight"):  # a quarter to midnight is 11:45 pm
                meridiem = "pm" if (named == "midnight") == before else "am"
            return ClockTime(hour, minute, meridiem)
    named_time = _CLOCK_NAMED.search(text)
    if named_time is not None:  # "noon", "midnight"
        return ClockTime(12, 0, "am" if named_time.group(0).lower() == "midnight" else "pm")
    half = _CLOCK_HALF.search(text)
    if half is not None:  # British "half seven" = 7:30
        said_hour = parse_number(half.group(1))
        if said_hour is not None and said_hour == int(said_hour):
            return ClockTime(int(said_hour), 30, _meridiem(half.group(2)))
    spaced = _CLOCK_SPACED.search(text)
    if spaced is not None:  # "7 30 am" as a recogniser writes it, "0700", "19 45"
        return ClockTime(int(spaced.group(1)), int(spaced.group(2)), _meridiem(spaced.group(3)))
    past_the_hour = _CLOCK_SPACED_BAD.search(text)
    if past_the_hour is not None:  # "wake me at 7 65": no such time, never 7:00
        return ClockTime(int(past_the_hour.group(1)), int(past_the_hour.group(2)), "")
    digits = _CLOCK_DIGITS.search(text)
    if digits is not None:
        return ClockTime(int(digits.group(1)), int(digits.group(2) or 0),
                         _meridiem(digits.group(3)))
    pair = _CLOCK_HOUR_MINUTE.search(text)
    if pair is not None:
        said_hour = parse_number(pair.group(1))
        said_minute = parse_number(pair.group(2).replace("oh", ""))
        if said_hour is not None and said_minute is not None:
            return ClockTime(int(said_hour), int(said_minute), _meridiem(pair.group(3)))
    alone = _CLOCK_HOUR.search(text)
    if alone is not None:
        said_hour = parse_number(alone.group(1))
        if said_hour is not None and said_hour == int(said_hour):
            return ClockTime(int(said_hour), 0, _meridiem(alone.group(2)))
    return None
