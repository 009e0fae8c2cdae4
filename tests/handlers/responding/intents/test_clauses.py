"""A request inside a longer sentence: after a thanks or greeting, with a remark or a messenger
round a clock question; and what must stay unclaimed."""

from __future__ import annotations

import pytest

from nimbus.daemon.events import Command
from nimbus.handlers.responding.intents.rules import intent_for, match_intent


@pytest.mark.parametrize(("said", "name", "slots"), [
    ("Cheers, and could you put a timer on for fifteen minutes?", "timer_set",
     {"seconds": "900"}),
    ("hello can you start a timer for half an hour", "timer_set", {"seconds": "1800"}),
    ("ta, and wake me up at six", "alarm_set", {"time": "06:00"}),
    ("what's the time, I've got a bus to catch", "time", {}),
    ("quick what time is it I'm running behind", "time", {}),
    ("my teacher said to ask you what time it is", "time", {}),
    ("oh I've lost my glasses, what's the date please", "date", {}),
    ("which day is it again, I'm all muddled", "weekday", {}),
    ("grandpa needs to know what time it is", "time", {}),
    ("what's the time my darling, I'm off out soon", "time", {}),
    ("thank you, and an alarm for 7 am please", "alarm_set", {"time": "07:00"}),
    # a thanks after the request is no part of it
    ("wake me at seven thanks mate", "alarm_set", {"time": "07:00"}),
    ("turn the lights on ta", "home_control", {"action": "turn_on"}),
    ("switch the heating off cheers bye", "home_control", {"action": "turn_off"}),
    ("remember the code is 1234, cheers", "remember", {"note": "the code is 1234"}),
])
def test_the_request_inside_the_sentence_is_claimed(said: str, name: str,
                                                    slots: dict[str, str]) -> None:
    found = match_intent(said)
    assert found is not None, said
    assert found.name == name, said
    assert {k: found.slots.get(k) for k in slots} == slots


@pytest.mark.parametrize("said", [
    "thanks, what's the capital of Peru",  # a thanks before a question of the world's
    "hello, who wrote Hamlet",
    "thanks to you I was late",  # the thanks runs on: no request begins
    "thanks for nothing",
    "what's the time, in Tokyo",  # a place, not a remark
    "what time does the school trip leave, I need to pack",
    "what day is my hair appointment, I forgot",
])
def test_a_wider_sentence_is_not_taken_for_an_intent(said: str) -> None:
    found = match_intent(said)
    assert found is None or found.name == "realtime", f"{said} -> {found}"


def test_the_intent_carries_the_requests_own_words() -> None:
    """Home Assistant is given the command, not the thanks before it."""
    intent = intent_for(Command(site="kitchen", text="Thanks, and turn off the kitchen light"))
    assert intent is not None
    assert intent.name == "home_control"
    assert intent.text == "turn off the kitchen light"
    alone = intent_for(Command(site="kitchen", text="Turn off the kitchen light."))
    assert alone is not None
    assert alone.text == "Turn off the kitchen light."


@pytest.mark.parametrize(("said", "name"), [
    ("howzit", "greeting"), ("wotcha", "greeting"), ("namaste", "greeting"),
    ("howzit going", "how_are_you"), ("cheerio then", "goodbye"), ("ta-ra love", "goodbye"),
    ("cheers, bye", "goodbye"), ("OK thanks, that's everything", "goodbye"),
    ("thanks, see you later", "goodbye"),
    ("dankie", "thanks"), ("thanks", "thanks"), ("cheers mate, much appreciated", "thanks"),
])
def test_chit_chat_in_several_englishes(said: str, name: str) -> None:
    found = match_intent(said)
    assert found is not None, said
    assert found.name == name, said
