"""The intents handler on a real bus, in process: home control with no home system, or with a
Home Assistant that cannot be reached, claims nothing it did not do."""

from __future__ import annotations

import socket
from pathlib import Path

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import load_config
from nimbus.daemon.events import Command, Error, ResponseDone, Timer
from nimbus.daemon.testing import EventRecorder, running
from nimbus.handlers.responding.intents.handler import IntentHandler
from nimbus.handlers.responding.intents.rules import intent_for


def _closed_port() -> int:
    with socket.socket() as sock:  # bound, then closed: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def _answer(tmp_path: Path, text: str, *overrides: str) -> tuple[ResponseDone, list[str]]:
    config = load_config(None, environ={}, overrides=[f'daemon.state_dir="{tmp_path}"',
                                                      *overrides])
    bus = Bus()
    async with EventRecorder(bus, ResponseDone, Error, Timer) as rec, \
            running(IntentHandler(config, bus)):
        intent = intent_for(Command(site="hall", text=text))
        assert intent is not None
        await bus.publish(intent)
        done = await rec.wait_for(ResponseDone, within=30)
    assert isinstance(done, ResponseDone)
    return done, [e.code for e in rec.events if isinstance(e, Error)]


async def test_no_home_system_says_so(tmp_path: Path) -> None:
    done, errors = await _answer(tmp_path, "Turn off the hall light.", "mqtt.enabled=false")
    assert (done.grounding.status, done.text) == (
        "declined", "No home system is connected, so I can't do that.")
    assert errors == []


async def test_an_unreachable_home_assistant_changes_nothing_and_says_so(tmp_path: Path) -> None:
    done, errors = await _answer(
        tmp_path, "Lock the back door.", f'homeassistant.url="http://127.0.0.1:{_closed_port()}"',
        'homeassistant.token="t"', "homeassistant.timeout_s=2")
    assert done.grounding.status == "declined"
    assert done.text == "I couldn't reach Home Assistant, so nothing was changed."
    assert errors == ["home_unreachable"]


async def test_a_timer_is_set_and_listed_in_the_configured_zone(tmp_path: Path) -> None:
    done, _ = await _answer(tmp_path, "Set an alarm for 7:30 in the morning.",
                            'intents.time_zone="Pacific/Auckland"')
    assert done.grounding.status == "intent"
    assert done.text in ("Alarm set for 7:30 AM today.", "Alarm set for 7:30 AM tomorrow.")
    done, _ = await _answer(tmp_path, "What alarms do I have?",
                            'intents.time_zone="Pacific/Auckland"')
    assert done.text == "You have one alarm: a 7:30 AM alarm."


async def test_what_it_cannot_do_is_said_plainly(tmp_path: Path) -> None:
    done, errors = await _answer(tmp_path, "play some jazz")
    assert (done.grounding.status, done.text) == ("declined", "I can't play music or the radio.")
    assert errors == []


async def test_cancel_that_cancels_the_timer_just_set_not_the_others(tmp_path: Path) -> None:
    config = load_config(None, environ={}, overrides=[f'daemon.state_dir="{tmp_path}"'])
    bus = Bus()
    handler = IntentHandler(config, bus)
    async with EventRecorder(bus, ResponseDone, Timer) as rec, running(handler):
        after = ""
        for text in ("set a pasta timer for 10 minutes", "put a timer on for eight minutes",
                     "oh actually cancel that one"):
            intent = intent_for(Command(site="hall", text=text), after)
            assert intent is not None
            after = intent.name
            await bus.publish(intent)
            await rec.wait_for(ResponseDone, within=30)
            rec.events.clear()
        left = handler.store.all("hall")
    assert [(e.name, e.seconds) for e in left] == [("pasta", 600.0)]


def test_a_note_keeps_the_users_capitals_when_it_is_reworded() -> None:
    """"My sister's called Yasmin" is noted as "… name is Yasmin": a name read back (and found:
    "what is my sister's name" asks for a name) is written as the user wrote it."""
    from nimbus.handlers.responding.intents.handler import _original_case  # noqa: PLC0415

    assert _original_case("my sister's name is yasmin", "My sister's called Yasmin.") == \
        "My sister's name is Yasmin"
    assert _original_case("the code is 4417", "Remember the code is 4417") == "the code is 4417"


def test_a_remembered_name_is_written_with_its_capital() -> None:
    from nimbus.handlers.responding.intents.handler import _name_capitalised  # noqa: PLC0415

    assert _name_capitalised("our cat's name is mister whiskers") == \
        "our cat's name is Mister Whiskers"
    assert _name_capitalised("my boss's name is Ngozi") == "my boss's name is Ngozi"
    assert _name_capitalised("the wifi name is on the router") == \
        "the wifi name is on the router"  # more than a name: left as said


async def test_a_named_day_is_dated_in_the_configured_time_zone(tmp_path: Path) -> None:
    from datetime import datetime  # noqa: PLC0415
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    from nimbus.handlers.responding.intents.calendar_days import resolve_day  # noqa: PLC0415

    today = datetime.now(ZoneInfo("Pacific/Auckland")).date()
    done, _ = await _answer(tmp_path, "What day is Boxing Day next year?",
                            'intents.time_zone="Pacific/Auckland"')
    boxing = resolve_day("boxing day", "next", today)
    assert boxing is not None
    assert boxing.day.year == today.year + 1
    assert done.text == f"Boxing Day is on {boxing.day:%A}, 26 December {today.year + 1}."
    assert done.grounding.status == "intent"


def test_feasts_weekdays_and_days_of_the_month_resolve_from_today() -> None:
    from datetime import date  # noqa: PLC0415

    from nimbus.handlers.responding.intents.calendar_days import easter, resolve_day  # noqa: PLC0415

    assert easter(2030) == date(2030, 4, 21)
    assert easter(2038) == date(2038, 4, 25)  # the latest an Easter falls this century
    today = date(2027, 11, 3)  # a Wednesday, after Halloween
    assert resolve_day("halloween", "", today) == resolve_day("halloween", "next", today)
    assert resolve_day("good friday", "", today).day == date(2028, 4, 14)  # type: ignore[union-attr]
    assert resolve_day("friday", "", today).day == date(2027, 11, 5)  # type: ignore[union-attr]
    assert resolve_day("wednesday", "", today).day == today  # type: ignore[union-attr]
    assert resolve_day("the 31st", "", today).day == date(2027, 12, 31)  # type: ignore[union-attr]
    assert resolve_day("pancake day", "last", today).day == date(2026, 2, 17)  # type: ignore[union-attr]


async def test_the_time_in_another_place_is_its_zones(tmp_path: Path) -> None:
    """The tz database and CLDR's names: the time here carried to Tokyo (a day ahead of
    Honolulu, where the daemon is set), and no guess for a country of several times or an
    unknown place."""
    from datetime import datetime  # noqa: PLC0415
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    here = 'intents.time_zone="Pacific/Honolulu"'

    def said() -> str:
        tokyo = datetime.now(ZoneInfo("Asia/Tokyo"))
        honolulu = tokyo.astimezone(ZoneInfo("Pacific/Honolulu"))
        day = f" on {tokyo:%A}" if tokyo.date() != honolulu.date() else ""
        hour = tokyo.hour % 12 or 12
        return f"It's {hour}:{tokyo.minute:02d} {'AM' if tokyo.hour < 12 else 'PM'}{day} in Tokyo."

    before = said()  # the minute may turn while it answers
    done, _ = await _answer(tmp_path, "What time is it in Tokyo right now?", here)
    assert done.grounding.status == "intent"
    assert done.text in {before, said()}
    done, _ = await _answer(tmp_path, "what's the time in australia", here)
    assert (done.grounding.status, done.text) == (
        "intent", "Australia keeps more than one time: ask me about one of its cities.")
    done, _ = await _answer(tmp_path, "what time is it in narnia", here)
    assert (done.grounding.status, done.text) == (
        "declined", "I don't know which time zone that place keeps.")
