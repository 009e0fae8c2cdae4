"""Check that a held-out everyday set is well formed and kept apart from the earlier sets.

Run from anywhere: ``python benchmarks/data/everyday/apart.py`` checks ``holdout3.jsonl`` next
to this file against ``all.jsonl`` and ``holdout.jsonl``; ``--set=holdout4`` checks
``holdout4.jsonl`` against ``all.jsonl``, ``holdout.jsonl`` and ``holdout3.jsonl``;
``--set=holdout5`` checks ``holdout5.jsonl`` against those four; ``--set=holdout6`` checks
``holdout6.jsonl`` against those five; ``--set=holdout7`` checks ``holdout7.jsonl`` against
those six. Checked:
every case against the label vocabulary (``split.validate``), unique ids, no turn equal to a turn
of an earlier set (lowercased, punctuation removed or turned into spaces), and no
general-knowledge or memory ``answer_has`` word shared with the earlier sets' general-knowledge
and memory cases. Exit status 1 on any problem. Standard library only; it never runs the
benchmark.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from split import validate

HERE = Path(__file__).resolve().parent
EARLIER = {
    "holdout3": ("all.jsonl", "holdout.jsonl"),
    "holdout4": ("all.jsonl", "holdout.jsonl", "holdout3.jsonl"),
    "holdout5": ("all.jsonl", "holdout.jsonl", "holdout3.jsonl", "holdout4.jsonl"),
    "holdout6": ("all.jsonl", "holdout.jsonl", "holdout3.jsonl", "holdout4.jsonl",
                 "holdout5.jsonl"),
    "holdout7": ("all.jsonl", "holdout.jsonl", "holdout3.jsonl", "holdout4.jsonl",
                 "holdout5.jsonl", "holdout6.jsonl"),
}
KEYED = ("general", "memory")


def _load(name: str) -> list[dict[str, Any]]:
    lines = (HERE / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _forms(text: str) -> set[str]:
    """The turn lowercased, punctuation removed and (second form) punctuation turned into spaces."""
    low = text.lower()
    return {" ".join(re.sub(r"[^\w\s]", sub, low).split()) for sub in ("", " ")}


def problems(mine: list[dict[str, Any]], earlier: list[dict[str, Any]]) -> list[str]:
    """Every reason ``mine`` is malformed or not apart from ``earlier`` (empty when all is well)."""
    found = [p for case in mine for p in validate(case)]
    ids = [case.get("id") for case in mine]
    if len(set(ids)) != len(ids):
        found.append("ids are not unique")
    turns = {form for case in earlier for turn in case["turns"] for form in _forms(turn)}
    found.extend(f"{case['id']}: turn {turn!r} equals an earlier set's turn"
                 for case in mine for turn in case["turns"] if _forms(turn) & turns)
    words = {word.lower() for case in earlier if case["category"] in KEYED
             for word in case["expect"].get("answer_has", [])}
    found.extend(f"{case['id']}: answer_has {word!r} is an earlier set's key word"
                 for case in mine if case["category"] in KEYED
                 for word in case["expect"].get("answer_has", []) if word.lower() in words)
    return found


def main(argv: list[str] | None = None) -> int:
    """Check one held-out set; print the problems or the counts per category."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=sorted(EARLIER), default="holdout3", dest="name",
                        help="which held-out set to check (default holdout3)")
    args = parser.parse_args(argv)
    earlier = EARLIER[args.name]
    mine = _load(f"{args.name}.jsonl")
    found = problems(mine, [case for name in earlier for case in _load(name)])
    if found:
        print("\n".join(found), file=sys.stderr)
        return 1
    counts: dict[str, int] = {}
    for case in mine:
        counts[case["category"]] = counts.get(case["category"], 0) + 1
    print(f"{args.name}.jsonl: {len(mine)} cases, apart from {', '.join(earlier)}",
          dict(sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
