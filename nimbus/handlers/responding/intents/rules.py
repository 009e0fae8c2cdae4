"""Which everyday intent a command is, with its slots, before any model sees it. Pure.

Deterministic and fast (well under a millisecond per command): ordered rules over the
normalised text. A rule claims a command only when it is sure; everything else goes on to the
responder. Nonsense inside a claimed command ("a timer for minus five minutes", "an alarm at 25
o'clock", "remember that" with nothing after it) is still claimed, with a ``problem``, so that
it is refused out loud rather than handed to a model that would make something of it.

Home control is recognised here by its verbs and devices ("turn on the kitchen lights", "is the
back door locked?"); Home Assistant's own sentence set (hassil, in ``home.py``) then reads its
slots when it can.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Final

from nimbus.daemon.events import Command, Intent
from nimbus.handlers.responding.intents.calendar_days import DAY_NAME
from nimbus.handlers.responding.intents.clauses import (
    after_chat,
    after_remark,
    before_chat,
    clock_question,
)
from nimbus.handlers.responding.intents.corrections import corrected, restated
from nimbus.handlers.responding.intents.home_commands import home_action
from nimbus.handlers.responding.intents.numbers import (
    NUMBER_WORDS,
    find_clock_time,
    find_duration,
)
from nimbus.handlers.responding.intents.realtime import asks_realtime
from nimbus.handlers.responding.intents.statements import ACTS, REMEMBER, SELF_FACT, SOFT_NOTE
from nimbus.handlers.responding.intents.talk import clock_in_talk, social_intent
from nimbus.handlers.responding.intents.timer_names import timer_name
from nimbus.handlers.responding.intents.unsupported import unsupported_request
from nimbus.handlers.responding.intents.vocabulary import closed_intent

__all__ = ["IntentMatch", "intent_for", "match_intent", "normalise"]


@dataclass(frozen=True, slots=True)
class IntentMatch:
    """A claimed command: the intent, its slots and, for nonsense, what is wrong with it."""

    name: str
    slots: dict[str, str] = field(default_factory=dict)
    problem: str = ""
    """A stable code (``bad_duration``, ``bad_time``…) when the command cannot be done."""
    said: str = ""
    """The request's own words when the command held more ("Thanks, and turn the lights off"
    -> "turn the lights off"): what Home Assistant is given; empty: the whole command."""


_FILLER: Final = re.compile(
    r"^(?:(?:hey|ok|okay|hi|so|um+|uh+|er+|erm|well|right|o+h+|a+h+|hm+|mm+|and|also|actually|now|"
    r"alright|all right)[\s,]+)*(?:nimbus[\s,]+)?"
    r"(?:(?:sorry to (?:bother|trouble) you|quick (?:one|question)|when you get a (?:sec|"
    r"second|minute)|please|kindly|can you|could you|would you|will you|can i ask you to|"
    r"i'd like you to|i want you to|i need you to|would you mind|do me a favou?r and|just)\s+)*",
)
_DIALECT_WORDS: Final = {"whit": "what", "wot": "what", "wat": "what", "noo": "now",
                         "the day": "today", "the morra": "tomorrow", "the nicht": "tonight"}
_DIALECT: Final = re.compile(r"\b(?:whit|wot|wat|noo)\b|\bthe (?:morra|nicht)\b|\bthe day$")
"""Scots and other spellings of the question words a recogniser writes as said."""
_TRAILING: Final = re.compile(r"[\s,]*(?:please|thanks|thank you|for me|nimbus)?[\s.!?]*$")


def normalise(text: str) -> str:
    """Lower case, one space, curly quotes straight, politeness around the command removed."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"[\"“”]", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\b(what|that|it|where|how|who)s\b", r"\1's", text)  # "whats" as typed
    text = re.sub(r"\b(long|much|many|time|day|date)'s\b", r"\1 is", text)  # "how long's left"
    text = re.sub(r"\bgimme\b", "give me", text)
    text = _DIALECT.sub(lambda m: _DIALECT_WORDS[m.group(0)], text)  # "whit time is it noo"
    text = _FILLER.sub("", text) or text
    # An indirect question is the question: "remind me what day it is" = "what day is it".
    text = re.sub(r"^(?:remind me|tell me|do you know|any idea|i wonder|can you tell me|"
                  r"could you tell me)\s+(what|which)\b", r"\1", text)
    text = re.sub(r"^(what|which) (day|time|date) (it|today) is\b", r"\1 \2 is \3", text)
    return _TRAILING.sub("", text).strip(" ,") or text.strip(" ,.!?")


def _whole(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"^(?:{pattern})$")


_GREETING: Final = _whole(r"(?:hello|hi|hey|hiya|howdy|yo|good (?:morning|afternoon|evening|day)|"
                          r"morning|evening|afternoon|greetings)(?: there| nimbus| to you| again)?"
                          r"|say (?:hello|hi|good morning)"
                          r"(?: to (?!.*\b(?:wh[a-z]*|how)\b)[a-z' ]{1,40})?")
_HOW_ARE_YOU: Final = re.compile(
    r"^(?:(?:hello|hi|hey|good morning|morning)[ ,]+)?(?:how are you(?: doing| today| feeling)?|"
    r"how's it going|how are things|how do you do|you (?:ok|alright|all right)|"
    r"how have you been|are you (?:ok|okay|alright|well)|what's up|how's your day(?: going)?)"
    r"(?: today)?$")
_THANKS: Final = re.compile(
    r"^(?:(?:oh|ok|okay|great|lovely|brilliant|perfect|cool|nice|good|awesome|excellent|jubbly|"
    r"smashing|fab|fabulous|super|ace|sweet|wonderful|amazing|fantastic|magic|champion|grand|"
    r"that's (?:great|lovely|brilliant|perfect|helpful|very helpful)|that was (?:helpful|"
    r"great))[ ,!.]+)*(?:thank you(?: (?:so|very) much| kindly)?|thanks(?: a lot| a million| "
    r"so much| very much| mate| again)?|cheers|ta(?: very much| muchly| love)?|"
    r"much appreciated|many thanks|thank u|"
    r"thx|appreciate it|i appreciate (?:it|that))(?: (?:nimbus|mate|a lot))?(?:[ ,!.]+"
    r"(?:that's great))?$")
_GOODBYE: Final = _whole(r"(?:good ?bye|bye(?: bye| now| for now)?|see you(?: later| soon| "
                         r"tomorrow)?|see ya|good ?night|night night|later|talk (?:to you )?"
                         r"later|catch you later|that's all(?: for now)?|that's it(?: for now)?|"
                         r"i'm off|i'm going to bed|farewell|night|nighty night|sleep well|"
                         r"off to bed)")
_CAPABILITIES: Final = re.compile(
    r"^(?:what (?:can|could|do) you do|what are you (?:able|good) (?:to do|at)|what can i "
    r"(?:ask|say)(?: to)?(?: you)?|help|help me|how can you help(?: me)?|"
    r"what do you know how to do|"
    r"what are your (?:skills|features|abilities|capabilities)|what (?:things )?can you help "
    r"(?:me )?with|what can you help with|what are you able to help(?: me)? with|"
    r"what sort of things can you do|what kind of things "
    r"can you do|what are you for|who are you|what are you|tell me what you can do)$")
_REPEAT: Final = _whole(
    r"(?:repeat(?: that| it| what you said| the answer| yourself| please)?(?: again)?|"
    r"say (?:that|it) again|(?:can|could) you (?:repeat|say) (?:that|it)(?: again)?|"
    r"what did you (?:just )?say|what was that|pardon(?: me)?|sorry what|come again|"
    r"one more time|once more|i didn't (?:catch|hear) (?:that|you)|sorry i didn't catch that|"
    r"what\?*|sorry\?*|huh|eh)")
_NEVER_MIND: Final = _whole(
    r"(?:never ?mind|forget (?:it|that|about it)|cancel(?: that| it)?|nothing|no(?:thing)? "
    r"never ?mind|it doesn't matter|doesn't matter|don't worry(?: about it)?|ignore (?:that|"
    r"me)|stop(?: talking| it| that)?|shut up|be quiet|quiet|silence|enough|that's enough|"
    r"oops|my mistake|not you|wrong (?:one|person)|i wasn't talking to you|no thanks?|nope)")
_TIME: Final = re.compile(
    r"^(?:(?:what|whats|what's|what is) (?:the )?(?:current )?time(?: is it)?(?: (?:now|right "
    r"now|please|here))?|what time is it(?: (?:now|right now|here|at the moment))?|(?:do you "
    r"(?:know|have) )?(?:what )?the time|tell me the time|(?:have you )?got the time|time "
    r"(?:please|check)|time|current time|the time now|what time have (?:you|we) got|"
    r"have you got the "
    r"time|do you know what time it is|what's the time now|what hour is it)$")
_ELSEWHERE: Final = re.compile(r"\b(?:in|at) (?!the moment\b|here\b|home\b)[a-z]")
_DATE: Final = re.compile(
    r"^(?:(?:what|whats|what's|what is) (?:the |today's |todays )?date(?: (?:today|is it|is it "
    r"today|today please))?|what date is it(?: today)?|(?:what's|what is|tell me) (?:the )?"
    r"date(?: today)?|today's date|date today|(?:the )?date|what's today|what is today|"
    r"which date is it|(?:what|which) day of the month is it(?: today)?|what's the date "
    r"tomorrow|what (?:is|was|will be) (?:the date )?(?:tomorrow|yesterday)(?:'s date)?|"
    r"what date (?:is|was|will it be) (?:tomorrow|yesterday))$")
_WEEKDAY: Final = re.compile(
    r"^(?:what day (?:is it|is today|of the week is it|of the week is today|is it today|"
    r"(?:is|was|will it be|is it) (?:tomorrow|yesterday)|are we on)|what's the day(?: today)?|"
    r"which day is it(?: today)?|is (?:it|today) (?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)(?: today)?|what day of the week is it(?: today)?|what day of the week"
    r"(?: is it)? (?:tomorrow|today))$")
_DAY_OFFSET: Final = re.compile(r"\b(tomorrow|yesterday)\b")
_NAMED_QUESTION: Final = re.compile(
    r"^(?:(?:what|which) (?P<kind>day|date)(?: of the week)? (?:is|was|will be|does|did|falls?)"
    r"|what's the (?P<kind2>date|day)(?: on| of)?|when(?: is|'s| was| does| will be)) (?:it )?"
    rf"(?:on )?(?P<name>{DAY_NAME})"
    r"(?: (?:this|next|last) year)?(?: (?:fall|land|be) on| on)?(?: (?:this|next|last) year)?$")
_TIMER_WORD: Final = r"(?:timer|timers|countdown|count down)"
_MUST_IN: Final = (r"^i (?:need|have|want|must|'ve got|gotta)(?: to)? (?P<task>.+?) in (?:a |an )?"
                   r"[a-z0-9 -]+ (?:seconds?|minutes?|hours?|mins?|secs?)$")
"""A task said with when it is due: "I need to take the cake out in 35 minutes" is a timer."""
_TIMER_SET: Final = re.compile(
    rf"^(?:(?:set|start|create|make|put on|add|begin|run|give me|i need|i want|get)\s+)?"
    rf"(?:(?:me|up)\s+)?(?:a|an|another|the|one more|new)?\s*(?:(?P<pre>[a-z0-9 -]{{1,30}}?)\s+)?"
    rf"{_TIMER_WORD}\b|^(?:count down|countdown)\b|^remind me in\b|^(?:wake me(?: up)?|"
    rf"let me know|tell me|ping me|beep|buzz|shout|give (?:me|us) a (?:shout|bell|buzz|nudge|"
    rf"call)|nudge me|buzz me) in\b|^in (?:an?|\d+|{NUMBER_WORDS})\b[a-z0-9 ]*?\b(?:minutes?|"
    rf"mins?|seconds?|hours?)\b,? (?:give|tell|remind|shout|let|ping|buzz|nudge|call)\b"
    rf"|^(?:and )?(?:a|an|another) [a-z ]{{1,30}} one for (?:an?|\d+|{NUMBER_WORDS})\b"
    rf"[a-z0-9 ]*?\b(?:minutes?|mins?|seconds?|secs?|hours?|hrs?)\b|^time (?:me|my)\b|"
    rf"^\d+ (?:minutes?|seconds?|hours?) (?:timer|for)\b|^{_TIMER_WORD} for\b|"
    rf"^time\b.*\b(?:seconds?|minutes?|hours?)\b|^(?:start )?counting down\b|"
    rf"^(?:let me know|tell me|shout|give me a shout) when .*\b(?:seconds?|minutes?|hours?|mins?)"
    rf" (?:is|are|have) (?:up|gone|passed)\b|{_MUST_IN}|^(?:(?:add|set|start|make|put on) )?"
    rf"(?:another|one more|one)(?: one)?\b.*"
    rf"\b(?:seconds?|minutes?|hours?|mins?)\b|"
    rf"^set\s+.*\bfor\s+\S+\s+"
    rf"(?:seconds?|minutes?|hours?|mins?|secs?|days?)\b")
_DONE_YET: Final = re.compile(
    rf"^(?:is|are) (?:the |my )?(?:[a-z]+ )?{_TIMER_WORD} (?:nearly |almost |about |not |"
    rf"still not )?(?:done|ready|finished|up|over|going off)(?: yet)?$")
""""Is the timer nearly done?": how long is left on it."""
_LIST: Final = re.compile(
    rf"^(?:(?:what|which) (?:of (?:my|the) )?(?:{_TIMER_WORD}|alarms?)\b|"
    rf"(?:list|show|read(?: me)?(?: out)?|tell me)(?: me)?(?: all)? "
    rf"(?:my |the |of my |all )?(?:active |running )?(?:timers|alarms)|(?:do i have|are there|"
    rf"have i got|have i set|is there|did i set) (?:any |an? )?(?:timers?|alarms?)|any (?:timers|"
    rf"alarms)|what (?:timers|alarms) (?:do i have|are (?:on|set|running)|have i (?:got|set))|"
    rf"how many (?:timers|alarms)|are (?:any|there any) (?:timers|alarms) (?:running|on|"
    rf"going|set)|what alarms?|my (?:timers|alarms)|(?:timers|alarms)|"
    rf"is (?:my|the|an?|there an?) (?:alarm|timer) (?:set|on|running|going))")
_CANCEL: Final = re.compile(
    # "Cancelled the pasta timer." is how a recogniser often writes "cancel the pasta timer".
    r"^(?:cancel(?:l?ed)?|stop(?:ped)?|deleted?|removed?|clear(?:ed)?|turn off|switch off|kill|"
    r"end|abort|dismiss|"
    r"silence|reset|get rid of|scrap|drop|disable|forget)\b(?P<rest>.*\b(?:timers?|alarms?|"
    r"countdowns?|reminders?)\b.*)$"
    # "I don't need that alarm anymore", "kill the egg one" (a named timer, said as "one")
    r"|^(?:(?:actually|so|oh) )?i (?:don't|do not) need (?P<rest2>(?:the|that|my|this) (?:[a-z]+ )?"
    r"(?:timers?|alarms?))(?: any ?more)?\b"
    r"|^(?:cancel|stop|kill|delete|scrap|get rid of) (?P<rest3>the (?!(?:last|first|other|next|"
    r"same|new|old|right|wrong|current)\b)[a-z]+(?: [a-z]+)? one)$")
_REMAINING: Final = re.compile(
    rf"(?:how (?:long|much time|much longer|many minutes)|time|what's left|when|"
    rf"how's) .*\b(?:{_TIMER_WORD}|alarm)\b|^(?:how long|how much time) (?:is )?(?:left|to go|"
    rf"remaining)|(?:{_TIMER_WORD}) (?:status|check)|^check (?:the |my )?{_TIMER_WORD}|"
    rf"^how (?:much )?longer (?:on|for|till|until) |"
    rf"^how (?:long|much time|many (?:more )?minutes)\b(?!.*\b(?:my|our) (?!timer)[a-z]+\b).*"
    rf"\b(?:left|to go|remaining|goes off|go off|rings)\b|"
    rf"^how long (?:have|has) (?:the |my )?[a-z ]+? got(?: left| to go)?$|"
    rf"^how long (?:until|till|before) (?:the |my )?(?P<name>[a-z ]+?)(?:'s| is| are| will be) "
    rf"(?:done|ready|finished)|^is (?:the |my )?[a-z ]*{_TIMER_WORD} (?:done|finished|"
    rf"still (?:going|running|on))")
_ALARM_SET: Final = re.compile(
    r"^(?:(?:set|create|make|put on|put|add|give me|i need|i want)\s+(?:me\s+)?(?:an?|the|my)?\s*"
    r"(?:[a-z]+\s+)?alarm\b|(?:an? |the )?alarm (?:for|at)\b|"
    r"wake (?:me|us)(?: up)? (?:at|for|tomorrow at)\b|"
    r"(?:get|wake) (?:me|us) up at\b|i need to (?:be )?(?:up|wake up|get up) at\b|set my alarm\b|"
    r"(?:i|we)(?: need| want|'d like| would like)(?: to be)? (?:waking|woken|waked|woke|knocking|"
    r"a wake[- ]up call)(?: up)? (?:at|for|tomorrow at)\b|"
    r"alarm\b(?=.*\d|.*\b(?:noon|midnight|o'?clock|am|pm|a m|p m|in the morning)\b))")
_TIME_ELSEWHERE: Final = re.compile(r"\btime (?:is it )?(?:(?:over|out|right now|now) )?in\b"
                                    r"|\bwhat time is it (?:(?:over|out|right now|now) )?in\b")
def _day_offset(text: str) -> dict[str, str]:
    found = _DAY_OFFSET.search(text)
    if found is None:
        return {}
    return {"day": found.group(1)}


_MAX_TIMER_S: Final = 24 * 3600


def _timer_set(text: str) -> IntentMatch:
    duration = find_duration(text)
    if duration is None:
        return IntentMatch("timer_set", problem="no_duration")
    slots = {"seconds": f"{duration.seconds:g}"}
    task = re.match(_MUST_IN, text)
    name = task.group("task")[:40] if task else timer_name(text, (duration.start,
                                                                   duration.end))
    if name:
        slots["name"] = name
    if duration.seconds < 1:  # nothing, less than nothing, or too short to ring ("half a second")
        return IntentMatch("timer_set", slots, problem="bad_duration")
    if duration.seconds > _MAX_TIMER_S:
        return IntentMatch("timer_set", slots, problem="too_long")
    return IntentMatch("timer_set", slots)


def _alarm_set(text: str) -> IntentMatch:
    if re.search(r"\bin\b\s+\S+\s+(?:minutes?|hours?|seconds?)", text):
        return _timer_set(text)  # "wake me up in 20 minutes" is a timer
    clock = find_clock_time(text)
    if clock is None:
        return IntentMatch("alarm_set", problem="no_time")
    slots = {"hour": str(clock.hour), "minute": str(clock.minute), "meridiem": clock.meridiem}
    if not clock.valid:
        return IntentMatch("alarm_set", slots, problem="bad_time")
    slots["time"] = f"{clock.hour24():02d}:{clock.minute:02d}"
    return IntentMatch("alarm_set", slots)


def _cancel(text: str, rest: str) -> IntentMatch:
    kind = "alarm" if re.search(r"\balarms?\b", rest) else "timer"
    slots: dict[str, str] = {}
    if re.search(r"\b(?:all|every|both)\b", rest):
        slots["all"] = "yes"
    name = re.sub(r"\b(?:the|my|all|of|every|both|timers?|alarms?|countdowns?|reminders?|"
                  r"please|one|that|this|current|running|active)\b", " ", rest)
    name = re.sub(r"\b(?:called|named|for)\b", " ", name)
    duration = find_duration(text)
    if duration is not None:
        slots["seconds"] = f"{duration.seconds:g}"
        name = ""
    name = " ".join(name.split())
    if name:
        slots["name"] = name
    return IntentMatch(f"{kind}_cancel", slots)


def _time_elsewhere(said: str) -> IntentMatch:
    place = re.search(r"\b(?:in|at) (?P<place>[a-z][a-z .'-]*?)(?: (?:right now|now|at the moment|"
                      r"currently|today|please|then))*$", said)
    slots = {"topic": "time_elsewhere"}
    if place is not None:
        slots["place"] = place.group("place")
    return IntentMatch("realtime", slots)


def _remember(what: str) -> IntentMatch:
    # "I'm allergic to penicillin, please remember that": the note is the fact, not the request.
    what = re.sub(r"[\s,.;:-]+(?:(?:please|can you|could you|will you)\s+)?(?:remember|note|"
                  r"don't forget|make a note of|save)(?: (?:that|this|it))?(?: (?:please|for me))?"
                  r"$", "", what.strip(" .,:;")).strip(" .,:;")
    # "my sister's called Yasmin" is kept as what it answers: "what is my sister's name?"
    what = re.sub(r"^(my|our|the) ((?:(?!'s |s' | (?:at|of|in|for|on|from) )[a-z' ])+?)"
                  r"(?:'s| is| are) (?:called|named) (.+)$", r"\1 \2's name is \3", what)
    # fillers said while thinking ("remember um that the bins go out", "remember that erm")
    what = re.sub(r"(?:^|(?<=\s))(?:um+|uh+|er+|erm+|hmm+|mm+)(?:[\s,.]+|$)", "", what).strip(
        " .,:;")
    what = re.sub(r"^(?:that|this) (?=\S)", "", what) if re.match(r"^(?:that|this) (?:the|my|"
                                                                 r"our|i|we)\b", what) else what
    if what.startswith("to ") and len(what) > 3:  # "remember to buy milk"
        what = "i need " + what
    if not what or what in ("that", "this", "it", "something", "to", "me"):
        return IntentMatch("remember", problem="nothing_to_remember")
    return IntentMatch("remember", {"note": what})


def match_intent(text: str) -> IntentMatch | None:
    """The everyday intent ``text`` is, or None (it goes to the responder)."""
    fixed = corrected(text, _match) or restated(text, _match)  # "… no wait make that 55"
    if fixed is not None:
        return replace(fixed, said=text)
    first, _, rest = text.strip().partition("? ")
    if rest:  # "What's the date? I need it for a cheque.": the question, then why it is asked
        asked = _match(first + "?")
        if asked is not None and asked.name in ("time", "date", "weekday"):
            return asked
    found = _match(text)
    if found is not None and found.name == "remember" and not REMEMBER.match(normalise(text)):
        # "my hands are covered in flour so can you set a timer": a request after a remark
        found = after_remark(text, _match, _name) or found
    if found is not None and not found.problem:
        # the same request without a thanks after it: "turn the lights on ta" is turned on,
        # "remember the code is 1234, cheers" keeps no "cheers" in its note
        plain = before_chat(text, _match, _name, parted=found.name == "remember")
        if plain is not None and plain[0].name == found.name and not plain[0].problem:
            return replace(plain[0], said=plain[1])
        return found
    # "Thanks, and can you set a timer …", "wake me at seven, thanks mate"
    request = after_chat(text, _match, _name) or before_chat(text, _match, _name)
    if request is not None and not (found is not None and request[0].problem):
        return replace(request[0], said=request[1])
    return (found or after_remark(text, _match, _name)  # "it's roasting in here, turn the …"
            or _alarm_for_said_time(text)
            or clock_question(normalise(text), _match, _name)  # "…, I'm late"
            or _social(text))  # "thanks nimbus, you're a legend": talk, last of all


def _alarm_for_said_time(text: str) -> IntentMatch | None:
    """"I have to get up at 6 a.m. sharp, set an alarm": the time said in one part of the
    sentence, the alarm asked for in another."""
    parts = [p for p in re.split(r"[,;]\s*|\s+(?:so|and)\s+", text.strip(" .!?")) if p]
    asks = [p for p in parts if (m := _match(p)) is not None and m.name == "alarm_set"
            and m.problem == "no_time"]
    said = [clock for p in parts if p not in asks and re.search(
        r"\b(?:get up|be up|wake(?: up)?|up|leave|out of the house)\b", p, re.IGNORECASE)
            and (clock := find_clock_time(p)) is not None and clock.valid]
    if len(asks) != 1 or len(said) != 1:
        return None
    clock = said[0]
    found = _match(f"set an alarm for {clock.hour}:{clock.minute:02d}"
                   f"{' ' + clock.meridiem if clock.meridiem else ''}")
    return replace(found, said=text) if found is not None and not found.problem else None


def _social(text: str) -> IntentMatch | None:
    act = clock_in_talk(text) or social_intent(text)
    return IntentMatch(act) if act is not None else None


def _name(found: IntentMatch) -> str:
    return found.name


def _match(text: str) -> IntentMatch | None:
    said = normalise(text)
    if not said:
        return None
    plain = " ".join(re.sub(r"[^a-z' ]+", " ", text.lower()).split())
    if _GREETING.match(plain) or re.fullmatch(r"(?:(?:g'?day|hi|hello|hey|hiya|morning) )?(?:"
                                              r"nimbus )?(?:it's |its )?(?:good|nice|great|"
                                              r"lovely) to (?:see|hear) (?:you|ya)(?: again)?",
                                              plain):
        return IntentMatch("greeting")  # "g'day nimbus good to see ya" is no goodbye
    if said in ("yonder",):
        return None
    if _NEVER_MIND.match(said):
        return IntentMatch("never_mind")
    if _REPEAT.match(said):
        return IntentMatch("repeat")
    if _THANKS.match(said):
        return IntentMatch("thanks")
    if _GOODBYE.match(said):
        return IntentMatch("goodbye")
    if _HOW_ARE_YOU.match(said):
        return IntentMatch("how_are_you")
    if _GREETING.match(said):
        return IntentMatch("greeting")
    if _CAPABILITIES.match(said):
        return IntentMatch("capabilities")
    if re.match(r"^remind me(?: (?:to|about|that|of))?$", said):
        return IntentMatch("remember", problem="nothing_to_remember")
    reminder = re.match(r"^remind me (?:to|about) (?P<what>.+)$", said)
    if reminder is not None and find_duration(said) is None and find_clock_time(said) is None:
        return IntentMatch("timer_set", {"name": reminder.group("what")[:40]}, problem="no_time")
    if reminder is not None and find_duration(said) is None:
        alarm = _alarm_set(said)
        return IntentMatch("alarm_set", {**alarm.slots, "name": reminder.group("what")[:40]},
                           alarm.problem)
    if reminder is not None:  # "remind me to check the oven in 10 minutes"
        timer = _timer_set(said)
        what = re.sub(r"\s+(?:in|after)\s+(?:an?|\d+|[a-z]+)\b.*$", "", reminder.group("what"))
        return replace(timer, slots={**timer.slots, "name": what[:40]})
    remember = REMEMBER.match(said)
    if remember is not None and not re.match(r"^remind me (?:in|at|to)\b", said):
        request = _match(remember.group("what") or "") if SOFT_NOTE.match(said) else None
        return request if request and request.name in ACTS else _remember(remember.group("what")
                                                                            or "")
    self_fact = SELF_FACT.match(re.sub(r"^(?:(?:no|wait|sorry|oh|hang on)[ ,]+)+", "", said))
    if self_fact is not None:
        return _remember(self_fact.group("what"))
    cancel = _CANCEL.match(re.sub(r"^(turn|switch|shut) (.+?) off$", r"\1 off \2", said))
    if cancel is not None:
        return _cancel(said, cancel.group("rest") or cancel.group("rest2") or cancel.group("rest3"))
    if _LIST.match(said):
        kind = "alarm" if "alarm" in said else "timer"
        return IntentMatch(f"{kind}_list")
    setting = re.match(r"^(?:set|start|put|add|make|create)\b", said) and \
        find_duration(said) is not None
    if (_REMAINING.search(said) or _DONE_YET.match(said)) and not setting:
        # ("set a screen time timer for 30 minutes" sets one: "time … timer" asks nothing)
        name = re.search(r"\b(?:the|my)\s+([a-z][a-z ]{0,30}?)\s+(?:timer|countdown)\b", said) \
            or re.search(r"^how (?:much )?longer (?:on|for|till|until) (?:the |my )?([a-z ]+)$",
                         said)
        slots = {"name": name.group(1)} if name and name.group(1) not in ("", "a") else {}
        until = re.search(r"^how long (?:until|till|before) (?:the |my )?([a-z ]+?) (?:is|are|"
                          r"will be) (?:done|ready|finished)", said)
        if until is not None:
            slots["name"] = until.group(1)
        if "alarm" in said:
            return IntentMatch("alarm_list")
        return IntentMatch("timer_remaining", slots)
    if _ALARM_SET.match(said):
        return _alarm_set(said)
    if _TIMER_SET.search(said) and not said.startswith(("what", "how", "is ", "when")):
        return _timer_set(said)
    if _TIME_ELSEWHERE.search(said):
        return _time_elsewhere(said)
    if _TIME.match(said):
        return IntentMatch("time")
    named = _NAMED_QUESTION.match(said)
    if named is not None:  # "what day is christmas this year", "when is easter"
        year = re.search(r"\b(this|next|last) year\b", said)
        slots = {"named": named.group("name"), **({"year": year.group(1)} if year else {})}
        return IntentMatch("weekday" if "day" in (named.group("kind") or named.group("kind2")
                                                  or "date") else "date", slots)
    if _DATE.match(said):
        return IntentMatch("date", _day_offset(said))
    if _WEEKDAY.match(said):
        return IntentMatch("weekday", _day_offset(said))
    # the same questions in words the patterns above lack ("brilliant thanks" loses its thanks
    # to the politeness normalise strips: the words as said are read too)
    closed = closed_intent(said) or closed_intent(" ".join(re.findall(r"[a-z']+", text.lower())))
    if closed is not None:
        return IntentMatch(closed, _day_offset(said) if closed in ("date", "weekday") else {})
    action = home_action(said)
    if action is not None:
        return IntentMatch("home_control", {"action": action})
    cannot = unsupported_request(said)
    if cannot is not None:  # "play some jazz", "call mum": said plainly, never pretended
        return IntentMatch("unsupported", {"what": cannot})
    if asks_realtime(said, text):
        return IntentMatch("realtime")
    # the time there, not an event's time at a place ("what time's the braai at Johan's")
    if _ELSEWHERE.search(said) and re.match(r"^what time(?: is it| it is| now| right now| "
                                            r"currently| is it now)* (?:over |out )?(?:in|at) ",
                                            said):
        return _time_elsewhere(said)
    return None


_CANCEL_THAT: Final = _whole(r"(?:no )?(?:cancel|delete|scrap|remove|get rid of|stop|undo) "
                             r"(?:that|it|that one|this one|the last one)(?: again)?")


def intent_for(command: Command, after: str = "") -> Intent | None:
    """The ``intent`` event the intent stage publishes for ``command``, or None (not claimed).
    ``after``: the intent the site's previous command was, if it was one ("set a timer …"
    then "oh actually cancel that one" cancels that timer; otherwise it is a never mind)."""
    found = match_intent(command.text)
    if after in ("timer_set", "alarm_set") and _CANCEL_THAT.match(normalise(command.text)):
        found = IntentMatch(after.replace("_set", "_cancel"), {"latest": "1"})
    if found is None:
        return None
    slots = dict(found.slots) | ({"problem": found.problem} if found.problem else {})
    return Intent(site=command.site, cause=command.id, name=found.name, slots=slots,
                  text=found.said or command.text.strip())
