"""General forms of everyday requests, found by the misses of spent held-out sets and of blind
development sets (session 7): each stands for a way of saying things, not for its sentence."""

from __future__ import annotations

import pytest

from nimbus.handlers.responding.intents.rules import match_intent
from tests.handlers.responding.intents.test_rules import _claimed_as


@pytest.mark.parametrize(("said", "name", "slots"), [
    # general forms behind misses of the spent sets: a device no list names, a road's hold-ups,
    # a channel tonight, a warning out, a chain's hours, a price now
    ("Did I lock the shed?", "home_control", {"action": "query"}),
    ("could you turn on the heated blanket on my side", "home_control", {"action": "turn_on"}),
    ("any hold-ups on the M1 heading north", "realtime", {}),
    ("what's on rte one tonight", "realtime", {}),
    ("is there a flood warning out for the river", "realtime", {}),
    ("how did the blue jays get on", "realtime", {}),
    ("is asda open on boxing day", "realtime", {}),
    ("how much is a pint of milk now", "realtime", {}),
    ("give me a shout in 20 minutes", "timer_set", {"seconds": "1200"}),
    ("don't let me forget the car key is in the blue jacket", "remember", {}),
    ("movie mode please", "home_control", {"action": "turn_on"}),
    ("it's freezing in here", "home_control", {"action": "set"}),
    ("put the porch light on for me would you", "home_control", {"action": "turn_on"}),
    ("heating up to 22", "home_control", {"action": "set"}),
    ("is it going to be a scorcher tomorrow", "realtime", {}),
    ("what's playing at the cinema tonight", "realtime", {}),
    ("what's the cheapest petrol near me", "realtime", {}),
    ("Set a timer called chips, 21 minutes.", "timer_set", {"name": "chips", "seconds": "1260"}),
    # general forms behind misses of a blind development set (session 7)
    ("whit time is it noo", "time", {}),  # Scots spellings
    ("sorry to bother you could you set a timer for two minutes for the tea", "timer_set",
     {"seconds": "120", "name": "tea"}),
    ("give us a shout in a quarter of an hour would you", "timer_set", {"seconds": "900"}),
    ("in four minutes give me a shout to flip the boerewors", "timer_set", {"seconds": "240"}),
    ("and a garlic bread one for 6 minutes", "timer_set", {"seconds": "360",
                                                           "name": "garlic bread"}),
    ("can you time the jollof for 35 minutes", "timer_set", {"name": "jollof"}),
    ("remind me to check the oven in 10 minutes", "timer_set", {"seconds": "600",
                                                                "name": "check the oven"}),
    ("hey how long till the stew's done", "timer_remaining", {}),
    ("kill the egg one", "timer_cancel", {"name": "egg"}),
    ("actually i don't need that alarm anymore switch it off", "alarm_cancel", {}),
    ("it's roasting in here turn the heating down to 19", "home_control", {"action": "set"}),
    ("i can't see a thing on the stairs put a light on", "home_control", {"action": "turn_on"}),
    ("um the geyser turn it on please", "home_control", {"action": "turn_on"}),
    ("what temperature is the heating set to", "home_control", {"action": "query"}),
    ("what's the uv like today should i wear sunscreen", "realtime", {}),
    ("what's the date today sorry no i mean the day of the week", "weekday", {}),
    # and of a second blind development set (session 7)
    ("my hands are covered in flour so can you just set a timer for twelve minutes",
     "timer_set", {"seconds": "720"}),  # a remark first is no note when a request follows
    ("hang on mum i'm doing it set a timer for seven minutes", "timer_set", {"seconds": "420"}),
    ("how long have the eggs got", "timer_remaining", {}),
    ("can you wake us at six thirty am i've an early shift", "alarm_set", {"time": "06:30"}),
    ("alarm five fifteen am for the airport", "alarm_set", {"time": "05:15"}),
    ("the baby's asleep can we have the lights down low please", "home_control", {}),
    ("movie night activate cinema mode", "home_control", {"action": "turn_on"}),
    ("is it hot out there today ah", "realtime", {}),
    ("is there a hurricane warning for houston", "realtime", {}),
    ("just so you know the spare key is under the blue plant pot", "remember",
     {"note": "the spare key is under the blue plant pot"}),
    ("actually the school gate code changed to 2604", "remember", {}),
    ("before i forget set a timer for twenty five minutes for the washing", "timer_set",
     {"seconds": "1500", "name": "washing"}),  # a way into a note leads into a request too
])
def test_general_forms_of_home_and_live_questions(said: str, name: str,
                                                  slots: dict[str, str]) -> None:
    _claimed_as(said, name, slots)


@pytest.mark.parametrize("said", [
    "when is the road tax due on the car",  # the household's own papers
    "what time does ama's flight land tomorrow",
    "what's on the menu tonight",
    "what's the weather like in the sahara usually",  # the climate, not a forecast
    "who won the first ever world cup",  # history
    "it is cold in the arctic",  # a place's feeling, not a room's
    "a large one for 6 pounds",  # no timer without a time unit
    "how do you set a timer for ten minutes",  # a question about it, not the request
    "what time do we have to be out of the hall",  # the household's, not the clock
])
def test_own_things_with_live_words_are_left_to_the_documents(said: str) -> None:
    found = match_intent(said)
    assert found is None or found.name not in ("realtime", "home_control"), found


@pytest.mark.parametrize(("said", "name", "slots"), [
    # found by the seventh held-out run (now spent), fixed after it
    ("set a timer for 12 minutes no sorry 14 minutes", "timer_set", {"seconds": "840"}),
    ("set an alarm for 7 am no wait 8 am", "alarm_set", {"time": "08:00"}),
])
def test_commands_the_seventh_held_out_run_got_wrong(said: str, name: str,
                                                    slots: dict[str, str]) -> None:
    _claimed_as(said, name, slots)


@pytest.mark.parametrize("said", [
    "whose turn is it to do the dishes tonight",  # "turn" is a noun here: nothing is switched
    "who wrote gone with the wind",  # a book, not the weather
])
def test_the_seventh_held_out_runs_wrong_claims_are_not_made(said: str) -> None:
    found = match_intent(said)
    assert found is None, found

