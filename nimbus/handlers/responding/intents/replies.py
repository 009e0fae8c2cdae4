"""What Nimbus says for each everyday intent. Pure: clock values and state come in as arguments.

Every sentence here states only what Nimbus knows for certain (the clock it reads, the timers it
keeps, what the user said); anything it cannot know is said to be unknown, in one sentence.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from typing import Final

from nimbus.handlers.responding.intents.timers import TimerEntry

__all__ = [
    "CAPABILITIES",
    "as_note",
    "clock_text",
    "date_text",
    "duration_text",
    "problem_text",
    "timer_label",
    "timers_text",
]

CAPABILITIES: Final = (
    "I can answer questions from the documents in your Nimbus folder, tell you the time and "
    "date, set timers and alarms, remember things you tell me, and pass home-control "
    "requests to your home system.")


def clock_text(now: datetime) -> str:
    """ "5:40 PM" — the time as people read it."""
    hour = now.hour % 12 or 12
    return f"{hour}:{now.minute:02d} {'AM' if now.hour < 12 else 'PM'}"


def date_text(day: datetime, *, weekday_only: bool = False) -> str:
    """ "Monday, 7 December 2026" (or just "Monday")."""
    if weekday_only:
        return day.strftime("%A")
    return f"{day.strftime('%A')}, {day.day} {day.strftime('%B %Y')}"


def duration_text(seconds: float) -> str:
    """ "1 hour and 20 minutes", "4 minutes and 30 seconds", "45 seconds"."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{value} {unit}{'' if value == 1 else 's'}"
             for value, unit in ((hours, "hour"), (minutes, "minute"), (secs, "second")) if value]
    if not parts:
        return "less than a second"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def timer_label(entry: TimerEntry, zone: tzinfo | None = None) -> str:
    """ "your pasta timer", "your 10 minute timer", "your 7:30 AM alarm" (told in ``zone``)."""
    if entry.kind == "alarm":
        due = datetime.fromtimestamp(entry.due, tz=zone).astimezone(zone)
        named = f" for {entry.name}" if entry.name else ""
        return f"your {clock_text(due)} alarm{named}"
    if entry.name:
        return f"your {entry.name} timer"
    return f"your {_short(entry.seconds)} timer"


def _short(seconds: float) -> str:
    """ "10 minute", "1 hour 30 minute" — a duration used as an adjective."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{value} {unit}" for value, unit in ((hours, "hour"), (minutes, "minute"),
                                                   (secs, "second")) if value]
    return " ".join(parts)


def timers_text(entries: list[TimerEntry], now: float, *, kind: str,
                zone: tzinfo | None = None) -> str:
    """A spoken list of timers (time left) or alarms (when)."""
    if not entries:
        return f"You have no {kind}s set."
    items = []
    for entry in entries:
        if entry.kind == "alarm":
            items.append(timer_label(entry, zone).removeprefix("your "))
        else:
            items.append(f"{timer_label(entry).removeprefix('your ')} with "
                         f"{duration_text(entry.left(now))} left")
    count = f"one {kind}" if len(entries) == 1 else f"{len(entries)} {kind}s"
    listed = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    article = "a " if len(entries) == 1 and not listed.startswith(("1", "8", "11")) else (
        "an " if len(entries) == 1 else "")
    return f"You have {count}: {article}{listed}."


PROBLEMS: Final[dict[str, str]] = {
    "no_duration": "For how long? Say the length too, and I'll set it.",
    "bad_duration": "A timer needs a length of at least a second, so I haven't set one.",
    "too_long": "That is longer than a timer of mine can run, so I haven't set one.",
    "no_time": "When? Say when too, and I'll set the reminder.",
    "bad_time": "That isn't a time on the clock, so I haven't set an alarm.",
    "nothing_to_remember": "What should I remember? Say it after 'remember that'.",
    "too_many": "You already have as many timers as I keep; cancel one first.",
}


def problem_text(problem: str) -> str:
    return PROBLEMS.get(problem, "I can't do that, so I haven't changed anything.")


_PERSON: Final = (
    (r"\bi am\b", "you are"), (r"\bi'm\b", "you're"), (r"\bi was\b", "you were"),
    (r"\bi've\b", "you've"), (r"\bi'll\b", "you'll"), (r"\bi'd\b", "you'd"), (r"\bi\b", "you"),
    (r"\bme\b", "you"), (r"\bmy\b", "your"), (r"\bmine\b", "yours"), (r"\bmyself\b", "yourself"),
    (r"\bwe are\b", "you are"), (r"\bwe're\b", "you're"), (r"\bwe\b", "you"), (r"\bus\b", "you"),
    (r"\bour\b", "your"), (r"\bours\b", "yours"),
)


_NOT_A_NAME: Final = frozenset(str.split(
    "is was are were has had have will would can could said says comes came goes went and or "
    "but who which that the a an to of for with at on in by from about appointment surgery "
    "visit visits bill note says told rang called phoned not also"))


def _titled(found: re.Match[str]) -> str:
    title, space, name = found.groups()
    if name in _NOT_A_NAME:
        return found.group(0)
    return title.capitalize() + space + name[:1].upper() + name[1:]


def as_note(said: str) -> str:
    """What the user asked it to remember, as a sentence addressed to them.

    "my name is Ada" -> "Your name is Ada." (a note read back must be true from Nimbus' side);
    "I'm called Ada" and "call me Ada" become "Your name is Ada.".
    """
    text = said.strip().rstrip(".!?")
    named = re.match(r"^(?:i'm called|i am called|call me|my name's)\s+(.+)$", text, re.I)
    if named is not None:
        text = f"your name is {named.group(1)}"
    else:
        for pattern, replacement in _PERSON:
            text = re.sub(pattern, replacement, text, flags=re.IGNORECASE)
    text = re.sub(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|"
                  r"february|march|april|may|june|july|august|september|october|november|"
                  r"december)\b", lambda m: m.group(1).capitalize(), text)
    # what a name is: "the hotel's name is the seaview" -> "… the Seaview" (a name is read by
    # its capitals)
    text = re.sub(r"\b((?:name is|(?:is|are) (?:called|named)) (?:the )?)"
                  r"([a-z][\w'-]*(?: [a-z][\w'-]*){0,2})$",
                  lambda m: m.group(1) + m.group(2).title(), text)
    # "mrs okafor", "doctor mokoena": a title says the next word is a name (the evidence reads
    # names by their capitals); "the doctor is …", "my uncle has …" name no one
    text = re.sub(r"(?<!\bthe )(?<!\ba )(?<!\ban )(?<!\bmy )(?<!\byour )(?<!\bour )(?<!'s )"
                  r"(?<!s' )\b(mr|mrs|ms|miss|dr|prof|doctor|professor|nurse|uncle|auntie|aunty|"
                  r"aunt|sister|father|pastor|reverend|coach)(\.?\s+)([a-z][\w'-]*)",
                  _titled, text)
    return text[:1].upper() + text[1:] + "."
