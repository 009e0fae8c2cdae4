"""Unit conversions people ask a kitchen speaker, computed from the units' definitions. Pure.

"How many ounces are in a pound?", "what's 180 celsius in fahrenheit", "convert 5 miles to
km", "how many ml in a pint". The factors are the units' legal definitions (the inch is 2.54 cm
exactly, the avoirdupois pound 0.45359237 kg, the US gallon 231 cubic inches, the imperial
gallon 4.54609 litres), so an answer is as right as arithmetic. Where one name means different
amounts (a US or an imperial pint, a US or a metric cup, a short or a long ton, a common or a
leap year) every meaning is said unless they agree: "A US pint is about 473 millilitres; an
imperial pint is about 568." Units of different dimensions ("how many cups in a pound of
flour") are not converted: that needs a density nobody gave, so nothing is said.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Final

from nimbus.handlers.responding.intents.numbers import NUMBER, parse_number
from nimbus.handlers.responding.reference.asked import plain_question

__all__ = ["Conversion", "answer_conversion", "answer_water_point", "spoken_number"]


@dataclass(frozen=True, slots=True)
class _Unit:
    singular: str
    plural: str
    dimension: str
    meanings: tuple[tuple[str, float], ...]
    """(which meaning, its size in the dimension's base unit); one entry for most units."""
    offset: float = 0.0
    """Temperatures only: base = value * size + offset (kelvin)."""


def _u(singular: str, plural: str, dimension: str, *meanings: tuple[str, float],
       offset: float = 0.0) -> _Unit:
    return _Unit(singular, plural, dimension, meanings, offset)


_CALENDAR_YEAR: Final = _u("year", "years", "calendar", ("", 1.0))
_INCH: Final = 0.0254
_US_GALLON: Final = 231 * _INCH ** 3  # cubic metres
_IMPERIAL_GALLON: Final = 4.54609e-3
_POUND: Final = 0.45359237
_UNITS: Final[dict[str, _Unit]] = {
    # length, in metres
    "millimetre": _u("millimetre", "millimetres", "length", ("", 1e-3)),
    "centimetre": _u("centimetre", "centimetres", "length", ("", 1e-2)),
    "metre": _u("metre", "metres", "length", ("", 1.0)),
    "kilometre": _u("kilometre", "kilometres", "length", ("", 1e3)),
    "inch": _u("inch", "inches", "length", ("", _INCH)),
    "foot": _u("foot", "feet", "length", ("", 12 * _INCH)),
    "yard": _u("yard", "yards", "length", ("", 36 * _INCH)),
    "mile": _u("mile", "miles", "length", ("", 63360 * _INCH)),
    "nautical mile": _u("nautical mile", "nautical miles", "length", ("", 1852.0)),
    # mass, in kilograms
    "milligram": _u("milligram", "milligrams", "mass", ("", 1e-6)),
    "gram": _u("gram", "grams", "mass", ("", 1e-3)),
    "kilogram": _u("kilogram", "kilograms", "mass", ("", 1.0)),
    "tonne": _u("tonne", "tonnes", "mass", ("metric", 1e3)),
    "ounce": _u("ounce", "ounces", "mass", ("", _POUND / 16)),
    "pound": _u("pound", "pounds", "mass", ("", _POUND)),
    "stone": _u("stone", "stone", "mass", ("", 14 * _POUND)),
    "ton": _u("ton", "tons", "mass", ("US (short)", 2000 * _POUND),
              ("British (long)", 2240 * _POUND)),
    # volume, in cubic metres
    "millilitre": _u("millilitre", "millilitres", "volume", ("", 1e-6)),
    "centilitre": _u("centilitre", "centilitres", "volume", ("", 1e-5)),
    "litre": _u("litre", "litres", "volume", ("", 1e-3)),
    "teaspoon": _u("teaspoon", "teaspoons", "volume", ("US", _US_GALLON / 768),
                   ("metric", 5e-6)),
    "tablespoon": _u("tablespoon", "tablespoons", "volume", ("US", _US_GALLON / 256),
                     ("metric", 15e-6)),
    "fluid ounce": _u("fluid ounce", "fluid ounces", "volume", ("US", _US_GALLON / 128),
                      ("imperial", _IMPERIAL_GALLON / 160)),
    "cup": _u("cup", "cups", "volume", ("US", _US_GALLON / 16), ("metric", 250e-6)),
    "pint": _u("pint", "pints", "volume", ("US", _US_GALLON / 8),
               ("imperial", _IMPERIAL_GALLON / 8)),
    "quart": _u("quart", "quarts", "volume", ("US", _US_GALLON / 4),
                ("imperial", _IMPERIAL_GALLON / 4)),
    "gallon": _u("gallon", "gallons", "volume", ("US", _US_GALLON),
                 ("imperial", _IMPERIAL_GALLON)),
    # time, in seconds
    "second": _u("second", "seconds", "time", ("", 1.0)),
    "minute": _u("minute", "minutes", "time", ("", 60.0)),
    "hour": _u("hour", "hours", "time", ("", 3600.0)),
    "day": _u("day", "days", "time", ("", 86400.0)),
    "week": _u("week", "weeks", "time", ("", 604800.0)),
    "fortnight": _u("fortnight", "fortnights", "time", ("", 1209600.0)),
    "year": _u("year", "years", "time", ("common", 365 * 86400.0), ("leap", 366 * 86400.0)),
    "leap year": _u("leap year", "leap years", "time", ("", 366 * 86400.0)),
    "common year": _u("common year", "common years", "time", ("", 365 * 86400.0)),
    # the calendar's counts, in years: a century is 100 years, however many days they hold
    "decade": _u("decade", "decades", "calendar", ("", 10.0)),
    "century": _u("century", "centuries", "calendar", ("", 100.0)),
    "millennium": _u("millennium", "millennia", "calendar", ("", 1000.0)),
    "month": _u("month", "months", "calendar", ("", 1 / 12)),
    # area, in square metres
    "square metre": _u("square metre", "square metres", "area", ("", 1.0)),
    "square foot": _u("square foot", "square feet", "area", ("", (12 * _INCH) ** 2)),
    "square mile": _u("square mile", "square miles", "area", ("", (63360 * _INCH) ** 2)),
    "square kilometre": _u("square kilometre", "square kilometres", "area", ("", 1e6)),
    "acre": _u("acre", "acres", "area", ("", 43560 * (12 * _INCH) ** 2)),
    "hectare": _u("hectare", "hectares", "area", ("", 1e4)),
    # speed, in metres per second
    "mile per hour": _u("mile per hour", "miles per hour", "speed", ("", 63360 * _INCH / 3600)),
    "kilometre per hour": _u("kilometre per hour", "kilometres per hour", "speed",
                             ("", 1000 / 3600)),
    # temperature, in kelvin
    # angles, in degrees: a degree is a 360th of a full turn, by definition
    "degree": _u("degree", "degrees", "angle", ("", 1.0)),
    "circle": _u("circle", "circles", "angle", ("", 360.0)),
    "full turn": _u("full turn", "full turns", "angle", ("", 360.0)),
    "right angle": _u("right angle", "right angles", "angle", ("", 90.0)),
    "straight angle": _u("straight angle", "straight angles", "angle", ("", 180.0)),
    "degree celsius": _u("degree Celsius", "degrees Celsius", "temperature", ("", 1.0),
                         offset=273.15),
    "degree fahrenheit": _u("degree Fahrenheit", "degrees Fahrenheit", "temperature",
                            ("", 5 / 9), offset=273.15 - 32 * 5 / 9),
    "kelvin": _u("kelvin", "kelvin", "temperature", ("", 1.0)),
}
_ALIASES: Final[dict[str, str]] = {
    "mm": "millimetre", "cm": "centimetre", "m": "metre", "km": "kilometre", "k": "kilometre",
    "in": "inch", "ft": "foot", "yd": "yard", "mi": "mile", "mg": "milligram", "g": "gram",
    "gramme": "gram", "kg": "kilogram", "kilo": "kilogram", "oz": "ounce", "lb": "pound",
    "lbs": "pound", "st": "stone", "metric ton": "tonne", "ml": "millilitre", "mls": "millilitre",
    "cl": "centilitre", "l": "litre", "tsp": "teaspoon", "tbsp": "tablespoon",
    "straight line": "straight angle", "half turn": "straight angle", "full circle": "circle",
    "revolution": "full turn", "turn": "full turn", "normal year": "common year",
    "ordinary year": "common year",
    "fl oz": "fluid ounce", "sec": "second", "secs": "second", "min": "minute",
    "mins": "minute", "hr": "hour", "hrs": "hour", "mph": "mile per hour",
    "mile an hour": "mile per hour", "kph": "kilometre per hour", "km h": "kilometre per hour",
    "kmh": "kilometre per hour", "km an hour": "kilometre per hour",
    "kilometre an hour": "kilometre per hour", "sq ft": "square foot", "sq m": "square metre",
    "celsius": "degree celsius", "centigrade": "degree celsius", "c": "degree celsius",
    "degree c": "degree celsius", "degree centigrade": "degree celsius",
    "fahrenheit": "degree fahrenheit", "f": "degree fahrenheit",
    "degree f": "degree fahrenheit", "degree kelvin": "kelvin",
}
_AMERICAN: Final = (("meter", "metre"), ("liter", "litre"))


def _unit_key(phrase: str) -> str | None:
    """The table's key for a unit as said ("kilos", "fl. oz", "Miles an hour", "liters")."""
    text = re.sub(r"[^a-z ]", " ", phrase.lower())
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"^(?:an?|one|the|us|american|imperial|british|uk|metric) ", "", text)
    for american, british in _AMERICAN:
        text = text.replace(american, british)
    candidates = [text]
    words = text.split()
    for index, word in enumerate(words):  # "miles per hour", "square feet", "degrees"
        candidates.extend(" ".join([*words[:index], singular, *words[index + 1:]])
                          for singular in _singulars(word))
    for candidate in candidates:
        key = _ALIASES.get(candidate, candidate)
        if key in _UNITS:
            return key
    return None


def _singulars(word: str) -> list[str]:
    irregular = {"feet": "foot", "inches": "inch", "centuries": "century", "degrees": "degree",
                 "millennia": "millennium"}
    if word in irregular:
        return [irregular[word]]
    return [word[:-2], word[:-1]] if word.endswith("es") else [word[:-1]] if word.endswith(
        "s") else []


@dataclass(frozen=True, slots=True)
class Conversion:
    """A conversion's spoken answer and what it was computed from."""

    text: str
    detail: str


def spoken_number(value: float) -> tuple[str, bool]:
    """(the number as said, whether it was rounded): exactly when it has three decimals at
    most (2.54, 91.44), else to three significant figures."""
    if value < 0:
        number, was_rounded = spoken_number(-value)
        return f"minus {number}", was_rounded
    for decimals in range(4):
        if math.isclose(value, round(value, decimals), rel_tol=0, abs_tol=1e-9):
            return f"{round(value, decimals):,.{decimals}f}", False
    digits = max(0, 2 - math.floor(math.log10(abs(value)))) if value else 0
    rounded = round(value, min(digits, 3))
    text = f"{rounded:,.{min(digits, 3)}f}".rstrip("0").rstrip(".")
    return text, True


_UNIT_WORDS: Final = r"[a-z][a-z./ ]*?"
_HOW_MANY: Final = re.compile(
    rf"^how many (?P<to>{_UNIT_WORDS}) (?:are )?(?:there )?(?:in|to|make up|go into|per) "
    rf"(?P<amount>an?|one|{NUMBER}) (?P<from>{_UNIT_WORDS})$"
    rf"|^how many (?P<to2>{_UNIT_WORDS}) (?:is|are|make|makes|equals?|in) "
    rf"(?P<amount2>an?|one|{NUMBER}) (?P<from2>{_UNIT_WORDS})$")
_CONVERT: Final = re.compile(
    rf"^(?:(?:what|how much|how many|how far|how long|how heavy|how hot|how cold)(?: is|'s| are)"
    rf" |convert |change |turn )?(?P<amount>{NUMBER}) (?P<from>{_UNIT_WORDS}) "
    rf"(?:in|to|into|as|in to) (?P<to>{_UNIT_WORDS})$")


def answer_conversion(question: str) -> Conversion | None:
    """The spoken answer to a unit conversion question, or None when it is not one."""
    text = plain_question(question.replace("°", " degrees "))
    text = re.sub(r"^(?:about|roughly|approximately|more or less|so) (?=how )", "", text)
    text = re.sub(r"\byear that (?:isn't|is not|'s not|isnt) a leap year\b|\bnon-? ?leap year\b",
                  "common year", text)
    match = _HOW_MANY.match(text)
    if match is not None:
        to = match.group("to") or match.group("to2")
        source = match.group("from") or match.group("from2")
        amount_text = match.group("amount") or match.group("amount2")
        how_many = True
    else:
        match = _CONVERT.match(text)
        if match is None:
            return None
        to, source, amount_text = match.group("to"), match.group("from"), match.group("amount")
        how_many = False
    amount = 1.0 if amount_text in ("a", "an", "one") else parse_number(amount_text)
    from_key, to_key = _unit_key(source), _unit_key(to)
    if amount is None or from_key is None or to_key is None or from_key == to_key:
        return None
    unit_from, unit_to = _UNITS[from_key], _UNITS[to_key]
    if "calendar" in (unit_from.dimension, unit_to.dimension):  # "years in a century"
        unit_from, unit_to = (_CALENDAR_YEAR if key == "year" else _UNITS[key]
                              for key in (from_key, to_key))
    if {unit_from.dimension, unit_to.dimension} == {"mass", "volume"} and "ounce" in (
            from_key, to_key):  # "ounces in a cup": fluid ounces
        from_key, to_key = (("fluid ounce" if key == "ounce" else key) for key in (from_key,
                                                                                    to_key))
        unit_from, unit_to = _UNITS[from_key], _UNITS[to_key]
    if unit_from.dimension != unit_to.dimension or (
            unit_from.dimension == "temperature" and how_many):
        return None
    results = _convert(amount, unit_from, unit_to)
    said = [_whole_and_rest(value, unit_to) if unit_to.dimension == "time" else
            spoken_number(value) for _, _, value in results]
    if len({text for text, _ in said}) == 1:  # every meaning agrees: say it once
        number, rounded = said[0]
        return Conversion(_sentence(amount, amount_text, (unit_from, ""), (unit_to, ""),
                                    number, rounded, how_many), _detail(unit_from, unit_to))
    parts = [_sentence(amount, amount_text, (unit_from, meaning), (unit_to, target), number,
                       rounded, how_many)
             for (meaning, target, _), (number, rounded) in zip(results, said, strict=True)]
    return Conversion(" ".join(parts), _detail(unit_from, unit_to))


def _convert(amount: float, unit_from: _Unit, unit_to: _Unit) -> list[tuple[str, str, float]]:
    """(the source's meaning, the target's, the amount in ``unit_to``) for every meaning of an
    ambiguous unit, both read in the same system where they can be (a US cup in US
    tablespoons); a meaning is "" where the unit has only one."""
    out: list[tuple[str, str, float]] = []
    for meaning, size in unit_from.meanings:
        targets = [(m, s) for m, s in unit_to.meanings if m == meaning] or list(unit_to.meanings)
        for target_meaning, target_size in targets:
            value = (amount * size + unit_from.offset - unit_to.offset) / target_size
            out.append((meaning if len(unit_from.meanings) > 1 else "",
                        target_meaning if len(unit_to.meanings) > 1 else "", value))
    return out


def _named(count: float, amount_text: str, unit: _Unit, meaning: str) -> str:
    words = unit.singular if math.isclose(count, 1) else unit.plural
    kind = f"{meaning} " if meaning and meaning not in ("common", "leap") else ""
    article = _article(kind or words)
    if math.isclose(count, 1) and amount_text in ("a", "an", "one"):
        return f"{article} {kind}{words}"
    return f"{spoken_number(count)[0]} {kind}{words}"


def _article(word: str) -> str:
    """"an hour", "an imperial pint", "a US cup", "a metric cup"."""
    lowered = word.lower()
    vowel = lowered[:1] in "aeiou" and not lowered.startswith(("us", "uni", "one", "eu"))
    return "an" if vowel or lowered.startswith(("hour", "honest")) else "a"


_SMALLER: Final = ("day", "hour", "minute", "second")


def _whole_and_rest(value: float, unit: _Unit) -> tuple[str, bool]:
    """A time that is not a whole number of ``unit``s as whole ones and the rest in a smaller
    unit where that comes out whole: a year is "52 weeks and 1 day", not "about 52.1 weeks"."""
    number, rounded = spoken_number(value)
    if not rounded or len(unit.meanings) != 1:
        return number, rounded
    whole = math.floor(value)
    rest = (value - whole) * unit.meanings[0][1]
    for smaller in _SMALLER:
        size = _UNITS[smaller].meanings[0][1]
        if size < unit.meanings[0][1] and math.isclose(rest / size, round(rest / size),
                                                       abs_tol=1e-6) and round(rest / size):
            count = round(rest / size)
            name = _UNITS[smaller].singular if count == 1 else _UNITS[smaller].plural
            units = unit.singular if whole == 1 else unit.plural
            return f"{whole:,} {units} and {count} {name}", False
    return number, rounded


def _sentence(amount: float, amount_text: str, source_unit: tuple[_Unit, str],  # noqa: PLR0917
              target_unit: tuple[_Unit, str], number: str, rounded: bool,
              how_many: bool) -> str:
    (unit_from, meaning), (unit_to, target_meaning) = source_unit, target_unit
    about = "about " if rounded else ""
    source = _named(amount, amount_text, unit_from, meaning)
    target = unit_to.singular if number == "1" else unit_to.plural
    if " and " in number:  # "52 weeks and 1 day": the units are in the number
        number, target = number.split(" ", 1)
    if target_meaning and target_meaning != meaning and target_meaning not in ("common", "leap"):
        target = f"{target_meaning} {target}"
    if meaning in ("common", "leap"):
        source = f"a {meaning} year" if amount_text in ("a", "an", "one") else \
            f"{spoken_number(amount)[0]} {meaning} years"
    if how_many and not rounded:
        return f"There {'is' if number == '1' else 'are'} {number} {target} in {source}."
    return f"{source[:1].upper()}{source[1:]} is {about}{number} {target}."


def _detail(unit_from: _Unit, unit_to: _Unit) -> str:
    def sizes(unit: _Unit) -> str:
        return ", ".join(f"{m or unit.singular}: {s:g}" for m, s in unit.meanings)
    return (f"{unit_from.singular} ({sizes(unit_from)}) to {unit_to.singular} "
            f"({sizes(unit_to)}), by definition ({unit_from.dimension})")


_WATER: Final = re.compile(
    r"^(?:what(?:'s| is) the (?P<point>boiling|freezing|melting) point of (?:pure |fresh )?water"
    r"|(?:at )?what temperature (?:does|do|will) (?:pure |fresh )?water (?P<verb>boil|freeze)"
    r"(?: at)?)(?: in (?P<scale>celsius|centigrade|fahrenheit|kelvin))?$")
_WATER_POINTS: Final = {"boil": {"celsius": 100.0}, "freeze": {"celsius": 0.0}}
"""The two fixed points the Celsius scale was defined by (at standard sea-level pressure):
the other scales' values are worked out with the temperature conversions above."""


def answer_water_point(question: str) -> Conversion | None:
    """"Water boils at 100 degrees Celsius (212 degrees Fahrenheit) at sea level.", or None."""
    match = _WATER.match(plain_question(question))
    if match is None:
        return None
    verb = match.group("verb") or ("boil" if match.group("point") == "boiling" else "freeze")
    celsius = _WATER_POINTS[verb]["celsius"]
    asked = match.group("scale") or "celsius"
    asked_key = "kelvin" if asked == "kelvin" else _unit_key(asked)
    other_key = "degree fahrenheit" if asked in ("celsius", "centigrade") else "degree celsius"
    if asked_key is None:
        return None
    said = []
    for key in (asked_key, other_key):
        value = _convert(celsius, _UNITS["degree celsius"], _UNITS[key])[0][2]
        number, _ = spoken_number(value)
        said.append(f"{number} {_UNITS[key].plural if value != 1 else _UNITS[key].singular}")
    verb_said = {"boil": "Water boils", "freeze": "Water freezes"}[verb]
    if match.group("point") == "melting":
        verb_said = "Ice melts"
    return Conversion(f"{verb_said} at {said[0]} ({said[1]}) at sea level.",
                      "the Celsius scale's fixed points: water freezes at 0 and boils at 100 "
                      "degrees Celsius at standard sea-level pressure")
