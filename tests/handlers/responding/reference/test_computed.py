"""Answers worked out rather than read: sums, unit conversions (from the units' legal
definitions) and a country's currency and languages (Unicode CLDR, as Babel ships it)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from nimbus.handlers.responding.reference.arithmetic import answer_sum
from nimbus.handlers.responding.reference.book import ReferenceBook, computed, reference_grounding
from nimbus.handlers.responding.reference.countries import answer_country_fact
from nimbus.handlers.responding.reference.units import answer_conversion, spoken_number


@pytest.mark.parametrize(("question", "said"), [
    ("how many centimetres are there in a yard", "There are 91.44 centimetres in a yard."),
    ("How many pounds in a stone?", "There are 14 pounds in a stone."),
    ("what's 400 grams in ounces", "400 grams is about 14.1 ounces."),
    ("convert 30 kilometres to miles", "30 kilometres is about 18.6 miles."),
    ("what is 40 degrees celsius in fahrenheit", "40 degrees Celsius is 104 degrees Fahrenheit."),
    ("how many minutes in a fortnight", "There are 20,160 minutes in a fortnight."),
    ("what's 60 mph in km/h", "60 miles per hour is about 96.6 kilometres per hour."),
    ("how many days is 50 hours", "There are 2 days and 2 hours in 50 hours."),
    ("About how many kilometres is a mile?", "A mile is about 1.61 kilometres."),
    # the calendar's counts: once "A century is about 1 year. A century is about 99.8 years."
    ("how many years in a century", "There are 100 years in a century."),
    ("how many months are in two years", "There are 24 months in 2 years."),
    ("how many days are in a year that isn't a leap year", "There are 365 days in a common year."),
    ("how many degrees are there in a circle", "There are 360 degrees in a circle."),  # angles
])
def test_a_conversion_is_computed_from_the_definitions(question: str, said: str) -> None:
    found = answer_conversion(question)
    assert found is not None, question
    assert found.text == said, question


@pytest.mark.parametrize(("question", "said"), [
    ("What's the boiling point of water in Celsius?",
     "Water boils at 100 degrees Celsius (212 degrees Fahrenheit) at sea level."),
    ("what temperature does water freeze at in fahrenheit",
     "Water freezes at 32 degrees Fahrenheit (0 degrees Celsius) at sea level."),
    ("what's the melting point of water", "Ice melts at 0 degrees Celsius (32 degrees "
                                          "Fahrenheit) at sea level."),
])
def test_water_boils_and_freezes_at_the_celsius_scales_fixed_points(question: str,
                                                                   said: str) -> None:
    found = computed(question)
    assert found is not None, question
    assert found.text == said
    assert computed("what's the boiling point of milk") is None  # no fixed point of a scale


def test_a_unit_with_two_meanings_gets_both_unless_they_agree() -> None:
    gallon = answer_conversion("how many pints in a gallon")  # 8 in either system
    assert gallon is not None
    assert gallon.text == "There are 8 pints in a gallon."
    litres = answer_conversion("how many litres in a quart")
    assert litres is not None
    assert "US quart is about 0.946 litres" in litres.text
    assert "imperial quart is about 1.14 litres" in litres.text
    spoons = answer_conversion("how many teaspoons in a tablespoon")
    assert spoons is not None
    assert spoons.text == "There are 3 teaspoons in a tablespoon."


@pytest.mark.parametrize("question", [
    "how many cups in a kilogram",  # mass to volume: needs a density nobody gave
    "how many days until my birthday", "how many people fit in a minibus",
    "what's 20 dollars in euros",  # a rate of the day: not a definition
    "how many degrees celsius in a degree fahrenheit",  # an offset scale has no "how many"
    "how many days in a century", "how many weeks in a month",  # it depends on which one
    "what's 30 degrees in celsius",  # an angle or a temperature: not said
])
def test_what_is_not_a_conversion_of_defined_units_is_left_alone(question: str) -> None:
    assert answer_conversion(question) is None


@pytest.mark.parametrize(("question", "said"), [
    ("what's 35 percent of 260", "35 percent of 260 is 91."),
    ("what is nine times eight", "9 times 8 is 72."),
    ("whats 144 divided by 16", "144 divided by 16 is 9."),
    ("what's 7 divided by 4", "7 divided by 4 is 1.75."),
    ("what is 20 minus 45", "20 minus 45 is minus 25."),
    ("what's the square root of 169", "The square root of 169 is 13."),
    ("what is 13 squared", "13 squared is 169."),
    ("what's three quarters of 200", "Three quarters of 200 is 150."),
    ("what is 2 divided by 3", "2 divided by 3 is about 0.667."),
])
def test_a_sum_is_computed(question: str, said: str) -> None:
    found = answer_sum(question)
    assert found is not None, question
    assert found.text == said, question


@pytest.mark.parametrize("question", [
    "what's 9 times the number of planets", "what is the time", "how many sleeps until friday",
    "what's 4 and 5",  # "and" is no operation people mean for sure
])
def test_what_is_not_only_a_sum_is_left_alone(question: str) -> None:
    assert answer_sum(question) is None


def test_dividing_by_zero_is_said_to_be_undefined() -> None:
    found = answer_sum("what's 12 divided by 0")
    assert found is not None
    assert "undefined" in found.text


def test_spoken_numbers_round_to_three_figures_and_say_so() -> None:
    assert spoken_number(2.54) == ("2.54", False)
    assert spoken_number(3.14159) == ("3.14", True)
    assert spoken_number(1234567.0) == ("1,234,567", False)


@pytest.mark.parametrize(("question", "said"), [
    ("what currency do they use in sweden", "The currency of Sweden is the Swedish krona."),
    ("what's the money in south africa", "The currency of South Africa is the South African rand."),
    ("what currency does poland use", "The currency of Poland is the Polish zloty."),
    ("what language do they speak in argentina", "People in Argentina speak Spanish."),
    ("what languages are spoken in belgium",
     "The official languages of Belgium are Dutch, French and German."),
    ("what is the official language of the philippines",
     "The official languages of the Philippines are English and Filipino."),
])
def test_a_countrys_currency_and_languages_come_from_cldr(question: str, said: str) -> None:
    found = answer_country_fact(question, datetime.date(2026, 12, 7))
    assert found is not None, question
    assert found.text == said, question


@pytest.mark.parametrize("question", [
    "what currency do they use in narnia", "what language do they speak in catalonia",
    "what's the currency of my bank account",
])
def test_a_place_cldr_does_not_list_is_left_alone(question: str) -> None:
    assert answer_country_fact(question) is None


def test_a_computed_answer_needs_no_index_and_names_its_source(tmp_path: Path) -> None:
    book = ReferenceBook(tmp_path / "no-wordnet-here")  # never opened: no definitions
    found = book.answer("what's 25 percent of 60")
    assert found is not None
    assert found.text == "25 percent of 60 is 15."
    grounding = reference_grounding(found)
    assert grounding.status == "general"
    assert grounding.evidence[0].path == "arithmetic"
    assert computed("what is the capital of peru") is None  # a definition's question
    assert book.answer("what is the capital of peru") is None
