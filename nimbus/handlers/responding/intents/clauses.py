"""The one request inside a longer sentence: a thanks or a greeting before or after it, a
reason after it, who sent the asker in front of it. Pure.

People wrap what they ask: "Thanks, and can you set a timer for twelve minutes?", "what's the
time, I've got a bus to catch", "mummy said to ask you what day it is". The rules (``rules.py``)
know the request; here the wrapping is taken off so they can read it. Only a whole clause is
taken off, and only where what is left is claimed by the rules on its own:

- a greeting or thanks in front (its own words only, ``vocabulary.closed_intent``) before any
  request the rules claim that is not chit-chat itself ("thanks, what's the capital of Peru"
  is no intent, so it stays the responder's), or a thanks or goodbye after one;
- a reason or a remark after a time, date or day question ("…, my watch has stopped", "… I'm
  late"), or a comma-separated remark before one ("oh I've lost my glasses, what's the time");
- the messenger in front of a time, date or day question ("my teacher said to ask you …").

The last two only ever give the clock questions, which neither act nor store anything; a time
elsewhere ("what's the time, in Tokyo") is not cut: the place is no remark.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final, TypeVar

from nimbus.handlers.responding.intents.vocabulary import closed_intent

__all__ = ["after_chat", "after_remark", "before_chat", "clock_question"]

M = TypeVar("M")

CHAT: Final = frozenset({"greeting", "thanks", "how_are_you", "goodbye"})
CLOCK: Final = frozenset({"time", "date", "weekday"})
_NOT_A_REQUEST: Final = frozenset({"never_mind", "repeat"})
"""What follows a thanks without asking anything ("thanks for nothing")."""
_MAX_CHAT_WORDS: Final = 4
_ENDS_A_REQUEST: Final = frozenset(str.split(
    "it that this all off on up down out for to in the a so then there again now right is"))
"""Words that end the request rather than begin a thanks ("turn it *off* thanks")."""
_JOINS_ON: Final = frozenset(str.split(
    "at by for from till until last every each this tomorrow of good friday saturday sunday "
    "monday tuesday wednesday thursday"))
"""Words that carry on into what follows ("at night", "tomorrow night", "good night" after a
request is still the request's): no thanks or goodbye starts after them."""
_OPENER: Final = re.compile(
    r"(?:and|now|then|also|so|but|oh|can|could|would|will|please|kindly|set|start|turn|switch|"
    r"put|pop|wake|remind|cancel|stop|open|close|shut|lock|unlock|dim|remember|what|what's|"
    r"whats|when|when's|which|how|how's|is|are|do|tell|give|i need|i want|i'd like)\b",
    re.IGNORECASE)
"""How a request begins when no comma parts it from the greeting or thanks before it."""

_REMARK: Final = re.compile(
    # a clause of the asker's own after the question: who they are, what they must do, why
    # (not "what time do | we have to be out": the question's own subject)
    r"(?<!\bdo)(?<!\bdoes)(?<!\bdid)(?<!\bcan)(?<!\bwill)(?<!\bshould)(?<!\bmust)"
    r"(?:,|\s)\s*(?:(?:because|cos|'cause|coz|as|since|so)\s+)?(?:i'm|i am|im|i've|i have|ive|"
    r"i need|i got|i've got|i gotta|i must|i forgot|i can't|i cant|i don't|i dont|i want|i should|"
    r"i was|i'll|i will|i keep|we're|we've|we need|we have|we must|there's|it's for|"
    r"(?:mum|mummy|mom|mommy|dad|daddy|gran|granny|nan|grandad|grandpa|he|she|they) (?:says|"
    r"said|thinks|reckons|wants|asked))\b.*$"
    # what it is for: "date please for my diary"
    r"|(?:,|\s)\s*for (?:my|the|our|a|his|her) (?:diary|calendar|planner|journal|notes?|records?|"
    r"cheque|check|form|letter|homework)$"
    # a remark about a thing ("…, my watch has stopped") only after a comma or a "because"
    r"|(?:,\s*|\s(?:because|cos|'cause|coz|since)\s+)(?:my|the|our|his|her) [a-z']+ (?:has|have|"
    r"is|are|was|'s|says|said|stopped|died|broke)\b.*$")
_MESSENGER: Final = re.compile(
    r"^(?:[a-z']+ ){0,2}?(?:mum|mummy|mom|mommy|mam|mammy|ma|dad|daddy|papa|pa|gran|granny|nan|"
    r"nana|nanna|grandma|grandad|grandpa|teacher|miss|sir|my [a-z']+|[a-z]+)\s+"
    r"(?:said|says|told me|wants|wanted|needs|needed|would like|'d like|asked me|asks|"
    r"is asking|asked)\s+(?:to|me to|i should|that i should|"
    r"i'm to|i am to|i've to)?\s*(?:ask(?: you| nimbus| (?:the|this|that) (?:robot|computer|"
    r"speaker|assistant|machine|thing))?|know|find out|check)\s+")
_VOCATIVE: Final = re.compile(r"[\s,]+my (?:dear|love|darling|friend|boy|girl|lad|dear friend)"
                              r"[\s.!?]*$")
_PLACE: Final = re.compile(r"(?:^|[\s,])(?:in|at) (?!the moment\b|home\b|here\b)[a-z]")


def after_chat(text: str, match: Callable[[str], M | None],
               name: Callable[[M], str]) -> tuple[M, str] | None:
    """The request after a greeting or thanks ("Cheers, and can you set a timer …") and its
    words, or None.

    ``match`` is the rules' matcher for one request; ``name`` reads an intent name off its
    result. The words in front must be a greeting or thanks by themselves, and the rest must be
    claimed as something other than chit-chat.
    """
    words = text.strip().split()
    for cut in range(1, min(_MAX_CHAT_WORDS, len(words) - 1) + 1):
        head = " ".join(re.findall(r"[a-z']+", " ".join(words[:cut]).lower()))
        if not head or closed_intent(head) not in ("greeting", "thanks"):
            continue
        rest = " ".join(words[cut:]).lstrip(" ,.!;:-")
        if not (re.search(r"[,.!;:-]$", words[cut - 1]) or _OPENER.match(rest)):
            continue  # "thanks to you I was late": the thanks goes on, no request begins
        rest = re.sub(r"^(?:and|now|then|also|so|but|oh)\b[\s,]*", "", rest, flags=re.I)
        found = match(rest) if rest else None
        if found is not None and name(found) not in CHAT | _NOT_A_REQUEST:
            return found, rest
    return None


def before_chat(text: str, match: Callable[[str], M | None], name: Callable[[M], str], *,
                parted: bool = False) -> tuple[M, str] | None:
    """The request before a thanks or goodbye ("wake me at seven, thanks mate", "lights off
    please, thanks Nimbus") and its words, or None. The words after it must be chit-chat by
    themselves, and what is before them a request of another kind; with ``parted``, only when
    a comma or a stop parts them ("remember that Jo said thanks" is all one note)."""
    words = text.strip().split()
    for cut in range(max(1, len(words) - _MAX_CHAT_WORDS), len(words)):
        if parted and not re.search(r"[,.;:!?]$", words[cut - 1]):
            continue
        tail = " ".join(re.findall(r"[a-z']+", " ".join(words[cut:]).lower()))
        if not tail or tail.split()[0] in _ENDS_A_REQUEST or closed_intent(tail) not in (
                "thanks", "goodbye"):
            continue
        if words[cut - 1].lower() in _JOINS_ON:
            continue  # "half past nine at night": "night" is the time's, not a goodnight
        head = re.sub(r"[\s,.;:!-]*(?:and|please and)?$", "", " ".join(words[:cut]),
                      flags=re.I).strip()
        found = match(head) if head else None
        if found is not None and name(found) not in CHAT | _NOT_A_REQUEST:
            return found, head
    return None


def clock_question(said: str, match: Callable[[str], M | None],
                   name: Callable[[M], str]) -> M | None:
    """The time, date or day question inside ``said`` (normalised), or None.

    Tries the question without the messenger in front, without a remark after it, and each
    comma-separated part on its own; only a clock intent is taken from any of them.
    """
    if re.search(r"(?:^|,)\s*(?:over |out |right now |now )?(?:in|at) (?!the moment\b|home\b|"
                 r"here\b)[a-z]", said):
        return None  # "what's the time, in Tokyo": a place, not a remark
    tried: list[str] = []
    messenger = _MESSENGER.sub("", said)
    for whole in dict.fromkeys((said, messenger)):
        text = _VOCATIVE.sub("", whole)
        tried.append(_VOCATIVE.sub("", _REMARK.sub("", text)))
        parts = [part.strip() for part in text.split(",") if part.strip()]
        if len(parts) > 1 and not any(_asks_more(part, match, name) for part in parts):
            tried += parts
    for part in dict.fromkeys(tried):
        if not part or part == said or _PLACE.search(part):
            continue
        found = match(re.sub(r"^(?:what|which) (day|time|date) (?:it is|it's)\b", r"what \1 is it",
                             part))
        if found is not None and name(found) in CLOCK:
            return found
    return None


def _asks_more(part: str, match: Callable[[str], M | None], name: Callable[[M], str]) -> bool:
    """Is a comma-separated part a request of another kind ("what's the time, and set a timer
    for ten minutes")? Then the sentence is two requests, and one is not taken for it."""
    found = match(part)
    return found is not None and name(found) not in CHAT | CLOCK | _NOT_A_REQUEST


_REQUEST_OPENS: Final = re.compile(
    r"\b(?:(?:can|could|would|will) (?:you|we)|please|set|turn|switch|put|pop|stick|open|close|"
    r"shut|dim|start|wake|get rid of|cancel)\b")
_ASKS_ITSELF: Final = re.compile(r"\b(?:what|when|where|who|whose|whom|which|why|how)\b|\?")
_ACTS: Final = frozenset({"home_control", "timer_set", "alarm_set", "timer_cancel", "alarm_cancel"})
_MAX_REMARK_WORDS: Final = 10


def after_remark(text: str, match: Callable[[str], M | None],
                 name: Callable[[M], str]) -> M | None:
    """The request after a remark on how things are or what the user is doing ("it's roasting
    in here, turn the heating down to 19", "my hands are covered in flour so can you just set a
    timer", "hang on mum I'm doing it, set a timer for seven minutes"), or None. Only a request
    that does something (home, timers, alarms) and is whole on its own; the remark must ask
    nothing itself ("how do you set a timer for ten minutes" is a question)."""
    said = " ".join(text.lower().replace("\u2019", "'").split())
    for opener in _REQUEST_OPENS.finditer(said):
        head, rest = said[:opener.start()], said[opener.start():]
        if re.match(r"(?:is|was|are|were|'s)\b", said[opener.end():].strip()):
            continue  # "whose turn is it": a noun, not a request
        if not head.strip() or len(head.split()) > _MAX_REMARK_WORDS or _ASKS_ITSELF.search(head):
            continue
        found = match(rest.strip(" ,.!"))
        if found is not None and name(found) in _ACTS and not getattr(found, "problem", ""):
            return found
    return None
