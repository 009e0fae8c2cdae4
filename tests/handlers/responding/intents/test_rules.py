"""The intent stage's pure parts: what it claims, numbers and times, replies, the timer book."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from nimbus.daemon.events import Command
from nimbus.handlers.responding.intents.numbers import find_clock_time, find_duration, parse_number
from nimbus.handlers.responding.intents.replies import (
    as_note,
    clock_text,
    date_text,
    duration_text,
    timers_text,
)
from nimbus.handlers.responding.intents.rules import intent_for, match_intent, normalise
from nimbus.handlers.responding.intents.timers import TimerEntry, TimerStore, pick


@pytest.mark.parametrize(("said", "name", "slots"), [
    ("What time is it?", "time", {}),
    ("Nimbus, what's the time please", "time", {}),
    ("what's the date today", "date", {}),
    ("What day is it tomorrow?", "weekday", {"day": "tomorrow"}),
    ("Set a timer for ten minutes.", "timer_set", {"seconds": "600"}),
    ("set a pasta timer for 8 minutes", "timer_set", {"seconds": "480", "name": "pasta"}),
    ("start a timer for an hour and a half called roast", "timer_set",
     {"seconds": "5400", "name": "roast"}),
    ("remind me in 20 minutes to check the oven", "timer_set",
     {"seconds": "1200", "name": "check the oven"}),
    ("wake me up at 6:30", "alarm_set", {"time": "06:30"}),
    ("set an alarm for half past seven in the morning", "alarm_set", {"time": "07:30"}),
    ("what timers do I have", "timer_list", {}),
    ("cancel the pasta timer", "timer_cancel", {"name": "pasta"}),
    ("how long is left on the pasta timer", "timer_remaining", {"name": "pasta"}),
    ("Thank you.", "thanks", {}),
    ("good morning", "greeting", {}),
    ("I need to take the cake out in 35 minutes", "timer_set",
     {"seconds": "2100", "name": "take the cake out"}),
    ("start counting down from five minutes", "timer_set", {"seconds": "300"}),
    ("let me know when 10 minutes is up", "timer_set", {"seconds": "600"}),
    ("are any timers running", "timer_list", {}),
    ("what's the date today pet", "date", {}),
    ("how much is the pound worth", "realtime", {}),
    ("thanks ever so much", "thanks", {}),
    ("see you in the morning", "goodbye", {}),
    ("ta ta for now", "goodbye", {}),
    ("are you having a good day", "how_are_you", {}),
    ("i didn't quite hear that", "repeat", {}),
    ("scratch that", "never_mind", {}),
    ("how much is a litre of diesel", "realtime", {}),
    ("Set the kitchen lights to warm white.", "home_control", {"action": "set"}),
    ("who won the football last night", "realtime", {}),
    ("Read me out my timers.", "timer_list", {}),  # the held-out run: it had set a timer
    ("set a timer for ten minutes and call it homework", "timer_set",
     {"seconds": "600", "name": "homework"}),
    ("Say hello to my friend.", "greeting", {}),
    ("goodbye", "goodbye", {}),
    ("how are you", "how_are_you", {}),
    ("what can you do", "capabilities", {}),
    ("say that again", "repeat", {}),
    ("never mind", "never_mind", {}),
    ("My name is Ada.", "remember", {"note": "my name is ada"}),
    ("Remember that the plumber comes on Tuesday at 9", "remember",
     {"note": "the plumber comes on tuesday at 9"}),
    ("Turn on the kitchen lights.", "home_control", {"action": "turn_on"}),
    ("is the back door locked?", "home_control", {"action": "query"}),
    ("close the blinds in the bedroom", "home_control", {"action": "close"}),
    ("What is the weather like tomorrow?", "realtime", {}),
    ("who won the match last night", "realtime", {}),
    ("what time is it in Tokyo", "realtime", {"topic": "time_elsewhere"}),
    # Home commands as said in several Englishes, and the home's machines asked after.
    ("please off the fan in the bedroom", "home_control", {"action": "turn_off"}),
    ("kindly on the geyser", "home_control", {"action": "turn_on"}),
    ("has the dishwasher finished yet", "home_control", {"action": "query"}),
    ("lights out in the kids room", "home_control", {"action": "turn_off"}),
    ("I want waking at twenty to eight", "alarm_set", {"time": "07:40"}),
    ("one more for the rice 25 minutes", "timer_set", {"seconds": "1500", "name": "rice"}),
    # Live information named by its form, not by a list of names.
    ("is there load shedding tonight", "realtime", {}),
    ("what stage of load shedding are we on", "realtime", {}),
    ("how many euros to the pound", "realtime", {}),
    ("is the m4 busy this morning", "realtime", {}),
    ("when's the next tram into town", "realtime", {}),
    ("What time does Lidl close tonight?", "realtime", {}),
    ("is my train to Leeds on time", "realtime", {}),
    # Clock times as people say them.
    ("set an alarm for noon", "alarm_set", {"time": "12:00"}),
    ("alarm at midnight", "alarm_set", {"time": "00:00"}),
    ("wake me at a quarter to seven", "alarm_set", {"time": "06:45"}),
    ("alarm for half seven", "alarm_set", {"time": "07:30"}),
    ("set an alarm for 7 30 am", "alarm_set", {"time": "07:30"}),
    ("set alarm 0700", "alarm_set", {"time": "07:00"}),
    # The same questions in words no pattern lists (a closed vocabulary, any order).
    ("remind me what the date is", "date", {}),
    ("which day of the week is it today", "weekday", {}),
    ("what day are we on today", "weekday", {}),
    ("sorry, can you repeat that?", "repeat", {}),
    ("what sort of things can i ask you", "capabilities", {}),
    ("no it's fine, nothing", "never_mind", {}),
    # The device first, its state after.
    ("lights on in the bedroom", "home_control", {"action": "turn_on"}),
    ("bedroom lights off", "home_control", {"action": "turn_off"}),
    ("make the kitchen lights brighter", "home_control", {"action": "set"}),
    ("dim the hall to 30", "home_control", {"action": "set"}),
    ("did the lakers win last night", "realtime", {}),
    ("what year is it", "date", {}),
    ("is it the weekend", "weekday", {}),
    ("alarm 6am", "alarm_set", {"time": "06:00"}),
    ("is my alarm set", "alarm_list", {}),
    ("ta very much", "thanks", {}),
    # Greetings, thanks and goodbyes in any mixture of their words, with fillers around them.
    ("Hello there, how do you do?", "greeting", {}),
    ("Thanks, you're a star.", "thanks", {}),
    ("Right, I'm off. Bye!", "goodbye", {}),
    ("You alright, mate?", "how_are_you", {}),
    ("excuse me what time is it", "time", {}),
    ("Is it Monday or Tuesday today? I've lost track.", "weekday", {}),
    ("how long has the sourdough got left", "timer_remaining", {}),
    ("which alarms have I got", "alarm_list", {}),
    ("whack the heating up to 22", "home_control", {"action": "set"}),
    ("do i need a coat today", "realtime", {}),
    ("What time does the chemist close tonight?", "realtime", {}),
    # What users say of themselves is kept, as "remember that …" is.
    ("I'm allergic to penicillin", "remember", {"note": "i'm allergic to penicillin"}),
    ("my car is parked on level 3", "remember", {"note": "my car is parked on level 3"}),
    ("I'm allergic to penicillin, please remember that.", "remember",
     {"note": "i'm allergic to penicillin"}),
    ("My sister's called Yasmin.", "remember", {"note": "my sister's name is yasmin"}),
    ("what's the FTSE at", "realtime", {}),
    ("Fab, thanks!", "thanks", {}),  # the praise stays, though normalise drops the thanks
    ("take care now", "goodbye", {}),
    ("right, off to bed", "goodbye", {}),
    ("how's your week been", "how_are_you", {}),
    ("how much is diesel at the moment", "realtime", {}),
    ("what day does new year's eve fall on this year", "weekday",
     {"named": "new year's eve", "year": "this"}),
    ("when is pancake day", "date", {"named": "pancake day"}),
    ("switch the rice timer off", "timer_cancel", {"name": "rice"}),
    ("kill the lights in the lounge", "home_control", {"action": "turn_off"}),
    # after the everyday holdout3 run (new wordings of what it missed)
    ("would you happen to know the time", "time", {}),
    ("What's the time? The oven clock is wrong.", "time", {}),
    ("hiya whats the date today then", "date", {}),
    ("today was what day", "weekday", {}),
    ("cheers a million for your help", "thanks", {}),
    ("how's yourself today", "how_are_you", {}),
    ("so what are you good for", "capabilities", {}),
    ("sorry, what was that?", "repeat", {}),
    ("one for the rice for 12 minutes", "timer_set", {"seconds": "720", "name": "rice"}),
    ("wake me at 3 this afternoon", "alarm_set",
     {"hour": "3", "minute": "0", "meridiem": "pm", "time": "15:00"}),
    ("a ninety second timer please", "timer_set", {"seconds": "90"}),
    ("switch the fairy lights on", "home_control", {"action": "turn_on"}),
    ("when's the next train to york", "realtime", {}),
    ("how did the lions do at the weekend", "realtime", {}),
    ("what's the date on thursday", "date", {"named": "thursday"}),
    ("is the a14 busy", "realtime", {}),
    ("is the 7 40 from leeds on time", "realtime", {}),
    ("when does the garden centre shut", "realtime", {}),
    ("are we getting a frost tonight", "realtime", {}),
    ("is there an alarm on", "alarm_list", {}),
    ("timer for an hour and a quarter please", "timer_set", {"seconds": "4500"}),
])
def test_claims_everyday_commands_with_their_slots(said: str, name: str,
                                                   slots: dict[str, str]) -> None:
    found = match_intent(said)
    assert found is not None, said
    assert found.name == name
    assert found.problem == ""
    for key, value in slots.items():
        assert found.slots.get(key) == value, (said, found.slots)


@pytest.mark.parametrize(("said", "name", "problem"), [
    ("set a timer for minus five minutes", "timer_set", "bad_duration"),
    ("set a timer for 900 days", "timer_set", "too_long"),
    ("set a timer", "timer_set", "no_duration"),
    ("set an alarm for 25 o'clock", "alarm_set", "bad_time"),
    ("remind me", "remember", "nothing_to_remember"),
    ("remember that", "remember", "nothing_to_remember"),
    ("remember that um", "remember", "nothing_to_remember"),  # a filler is no note (holdout5)
    ("remind me to call mum", "timer_set", "no_time"),
    ("wake me at 7 65", "alarm_set", "bad_time"),  # no such minute: never 7:00
    ("set a timer for half a second", "timer_set", "bad_duration"),
])
def test_nonsense_is_claimed_with_a_problem_not_passed_to_the_model(said: str, name: str,
                                                                    problem: str) -> None:
    found = match_intent(said)
    assert found is not None
    assert (found.name, found.problem) == (name, problem)


@pytest.mark.parametrize("said", [
    "when is the nursery christmas party",  # the household's own day, not Christmas
    "Who wrote Pride and Prejudice?", "What is my name?", "When is the Year 4 museum trip?",
    "What is the wifi password at the holiday cottage?", "what is the capital of France",
    "What does the lease say about pets?", "Tell me a story about a dragon.", "",
    # One word outside an intent's vocabulary: the question is about something else.
    "what time is the school trip", "what day is bin day", "what is the date of the school trip",
    "can you help me with my homework", "what a day", "did the plumber come",
    "my question is what is the capital of france", "my head is killing me",
    "what do you say to that", "how long does it take to boil an egg",
    # What a document says is for the documents (the held-out formats set had both).
    "Is a broken door seal on the dryer covered by the warranty?",
    "What time does the gym shut on a Sunday?",
    "what size are jack's football boots",  # a thing of the house, not a match
    # Wider rules, narrow claims: the thing itself is general knowledge, an event is the
    # household's, a table is no device.
    "what does load shedding mean", "how many pounds in a stone", "who invented the traffic light",
    "what time's the braai at Johan's on Saturday", "what time does the school close",
    "on the kitchen table", "off you go",
])
def test_leaves_questions_to_the_responder(said: str) -> None:
    assert match_intent(said) is None


def test_intent_event_points_at_its_command() -> None:
    command = Command(site="kitchen", text="set a timer for minus 5 minutes")
    intent = intent_for(command)
    assert intent is not None
    assert (intent.site, intent.cause, intent.name) == ("kitchen", command.id, "timer_set")
    assert intent.slots["problem"] == "bad_duration"
    assert intent_for(Command(text="Who painted the Mona Lisa?")) is None


def test_normalise_drops_politeness_but_keeps_a_bare_thanks() -> None:
    assert normalise("Hey Nimbus, could you please set a timer for 5 minutes, thanks!") == \
        "set a timer for 5 minutes"
    assert normalise("Thank you.") == "thank you"


def test_numbers_durations_and_clock_times() -> None:
    assert parse_number("twenty-five") == 25
    assert parse_number("minus five") == -5
    assert parse_number("one and a half") == 1.5
    duration = find_duration("for 1 hour 20")
    assert duration is not None
    assert duration.seconds == 4800
    duration = find_duration("a couple of minutes")
    assert duration is not None
    assert duration.seconds == 120
    clock = find_clock_time("quarter to seven in the morning")
    assert clock is not None
    assert (clock.hour24(), clock.minute, clock.valid) == (6, 45, True)
    clock = find_clock_time("at 7:30 pm")
    assert clock is not None
    assert clock.hour24() == 19
    clock = find_clock_time("at 25 o'clock")
    assert clock is not None
    assert not clock.valid



@pytest.mark.parametrize(("said", "hour", "minute"), [
    # found by the fourth held-out run (a 23:45 alarm had been set for midnight)
    ("set an alarm for quarter to midnight", 23, 45),
    ("half past midnight", 0, 30),
    ("ten to noon", 11, 50),
    ("quarter to twelve at night", 23, 45),  # "at night" starts with an a: it was am
    ("wake me at 11 at night", 23, 0),
    ("twelve at night", 0, 0),
])
def test_times_around_midnight_and_noon(said: str, hour: int, minute: int) -> None:
    clock = find_clock_time(said)
    assert clock is not None
    assert (clock.hour24(), clock.minute) == (hour, minute)


def test_replies_say_only_what_is_known() -> None:
    now = datetime(2026, 12, 7, 17, 40)
    assert clock_text(now) == "5:40 PM"
    assert date_text(now) == "Monday, 7 December 2026"
    assert duration_text(4830) == "1 hour, 20 minutes and 30 seconds"
    assert as_note("my name is Ada") == "Your name is Ada."
    assert as_note("call me Ada") == "Your name is Ada."
    assert as_note("the plumber comes on tuesday at 9") == "The plumber comes on Tuesday at 9."
    assert as_note("my daughter's teacher is mrs okafor") == \
        "Your daughter's teacher is Mrs Okafor."  # a title says a name follows
    assert as_note("the hotel's name is the seaview") == "The hotel's name is the Seaview."
    assert as_note("gran's care home is called rosewood") == \
        "Gran's care home is called Rosewood."
    assert as_note("the kids' doctor is doctor mokoena") == "The kids' doctor is Doctor Mokoena."
    assert as_note("the doctor is coming at 3") == "The doctor is coming at 3."
    assert timers_text([], 0, kind="timer") == "You have no timers set."


def test_timer_book_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "timers.sqlite3"
    store = TimerStore(path)
    pasta = TimerEntry("a", "kitchen", "timer", "pasta", 480, 1480.0, 1000.0)
    eggs = TimerEntry("b", "kitchen", "timer", "", 300, 1300.0, 1000.0)
    store.add(pasta)
    store.add(eggs)
    store.close()
    reopened = TimerStore(path)
    entries = reopened.all("kitchen")
    assert [e.id for e in entries] == ["b", "a"]  # soonest first
    assert pick(entries, name="pasta") == [pasta]
    assert pick(entries, seconds=300) == [eggs]
    assert timers_text(entries, 1100.0, kind="timer") == (
        "You have 2 timers: 5 minute timer with 3 minutes and 20 seconds left and pasta timer "
        "with 6 minutes and 20 seconds left.")
    reopened.remove(["a"])
    assert reopened.all() == [eggs]
    reopened.close()


def test_a_new_note_about_the_same_thing_replaces_the_old_one() -> None:
    from nimbus.handlers.responding.intents.notes import with_note  # noqa: PLC0415

    notes = ["Your gate code is 1234 (noted on 1 May 2026).", "The plumber comes on Tuesday."]
    assert with_note(notes, "Your gate code is 9876 (noted on 7 December 2026).") == [
        "The plumber comes on Tuesday.", "Your gate code is 9876 (noted on 7 December 2026)."]
    assert with_note(notes, "You parked on level 3.") == [*notes, "You parked on level 3."]


def test_nonsense_in_place_of_a_number_is_no_duration() -> None:
    found = match_intent("set a timer for pizza minutes")
    assert found is not None
    assert (found.name, found.problem) == ("timer_set", "no_duration")


@pytest.mark.parametrize(("said", "name", "slots"), [
    # found by the fifth held-out run, fixed after it (the set is spent)
    ("set an alarm for half past nine at night", "alarm_set", {"time": "21:30"}),  # not a
    # goodnight after the request: it had been set for 9:30 am
    ("set a timer for one minute thirty", "timer_set", {"seconds": "90"}),  # it had been 60
    ("Set a kids screen time timer for 30 minutes.", "timer_set",
     {"seconds": "1800", "name": "kids screen time"}),  # "time … timer" asked nothing left
    ("remember um that the bins go out on monday", "remember",
     {"note": "the bins go out on monday"}),
    ("is the timer nearly done", "timer_remaining", {}),
    ("add another one called broccoli for 7 minutes", "timer_set",
     {"seconds": "420", "name": "broccoli"}),
    ("set the air conditioner to 18", "home_control", {"action": "set"}),
    ("have we locked the front door", "home_control", {"action": "query"}),
    ("Kia ora.", "greeting", {}),
    ("tell me what you're good for", "capabilities", {}),
    ("auntie says ask the robot what time it is", "time", {}),
    ("I have to get up at 6 a.m. sharp, set an alarm.", "alarm_set", {"time": "06:00"}),
])
def test_commands_the_fifth_held_out_run_got_wrong(said: str, name: str,
                                                  slots: dict[str, str]) -> None:
    _claimed_as(said, name, slots)
    assert find_duration("a timer for 2 minutes 30") is not None
    assert find_duration("a timer for 2 minutes 30").seconds == 150  # type: ignore[union-attr]


def test_an_alarm_takes_a_time_only_from_when_the_user_gets_up() -> None:
    # "the bus leaves at 7": an alarm for 7 would be too late for it, so no time is taken
    assert match_intent("the bus leaves at 7, set an alarm") is None


@pytest.mark.parametrize(("said", "name", "slots"), [
    # the rest of the fifth held-out run's misses, fixed in the sixth session (set spent)
    ("Date please for my diary.", "date", {}),  # what it is for, after the request
    ("Lovely jubbly, cheers.", "thanks", {}),
    ("actually the minibus has gone up to 34 pounds each", "remember",
     {"note": "the minibus has gone up to 34 pounds each"}),  # a correction is a note too
    ("what's the electricity price per unit right now", "realtime", {}),
    ("who got voted off strictly last night", "realtime", {}),
    ("is there a hosepipe ban at the moment", "realtime", {}),
    ("What were the lotto numbers last night?", "realtime", {}),
    ("One more please: the Yorkshire puddings, 22 minutes.", "timer_set",
     {"seconds": "1320", "name": "yorkshire puddings"}),  # the name, a comma, the time
    ("the kids' dentist is called dr okafor", "remember",
     {"note": "the kids' dentist is called dr okafor"}),  # a family member's, said as a fact
])
def test_commands_the_fifth_held_out_run_still_missed(said: str, name: str,
                                                      slots: dict[str, str]) -> None:
    _claimed_as(said, name, slots)


@pytest.mark.parametrize("said", [
    # how a game is played is no live fact; nor is one's own evening
    "How many players are on a football team?", "in which sport do you score a try",
    "what does lbw stand for in cricket", "what did we have for dinner last night",
    "what's on my calendar right now", "who won the world cup in 1966",  # history
])
def test_timeless_and_own_questions_are_not_live_information(said: str) -> None:
    assert match_intent(said) is None


def test_cancel_that_after_a_timer_cancels_that_timer_else_it_is_never_mind() -> None:
    command = Command(site="kitchen", text="oh actually cancel that one")
    after_timer = intent_for(command, after="timer_set")
    assert after_timer is not None
    assert (after_timer.name, after_timer.slots) == ("timer_cancel", {"latest": "1"})
    asked = (("cancel that", "alarm_set"), ("cancel that", ""), ("what's the time", "timer_set"))
    names = [getattr(intent_for(Command(text=text), after=after), "name", None)
             for text, after in asked]
    assert names == ["alarm_cancel", "never_mind", "time"]


def test_a_correction_is_joined_to_the_note_it_corrects() -> None:
    from nimbus.handlers.responding.intents.notes import with_note  # noqa: PLC0415

    notes = ["The minibus to the wedding costs 27 pounds each (noted on 7 December 2026).",
             "The plumber comes on Tuesday."]
    assert with_note(notes, "The minibus has gone up to 34 pounds each (noted on 8 December "
                            "2026).") == [
        "The plumber comes on Tuesday.", "The minibus to the wedding costs 27 pounds each, but "
        "the minibus has gone up to 34 pounds each (noted on 8 December 2026)."]


def test_a_correction_in_the_past_tense_is_joined_too() -> None:
    from nimbus.handlers.responding.intents.notes import with_note  # noqa: PLC0415

    joined = with_note(["The school gate code is 1990 (noted on 7 December 2026)."],
                       "The school gate code changed to 2604 (noted on 7 December 2026).")
    assert joined == ["The school gate code is 1990, but the school gate code changed to 2604 "
                      "(noted on 7 December 2026)."]


def test_a_lower_case_name_in_a_note_is_written_with_its_capital() -> None:
    from nimbus.handlers.responding.intents.notes import names_capitalised  # noqa: PLC0415

    # no dictionary word: a name ("who did I lend the ladder to?" then finds one)
    assert names_capitalised("you lent the ladder to steve") == "you lent the ladder to Steve"
    assert names_capitalised("the kids have swimming at 5 with coach ravi") == \
        "the kids have swimming at 5 with coach Ravi"
    # words, grammar and codes stay as they were said
    assert names_capitalised("the bins go out on monday") == "the bins go out on monday"
    assert names_capitalised("your wifi password is tulip42") == "your wifi password is tulip42"


@pytest.mark.parametrize(("said", "what"), [
    ("play some jazz", "music"), ("call mum", "call"), ("text dad i'm late", "message"),
    ("add milk to the shopping list", "list"), ("order more dog food", "order"),
    ("book a table for two at eight", "order"), ("directions to the station", "directions"),
])
def test_what_it_cannot_do_is_claimed_to_be_said_plainly(said: str, what: str) -> None:
    found = match_intent(said)
    assert found is not None
    assert (found.name, found.slots) == ("unsupported", {"what": what})


@pytest.mark.parametrize("said", [
    "what time does the play start", "play with the dog", "order of the planets",
    "what's on the shopping list", "call me ada", "put the kettle on",
])
def test_look_alikes_of_what_it_cannot_do_are_not_claimed_as_such(said: str) -> None:
    found = match_intent(said)
    assert found is None or found.name != "unsupported"


@pytest.mark.parametrize(("said", "name", "slots"), [
    # found by the sixth held-out run (now spent), fixed after it
    ("set a timer for 50 minutes no wait make that 55", "timer_set", {"seconds": "3300"}),
    ("set an alarm for half ten at night no wait make that eleven pm", "alarm_set",
     {"time": "23:00"}),  # the value corrected in the same breath, never the first one
    ("right so put a timer on for three quarters of an hour", "timer_set", {"seconds": "2700"}),
    ("g'day nimbus good to see ya", "greeting", {}),  # not a goodbye
    ("Which of my timers are still running?", "timer_list", {}),
    ("which day of the month is it today", "date", {}),
    ("actually no wait the piano lessons have gone up to 37 dollars", "remember",
     {"note": "the piano lessons have gone up to 37 dollars"}),  # a correction after "no wait"
])
def test_commands_the_sixth_held_out_run_got_wrong(said: str, name: str,
                                                  slots: dict[str, str]) -> None:
    _claimed_as(said, name, slots)


def _claimed_as(said: str, name: str, slots: dict[str, str]) -> None:
    """``said`` is claimed as ``name`` with (at least) these slot values."""
    found = match_intent(said)
    assert found is not None
    assert found.name == name
    assert {key: found.slots.get(key) for key in slots} == slots, found.slots
