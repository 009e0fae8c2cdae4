"""Requests wrapped in talk, recognised by the act, not the whole wording. Pure.

Greetings, thanks, goodbyes, "how are you", "say that again", "never mind" and "what can you
do" come in endless wordings ("thanks nimbus you're a legend", "right I'm heading out, see
you", "sorry the kettle was on, can you say that again", "never mind, I'll sort it myself").
A list of wordings, or a closed vocabulary, always misses the next person's. Here an utterance
is that act when it holds one of the act's key phrases and nothing else in it asks or orders
anything: no question word, no question turned round ("is it …", "can you …"), no request
verb. Whatever else is said around the key ("the kettle was on", "you're a legend") is talk.

The same holds for the clock: "sorry to bother you, what time have we got", "do us a favour
and tell me the time", "is it half five yet" ask the time whatever is said around them, unless
the rest names a place ("… in Sydney") or asks something more.

This runs after every other rule (``rules.match_intent``), so a request anywhere in the
utterance has had its chance first; and a wrong claim can only mis-answer a remark, never do
or keep anything, and never speak a fact.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["clock_in_talk", "social_intent"]

_MAX_WORDS: Final = 16
_FILLER: Final = r"(?:(?:oh|ah|well|um|erm|er|so|right|okay|ok|yeah|aye|alright) )*"
_ACTS: Final[tuple[tuple[str, re.Pattern[str]], ...]] = (
    # In priority order: "ok thanks, never mind" is a never mind, "thanks, bye" a goodbye.
    ("repeat", re.compile(
        r"(?:(?:can|could|would|will) you )?(?:please )?(?:(?:say|repeat) (?:that|it|what you said|"
        r"the last (?:bit|part))(?: (?:again|one more time|once more))?(?: please)?"
        r"|say (?:again|it one more time)|repeat (?:please|yourself|that)|^repeat$"
        r"|(?:one more time|once more) please|come again|(?:i )?beg your pardon|^pardon(?: me)?"
        r"|(?:i )?(?:didn't|did not|couldn't|could not) (?:quite )?(?:catch|hear|make out) "
        r"(?:that|you|it|what you said|the last (?:bit|part))"
        r"|(?:i )?missed (?:that|what you said|the last (?:bit|part))"
        r"|what (?:did you (?:just )?say|was that)(?= again\b|$)"
        r"|(?:run|go over) (?:that|it) (?:by me |for me )?again)|^(?:huh|eh|sorry|what)$")),
    ("never_mind", re.compile(
        r"never ?mind|forget (?:it|that|about it|i asked|i said anything)|(?:scrap|scratch) that"
        r"|(?:just )?leave it|(?:don't|do not) bother|(?:it )?(?:doesn't|does not) matter"
        r"|no worries|ignore (?:me|that|it)"
        r"|(?:wasn't|was not|not) (?:talking )?(?:(?:to|for) )?you\b"
        r"|^nothing(?: sorry)?$|my mistake|wrong (?:person|one)|as you were|no thanks?(?: you)?$"
        r"|no thank you")),
    ("capabilities", re.compile(
        r"what (?:\w+ ){0,3}(?:can|could) you (?:do|help(?: me)? with)"
        r"|what (?:are|r) you (?:good at|good for|for|capable of|able to do)"
        r"|what (?:can|could|should) (?:i|we) (?:ask(?: you)?|say(?: to you)?|use you for)"
        r"|how (?:do|can|should) (?:i|we) use you|how can you help"
        r"|what (?:\w+ ){0,2}do you (?:know how to do|do)$"
        r"|ideas (?:of|for|on) what (?:to|i can) ask|what are your (?:skills|features|abilities|"
        r"functions|capabilities)")),
    ("how_are_you", re.compile(
        r"how(?:'s| is| are| r| have| has)? (?!(?:you|ya) (?:able|going to|supposed|meant|made|"
        r"built|so|spelt|spelled|called|pronounced)\b)(?:(?:you|ya|yous|ye|yez|yiz|youse)\b|things\b|tricks\b"
        r"|life\b|it (?:going|hanging|goes)\b|(?:your|ya) (?:day|morning|evening|afternoon|week|"
        r"weekend|night)\b|(?:you )?(?:been|doing|keeping|getting on)\b)"
        r"|^(?:and )?(?:are )?(?:you|ya|ye) (?:feeling )?(?:ok|okay|alright|all right|good|well"
        r"|keeping well"
        r"|doing (?:ok|okay|alright|all right|well|good|fine)|keeping (?:ok|okay|alright|well))\b"
        r"|what's (?:up|cracking|the craic)(?: with you)?(?= today|$| nimbus)")),
    ("goodbye", re.compile(
        r"\b(?:good ?bye|bye(?: bye)?|cheerio|laters|farewell|toodle\S*|ciao|adios|ta[- ](?:ra|ta)"
        r"|(?<!to )see (?:you|ya|yous)|catch (?:you|ya)|take care|good ?night|night night"
        r"|nighty night"
        r"|sleep (?:well|tight)|^night\b|\bnight nimbus$|over and out|until next time"
        r"|(?:speak|talk) (?:to you )?(?:later|soon|tomorrow)"
        r"|(?:i'm|i am|we're|we are) (?:off|away|heading (?:out|off)|going (?:out|now|to bed|to "
        r"sleep))|off to bed|i'll leave you (?:to it|alone|be)|signing off)\b")),
    ("thanks", re.compile(
        r"\b(?:thank(?:s| you| u)(?! to (?!you$)| for nothing)|cheers|ta|many thanks"
        r"|much appreciated|appreciate (?:it|that|you)|appreciated|thx|nice one"
        r"|you're (?:a|an) (?:star|legend|gem|diamond|lifesaver|"
        r"life saver|champ|hero|angel|absolute \w+))\b")),
    ("greeting", re.compile(
        rf"^{_FILLER}(?:hello|hi|hey|hiya|howdy|heya|hullo|hallo|yo|g'day|gday|good (?:morning|"
        r"afternoon|evening|day)|morning|afternoon|evening|greetings|howzit|wotcha|kia ora|"
        r"namaste|salaam|shalom|bonjour|hola|(?:ey|hey) up|wagwan|wassup|whassup|sup|mornin|"
        r"evenin|afternoon)\b"
        r"|\bhow do you do\b")),
)
_ASKS: Final = re.compile(
    r"\b(?:what|what's|whats|when|when's|where|where's|who|who's|whom|whose|which|why|how|"
    r"how's|set|turn|switch|put|play|call|ring|text|message|send|remind|remember|add|book|order|"
    r"find|show|read|open|close|lock|unlock|start|stop|cancel|check|tell|dim|raise|lower|pause|"
    r"resume|skip|search|look|spell|translate|define|explain|calculate|convert|wake)\b"
    r"|(?:^|[,;.] ?|\b(?:and|but|so|then|or|erm|um|er|oh|well) )(?:is|are|was|were|can|could|"
    r"would|will|do|does|did|should|shall|has|have|had|may|might|must) [a-z]")
"""Anything in the rest of the utterance that asks or orders something: then it is a request
that nothing else understood, and goes on to the responder with its social words."""


_CLAUSE_END: Final = (r"$| (?:now|please|nimbus|love|mate|pet|then|there|again|sorry|right|i|"
                      r"i'm|i've|we|we're|my|it's|so|because|cause|cos|as)\b")
"""What may follow a finished clock question: the end, a word of address, or a new clause
("what's the time, I've a bus to catch"), never a noun that makes it another question ("what's
the time signature of a waltz", "… of the match")."""
_CLOCK: Final[tuple[tuple[str, re.Pattern[str]], ...]] = (
    ("time", re.compile(
        rf"what(?:'s| is) the (?:time|clock say(?:ing)?)(?= gone|{_CLAUSE_END})"
        r"|what time (?:is it|it is|have (?:we|you) got|(?:are )?we at|do (?:you|we) "
        r"(?:make it|have)|you got|you make it)(?: now)?"
        r"(?! (?:in|at|there|when|for|to|until|till|before|by)\b)"
        r"|(?:tell|give) (?:me|us) the time|^(?:the )?time(?: please| now)+$|what o'clock"
        r"|^is it (?:(?:nearly|almost|past|gone|after|before) )?"
        r"(?:(?:half|quarter) (?:past |to )?)?(?:one|two|three|four|five|six|seven|eight|nine|"
        r"ten|eleven|twelve|noon|midday|midnight)"
        r"(?: o'clock)?(?: (?:yet|already))?$")),
    ("date", re.compile(
        r"what(?:'s| is) (?:the|today's) date(?: today)?(?! (?:of|for|on|in)\b)"
        r"|(?:what|which) date is (?:it|today)"
        r"(?: today)?(?! (?:of|for|on|in)\b)|(?:tell|give) (?:me|us) (?:the|today's) date"
        r"|^is (?:it|today) the (?:\d+|[a-z]+)(?:st|nd|rd|th)(?: or the (?:\d+|[a-z]+)(?:st|nd|rd|"
        r"th))?(?: today| yet)?$")),
    ("weekday", re.compile(
        r"what day (?:is it|is today|are we(?: on)?)(?: today)?(?! (?:of|for|on|in|when)\b)"
        r"|(?:which|what) day of the week (?:is it|it is|is today)")),
)
_PLACE: Final = re.compile(r"\b(?:in|at|over) (?!the moment\b|home\b|here\b|the minute\b|(?:my|"
                           r"your|our|his|her|their|a|an)\b)[a-z]")
"""The time somewhere else is a question for ``realtime``, not the clock here."""


def social_intent(text: str) -> str | None:
    """The sociable act ``text`` is, or None."""
    return _keyed(_said(text), _ACTS)


def clock_in_talk(text: str) -> str | None:
    """"time", "date" or "weekday" for a clock question said among other talk, or None."""
    said = _said(text)
    # "is it nearly dinner time, what time do you make it": a guess at the time asks nothing more
    act = _keyed(re.sub(r"^is it (?:nearly|almost|past|gone|late|early|too late)\b[a-z ]*?"
                        r"(?= what\b)", "", said), _CLOCK, ordinals=True)
    return act if act is not None and not _PLACE.search(said) else None


def _said(text: str) -> str:
    said = " ".join(re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'")))
    said = re.sub(r"^(?:(?:um+|uh+|er+|erm|oh|so|well|hey|like)\s+)+", "", said)
    return re.sub(r"\b(what|that|how|it|who|where|when)s\b", r"\1's", said)


def _keyed(said: str, acts: tuple[tuple[str, re.Pattern[str]], ...], *,
           ordinals: bool = False) -> str | None:
    """The first act whose key is said with nothing around it that asks; a number (a timer's
    length, a time) makes it a request of another kind, a day of the month ("the 8th") aside."""
    numbers = re.sub(r"\b\d+(?:st|nd|rd|th)\b", "", said) if ordinals else said
    if not said or len(said.split()) > _MAX_WORDS or re.search(r"\d", numbers):
        return None
    for act, key in acts:
        if key.search(said) is None:
            continue
        rest = key.sub(",", said).strip(" ,")
        if _ASKS.search(rest):
            return None  # the first key found decides: a request around it is not talk
        return act
    return None
