"""Sums people ask a speaker ("what's 15 percent of 80", "12 times 7", "square root of 144"),
computed, never written by a model. Pure.

Only a question that is a sum and nothing else is taken: two numbers (in digits or words) with
one operation between them, a percentage of a number, a fraction of a number, a square root, a
square or a cube. Anything around it ("how many days until …", "what's 7 times the number of
…") is not a sum this can read, so it is left alone. Division by zero is said to be undefined.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Final

from nimbus.handlers.responding.intents.numbers import NUMBER, parse_number
from nimbus.handlers.responding.reference.asked import plain_question
from nimbus.handlers.responding.reference.units import spoken_number

__all__ = ["Sum", "answer_sum"]

_OPERATIONS: Final[dict[str, str]] = {
    "plus": "+", "add": "+", "+": "+",
    "minus": "-", "take away": "-", "takeaway": "-", "less": "-", "-": "-",
    "times": "*", "multiplied by": "*", "x": "*", "*": "*", "into": "*",
    "divided by": "/", "over": "/", "/": "/", "divided into": "\\",
}
_OPERATION: Final = "|".join(re.escape(o) for o in sorted(_OPERATIONS, key=len, reverse=True))
_ASK: Final = (r"^(?:what(?: is|'s)|what does|how much is|how much does|calculate|work out|"
               r"compute|tell me)?\s*")
_BINARY: Final = re.compile(
    rf"{_ASK}(?P<a>{NUMBER})\s*(?P<op>{_OPERATION})\s*(?P<b>{NUMBER})"
    r"(?:\s*(?:make|makes|equal|equals|come to|is))?$")
_PERCENT: Final = re.compile(
    rf"{_ASK}(?P<a>{NUMBER})\s*(?:%|percent|per cent) of (?P<b>{NUMBER})$")
_FRACTIONS: Final[dict[str, float]] = {
    "half": 1 / 2, "a half": 1 / 2, "a third": 1 / 3, "one third": 1 / 3, "a quarter": 1 / 4,
    "one quarter": 1 / 4, "three quarters": 3 / 4, "two thirds": 2 / 3, "a fifth": 1 / 5,
    "a tenth": 1 / 10, "double": 2.0, "twice": 2.0, "triple": 3.0}
_FRACTION: Final = re.compile(
    rf"{_ASK}(?P<part>{'|'.join(sorted(_FRACTIONS, key=len, reverse=True))})(?: of)? "
    rf"(?P<b>{NUMBER})$")
_ROOT: Final = re.compile(rf"{_ASK}(?:the )?square root of (?P<a>{NUMBER})$")
_POWER: Final = re.compile(rf"{_ASK}(?P<a>{NUMBER}) (?P<power>squared|cubed)$")
_LARGEST: Final = 1e15
"""Past this a spoken number stops meaning anything to a listener: left alone."""


@dataclass(frozen=True, slots=True)
class Sum:
    """A computed answer and the sum as read."""

    text: str
    detail: str


def _clean(question: str) -> str:
    text = plain_question(question.replace("\u00d7", " x ").replace("\u00f7", " / "))
    text = re.sub(r"(?<=\d)(?=[x*/+%-])|(?<=[x*/+%-])(?=\d)", " ", text)  # 12x7, 5+3
    return re.sub(r"\s+", " ", text).strip()


def _said(value: float) -> str:
    number, rounded = spoken_number(value)
    return f"about {number}" if rounded else number


def _number(text: str) -> float | None:
    value = parse_number(text)
    return None if value is None or abs(value) > _LARGEST else value


def answer_sum(question: str) -> Sum | None:
    """The spoken result of a sum asked in ``question``, or None when it is not only a sum."""
    text = _clean(question)
    if (match := _PERCENT.match(text)) is not None:
        a, b = _number(match.group("a")), _number(match.group("b"))
        if a is None or b is None:
            return None
        return Sum(f"{spoken_number(a)[0]} percent of {spoken_number(b)[0]} is "
                   f"{_said(a * b / 100)}.", f"{a:g} % of {b:g}")
    if (match := _FRACTION.match(text)) is not None:
        b = _number(match.group("b"))
        if b is None:
            return None
        part = match.group("part")
        of = "" if part in ("double", "triple", "twice") else "of "
        return Sum(f"{part[:1].upper()}{part[1:]} {of}{spoken_number(b)[0]} is "
                   f"{_said(_FRACTIONS[part] * b)}.",
                   f"{_FRACTIONS[part]:g} x {b:g}")
    if (match := _ROOT.match(text)) is not None:
        a = _number(match.group("a"))
        if a is None or a < 0:
            return None
        return Sum(f"The square root of {spoken_number(a)[0]} is {_said(math.sqrt(a))}.",
                   f"sqrt({a:g})")
    if (match := _POWER.match(text)) is not None:
        a = _number(match.group("a"))
        if a is None:
            return None
        power = 2 if match.group("power") == "squared" else 3
        return Sum(f"{spoken_number(a)[0]} {match.group('power')} is {_said(a ** power)}.",
                   f"{a:g}^{power}")
    if (match := _BINARY.match(text)) is None:
        return None
    a, b = _number(match.group("a")), _number(match.group("b"))
    operation = _OPERATIONS[match.group("op")]
    if a is None or b is None:
        return None
    words = {"+": "plus", "-": "minus", "*": "times", "/": "divided by", "\\": "divided by"}
    if operation == "\\":  # "5 divided into 20"
        a, b = b, a
    if operation in "/\\" and b == 0:
        return Sum(f"{spoken_number(a)[0]} divided by zero has no answer: dividing by zero is "
                   "undefined.", f"{a:g} / 0")
    result = {"+": a + b, "-": a - b, "*": a * b}.get(operation, a / b if b else math.nan)
    return Sum(f"{spoken_number(a)[0]} {words[operation]} {spoken_number(b)[0]} is "
               f"{_said(result)}.", f"{a:g} {operation.replace(chr(92), '/')} {b:g}")
