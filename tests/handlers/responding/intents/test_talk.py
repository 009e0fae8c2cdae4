"""Requests wrapped in talk: the act is found by its key phrase when nothing else asks."""

from __future__ import annotations

import pytest

from nimbus.handlers.responding.intents.rules import match_intent
from nimbus.handlers.responding.intents.talk import clock_in_talk, social_intent


@pytest.mark.parametrize(("said", "act"), [
    ("thanks nimbus you're a legend", "thanks"),
    ("great stuff cheers", "thanks"),
    ("thanks heaps", "thanks"),
    ("i'll leave you to it bye", "goodbye"),
    ("right i'm heading out see you", "goodbye"),
    ("hi nimbus it's me again", "greeting"),
    ("Hello there, how do you do?", "greeting"),
    ("hows it hanging", "how_are_you"),
    ("you keeping well", "how_are_you"),
    ("sorry the kettle was on can you say that again", "repeat"),
    ("could you run that by me again", "repeat"),
    ("never mind i'll sort it myself", "never_mind"),
    ("i was talking to my husband not you", "never_mind"),
    ("so what can i use you for", "capabilities"),
    ("ok thanks, never mind", "never_mind"),  # the first act in priority order
    ("thanks, bye", "goodbye"),
    ("wagwan", "greeting"),
    ("mornin", "greeting"),
    ("how are ye keeping", "how_are_you"),
])
def test_a_sociable_act_is_found_in_any_wording(said: str, act: str) -> None:
    assert social_intent(said) == act


@pytest.mark.parametrize("said", [
    "thank you for the music who sang that",  # a question rides on the thanks
    "how do you say goodbye in spanish",
    "what's the opposite of hello",
    "thanks to you I was late",
    "thanks for nothing",
    "did arsenal win last night",  # "night" is no goodnight here
    "activate movie night",
    "how are you able to hear me",
    "hello can you turn the heating up",  # a request nobody understood is not talk
    "say hello to my little friend is from which film",
])
def test_talk_around_a_request_or_question_is_not_taken_for_an_act(said: str) -> None:
    assert social_intent(said) is None


@pytest.mark.parametrize(("said", "clock"), [
    ("sorry to bother you what time have we got", "time"),
    ("nimbus do us a favour and tell me the time", "time"),
    ("is it half five yet", "time"),
    ("hey whats the time gone", "time"),
    ("um what's the date i need to sign this", "date"),
    ("honestly what day is it i've lost all track", "weekday"),
    ("is it the 8th today", "date"),
    ("is it past midnight", "time"),
    ("is it nearly dinner time what time do you make it", "time"),
    ("um is today the twelfth or the thirteenth", "date"),
    ("is it late already like what time we at", "time"),
    ("which date is today my pen is in my hand waiting", "date"),  # "in my hand" is no place
])
def test_a_clock_question_is_found_among_other_talk(said: str, clock: str) -> None:
    assert clock_in_talk(said) == clock
    found = match_intent(said)
    assert found is not None
    assert found.name == clock


@pytest.mark.parametrize("said", [
    "what's the time signature of a waltz",
    "sorry what time is it in sydney",
    "what's the time of the match",
    "what day is the bin collection",
    "what's the date of the wedding, I forgot",
])
def test_a_clock_word_in_another_question_is_no_clock_question(said: str) -> None:
    assert clock_in_talk(said) is None
