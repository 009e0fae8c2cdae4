"""Run benchmarks: `python -m benchmarks` (all) or `python -m benchmarks asr tts` (some).

Each `benchmarks/bench_<name>.py` defines ``main(argv: list[str]) -> list[dict]``: it prints its
table(s) and writes ``benchmarks/results/<name>.json``.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


_PLAIN_NAMES = ("voice_to_voice", "answers", "capacity")
"""Benchmarks whose module is not ``bench_<name>`` (they drive a whole daemon)."""


def _available() -> list[str]:
    here = Path(__file__).parent
    modules = pkgutil.iter_modules([str(here)])
    names = [m.name.removeprefix("bench_") for m in modules if m.name.startswith("bench_")]
    return sorted([*names, *_PLAIN_NAMES])


def main(argv: list[str]) -> int:
    names = [a for a in argv if not a.startswith("-")] or _available()
    unknown = sorted(set(names) - set(_available()))
    if unknown:
        print(f"unknown benchmark(s) {unknown}; available: {_available()}", file=sys.stderr)
        return 2
    flags = [a for a in argv if a.startswith("-")]
    for name in names:
        module = importlib.import_module(
            f"benchmarks.{name}" if name in _PLAIN_NAMES
            else f"benchmarks.bench_{name}")
        module.main(flags)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
