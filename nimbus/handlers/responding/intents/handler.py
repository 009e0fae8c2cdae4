"""The intents handler: does what the intent stage claimed (time, timers, notes, home) and says so.

Consumes ``Intent`` (published by the responder instead of answering), ``Stop`` (silences a
ringing timer), ``ResponseDone`` (the last answer, for "repeat that") and the documents' results
(a note is confirmed only once it is indexed). Publishes ``ResponseStarted/Delta/Done`` with
``grounding.status`` intent | memory | home | declined, ``Timer`` events, ``Say`` for alerts and
``Error`` for refused input. Each intent runs in its own task; the subscription queue is
bounded (64) and publishers wait when it is full: intents are never dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from nimbus.daemon.bus import Bus
from nimbus.daemon.config import Config
from nimbus.daemon.events import (
    DocumentFailed,
    DocumentIngested,
    Error,
    Grounding,
    Ingest,
    Intent,
    ResponseDelta,
    ResponseDone,
    ResponseStarted,
    Say,
    Source,
    Stop,
    Timer,
    new_id,
)
from nimbus.handlers.responding.intents import replies
from nimbus.handlers.responding.intents.calendar_days import resolve_day
from nimbus.handlers.responding.intents.home import HomeAssistantClient, HomeError
from nimbus.handlers.responding.intents.notes import names_capitalised, with_note
from nimbus.handlers.responding.intents.timers import TimerEntry, TimerStore, pick
from nimbus.handlers.responding.intents.unsupported import CANNOT
from nimbus.handlers.responding.intents.zones import PlaceZones

__all__ = ["IntentHandler"]

log = logging.getLogger(__name__)

STAGE = "intents"
_NOTE_WAIT_S = 30.0
"""A note is confirmed once indexed; past this it is reported as not searchable yet."""
_CHAT: dict[str, str] = {
    "greeting": "Hello! How can I help?",
    "how_are_you": "I'm fine, thank you for asking. How can I help?",
    "thanks": "You're welcome.",
    "goodbye": "Goodbye!",
    "never_mind": "OK.",
    "capabilities": replies.CAPABILITIES,
}
_REALTIME = ("I can't know that: I have no connection to live information such as the weather, "
             "news, prices or scores.")
_TIME_ELSEWHERE = "I don't know which time zone that place keeps."


@dataclass(slots=True)
class _Ringing:
    entry: TimerEntry
    until: float
    next_at: float
    alerts: int = 0
    silenced: asyncio.Event = field(default_factory=asyncio.Event)


def _zone(name: str) -> tzinfo:
    if name:
        return zoneinfo.ZoneInfo(name)
    local = datetime.now().astimezone().tzinfo
    assert local is not None
    return local


class IntentHandler:
    """Everyday intents done for real, per site, in the user's time zone."""

    name = "intents"

    def __init__(self, config: Config, bus: Bus, *,
                 clock: Callable[[], float] = time.time,
                 home: HomeAssistantClient | None = None) -> None:
        self._config = config
        self._settings = config.intents
        self._bus = bus
        self._clock = clock
        self._zone = _zone(config.intents.time_zone)
        self._home = home
        self._store: TimerStore | None = None
        self._places: PlaceZones | None = None
        self._ringing: dict[str, _Ringing] = {}
        self._last_answer: dict[str, str] = {}
        self._indexed: dict[str, asyncio.Future[str]] = {}
        self._wake = asyncio.Event()
        self.listening = asyncio.Event()

    async def prepare(self) -> None:
        self._store = await asyncio.to_thread(TimerStore, self._config.timers_path)
        try:
            self._places = await asyncio.to_thread(PlaceZones)
        except Exception:  # only "the time in Tokyo" needs it: said to be unknown without it
            log.warning("time zones of places are unavailable", exc_info=True)
        if self._home is None and self._config.homeassistant.enabled:
            self._home = HomeAssistantClient(self._config.homeassistant)
        if self._settings.notes:
            await asyncio.to_thread(self._notes_file().parent.mkdir, parents=True, exist_ok=True)

    @property
    def store(self) -> TimerStore:
        if self._store is None:
            raise RuntimeError("IntentHandler.prepare() has not run")
        return self._store

    async def run(self) -> None:
        try:
            async with (
                asyncio.TaskGroup() as tg,
                self._bus.subscribe(Intent, Stop, ResponseDone, DocumentIngested, DocumentFailed,
                                    name=self.name, maxsize=64) as events,
            ):
                tg.create_task(self._ring_loop(), name="intents:timers")
                self.listening.set()
                async for event in events:
                    match event:
                        case Intent():
                            tg.create_task(self._do(event), name=f"intent:{event.name}")
                        case Stop():
                            self._silence(event.site)
                        case ResponseDone(text=text) if text.strip() and not event.cancelled:
                            self._last_answer[event.site] = text.strip()
                        case DocumentIngested() | DocumentFailed():
                            waiter = self._indexed.pop(event.path, None)  # asked for by real path
                            if waiter is not None and not waiter.done():
                                waiter.set_result(
                                    "" if isinstance(event, DocumentIngested) else event.message)
        finally:
            self.listening.clear()

    # --- answering ---------------------------------------------------------------------------

    async def _say(self, intent: Intent, text: str, status: str, *,
                   begun: float, sources: tuple[Source, ...] = (), error: str = "",
                   message: str = "") -> None:
        started = ResponseStarted(site=intent.site, cause=intent.cause, question=intent.text,
                                  model="intents")
        await self._bus.publish(started)
        if error:
            await self._bus.publish(Error(code=error, message=message or text, stage=STAGE,
                                          site=intent.site, cause=started.id))
        await self._bus.publish(ResponseDelta(site=intent.site, cause=started.id, text=text))
        elapsed = round(time.perf_counter() - begun, 4)
        await self._bus.publish(ResponseDone(
            site=intent.site, cause=started.id, text=text, sources=sources,
            timings={"first_sentence": elapsed, "total": elapsed},
            grounding=Grounding(status=status)))

    async def _do(self, intent: Intent) -> None:
        begun = time.perf_counter()
        slots = intent.slots
        problem = slots.get("problem", "")
        try:
            if problem:
                await self._say(intent, replies.problem_text(problem), "declined", begun=begun,
                                error=f"bad_{intent.name}")
                return
            if intent.name == "never_mind":  # the answer it interrupts stops playing too
                await self._bus.publish(Stop(site=intent.site, cause=intent.id,
                                             reason="never mind"))
            match intent.name:
                case "time":
                    now = self._now()
                    text = f"It's {replies.clock_text(now)}."
                case "date" | "weekday":
                    text = self._date(intent)
                case "timer_set" | "alarm_set":
                    text = await self._set_timer(intent)
                case "timer_list" | "alarm_list":
                    kind = intent.name.removesuffix("_list")
                    entries = [e for e in self.store.all(intent.site) if e.kind == kind]
                    text = replies.timers_text(entries, self._clock(), kind=kind, zone=self._zone)
                case "timer_cancel" | "alarm_cancel":
                    text = await self._cancel(intent)
                case "timer_remaining":
                    text = self._remaining(intent)
                case "repeat":
                    last = self._last_answer.get(intent.site)
                    text = last if last else "I haven't said anything yet."
                case "remember":
                    await self._remember(intent, begun)
                    return
                case "home_control":
                    await self._home_control(intent, begun)
                    return
                case "unsupported":  # "play some jazz": it says plainly what it can't do
                    await self._say(intent, CANNOT.get(slots.get("what", ""),
                                                       "I can't do that."), "declined",
                                    begun=begun)
                    return
                case "realtime" if (elsewhere := self._time_in(slots.get("place", ""))):
                    text = elsewhere
                case "realtime":
                    text = _TIME_ELSEWHERE if slots.get("topic") == "time_elsewhere" \
                        else _REALTIME
                    await self._say(intent, text, "declined", begun=begun)
                    return
                case name if name in _CHAT:
                    text = _CHAT[name]
                case _:
                    await self._say(intent, "I can't do that yet.", "declined", begun=begun,
                                    error="unknown_intent", message=f"no such intent {intent.name}")
                    return
        except ValueError as exc:  # a refusal that names why (too many timers…)
            await self._say(intent, str(exc), "declined", begun=begun, error="intent_refused")
            return
        except (asyncio.CancelledError, TimeoutError):
            raise
        except Exception as exc:
            log.exception("intent %s failed", intent.name)
            await self._say(intent, "Sorry, that didn't work, so nothing was changed.",
                            "declined", begun=begun, error="intent_failed",
                            message=f"{intent.name} failed: {type(exc).__name__}: {exc}")
            return
        await self._say(intent, text, "intent", begun=begun)

    def _time_in(self, place: str) -> str:
        """ "It's 12:05 AM on Tuesday in Tokyo." (empty: no place, or none so named)."""
        found = self._places.find(place, self._now()) if place and self._places else None
        if found is None:
            return ""
        if found.zone is None:
            return f"{found.place} keeps more than one time: ask me about one of its cities."
        here = self._now()
        there = here.astimezone(found.zone)
        day = f" on {there.strftime('%A')}" if there.date() != here.date() else ""
        return f"It's {replies.clock_text(there)}{day} in {found.place}."

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), tz=self._zone)

    def _date(self, intent: Intent) -> str:
        day = self._now()
        if "named" in intent.slots:  # "what day is Christmas this year", "when is Easter"
            named = resolve_day(intent.slots["named"], intent.slots.get("year", ""), day.date())
            if named is not None:  # "Christmas Day is on Friday, 25 December 2026."
                verb = "was" if named.day < day.date() else "is"
                said = replies.date_text(datetime.combine(named.day, datetime.min.time()))
                return f"{named.name[:1].upper()}{named.name[1:]} {verb} on {said}."
        offset = intent.slots.get("day", "")
        shift = {"tomorrow": 1, "yesterday": -1}.get(offset, 0)
        day += timedelta(days=shift)
        weekday_only = intent.name == "weekday"
        said = replies.date_text(day, weekday_only=weekday_only)
        when = offset.capitalize() if offset else "Today"
        verb = "was" if shift < 0 else "is"
        return f"{when} {verb} {said}."

    # --- timers ------------------------------------------------------------------------------

    async def _set_timer(self, intent: Intent) -> str:
        now = self._clock()
        slots = intent.slots
        kind = "alarm" if intent.name == "alarm_set" else "timer"
        existing = await asyncio.to_thread(self.store.all, intent.site)
        name = slots.get("name", "")
        if len(existing) >= self._settings.max_timers:
            raise ValueError(replies.problem_text("too_many"))
        if kind == "timer":
            seconds = float(slots["seconds"])
            due = now + seconds
        else:
            hour, minute = (int(v) for v in slots["time"].split(":"))
            local = datetime.fromtimestamp(now, tz=self._zone)
            at = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
            if at.timestamp() <= now:
                at += timedelta(days=1)
            seconds, due = 0.0, at.timestamp()
        replaced = [e.id for e in existing if name and e.kind == kind and e.name == name]
        entry = TimerEntry(id=new_id(), site=intent.site, kind=kind, name=name,
                           seconds=seconds, due=due, created=now)
        await asyncio.to_thread(self.store.remove, replaced)
        await asyncio.to_thread(self.store.add, entry)
        self._wake.set()
        await self._bus.publish(self._timer_event(entry, "started", cause=intent.id))
        if kind == "alarm":
            local = datetime.fromtimestamp(due, tz=self._zone)
            today = local.date() == datetime.fromtimestamp(now, tz=self._zone).date()
            named = f" for {name}" if name else ""
            return (f"Alarm{named} set for {replies.clock_text(local)} "
                    f"{'today' if today else 'tomorrow'}.")
        label = f"{name[:1].upper()}{name[1:]} timer" if name else "Timer"
        again = " again" if replaced else ""
        return f"{label} set{again} for {replies.duration_text(seconds)}."

    def _timer_event(self, entry: TimerEntry, state: str, *, cause: str | None = None) -> Timer:
        due = datetime.fromtimestamp(entry.due, tz=self._zone).isoformat(timespec="seconds")
        return Timer(site=entry.site, cause=cause, timer=entry.id, state=state, kind=entry.kind,
                     name=entry.name, seconds=entry.seconds, due=due)

    async def _cancel(self, intent: Intent) -> str:
        kind = "alarm" if intent.name == "alarm_cancel" else "timer"
        ringing = self._ringing.get(intent.site)
        if ringing is not None and ringing.entry.kind == kind:
            self._silence(intent.site)
            return f"OK, {replies.timer_label(ringing.entry, self._zone)} is off."
        entries = [e for e in await asyncio.to_thread(self.store.all, intent.site)
                   if e.kind == kind]
        if not entries:
            return f"You have no {kind}s set."
        chosen = [max(entries, key=lambda e: e.created)] if intent.slots.get("latest") else pick(
            entries, name=intent.slots.get("name", ""),
            seconds=float(intent.slots.get("seconds", "0") or 0))  # "cancel that one": the last
        if not chosen:
            wanted = intent.slots.get("name") or "such"
            return f"I couldn't find a {wanted} {kind}, so nothing was cancelled."
        if len(chosen) > 1 and not intent.slots.get("all"):
            listed = replies.timers_text(chosen, self._clock(), kind=kind, zone=self._zone)
            return f"{listed} Which one should I cancel?"
        await asyncio.to_thread(self.store.remove, [e.id for e in chosen])
        for entry in chosen:
            await self._bus.publish(self._timer_event(entry, "cancelled", cause=intent.id))
        if len(chosen) == 1:
            label = replies.timer_label(chosen[0], self._zone)
            return f"{label[5:6].upper()}{label[6:]} is cancelled."
        return f"All {len(chosen)} {kind}s are cancelled."

    def _remaining(self, intent: Intent) -> str:
        entries = [e for e in self.store.all(intent.site) if e.kind == "timer"]
        if not entries:
            return "You have no timers set."
        chosen = pick(entries, name=intent.slots.get("name", "")) or entries
        now = self._clock()
        if len(chosen) == 1:
            label = replies.timer_label(chosen[0], self._zone)
            return (f"{label[:1].upper()}{label[1:]} has "
                    f"{replies.duration_text(chosen[0].left(now))} left.")
        return replies.timers_text(chosen, now, kind="timer", zone=self._zone)

    async def _ring_loop(self) -> None:
        """Ring what is due (also what came due while the daemon was down), then repeat alerts."""
        while True:
            now = self._clock()
            for entry in await asyncio.to_thread(self.store.all):
                if entry.due <= now and entry.site not in self._ringing:
                    await asyncio.to_thread(self.store.remove, [entry.id])
                    self._ringing[entry.site] = _Ringing(
                        entry, until=now + self._settings.ring_s, next_at=now)
                    await self._bus.publish(self._timer_event(entry, "finished"))
            for site, ringing in list(self._ringing.items()):
                if ringing.silenced.is_set() or (now >= ringing.until and ringing.alerts):
                    del self._ringing[site]
                    await self._bus.publish(self._timer_event(ringing.entry, "silenced"))
                    continue
                if now >= ringing.next_at:
                    ringing.alerts += 1
                    ringing.next_at = now + self._settings.ring_every_s
                    await self._bus.publish(Say(site=site, text=self._alert(ringing.entry)))
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=0.25)

    def _alert(self, entry: TimerEntry) -> str:
        if entry.kind == "alarm":
            local = datetime.fromtimestamp(entry.due, tz=self._zone)
            named = f" for {entry.name}" if entry.name else ""
            return f"It's {replies.clock_text(local)}: this is your alarm{named}."
        label = replies.timer_label(entry, self._zone)
        return f"{label[:1].upper()}{label[1:]} is done."

    def _silence(self, site: str) -> None:
        ringing = self._ringing.get(site)
        if ringing is not None and not ringing.silenced.is_set():
            ringing.silenced.set()  # the ring loop publishes "silenced" and forgets it
            self._wake.set()

    # --- notes -------------------------------------------------------------------------------

    def _notes_file(self, site: str = "") -> Path:
        shared = self._settings.shared_notes or not site
        return self._config.notes_path / ("notes.txt" if shared else f"notes-{site}.txt")

    async def _remember(self, intent: Intent, begun: float) -> None:
        note = replies.as_note(names_capitalised(_name_capitalised(_original_case(
            intent.slots.get("note", ""), intent.text))))
        path = self._notes_file(intent.site)
        now = self._now()
        stamp = f"{now.day} {now.strftime('%B %Y')}"

        def write() -> str:
            path.parent.mkdir(parents=True, exist_ok=True)
            old = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
            # One line, one sentence: the date stays with the fact it dates.
            lines = with_note(old, f"{note[:-1]} (noted on {stamp}).")
            draft = path.with_name(f".{path.name}.new")  # hidden: the watcher skips it
            with draft.open("w", encoding="utf-8") as out:
                out.write("\n".join(lines) + "\n")
                out.flush()
                os.fsync(out.fileno())
            os.replace(draft, path)  # whole or not at all
            return os.path.realpath(path)

        real = await asyncio.to_thread(write)
        waiter: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._indexed[real] = waiter
        await self._bus.publish(Ingest(site=intent.site, cause=intent.id, paths=(real,)))
        try:
            failure = await asyncio.wait_for(waiter, timeout=_NOTE_WAIT_S)
        except TimeoutError:
            failure = "it is saved but not searchable yet"
        finally:
            self._indexed.pop(real, None)
        first = note.split(" ", 1)[0].lower()
        common = {"your", "you", "you're", "the", "a", "an", "there", "it", "it's", "our"}
        said = note[:1].lower() + note[1:] if first in common else note  # "Ada's" stays
        if failure:
            await self._say(intent, f"I saved that, but {failure}.", "memory", begun=begun,
                            error="note_not_indexed", message=f"{real}: {failure}")
            return
        await self._say(intent, f"OK, I'll remember that {said.rstrip('.')}.", "memory",
                        begun=begun, sources=(Source(path=real, text=note),))

    # --- home --------------------------------------------------------------------------------

    async def _home_control(self, intent: Intent, begun: float) -> None:
        if self._home is not None:
            try:
                answer = await asyncio.to_thread(self._home.process, intent.text)
            except HomeError as exc:
                log.warning("home control failed: %s", exc.message)
                await self._say(intent, "I couldn't reach Home Assistant, so nothing was "
                                "changed.", "declined", begun=begun, error=exc.code,
                                message=exc.message)
                return
            await self._say(intent, answer.speech, "home", begun=begun)
            return
        if self._config.mqtt.enabled:
            await self._say(intent, "I've passed that on to your home automation.", "home",
                            begun=begun)
            return
        await self._say(intent, "No home system is connected, so I can't do that.", "declined",
                        begun=begun)


def _name_capitalised(note: str) -> str:
    """"our dog's name is Biscuit" from a recogniser's "our dog is called biscuit": a name is
    written with its capital, so the note reads as one and a later "what's the dog called?"
    finds a name in it. Words that are no name ("… is on the router") leave it as said."""
    found = re.search(r"\bname is ([a-z][a-z'-]*(?: [a-z][a-z'-]*){0,2})$", note)
    if found is None or set(found.group(1).split()) & _NOT_NAMES:
        return note
    return note[:found.start(1)] + " ".join(w[:1].upper() + w[1:] for w in found.group(1).split())


_NOT_NAMES = frozenset(str.split(
    "a an the on in at of under behind inside written printed same not different there here "
    "it this that unknown secret private"))


def _original_case(lowered: str, original: str) -> str:
    """``lowered`` as the user wrote it, where the original text still holds it; else each
    word as the user wrote it ("my sister's name is yasmin" from "My sister's called Yasmin")."""
    at = original.lower().find(lowered)
    if lowered and at >= 0:
        return original[at:at + len(lowered)]
    written = {word.lower(): word for word in re.findall(r"[\w']+", original)}
    return re.sub(r"[\w']+", lambda m: written.get(m.group(0), m.group(0)), lowered)
