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

_WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_FRAME: Final = frozenset(str.split(
    "what what's whats which is it it's its the a an now right current currently please tell "
    "me do you know have got any idea clue exactly at moment so today today's todays remind "
    "again sorry can could would will give check quick just us we are on be was say i forgot "
    "forget need to like here mate nimbus hey ok okay um er erm oh there hi hello pal love "
    "buddy dear real quick quickly actually wondering wonder if was were if excuse then well "
    "ah eh yeah yes of or did does lost track i've right kindly happen happens make gonna going "
    "all days these mind telling pardon hiya reckon sir madam pet chuck hen duck darling "
    "sweetheart babe hun honey bro dude lad lass boss sunshine friend really gimme lovey ducky "
    "duckie petal flower treasure poppet"))
"""Words that frame a question and say nothing about what it is about."""
_INTENTS: Final = (
    # (intent, key words (one must be said), words the intent adds to the frame)
    ("time", {"time", "o'clock", "late", "clock"}, {"time", "o'clock", "hour", "the", "what",
                                                   "how", "late", "make", "clock", "clock's",
                                                   "saying", "say", "says", "only", "by"}),
    ("date", {"date", "month", "year"},
     {"date", "tomorrow", "tomorrow's", "yesterday", "yesterday's", "full", "month", "year",
      "this", "in"}),
    ("weekday", {"day", "weekend", *_WEEKDAYS},
     {"day", "week", "of", "tomorrow", "yesterday", "weekday", "weekend", "yet", *_WEEKDAYS}),
    ("repeat", {"repeat", "pardon", "catch", "missed", "again", "say", "was", "hear"},
     {"repeat", "that", "pardon", "catch", "missed", "didn't", "hear", "what", "you", "said",
      "quite", "run", "by", "slower", "slowly", "properly", "louder", "once",
      "beg", "your", "was",
      "one", "more", "time", "come", "last", "bit", "part", "answer", "yourself", "say"}),
    ("never_mind", {"nothing", "nevermind", "never", "forget", "fine", "nope", "nah", "worry",
                    "matter", "ignore", "all", "bother", "scratch", "worries"},
     {"no", "nah", "nope", "fine", "nothing", "never", "mind", "forget", "that", "that's",
      "don't", "worry", "about", "doesn't", "matter", "ignore", "thanks", "well", "all",
      "bother", "scratch", "worries",
      "good", "you", "sorry"}),
    ("capabilities", {"help", "ask", "capable", "able", "skills", "features", "abilities",
                      "do", "good"},
     {"things", "thing", "sort", "kind", "of", "stuff", "ask", "help", "with", "able",
      "capable", "skills", "features", "abilities", "questions", "you", "for", "all", "types",
      "how", "your", "do", "good", "are", "out"}),
)
_NOT_A_QUESTION: Final = frozenset(("again", "say"))
"""A key word that alone is not enough ("again" needs "say" or "that": "say that again")."""
_CHAT: Final = frozenset(str.split(
    "hello hi hey hiya howdy g'day gday morning evening afternoon good there thank thanks you "
    "very much so cheers ta lovely star great brilliant perfect cool nice awesome that's a "
    "you're bye goodbye now see ya later soon tomorrow night goodnight i'm off right then how "
    "are do doing is it going keeping alright all ok okay this today mate nimbus well oh ah eh "
    "er um yeah have been what's up things friend pal love buddy everyone again lot for help "
    "that the your my dear ya too kind been being day take care bed to going how's was "
    "wonderful fab fabulous super excellent amazing ace cheers week evening weekend million "
    "really helpful alligator crocodile these days yourself with me done keeping pet chuck hen "
    "duck darling sweetheart babe hun honey bro dude lad lass boss sunshine ever one sir madam "
    "in sleep tight old top of to life tricks having kindly howzit wotcha watcha sawubona namaste "
    "hallo hullo heya hey-up ey up shukran dankie danke merci gracias asante ngiyabonga bunch "
    "cheerio cheerie ta-ra tara ta-ta laters toodle-oo toodle-pip toodles ciao adios hamba "
    "kahle totsiens everything all that's it for ey ra oo appreciated appreciate lovey petal "
    "catch kia ora salaam shalom bonjour hola"))
"""Everything people say to greet, thank or leave, and nothing else (in several Englishes:
"howzit", "cheerio", "ta-ra", "dankie")."""
_PARTING: Final = frozenset(str.split(
    "bye goodbye cheerio cheerie laters toodle-oo toodle-pip toodles ciao adios hamba kahle "
    "totsiens tara ta-ra ta-ta goodnight"))
"""Words that only take leave: with a thanks they still say goodbye."""
_WORD: Final = re.compile(r"[a-z']+(?:-[a-z']+)*|\d+")


def _chat(said: set[str], text: str) -> str | None:
    """Greetings, thanks, goodbyes and "how are you", in any mixture of their words ("Hello
    there, how do you do?", "Thanks, you're a star.", "Right, I'm off. Bye!")."""
    if not said <= _CHAT:
        return None
    if re.search(r"\bhow do you do\b", text):
        return "greeting"
    if (said & {"how", "how's", "howzit"} and said & {
            "you", "ya", "going", "keeping", "things", "doing", "your", "yourself", "life",
            "tricks"}) or (
            {"you", "doing"} <= said and said & {"ok", "okay", "alright", "well", "good"}) or (
            "alright" in said and "you" in said) or re.search(r"\bwhat's up\b", text) or (
            {"you", "having"} <= said and said & {"good", "nice", "great", "lovely"}):
        return "how_are_you"
    if re.search(r"\bta[- ]?(?:ta|ra)\b|\b(?:that's|that is) (?:all|everything|it)\b", text):
        return "goodbye"  # "ta ta for now", "ta-ra", "thanks, that's everything"
    if said & _PARTING or re.search(r"\b(?:see (?:ya|you)|take care|catch (?:ya|you))\b", text):
        return "goodbye"  # "cheers, bye", "thanks, see you later": thanked and gone
    if said & {"thank", "thanks", "cheers", "ta", "star", "shukran", "dankie", "danke", "merci",
               "gracias", "asante", "ngiyabonga", "appreciated", "appreciate"}:
        return "thanks"
    if said & {"bye", "goodbye", "later", "night", "goodnight", "off", "bed"} or re.search(
            r"\b(?:see (?:ya|you)|take care)\b", text):
        return "goodbye"
    if said & {"hello", "hi", "hey", "hiya", "howdy", "g'day", "gday", "morning", "evening",
               "afternoon", "howzit", "wotcha", "watcha", "sawubona", "namaste", "hallo", "hullo",
               "heya", "salaam", "shalom", "bonjour", "hola"} or re.search(
                   r"\b(?:hey|ey)[- ]up\b|\bkia ora\b|\bgood day\b", text):
        return "greeting"
    return None


def closed_intent(text: str) -> str | None:
    """The intent whose vocabulary ``text`` (normalised, lower case) stays within, or None."""
    words = [w.strip("'") if w != "g'day" else w for w in _WORD.findall(text)]
    if not words or len(words) > 14 or any(w.isdigit() for w in words):
        return None
    said = set(words)
    chat = _chat(said, text)
    if chat is not None:
        return chat
    if "you're" in said:  # "tell me what you're good for" is "what you are good for"
        said = (said - {"you're"}) | {"you", "are"}
    for intent, keys, vocabulary in _INTENTS:
        key = said & keys
        if not key or not said <= _FRAME | vocabulary:
            continue
        if key <= _NOT_A_QUESTION and not ({"say", "again"} <= said or "repeat" in said
                                           or {"what", "did"} <= said or {"more", "time"} <= said):
            continue
        if intent == "never_mind" and key == {"all"} and "that's" not in said:
            continue  # "no, that's all"
        if intent == "capabilities" and ("you" not in said or (key == {"do"} and not {
                "what", "can"} <= said)):
            continue  # "can I ask" alone is not "what can you do"
        if intent in ("weekday", "date") and not said & {"is", "are", "it", "it's", "we", "tell",
                                                         "remind", "know", "which", "was",
                                                         "today's", "todays", "what's", "whats"}:
            continue  # "what a day!"
        if intent == "repeat" and key == {"was"} and not {"what", "that"} <= said:
            continue  # "sorry, what was that?" asks again; "was" alone does not
        if intent == "capabilities" and key == {"good"} and "for" not in said:
            continue  # "you're good" is praise; "what are you good for" asks
        return intent
    return None
