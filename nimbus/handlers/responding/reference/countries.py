"""A country's currency and languages, read from the Unicode CLDR data Babel ships. Pure.

"What currency do they use in India?", "what language do they speak in Mexico", "what's the
money in Japan". WordNet names few currencies or languages by country; CLDR (what every
operating system formats money and languages with) lists each territory's currencies in use
today and its official and de facto languages. Only a country CLDR names is answered, in
CLDR's words ("the Indian rupee", "Hindi and English"); a region it does not list (Wales,
Catalonia) is left to the rest of the reference book.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from nimbus.handlers.responding.reference.asked import plain_question

__all__ = ["CountryFact", "answer_country_fact", "territory"]

_ALIASES: Final[dict[str, str]] = {
    "uk": "GB", "u k": "GB", "britain": "GB", "great britain": "GB", "england": "GB",
    "scotland": "GB", "northern ireland": "GB", "us": "US", "u s": "US", "usa": "US",
    "u s a": "US", "america": "US", "the states": "US", "united states of america": "US",
    "holland": "NL", "turkey": "TR", "korea": "KR", "south korea": "KR", "north korea": "KP",
    "czech republic": "CZ", "ivory coast": "CI", "burma": "MM", "russia": "RU",
    "the uae": "AE", "uae": "AE", "emirates": "AE", "vatican": "VA", "vatican city": "VA",
    "macedonia": "MK", "swaziland": "SZ", "east timor": "TL", "the congo": "CD",
    "congo": "CD", "dr congo": "CD", "cape verde": "CV", "the philippines": "PH",
}
_CURRENCY: Final = re.compile(
    r"^what(?: is|'s| are)? (?:the )?(?:currency|currencies|money)(?: is| are)? "
    r"(?:(?:do|does) (?:they|people|you) (?:use|have|spend|pay with) )?"
    r"(?:used |called |of |in |for )+(?P<place>[a-z .'-]+?)$"
    r"|^what (?:currency|money) (?:do|does) (?:they |people |you )?(?:use|have|spend) "
    r"(?:in |over in )(?P<place2>[a-z .'-]+?)$"
    r"|^what (?:currency|money) (?:does|do) (?P<place3>[a-z .'-]+?) (?:use|have)$")
_LANGUAGE: Final = re.compile(
    r"^what(?: is|'s| are)? (?:the )?(?:main |official |national )?languages? (?:is |are )?"
    r"(?:(?:do|does) (?:they|people|you|most people) speak |spoken |used |of |in )+"
    r"(?P<place>[a-z .'-]+?)$"
    r"|^what (?:main |official )?languages? (?:do|does) (?:they |people |most people )?"
    r"(?:speak|talk) (?:in |over in )(?P<place2>[a-z .'-]+?)$"
    r"|^what (?:main |official )?languages? (?:does|do) (?P<place3>[a-z .'-]+?) "
    r"(?:speak|use|have)$"
    r"|^what (?:language|languages) is spoken in (?P<place4>[a-z .'-]+?)$")


@dataclass(frozen=True, slots=True)
class CountryFact:
    """A spoken answer and where it was read."""

    text: str
    detail: str


@lru_cache(maxsize=1)
def _names() -> dict[str, tuple[str, str]]:
    """lower-case name -> (CLDR territory code, English name), aliases included."""
    from babel import Locale  # noqa: PLC0415 - CLDR's data loads only when first asked

    english = Locale("en")
    names = {name.lower(): (code, name) for code, name in english.territories.items()
             if code.isalpha()}
    for alias, code in _ALIASES.items():
        names[alias] = (code, english.territories.get(code, alias))
    return names


def territory(place: str) -> tuple[str, str] | None:
    """(CLDR code, English name) of a country as said ("the uk", "Japan"), or None."""
    text = re.sub(r"[^a-z' -]", " ", place.lower().replace("\u2019", "'"))
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"^(?:the country of |the )", "", text)
    return _names().get(text) or _names().get(f"the {text}")


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _the(country: str) -> str:
    """"the United Kingdom", "the Netherlands", but "France"."""
    plural = country.endswith("s") and not country.endswith(("Cyprus", "Barbados", "Laos"))
    return f"the {country}" if country.startswith(("United ", "Czech", "Dominican ")) or (
        plural and " " not in country) or (plural and country.startswith("Philippine")) else \
        country


def answer_country_fact(question: str, today: datetime.date | None = None) -> CountryFact | None:
    """The currency or the languages of the country ``question`` asks about, or None."""
    text = plain_question(question)
    if (match := _CURRENCY.match(text)) is not None:
        place = next(g for g in match.groups() if g)
        found = territory(place) or (("GB", "the United Kingdom") if territory(place) is None
                                      and re.sub(r"^the ", "", place) == "wales" else None)
        if found is None:
            return None
        return _currency(*found, today or datetime.date.today())
    if (match := _LANGUAGE.match(text)) is not None:
        place = next(g for g in match.groups() if g)
        found = territory(place)
        return None if found is None else _languages(*found)
    return None


def _currency(code: str, country: str, today: datetime.date) -> CountryFact | None:
    from babel.numbers import get_currency_name, get_territory_currencies  # noqa: PLC0415

    currencies = get_territory_currencies(code, today, tender=True)
    if not currencies:
        return None
    names = []
    for currency in currencies:
        words = get_currency_name(currency, locale="en").split()
        words[-1] = words[-1].lower()  # "the Japanese yen", "the euro"
        names.append("the " + " ".join(words))
    place = _the(country)
    verb = "is" if len(names) == 1 else "are"
    noun = "currency" if len(names) == 1 else "currencies"
    return CountryFact(f"The {noun} of {place} {verb} {_listed(names)}.",
                       f"CLDR territory {code}: currencies in use {', '.join(currencies)}")


def _languages(code: str, country: str) -> CountryFact | None:
    from babel import Locale  # noqa: PLC0415
    from babel.languages import get_official_languages  # noqa: PLC0415

    spoken = get_official_languages(code, de_facto=True)
    english = Locale("en")
    names = [english.languages.get(language) for language in spoken]
    if not names or any(name is None for name in names):
        return None
    place = _the(country)
    if len(names) == 1:
        text = f"People in {place} speak {names[0]}."
    else:
        text = f"The official languages of {place} are {_listed([n for n in names if n])}."
    return CountryFact(text, f"CLDR territory {code}: official and de facto languages "
                             f"{', '.join(spoken)}")
