"""Everyday questions recognised by their words, whatever their order. Pure.

People ask for the date a dozen ways ("remind me what the date is", "what's the date today,
mate", "which day of the week is it today", "what day are we on"). Listing each wording misses
the next one. Here an intent is a small closed vocabulary instead: a command is claimed when it
holds the intent's key word and every other word is one that only frames a question ("what",
"is", "it", "today", "please", "can you tell me"). One word outside the vocabulary ("what day
is the school trip", "what time does the pharmacy close") and it is not claimed: the question
is about something else, and goes on to the responder.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["closed_intent"]

_FRAME: Final = frozenset(str.split(
    "what what's whats which is it it's its the a an now right current currently please tell "
    "me do you know have got any idea clue exactly at moment so today today's todays remind "
    "again sorry can could would will give check quick just us we are on be was say i forgot "
    "forget need to like here mate nimbus hey ok okay um er erm oh there hi hello pal love "
    "buddy dear real quick quickly actually wondering wonder if was were if"))
"""Words that frame a question and say nothing about what it is about."""
_INTENTS: Final = (
    # (intent, key words (one must be said), words the intent adds to the frame)
    ("time", {"time", "o'clock"}, {"time", "o'clock", "hour", "the", "what"}),
    ("date", {"date", "month", "year"},
     {"date", "tomorrow", "tomorrow's", "yesterday", "yesterday's", "full", "month", "year",
      "this", "in"}),
    ("weekday", {"day", "weekend"},
     {"day", "week", "of", "tomorrow", "yesterday", "weekday", "weekend", "yet"}),
    ("repeat", {"repeat", "pardon", "catch", "missed", "again"},
     {"repeat", "that", "pardon", "catch", "missed", "didn't", "hear", "what", "you", "said",
      "one", "more", "time", "come", "last", "bit", "part", "answer", "yourself"}),
    ("never_mind", {"nothing", "nevermind", "never", "forget", "fine", "nope", "nah", "worry",
                    "matter", "ignore"},
     {"no", "nah", "nope", "fine", "nothing", "never", "mind", "forget", "that", "that's",
      "don't", "worry", "about", "doesn't", "matter", "ignore", "thanks", "well", "all",
      "good", "you", "sorry"}),
    ("capabilities", {"help", "ask", "capable", "able", "skills", "features", "abilities"},
     {"things", "thing", "sort", "kind", "of", "stuff", "ask", "help", "with", "able",
      "capable", "skills", "features", "abilities", "questions", "you", "for", "all", "types",
      "how", "your", "do"}),
)
_NOT_A_QUESTION: Final = frozenset(("again",))
"""A key word that alone is not enough ("again" needs "say" or "that": "say that again")."""
_WORD: Final = re.compile(r"[a-z']+|\d+")


def closed_intent(text: str) -> str | None:
    """The intent whose vocabulary ``text`` (normalised, lower case) stays within, or None."""
    words = [w.strip("'") for w in _WORD.findall(text)]
    if not words or len(words) > 14 or any(w.isdigit() for w in words):
        return None
    said = set(words)
    for intent, keys, vocabulary in _INTENTS:
        key = said & keys
        if not key or not said <= _FRAME | vocabulary:
            continue
        if key <= _NOT_A_QUESTION and not said & {"say", "that", "repeat"}:
            continue
        if intent == "capabilities" and "you" not in said:
            continue  # "can I ask" alone is not "what can you do"
        if intent in ("weekday", "date") and not said & {"is", "are", "it", "it's", "we", "tell",
                                                         "remind", "know", "which"}:
            continue  # "what a day!"
        return intent
    return None
