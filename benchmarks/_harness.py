"""Shared benchmark plumbing: timing statistics, a table printer, JSON results with machine info."""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["RESULTS_DIR", "machine", "print_table", "summarize", "write_results"]

RESULTS_DIR = Path(__file__).parent / "results"


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "when": time.strftime("%Y-%m-%d %H:%M:%S")}


def summarize(samples: Sequence[float]) -> dict[str, float]:
    """median, p90, mean, min, max of a list of samples."""
    ordered = sorted(samples)
    if not ordered:
        return {"n": 0}
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return {"n": len(ordered), "median": statistics.median(ordered), "p90": p90,
            "mean": statistics.fmean(ordered), "min": ordered[0], "max": ordered[-1]}


def print_table(title: str, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        print(f"\n{title}: (no rows)")
        return
    columns = list(dict.fromkeys(k for row in rows for k in row))

    def cell(value: Any) -> str:
        if isinstance(value, float):
            return f"{value:.4g}"
        return str(value)

    widths = {c: max(len(c), *(len(cell(r.get(c, ""))) for r in rows)) for c in columns}
    print(f"\n{title}")
    print("| " + " | ".join(c.ljust(widths[c]) for c in columns) + " |")
    print("|" + "|".join("-" * (widths[c] + 2) for c in columns) + "|")
    for row in rows:
        print("| " + " | ".join(cell(row.get(c, "")).ljust(widths[c]) for c in columns) + " |")


def write_results(name: str, rows: Sequence[dict[str, Any]], **extra: Any) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps({"benchmark": name, "machine": machine(), "rows": list(rows),
                                **extra}, indent=2, default=str))
    return path
