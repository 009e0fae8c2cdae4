"""Everyday commands against a real daemon: intents done right, nothing made up (issue 23).

`python -m benchmarks everyday
[--part=dev|test|holdout|holdout3|holdout4|holdout5|holdout6|holdout7] [--only=ID,ID] [--show]`

Plays the labelled set in ``benchmarks/data/everyday/`` (written before any tuning; ``dev``
while tuning, the frozen ``test`` part once at the end; ``holdout``: a later set by an author
who never saw the implementation, also run once at the end) to one real ``nimbus run`` on its
embedded defaults (the shipped 135M model), through its WebSocket as text commands, with a real
mosquitto broker and a real MQTT subscriber as the receiving end of home control (no Home
Assistant is configured here: the intent must arrive on ``nimbus/<site>/intent``). Each case
gets a site of its own (timers are per site), its notes are deleted after it (the set assumes a
fresh household per case), and cases marked ``restart_before_last`` restart the daemon before
their last turn. Checks, per the set's README: the ``response.done`` status, the intent and its
slots, the spoken text, the clock in the configured time zone, and invented facts (a number,
date or name spoken that is in neither the reference, the user's own words nor the clock).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import tempfile
import time
import zoneinfo
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import aiomqtt

from benchmarks._harness import print_table, summarize, write_results
from nimbus.cli.client import DaemonClient
from nimbus.daemon.events import (
    Ask,
    DocumentRemoved,
    Error,
    Event,
    Intent,
    ResponseDone,
    ResponseStarted,
    Timer,
)
from nimbus.daemon.testing import DaemonProcess
from nimbus.handlers.responding.gate import evidence_keys, find_items
from tests.mosquitto import Mosquitto

DATA = Path(__file__).parent / "data" / "everyday"
ZONE = "America/New_York"
"""Not the machine's zone (UTC here): an answer in the wrong zone is caught."""
WAIT = 180.0
_TIME = re.compile(r"\b(\d{1,2}):(\d{2})\s*(AM|PM)\b")


def _config(root: Path, mqtt_port: int) -> Path:
    state, watch = root / "state", root / "watched"
    state.mkdir(exist_ok=True)
    watch.mkdir(exist_ok=True)
    path = root / "nimbus.toml"
    path.write_text(
        f'[daemon]\nstate_dir = "{state}"\n\n[watch]\nfolders = ["{watch}"]\nsettle_s = 0.3\n\n'
        '[audio]\ninput = "none"\noutput = "none"\n\n[websocket]\nport = 0\n\n'
        f'[mqtt]\nenabled = true\nhost = "127.0.0.1"\nport = {mqtt_port}\n\n'
        f'[intents]\ntime_zone = "{ZONE}"\nring_s = 0\n\n[llm]\nseed = 0\n',
        encoding="utf-8")
    return path


async def _turn(client: DaemonClient, site: str, text: str) -> dict[str, Any]:
    ask = Ask(site=site, text=text)
    await client.subscribe([Intent, Timer, ResponseStarted, ResponseDone, Error], sites=[site])
    begun = time.perf_counter()
    events: list[Event] = [e async for e in client.request(
        ask, until=lambda e: isinstance(e, ResponseDone), timeout=WAIT)]
    done = next(e for e in events if isinstance(e, ResponseDone))
    intent = next((e for e in events if isinstance(e, Intent)), None)
    return {"text": done.text.strip(), "status": done.grounding.status,
            "intent": intent.name if intent else "", "slots": dict(intent.slots) if intent else {},
            "passed_on": intent.text if intent else "",
            "errors": [e.code for e in events if isinstance(e, Error)],
            "timers": [e.state for e in events if isinstance(e, Timer)],
            "first_sentence": done.timings.get("first_sentence"),
            "wall": time.perf_counter() - begun,
            "when": datetime.now(zoneinfo.ZoneInfo(ZONE))}


def _clock_ok(kind: str, answer: str, when: datetime, said: str) -> bool:
    shift = 1 if "tomorrow" in said.lower() else -1 if "yesterday" in said.lower() else 0
    day = when + timedelta(days=shift)
    if kind == "time":
        found = _TIME.search(answer)
        if found is None:
            return False
        hour = int(found.group(1)) % 12 + (12 if found.group(3) == "PM" else 0)
        spoken = when.replace(hour=hour, minute=int(found.group(2)), second=0, microsecond=0)
        return abs((spoken - when).total_seconds()) <= 120
    if kind == "weekday":
        return day.strftime("%A") in answer
    return day.strftime("%A") in answer and f"{day.day} {day.strftime('%B')}" in answer


def _invented(answer: str, known: list[str]) -> list[str]:
    keys = evidence_keys(known)
    return [item.text for item in find_items(answer)
            if item.kind != "quote" and not item.keys & keys]


def _score(case: dict[str, Any], turns: list[dict[str, Any]]) -> dict[str, Any]:
    expect = case["expect"]
    last = turns[-1]
    said = case["turns"][-1]
    problems: list[str] = []
    status = last["status"]
    allowed = expect.get("status", [])
    if "error" in allowed and last["errors"] and status == "declined":
        status = "error"  # refused input: an error event and a declined answer
    if allowed and status not in allowed:
        problems.append(f"status {last['status']} not in {allowed}")
    if "intent" in expect and last["intent"] != expect["intent"]:
        problems.append(f"intent {last['intent'] or '-'} != {expect['intent']}")
    for key, value in expect.get("slots", {}).items():
        got = last["slots"].get(key, "")
        if key == "seconds":
            ok = bool(got) and abs(float(got) - float(value)) < 1
        else:
            ok = str(value).lower() in got.lower() or (bool(got) and got.lower() in
                                                       str(value).lower())
        if not ok:
            problems.append(f"slot {key}={got!r} != {value!r}")
    home = expect.get("home")
    if home is not None:
        passed = (last["passed_on"] + " " + json.dumps(last["slots"])).lower()
        missing = [w for w in home.get("words", []) if w.lower() not in passed]
        if missing:
            problems.append(f"not passed on: {missing}")
        if not last.get("mqtt"):
            problems.append("no MQTT intent message")
    answer = last["text"]
    missing = [w for w in expect.get("answer_has", []) if w.lower() not in answer.lower()]
    if missing:
        problems.append(f"answer lacks {missing}")
    if "clock" in expect and not _clock_ok(expect["clock"], answer, last["when"], said):
        problems.append(f"clock wrong: {answer!r}")
    invented: list[str] = []
    when = last["when"]
    clock = [f"{when.strftime('%A')}, {when.day} {when.strftime('%B %Y')}"]  # what it is now
    if "reference" in expect:
        invented = _invented(answer, [expect["reference"], *case["turns"], *clock])
    elif expect.get("no_facts"):
        invented = _invented(answer, list(case["turns"]))
    if invented:
        problems.append(f"invented {invented}")
    if expect.get("stores_nothing") and ("started" in last["timers"] or last.get("noted")):
        problems.append("stored something")
    if case["category"] == "chitchat" and expect.get("intent") == "repeat" and len(turns) > 1 \
            and turns[-2]["text"] and turns[-2]["text"] not in answer:
        problems.append("did not repeat the last answer")
    return {"id": case["id"], "category": case["category"], "ok": not problems,
            "problems": problems, "invented": invented, "status": last["status"],
            "answer": answer, "said": said, "intent": last["intent"], "slots": last["slots"],
            "first_sentence": last["first_sentence"]}


async def _play(cases: list[dict[str, Any]], root: Path, show: bool) -> list[dict[str, Any]]:
    broker = Mosquitto(root)
    broker.start()
    config = _config(root, broker.port)
    state = root / "state"
    daemon = DaemonProcess(config, state, log_path=root / "daemon.log")
    url = await asyncio.to_thread(daemon.start, ready_within=300)
    received: list[tuple[str, str]] = []

    async def listen() -> None:
        async with aiomqtt.Client("127.0.0.1", broker.port) as mqtt:
            await mqtt.subscribe("nimbus/+/intent", qos=1)
            await mqtt.subscribe("nimbus/availability", qos=1)
            async for message in mqtt.messages:
                received.append((str(message.topic), bytes(message.payload).decode()))  # noqa: PERF401 - forever

    scored: list[dict[str, Any]] = []
    listener = asyncio.create_task(listen())
    try:
        for _ in range(300):  # the daemon's own MQTT link is up (its retained "online")
            if ("nimbus/availability", "online") in received:
                break
            await asyncio.sleep(0.1)
        for case in cases:
            site = "c-" + re.sub(r"[^a-z0-9-]", "-", case["id"].lower())
            turns = []
            for index, text in enumerate(case["turns"]):
                if index == len(case["turns"]) - 1 and case["expect"].get("restart_before_last"):
                    await asyncio.to_thread(daemon.stop)
                    url = await asyncio.to_thread(daemon.start, ready_within=300)
                notes = state / "notes"
                before = {p: p.stat().st_size for p in notes.glob("*")} if notes.exists() else {}
                mark = len(received)
                async with DaemonClient(url, site=site) as client:
                    turn = await _turn(client, site, text)
                for _ in range(100 if turn["intent"] == "home_control" else 1):
                    await asyncio.sleep(0.1)  # the broker's copy of the intent
                    turn["mqtt"] = [m for m in received[mark:]
                                    if m[0] == f"nimbus/{site}/intent"]
                    if turn["mqtt"]:
                        break
                after = {p: p.stat().st_size for p in notes.glob("*")} if notes.exists() else {}
                turn["noted"] = after != before
                turns.append(turn)
            result = _score(case, turns)
            scored.append(result)
            if show or not result["ok"]:
                mark_ = "ok " if result["ok"] else "BAD"
                print(f"{mark_} {case['id']:14} {result['said'][:50]!r:54} -> "
                      f"{result['status']:9} {result['answer'][:90]!r} {result['problems']}")
            await _forget_notes(url, state / "notes")
    finally:
        listener.cancel()
        await asyncio.gather(listener, return_exceptions=True)
        daemon.stop()
        broker.stop()
    return scored


async def _forget_notes(url: str, notes: Path) -> None:
    """Delete the case's notes and wait until the store forgot them (a fresh household)."""
    files = await asyncio.to_thread(lambda: list(notes.glob("*")) if notes.exists() else [])
    if not files:
        return
    async with DaemonClient(url, site="bench-reset") as client, client.stream() as events:
        await client.subscribe([DocumentRemoved])
        for path in files:
            path.unlink()
        gone = 0
        async with asyncio.timeout(30):
            async for event in events:
                if isinstance(event, DocumentRemoved):
                    gone += 1
                    if gone >= len(files):
                        break


def _summary(scored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for category in sorted({s["category"] for s in scored}):
        mine = [s for s in scored if s["category"] == category]
        statuses = Counter(s["status"] for s in mine)
        rows.append({"category": category, "cases": len(mine),
                     "right": sum(s["ok"] for s in mine),
                     "right %": round(100 * sum(s["ok"] for s in mine) / len(mine), 1),
                     "invented": sum(bool(s["invented"]) for s in mine),
                     "statuses": " ".join(f"{k or '-'}:{v}" for k, v in statuses.most_common())})
    return rows


def _targets(scored: list[dict[str, Any]]) -> dict[str, Any]:
    intents = [s for s in scored if s["category"] in (
        "time", "date", "timer", "alarm", "bad_input", "home", "chitchat")]
    personal = [s for s in scored if s["category"] == "personal"]
    general = [s for s in scored if s["category"] == "general"]
    answered = [s for s in general if s["status"] == "general"]
    timing = {status: summarize([s["first_sentence"] for s in scored
                                 if s["status"] == status and s["first_sentence"]])
              for status in ("intent", "general")}
    ratio = None
    if timing["intent"].get("median") and timing["general"].get("median"):
        ratio = round(timing["intent"]["median"] / timing["general"]["median"], 4)
    return {
        "invented facts or actions spoken": sum(bool(s["invented"]) for s in scored),
        "intents done right %": round(100 * sum(s["ok"] for s in intents) / max(1, len(intents)),
                                      1),
        "personal declined %": round(100 * sum(s["status"] in ("not_found", "declined")
                                               for s in personal) / max(1, len(personal)), 1),
        "general answered %": round(100 * len(answered) / max(1, len(general)), 1),
        "general answered and right": sum(s["ok"] for s in answered),
        "first sentence, intent / general (median ratio)": ratio,
        "first sentence s": timing,
    }


def main(argv: list[str]) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks everyday")
    parser.add_argument("--part", default="dev",
                        choices=("dev", "test", "holdout", *(f"holdout{n}" for n in range(3, 8))))
    parser.add_argument("--only", default="", help="comma-separated case ids")
    parser.add_argument("--show", action="store_true", help="print every case, not just misses")
    args = parser.parse_args(argv)
    cases = [json.loads(line) for line in
             (DATA / f"{args.part}.jsonl").read_text(encoding="utf-8").splitlines() if line]
    if args.only:
        wanted = set(args.only.split(","))
        cases = [c for c in cases if c["id"] in wanted]
    with tempfile.TemporaryDirectory(prefix="nimbus-everyday-") as tmp:
        scored = asyncio.run(_play(cases, Path(tmp), args.show))
    rows = _summary(scored)
    print_table(f"Everyday commands, {args.part} part ({len(scored)} cases)", rows)
    targets = _targets(scored)
    print_table("Targets", [{"measure": k, "value": v} for k, v in targets.items()
                            if k != "first sentence s"])
    path = write_results(f"everyday-{args.part}", rows, targets=targets, cases=scored)
    print(f"\nwrote {path}")
    return rows
