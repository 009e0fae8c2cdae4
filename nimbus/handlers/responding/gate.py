"""The faithfulness gate: is every checkable item of an answer sentence in the evidence? Pure.

A *checkable item* is what a listener would act on and a small model likes to invent: numbers
(digits or words), amounts, dates, weekdays and months, clock times, phone numbers, codes
(``E119``, ``AB-1234``, e-mail addresses), proper names and quoted strings. Each item is reduced
to one or more normalised *keys* ("five" and "5" are both ``n:5``; "1,340" is ``n:1340``;
"2 September 2027", "September 2nd" and "the 2nd of September" all give ``d:9-2``; "7 pm" and
"19:00" are ``t:19:00``). An item is supported when one of its keys is among the keys of the
evidence text, read the same way; names and quoted strings are looked up as words/phrases.

The gate errs on the side of silence: an item it cannot find is unsupported, and its sentence
is not spoken. It does not judge words that are not checkable items ("pets are allowed" against
evidence "pets are not allowed" passes): that is what the evidence selection and the prompt are
for.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from nimbus.handlers.responding.lexicon import lexicon

__all__ = [
    "FACT_KINDS",
    "GateVerdict",
    "Item",
    "check_sentence",
    "evidence_keys",
    "find_items",
    "from_one_sentence",
]

FACT_KINDS: Final = frozenset({"number", "amount", "date", "time", "phone", "code"})
"""Items that must come from one evidence sentence together (names may come from another)."""

_UNITS: Final[dict[str, float]] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12, "half": 0.5, "twice": 2,
    "once": 1, "double": 2, "single": 1, "none": 0, "no": 0,
}
"""Words that stand for numbers. The last few (once, twice, none…) count in evidence only."""
_EVIDENCE_ONLY: Final = frozenset({"half", "twice", "once", "double", "single", "none", "no",
                                   "one", "zero"})
"""Too common in ordinary speech ("the one in the hall") to be items of an answer."""
_SCALES: Final = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_ORDINALS: Final = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}
_MONTHS: Final = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                    "sunday")

_MONTH: Final = (r"(?:january|february|march|april|may|june|july|august|september|october|"
                 r"november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?")
_ORDINAL_WORD: Final = "|".join(sorted(_ORDINALS, key=len, reverse=True))
_DAY: Final = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?|{_ORDINAL_WORD}|(?:twenty|thirty)[- ](?:first|" \
              rf"second|third|fourth|fifth|sixth|seventh|eighth|ninth))"
_DATE_DMY: Final = re.compile(rf"\b(?:the\s+)?(?<!\d[.,])({_DAY})(?:\s+of)?\s+({_MONTH})"
                              rf"(?:,?\s+(\d{{4}}))?", re.IGNORECASE)
"""A day and a month; "£79.30" before "April" (a table read one cell per line) is no 30 April."""
_DATE_MDY: Final = re.compile(rf"\b({_MONTH})\s+(?:the\s+)?({_DAY})\b(?:,?\s+(\d{{4}}))?",
                              re.IGNORECASE)
_DATE_NUMERIC: Final = re.compile(r"\b(\d{1,4})[/.-](\d{1,2})[/.-](\d{2,4})\b")
_MONTH_ALONE: Final = re.compile(rf"\b({_MONTH})(?!\w)", re.IGNORECASE)
_WEEKDAY: Final = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")s?\b", re.IGNORECASE)

_TIME_CLOCK: Final = re.compile(
    r"\b(\d{1,2})[:.](\d{2})\s*(a\.?m\.?|p\.?m\.?)?(?!\d)|\b(\d{1,2})\s*(a\.?m\.?|p\.?m\.?)(?!\w)",
    re.IGNORECASE)
_TIME_WORDS: Final = re.compile(r"\b(noon|midday|midnight)\b", re.IGNORECASE)
_TIME_OF_DAY: Final = re.compile(
    r"\b(\d{1,2})(?:[:.](\d{2}))?\s+(?:(?:this|tomorrow|in the|on \w+|yesterday|every|each)\s+)?"
    r"(morning|afternoon|evening|tonight|at night)\b", re.IGNORECASE)
""""8 this morning", "6:30 in the evening", "11 tonight": a time, as people say it."""
_DAY_ALONE: Final = re.compile(r"\b(?:on|by|from|until|till|before|after|since|due|starting|"
                               r"ending)\s+the\s+(\d{1,2})(?:st|nd|rd|th)\b(?!\s+(?:floor|storey|"
                               r"story|level|row|page|platform|door|house|street|turning|exit|stop|"
                               r"grade|year|class|place|round|time|pitch|court|hole|lap)s?\b)",
                               re.IGNORECASE)
""""due back on the 20th": a day of the month (a number too); "the 2nd floor" is not one."""
_TIME_OCLOCK: Final = re.compile(
    r"\b(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+o['\u2019]"
    r"clock\b", re.IGNORECASE)
""""nine o'clock": a time, written the way stories and letters write it."""
_PHONE: Final = re.compile(r"(?<![\w.])\+?\(?\d[\d \t()-]{6,}\d(?!\w|[.,]\d)")
_EMAIL: Final = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_CODE: Final = re.compile(r"\b(?=[A-Za-z0-9-]*[A-Za-z])(?=[A-Za-z0-9-]*\d)[A-Za-z0-9]+"
                          r"(?:-[A-Za-z0-9]+)*\b")
_AMOUNT_NUMBER: Final = re.compile(
    r"(?:[£$€¥]\s?)?(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:%|\s?percent)?")
_NUMBER_WORDS: Final = re.compile(
    r"\b(?:(?:" + "|".join([*_UNITS, *_SCALES]) + r")\b(?:[\s-]+(?:and[\s-]+)?)?)+",
    re.IGNORECASE)
_ONE_UNIT: Final = re.compile(
    r"\bone(?=[\s-]+(?:second|minute|hour|day|week|month|year|cat|dog|pet|person|bar)s?\b)",
    re.IGNORECASE)
"""'one' is a number when it counts something ("one month's notice"), else a pronoun."""
_QUOTED: Final = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{2,80})[\"\u201d]")
_CAPITALISED: Final = re.compile(r"\b[A-Z][a-z]+(?:['\u2019][a-z]+)?\b")
_WORD: Final = re.compile(r"[a-z0-9]+")

_NOT_NAMES: Final = frozenset({
    "i", "nimbus", "the", "a", "an", "it", "this", "that", "these", "those", "there", "they",
    "you", "your", "yes", "no", "from", "if", "when", "what", "where", "who", "why", "how",
    "please", "according", "in", "on", "at", "for", "and", "but", "so", "he", "she", "we",
    "my", "our", "his", "her", "its", "their", "as", "to", "do", "does", "is", "are", "be",
    "sorry", "unfortunately", "however", "also", "then", "after", "before", "ok", "okay",
})
"""Capitalised words that are no names even in the middle of a sentence (after a colon, …)."""


@dataclass(frozen=True, slots=True)
class Item:
    """One checkable item of a sentence: its kind, how it was written, its normalised keys."""

    kind: str
    """number, amount, date, time, phone, code, name or quote."""
    text: str
    keys: frozenset[str]


@dataclass(frozen=True, slots=True)
class GateVerdict:
    """What the gate found in one sentence."""

    supported: tuple[Item, ...]
    unsupported: tuple[Item, ...]

    @property
    def passed(self) -> bool:
        return not self.unsupported


def _number_key(value: float) -> str:
    return f"n:{int(value)}" if float(value).is_integer() else f"n:{value:g}"


def _words_value(phrase: str) -> float | None:
    """"twenty-five" -> 25, "one thousand two hundred" -> 1200, "a dozen"-free words only."""
    total = 0.0
    current = 0.0
    seen = False
    for word in re.split(r"[\s-]+", phrase.lower()):
        if not word or word == "and":
            continue
        if word in _UNITS:
            current += _UNITS[word]
            seen = True
        elif word in _SCALES:
            current = max(current, 1) * _SCALES[word]
            if _SCALES[word] >= 1000:
                total += current
                current = 0
            seen = True
    return total + current if seen else None


def _day_value(day: str) -> int | None:
    day = day.lower().replace("-", " ")
    digits = re.match(r"\d+", day)
    if digits:
        return int(digits.group())
    parts = day.split()
    if len(parts) == 2:
        return int(_UNITS.get(parts[0], 0)) + _ORDINALS.get(parts[1], 0)
    return _ORDINALS.get(day)


def _hour_keys(hour: int, minute: int, meridiem: str | None) -> set[str]:
    if hour > 24 or minute > 59:
        return set()
    if meridiem:
        pm = meridiem.lower().startswith("p")
        hour = hour % 12 + (12 if pm else 0)
        return {f"t:{hour:02d}:{minute:02d}"}
    keys = {f"t:{hour:02d}:{minute:02d}"}
    if hour < 12:  # "at 7:30" is 07:30 or 19:30
        keys.add(f"t:{hour + 12:02d}:{minute:02d}")
    return keys


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def find_items(text: str, *, evidence: bool = False) -> list[Item]:
    """The checkable items of ``text``, each span read once (dates before numbers, …).

    ``evidence`` reads more generously (every number word, names at a sentence start): it is
    used for the text the items are looked up in, not for the answer being checked.
    """
    items: list[Item] = []
    work = text

    def take(pattern: re.Pattern[str], kind: str,
             keys_of: Callable[[re.Match[str]], set[str]]) -> None:
        nonlocal work
        for match in list(pattern.finditer(work)):
            keys = keys_of(match)
            if keys:
                items.append(Item(kind, match.group().strip(), frozenset(keys)))
                work = _mask(work, match.start(), match.end())

    def email_keys(m: re.Match[str]) -> set[str]:
        return {f"c:{m.group().lower()}"}

    def dmy_keys(m: re.Match[str]) -> set[str]:
        day, month = _day_value(m.group(1)), _MONTHS[m.group(2).lower().rstrip(".")]
        return _date_keys(day, month, m.group(3))

    def mdy_keys(m: re.Match[str]) -> set[str]:
        day, month = _day_value(m.group(2)), _MONTHS[m.group(1).lower().rstrip(".")]
        return _date_keys(day, month, m.group(3))

    def numeric_date_keys(m: re.Match[str]) -> set[str]:
        a, b, c = (int(g) for g in m.groups())
        if len(m.group(1)) == 4:  # 2027-09-02
            return _date_keys(c, b, m.group(1))
        year = m.group(3) if len(m.group(3)) == 4 else f"20{m.group(3)}"
        keys: set[str] = set()
        if b <= 12:  # 02/09/2027, day first (UK)
            keys |= _date_keys(a, b, year)
        if a <= 12:  # 09/02/2027, month first (US)
            keys |= _date_keys(b, a, year)
        return keys

    def clock_keys(m: re.Match[str]) -> set[str]:
        if m.group(1) is not None:
            return _hour_keys(int(m.group(1)), int(m.group(2)), m.group(3))
        return _hour_keys(int(m.group(4)), 0, m.group(5))

    def part_of_day_keys(m: re.Match[str]) -> set[str]:
        hour, part = int(m.group(1)), m.group(3).lower()
        if part in ("tonight", "at night") and hour == 12:  # "12 at night" is midnight
            return {f"t:00:{int(m.group(2) or 0):02d}"}
        return _hour_keys(hour, int(m.group(2) or 0), "am" if part == "morning" else "pm")

    def day_alone_keys(m: re.Match[str]) -> set[str]:
        day = int(m.group(1))
        return {_number_key(day), f"dd:{day}"} if 1 <= day <= 31 else set()

    def time_word_keys(m: re.Match[str]) -> set[str]:
        return {"t:00:00"} if m.group().lower() == "midnight" else {"t:12:00"}

    def oclock_keys(m: re.Match[str]) -> set[str]:
        hour = m.group(1).lower()
        return _hour_keys(int(hour) if hour.isdigit() else int(_UNITS[hour]), 0, None)

    def phone_keys(m: re.Match[str]) -> set[str]:
        digits = re.sub(r"\D", "", m.group())
        spaced = bool(re.search(r"[\s()-]", m.group().strip()))
        if len(digits) < 7 or (not spaced and len(digits) < 9):
            return set()
        return {f"p:{digits[-9:]}"}

    def code_keys(m: re.Match[str]) -> set[str]:
        quantity = re.fullmatch(r"(\d+)[a-z]{1,3}", m.group().lower())
        if quantity:  # 2nd, 5kg, 30mins: a number with a unit, not a code
            return {_number_key(int(quantity.group(1)))}
        return {f"c:{re.sub(r'[^a-z0-9]', '', m.group().lower())}"}

    def month_keys(m: re.Match[str]) -> set[str]:
        word = m.group(1).lower().rstrip(".")
        if word == "may" and not m.group(1)[0].isupper():
            return set()  # "you may" is no month
        if word in ("mar", "jan", "sep", "dec", "oct", "nov", "jun", "jul", "aug", "apr",
                    "feb") and not m.group(1)[0].isupper():
            return set()
        return {f"m:{_MONTHS[word]}"}

    def weekday_keys(m: re.Match[str]) -> set[str]:
        return {f"w:{m.group(1).lower()}"}

    take(_EMAIL, "code", email_keys)
    take(_DATE_DMY, "date", dmy_keys)
    take(_DATE_MDY, "date", mdy_keys)
    take(_DATE_NUMERIC, "date", numeric_date_keys)
    take(_TIME_OF_DAY, "time", part_of_day_keys)
    take(_TIME_CLOCK, "time", clock_keys)
    take(_TIME_WORDS, "time", time_word_keys)
    take(_TIME_OCLOCK, "time", oclock_keys)
    take(_PHONE, "phone", phone_keys)
    take(_DAY_ALONE, "date", day_alone_keys)
    take(_CODE, "code", code_keys)
    take(_MONTH_ALONE, "date", month_keys)
    take(_WEEKDAY, "date", weekday_keys)

    for match in list(_AMOUNT_NUMBER.finditer(work)):
        whole = match.group(1).replace(",", "")
        value = float(f"{whole}.{match.group(2)}") if match.group(2) else float(whole)
        kind = "amount" if re.search(r"[£$€¥%]|percent", match.group()) else "number"
        items.append(Item(kind, match.group().strip(), frozenset({_number_key(value)})))
        work = _mask(work, match.start(), match.end())
    for match in list(_NUMBER_WORDS.finditer(work)):
        phrase = re.sub(r"[\s-]+and$", "", match.group().strip(" -"), flags=re.IGNORECASE)
        if (not evidence and phrase.lower() in _EVIDENCE_ONLY
                and not (phrase.lower() == "one" and _ONE_UNIT.match(work, match.start()))):
            continue
        spelled = _words_value(phrase)
        if spelled is not None:
            items.append(Item("number", phrase, frozenset({_number_key(spelled)})))
            work = _mask(work, match.start(), match.end())
    if evidence:
        for word, ordinal in _ORDINALS.items():
            if re.search(rf"\b{word}\b", work, re.IGNORECASE):
                items.append(Item("number", word, frozenset({_number_key(ordinal)})))

    items.extend(Item("quote", match.group(1), frozenset({f"q:{_phrase(match.group(1))}"}))
                 for match in _QUOTED.finditer(text))
    items.extend(_names(work, evidence=evidence))
    return items


def _date_keys(day: int | None, month: int, year: str | None) -> set[str]:
    if day is None or not 1 <= day <= 31 or not 1 <= month <= 12:
        return set()
    keys = {f"d:{month}-{day}", f"m:{month}"}
    if year:
        keys.add(f"y:{year}")
    return keys


def _phrase(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _names(text: str, *, evidence: bool) -> list[Item]:
    """Capitalised words that are not at the start of a sentence (or are followed by another)."""
    names: list[Item] = []
    for match in _CAPITALISED.finditer(text):
        word = match.group()
        lower = word.lower().replace("\u2019", "'")
        if lower in _NOT_NAMES or lower.split("'")[0] in _NOT_NAMES:
            continue
        before = text[:match.start()].rstrip()
        at_start = not before or before[-1] in ".!?:;\"\u201c(\n"
        if at_start and not evidence:
            after = text[match.end():]
            if not re.match(r"\s+[A-Z][a-z]", after) and _an_english_word(lower):
                continue  # "Pets are…": a capital because of its place, not a name ("Dave
                # is picking up the kids" is one: no English word)
        names.append(Item("name", word, frozenset({f"w:{lower.split(chr(39))[0]}"})))
    return names


def _an_english_word(word: str) -> bool:
    """Is ``word`` one WordNet knows (any part of speech)? Without WordNet, every word is."""
    found = lexicon()
    return not found.available or bool(found.base_forms(word.split("'", maxsplit=1)[0]))


def evidence_keys(texts: Iterable[str]) -> frozenset[str]:
    """Every key the evidence can support: its items read generously, and all of its words."""
    keys: set[str] = set()
    for text in texts:
        for item in find_items(text, evidence=True):
            keys |= item.keys
            if item.kind == "date":  # "2 September 2027" also supports the year and the day
                keys |= {f"n:{k[2:]}" for k in item.keys if k.startswith("y:")}
            if item.kind == "phone":  # the digits of a phone number, read as one number
                keys |= {f"n:{k[2:]}" for k in item.keys}
        keys |= {f"w:{word}" for word in _WORD.findall(text.lower())}
    return frozenset(keys)


def _quote_supported(item: Item, evidence: Iterable[str]) -> bool:
    needle = next(iter(item.keys))[2:]
    return any(needle in _phrase(text) for text in evidence)


def check_sentence(sentence: str, evidence: Iterable[str],
                   keys: frozenset[str] | None = None) -> GateVerdict:
    """Every checkable item of ``sentence``, split into supported and unsupported.

    ``keys`` (from :func:`evidence_keys` over the same ``evidence``) may be passed to read the
    evidence once for many sentences.
    """
    evidence = tuple(evidence)
    known = keys if keys is not None else evidence_keys(evidence)
    supported: list[Item] = []
    unsupported: list[Item] = []
    for item in find_items(sentence):
        if item.kind == "quote":
            ok = _quote_supported(item, evidence)
        elif item.kind == "date":
            # A date is supported by its day and month; a year it names must be there too.
            day_keys = {k for k in item.keys if k.startswith("d:")} or {
                k for k in item.keys if not k.startswith("y:")}
            year_keys = {k for k in item.keys if k.startswith("y:")}
            ok = bool(day_keys & known) and (
                not year_keys or bool(year_keys & known)
                or bool({f"n:{k[2:]}" for k in year_keys} & known))
            if not day_keys:
                ok = bool(year_keys & known)
        else:
            ok = bool(item.keys & known)
        (supported if ok else unsupported).append(item)
    return GateVerdict(tuple(supported), tuple(unsupported))


def from_one_sentence(sentence: str, evidence: Sequence[str],
                      keys: Sequence[frozenset[str]] | None = None) -> bool:
    """Do the facts of ``sentence`` (numbers, dates, codes…) all come from one evidence sentence?

    A small model moves a number from one line to another ("February: 265 kWh", read off the
    March row): each item is in the evidence, but not together. ``keys`` are
    :func:`evidence_keys` of each evidence sentence alone.
    """
    facts = [item for item in find_items(sentence) if item.kind in FACT_KINDS]
    if len(facts) < 2:
        return True
    per_sentence = keys if keys is not None else [evidence_keys([text]) for text in evidence]
    for text, known in zip(evidence, per_sentence, strict=True):
        verdict = check_sentence(sentence, [text], known)
        if not any(item.kind in FACT_KINDS for item in verdict.unsupported):
            return True
    return False
