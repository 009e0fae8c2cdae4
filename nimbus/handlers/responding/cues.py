"""What kind of answer a question asks for, and what it is about. Pure.

"What is the phone number of …" wants a sentence with a phone number in it, "when …" one with a
date or a time, "who …" one with a name, "how much …" one with an amount. A sentence of the
right kind is a likelier answer than one that only shares the question's words ("The highest
gas bill was in January" for "how much was my gas bill in March?" has an amount, but names the
wrong month: that is what :func:`conflicts` catches).

The question's *subject words* are its content words less the words that only say what kind of
answer is wanted ("phone", "number", "code"): the answer sentence must be about one of them, or
"what is my dentist's phone number?" is answered with the neighbour's number.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Final

from nimbus.handlers.responding.gate import Item, find_items

__all__ = [
    "KIND_WORDS",
    "amounts_in_words",
    "asked_by_name",
    "asked_kinds",
    "asked_measure",
    "asks_no_kind",
    "conflicts",
    "has_kind",
    "has_measure",
    "in_kind_column",
    "mail_header",
    "measure_words",
    "named_items",
    "says_money",
    "says_when",
]

_WORD: Final = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)?")

_PHONE_WORDS: Final = frozenset({"phone", "telephone", "mobile", "call", "ring", "dial"})
_PHONE_THING: Final = re.compile(r"\b(?:phone|mobile|telephone)s? (?!numbers?\b|no\b)(?:[a-z]+er|"
                                 r"case|cover|cable|screen|battery|bill|contract|plan|app|"
                                 r"provider|company|lead|stand|box)s?\b|^where\b|"
                                 r"\bring (?:size|finger)s?\b")
"""A phone that is a thing ("where did I put the phone charger", "when does the mobile contract
end"), not a number to ring."""
_NAMING: Final = re.compile(r"^what (?:did|do|does|will|shall|should|are|were) (?:we|you|i|they|"
                            r"he|she|people) (?:call|calling|going to call)\b"
                            r"(?!.*\b(?:about|for|on|back)$)")
"""A name asked for with "call" ("what did we call the sourdough starter"), not a number."""
_CODE_WORDS: Final = frozenset({"code", "password", "passcode", "pin", "reference",
                                "registration", "account", "policy", "email", "e-mail",
                                "address", "serial"})
_AMOUNT_WORDS: Final = frozenset({"cost", "costs", "price", "pay", "paid", "fee", "rent",
                                  "deposit", "charge", "spend", "spent", "save", "bill"})
_NUMBER_WORDS: Final = frozenset({"temperature", "pressure", "kwh", "many", "number", "often",
                                  "long", "old", "far", "big", "percent"})
_NAME_WORDS: Final = frozenset({"who", "whom", "whose", "name", "called", "supplier",
                                "company", "neighbour", "neighbor", "doctor", "landlord",
                                "gardener", "chair", "chaired", "treasurer", "installer"})
_TIME_WORDS: Final = frozenset({"when", "date", "day", "time", "month", "year", "until",
                                "weekday", "deadline"})

KIND_WORDS: Final = frozenset({"phone", "telephone", "mobile", "ring", "call", "dial", "number",
                               "code", "password",
                               "passcode", "pin", "reference", "date", "time", "day", "name",
                               "called", "much", "many", "long", "often", "cost", "price",
                               "address", "email", "e-mail", "appointment", "appointments",
                               "deadline", "notice"})
"""Words that say what kind of answer is wanted rather than what it is about ("when's my
optician appointment" is answered by "The optician is on the 9th of January at 10 am.")."""


def _words(text: str) -> list[str]:
    return [w.split("'")[0] for w in _WORD.findall(text.lower().replace("\u2019", "'"))]


def asked_kinds(question: str) -> frozenset[str]:
    """Item kinds (gate.py's) an answer to ``question`` is expected to hold; empty: any."""
    words = _words(question)
    present = set(words)
    kinds: set[str] = set()
    naming = _NAMING.search(" ".join(words))  # "what did we call the starter": its name
    priced = bool(present & (_AMOUNT_WORDS - {"charge"}) or (
        "how" in present and present & {"much", "many"}))  # "how much does Zara's phone cost"
    if present & _PHONE_WORDS and not present & {"code", "password"} and not priced and \
            not naming and \
            not _PHONE_THING.search(" ".join(words)):
        return frozenset({"phone"})
    if present & _CODE_WORDS:
        kinds |= {"code", "number", "phone"}
    if present & _TIME_WORDS or "what time" in question.lower():
        kinds |= {"date", "time"}
    if "how" in present and present & {"much", "many"}:
        kinds |= {"amount", "number"}
    if "how" in present and present & {"long", "often"}:
        kinds |= {"number", "time", "date"}
    if present & _AMOUNT_WORDS:
        kinds |= {"amount", "number"}
    if (present & _NUMBER_WORDS and "how" in present) or present & {"temperature", "pressure"}:
        kinds |= {"number", "amount"}
    if "number" in present and not present & {"how", "many"}:  # "the customer services number"
        kinds |= {"code", "number", "phone"}
    first = words[0] if words else ""
    if first in ("who", "whose", "whom") or present & {"name", "called"} or naming or (
            first in ("which", "what") and present & _NAME_WORDS):
        kinds |= {"name"}
    return frozenset(kinds)


def has_kind(items: list[Item], kinds: frozenset[str]) -> bool:
    """Does a sentence with these items hold an answer of one of ``kinds``?

    A code or a phone number is never a number said in words: "we send its code seven days
    before you arrive" does not hold the key safe's code.
    """
    spelled = bool(kinds & {"code", "phone"})
    return any(item.kind in kinds and not (spelled and item.kind == "number"
                                           and not any(c.isdigit() for c in item.text))
               for item in items)


_NO_KIND_ASKED: Final = re.compile(r"^\W*(?:where(?:'s| is| are| do| does| can| should| will)?|"
                                   r"why|how (?:do|does|can|should|did|will|would)|do|does|"
                                   r"did|is|are|was|were|can|could|will|would|should|has|"
                                   r"have|may|must|shall)\b", re.IGNORECASE)


def asks_no_kind(question: str) -> bool:
    """Is the answer a place, a reason, a way or a yes or no? "Where does Farah pick up her
    race number?" asks where, not for a number; "where do the phones charge at night?" for a
    place, not a price; "do we get the deposit back if we cancel?" is answered by "the deposit
    is not refundable"."""
    return bool(_NO_KIND_ASKED.match(question))


_SAID_IN_WORDS: Final = re.compile(
    r"\b(?:once|twice|every|each|daily|weekly|fortnightly|monthly|yearly|annually|"
    r"per (?:day|week|month|year)|a (?:day|week|fortnight|month|year)|"
    r"(?:half )?an hour|a minute|\d{1,2}(?:st|nd|rd|th))\b", re.IGNORECASE)
"""How often, how long or which day, said in words: "once a week", "every other Monday",
"at least an hour", "the 15th"."""
_RELATIVE_TIME: Final = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|"
    r"fifteen|twenty|thirty|forty|forty-five|sixty)\s+(?:working\s+)?(?:minutes?|hours?|days?|"
    r"nights?|weeks?|months?|years?)\s+(?:before|after|from|ahead|later|beforehand|of)\b"
    r"|\b(?:within|in)\s+(?:\d+|a|one|two|three|four|five|six|seven|ten|fourteen)\s+"
    r"(?:working\s+)?(?:minutes?|hours?|days?|weeks?|months?|years?)\b", re.IGNORECASE)
"""A time said relative to something: "seven days before you arrive", "within 14 days",
"doors open 45 minutes before the start"."""


def says_when(text: str) -> bool:
    """Does ``text`` tell when or how often in words rather than as a date: a time relative to
    something, a frequency, a duration in words or an ordinal day?"""
    return bool(_RELATIVE_TIME.search(text) or _SAID_IN_WORDS.search(text))


_MONEY: Final = re.compile(
    r"[\u00a3$\u20ac]\s?\d|\b\d[\d,]*(?:\.\d+)?\s?(?:pounds?|pence|p|quid|dollars?|euros?|"
    r"gbp|eur|usd)\b|\b\d+(?:\.\d+)?\s?(?:%|per ?cent\b)|\b\d[\d,]*\.\d\d\b|\bfree\b"
    r"|\bno charge\b", re.IGNORECASE)
"""An amount of money however it is written: "£48", "25 pounds", "50p", "12.99", "free"."""


def says_money(text: str) -> bool:
    """Does ``text`` state an amount of money ("£48", "15p a page", "Cost 25 pounds", "free")?"""
    return bool(_MONEY.search(text))


_MAIL_HEADER: Final = re.compile(r"^(?:From|To|Cc|Bcc|Sent|Date|Subject|Reply-To):\s",
                                 re.IGNORECASE)
_ABOUT_MAIL: Final = re.compile(r"\b(?:sent|send|sender|e-?mail(?:ed)?|mail|message|subject|"
                                r"received|wrote|addressed|who (?:is|was) it (?:from|to))\b",
                                re.IGNORECASE)
"""A question about the mail itself ("who sent the booking e-mail?", "when was it sent?")."""


def mail_header(path: str, sentence: str, question: str) -> bool:
    """Is ``sentence`` a header line (From, To, Date, Subject …) of a mail? It says who sent
    the mail to whom and when: it answers a question about the mail, not one about what the
    mail says ("who's Toby's driving instructor?" is not "To: Tobias Eriksen-Byrne")."""
    return PurePath(path).suffix.lower() in (".eml", ".msg") and bool(
        _MAIL_HEADER.match(sentence)) and not _ABOUT_MAIL.search(question)


_COLUMN_KINDS: Final = (
    (frozenset({"date", "time"}), re.compile(r"(?:^|[:,] )(?:When|Time|Date|Day|Due) \S")),
    (frozenset({"name"}), re.compile(r"(?:^|[:,] )(?:Who|Name|By|Contact) \S")))


_AMOUNT_SAID: Final = re.compile(
    r"\b(?:(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|half|quarter|"
    r"third|couple|few|dozen|several|\d+(?:[./]\d+)?)(?: and a half)?\s+(?:of\s+)?(?:a\s+|an\s+)?)+"
    r"(?:heaped |level |large |small |big |generous |good )?(?:cups?|mugs?|teaspoons?|"
    r"tablespoons?|dessertspoons?|tsp|tbsp|spoons?|spoonfuls?|grams?|kilos?|kilograms?|ounces?|"
    r"oz|pounds?|lbs?|litres?|liters?|millilitres?|ml|pints?|pinches?|handfuls?|dashes?|"
    r"sticks?|knobs?|slices?|cans?|tins?|packets?|bags?|scoops?|glasses?|bottles?|jugs?|"
    r"sachets?|cloves?|drops?|squirts?|splashes?)\b", re.IGNORECASE)
"""An amount said in words with its unit: "half a cup of sugar", "a teaspoon of turmeric"."""


def amounts_in_words(sentence: str) -> list[str]:
    """The amounts ``sentence`` says in words with a unit, each as what it is of ("half a cup
    of sugar" -> "sugar"; "" when it does not say)."""
    return [(found.group(1) or "").lower() for found in re.finditer(
        _AMOUNT_SAID.pattern + r"(?:\s+of\s+(?:the\s+|your\s+|my\s+)?([a-z]+))?", sentence,
        re.IGNORECASE)]


def in_kind_column(sentence: str, kinds: frozenset[str]) -> bool:
    """Is a table row's value for the asked kind in a column named for it? "Grace: Medicine
    Levothyroxine, …, When before breakfast." answers "when does Grace take it?", though
    "before breakfast" is no date or time."""
    return any(kinds & wanted and column.search(sentence) for wanted, column in _COLUMN_KINDS)


def named_items(text: str) -> list[Item]:
    """The months, dates and codes ``text`` names ("in September", "policy HMM-5580")."""
    return _key_items(text)


def _key_items(text: str) -> list[Item]:
    return [item for item in find_items(text, evidence=True)
            if item.kind in ("date", "code") and any(k[:2] in ("d:", "m:", "c:")
                                                     for k in item.keys)]


def conflicts(question: str, sentence: str) -> bool:
    """Does ``sentence`` name a month or a code of the same kind as the question, but not its?

    "How much was my gas bill in March?" against "The highest gas bill was in January": the
    question says which month it means, the sentence is about another one.
    """
    asked = _key_items(question)
    if not asked:
        return False
    said = _key_items(sentence)
    if not said:
        return False
    for item in asked:
        prefix = "c:" if item.kind == "code" else "m:"
        wanted = {k for k in item.keys if k.startswith(prefix)}
        if not wanted:
            continue
        named = {k for other in said for k in other.keys if k.startswith(prefix)}
        if named and not named & wanted:
            return True
    return False


_NUMBER: Final = (r"(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|"
                  r"eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|ninety|half an?)")
_MEASURES: Final = {
    "duration": re.compile(rf"\b{_NUMBER}(?:\s*(?:to|-|\u2013|or)\s*{_NUMBER})?\s*(?:seconds?|"
                           r"secs?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|fortnights?|"
                           r"months?|years?)\b", re.IGNORECASE),
    "temperature": re.compile(r"\b\d+(?:\.\d+)?\s*(?:\u00b0\s*[CF]?|degrees?\b|[CF]\b)",
                              re.IGNORECASE),
    "length": re.compile(rf"\b{_NUMBER}(?:\s*(?:to|-|\u2013)\s*{_NUMBER})?\s*(?:mm|cm|m|km|"
                         r"metres?|meters?|centimetres?|millimetres?|miles?|inch(?:es)?|feet|"
                         r"foot|ft|yards?)\b", re.IGNORECASE),
    "weight": re.compile(r"\b\d+(?:\.\d+)?\s*(?:g|kg|grams?|kilos?|kilograms?|lbs?|oz|ounces?)"
                         r"\b", re.IGNORECASE),
}
"""A figure with the unit of what is measured: "45 to 50 minutes", "180 C", "25 mm"."""
_ASKS_MEASURE: Final = (
    ("duration", re.compile(r"\bhow (?:long|soon|often)\b|\bfor how many (?:seconds|minutes|"
                            r"hours|days|nights|weeks|months|years)\b", re.IGNORECASE)),
    ("temperature", re.compile(r"\btemperature\b|\bhow (?:hot|warm|cold)\b", re.IGNORECASE)),
    ("length", re.compile(r"\bhow (?:high|tall|far|wide|deep|big|thick)\b|\b(?:size|height|"
                          r"width|length|depth|distance|diameter)\b", re.IGNORECASE)),
    ("weight", re.compile(r"\bhow heavy\b|\bweigh(?:s|t)?\b", re.IGNORECASE)),
)


def asked_measure(question: str) -> str | None:
    """What a question measures, if it asks for a measured figure: "how long …" wants a
    duration, "what temperature …" a temperature, "how high …" a length; None otherwise."""
    for measure, pattern in _ASKS_MEASURE:
        if pattern.search(question):
            return measure
    return None


def measure_words(question: str) -> str:
    """The words of a question that ask for a measured figure ("how heavy", "temperature")."""
    for _, pattern in _ASKS_MEASURE:
        if found := pattern.search(question):
            return found.group(0)
    return ""


def has_measure(sentence: str, measure: str) -> bool:
    """Does ``sentence`` state a figure in a unit of ``measure`` ("for 45 to 50 minutes")?"""
    return bool(_MEASURES[measure].search(sentence))


_CALLED: Final = re.compile(
    r"^(?P<ask>what(?:'s|s| is| was)) (?P<whose>my|our|the|your) (?P<who>[a-z][a-z' ]{0,40}?) "
    r"(?:called|named)(?P<end>[?.!]*)$", re.IGNORECASE)


_RECALL: Final = re.compile(
    r"^(?:do|can|could) you (?:remember|recall|know) (?P<thing>(?:my|our|the) "
    r"(?!(?:when|where|what|who|how|if|whether)\b)[a-z][a-z' ]{0,40}?)(?P<end>[?.!]*)$",
    re.IGNORECASE)


_PLACED: Final = re.compile(
    r"^where (?:did|do|have|had|should|shall) (?:i|we|you|they|he|she|mum|dad) (?:put|left|leave|"
    r"keep|kept|store|stored|stash|stashed|hide|hidden|hid|stick|stuck|pop|popped|place|placed)"
    r"(?: away| down| up)? (?P<thing>(?:the|my|our|your|his|her|their|a) [\w' -]{1,60}?)"
    r"(?: away| down| up)?(?P<end>\?*)$", re.IGNORECASE)
"""Where a thing was put is where it is: a note says "the gazebo is up in the rafters"."""


def asked_by_name(question: str) -> str:
    """"What's the dog called?" asked as "what's the dog's name?": a note says either, and
    people mostly tell it "our dog's name is …" (the intent stage keeps "… is called …" that way
    too), so both wordings meet in the search and the evidence checks."""
    text = question.strip().replace("\u2019", "'")
    recall = _RECALL.match(text)
    if recall is not None:  # "do you remember my name?" asks "what is my name?"
        return f"what is {recall.group('thing')}{recall.group('end')}"
    placed = _PLACED.match(text)
    if placed is not None:  # "where did we put the gazebo?" asks where the gazebo is
        return f"where is {placed.group('thing')}{placed.group('end')}"
    match = _CALLED.match(text)
    if match is None:
        return question
    who = match.group("who")
    owner = who if who.endswith("'s") else f"{who}'s"
    return f"{match.group('ask')} {match.group('whose')} {owner} name{match.group('end')}"
