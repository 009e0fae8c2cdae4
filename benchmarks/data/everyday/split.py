"""Split the everyday benchmark's master list into a development part and a frozen test part.

Run from anywhere: ``python benchmarks/data/everyday/split.py`` rewrites ``dev.jsonl`` and
``test.jsonl`` next to this file from ``all.jsonl``; ``--check`` only verifies that the two files
are exactly what the split gives (exit status 1 if not). Standard library only.

The split is stratified: the strata are the categories, cut within each category by the
expected intent; the cases where the daemon is restarted before the last turn form one more
stratum per category (so both parts hold every intent and some restart cases). Within each
stratum the cases are shuffled with ``random.Random(SEED)`` (strata taken in sorted order, cases
in file order before the shuffle) and the first ``round(DEV_FRACTION * n)`` go to dev, the rest
to test. Both files keep the master list's order. Every case's labels are checked against the
label vocabulary first.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

SEED = 23
DEV_FRACTION = 0.55

CATEGORIES = frozenset(
    {
        "time",
        "date",
        "timer",
        "alarm",
        "bad_input",
        "home",
        "chitchat",
        "memory",
        "realtime",
        "personal",
        "general",
    }
)
STATUSES = frozenset(
    {
        "intent",
        "memory",
        "home",
        "declined",
        "not_found",
        "general",
        "error",
        "supported",
        "quoted",
        "fell_back",
    }
)
INTENTS = frozenset(
    {
        "time",
        "date",
        "weekday",
        "timer_set",
        "timer_list",
        "timer_cancel",
        "timer_remaining",
        "alarm_set",
        "alarm_list",
        "alarm_cancel",
        "capabilities",
        "greeting",
        "thanks",
        "goodbye",
        "how_are_you",
        "repeat",
        "never_mind",
        "remember",
        "home_control",
        "realtime",
    }
)
HOME_ACTIONS = frozenset(
    {"turn_on", "turn_off", "toggle", "open", "close", "set", "query", "activate"}
)
EXPECT_KEYS = frozenset(
    {
        "status",
        "intent",
        "slots",
        "home",
        "answer_has",
        "reference",
        "clock",
        "stores_nothing",
        "no_facts",
        "restart_before_last",
    }
)
SLOT_KEYS = frozenset({"seconds", "name", "time"})
CLOCKS = frozenset({"time", "date", "weekday"})

HERE = Path(__file__).resolve().parent


def validate(case: dict[str, Any]) -> list[str]:
    """Return the problems with one case's shape and labels (empty when it is well formed)."""
    problems: list[str] = []
    cid = case.get("id", "?")
    if set(case) != {"id", "category", "turns", "expect"}:
        problems.append(f"{cid}: keys must be id, category, turns, expect")
    if case.get("category") not in CATEGORIES:
        problems.append(f"{cid}: unknown category {case.get('category')!r}")
    turns = case.get("turns")
    if not isinstance(turns, list) or not turns or not all(isinstance(t, str) and t for t in turns):
        problems.append(f"{cid}: turns must be a non-empty list of non-empty strings")
    expect = case.get("expect")
    if not isinstance(expect, dict):
        return [*problems, f"{cid}: expect must be an object"]
    problems.extend(f"{cid}: unknown expect key {key!r}" for key in set(expect) - EXPECT_KEYS)
    status = expect.get("status")
    if not isinstance(status, list) or not status or not set(status) <= STATUSES:
        problems.append(f"{cid}: status must be a non-empty list from {sorted(STATUSES)}")
    if "intent" in expect and expect["intent"] not in INTENTS:
        problems.append(f"{cid}: unknown intent {expect['intent']!r}")
    slots = expect.get("slots", {})
    if not isinstance(slots, dict) or not set(slots) <= SLOT_KEYS:
        problems.append(f"{cid}: slots keys must be from {sorted(SLOT_KEYS)}")
    home = expect.get("home")
    if home is not None and (
        not isinstance(home, dict)
        or home.get("action") not in HOME_ACTIONS
        or not isinstance(home.get("words"), list)
    ):
        problems.append(f"{cid}: home must be {{action, words}} with a known action")
    if "clock" in expect and expect["clock"] not in CLOCKS:
        problems.append(f"{cid}: clock must be one of {sorted(CLOCKS)}")
    return problems


def split(cases: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Stratified, seeded split of ``cases`` into (dev, test), each in master-list order."""
    rng = random.Random(SEED)
    strata: dict[tuple[str, str, bool], list[int]] = {}
    for index, case in enumerate(cases):
        restart = bool(case["expect"].get("restart_before_last", False))
        intent = "" if restart else str(case["expect"].get("intent", ""))
        strata.setdefault((case["category"], intent, restart), []).append(index)
    dev_indices: set[int] = set()
    for stratum in sorted(strata):
        indices = strata[stratum]
        rng.shuffle(indices)
        dev_indices.update(indices[: round(DEV_FRACTION * len(indices))])
    dev = [case for i, case in enumerate(cases) if i in dev_indices]
    test = [case for i, case in enumerate(cases) if i not in dev_indices]
    return dev, test


def _dump(cases: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(case, ensure_ascii=False) + "\n" for case in cases)


def main(argv: list[str] | None = None) -> int:
    """Validate all.jsonl and write (with --check: verify) dev.jsonl and test.jsonl."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify, do not write")
    args = parser.parse_args(argv)
    lines = (HERE / "all.jsonl").read_text(encoding="utf-8").splitlines()
    cases = [json.loads(line) for line in lines if line.strip()]
    problems = [p for case in cases for p in validate(case)]
    ids = [case.get("id") for case in cases]
    if len(set(ids)) != len(ids):
        problems.append("ids are not unique")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    dev, test = split(cases)
    outputs = {"dev.jsonl": _dump(dev), "test.jsonl": _dump(test)}
    if args.check:
        stale = [
            name
            for name, text in outputs.items()
            if not (HERE / name).exists() or (HERE / name).read_text(encoding="utf-8") != text
        ]
        for name in stale:
            print(f"{name} is not the split of all.jsonl (seed {SEED})", file=sys.stderr)
        return 1 if stale else 0
    for name, text in outputs.items():
        (HERE / name).write_text(text, encoding="utf-8")
    for label, part in (("dev", dev), ("test", test)):
        counts: dict[str, int] = {}
        for case in part:
            counts[case["category"]] = counts.get(case["category"], 0) + 1
        print(label, len(part), dict(sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
