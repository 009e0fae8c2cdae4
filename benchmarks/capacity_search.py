"""The capacity benchmark's pure parts: percentiles, the verdict per K, and which K to try next.

No clock, no socket: samples in, numbers and decisions out (tested in
``tests/benchmarks/test_capacity_search.py``). A K *holds* when the p90 of its turns' end of
speech -> first audio is at most ``factor`` x the single-site median. The search doubles K while
it holds (1, 2, 4, ... up to ``max_k``), then bisects between the last K that held and the first
that did not; the capacity is the largest K that held below the smallest K that failed.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["FACTOR", "Verdict", "capacity", "next_k", "percentile", "verdict"]

FACTOR = 2.0
"""p90 at K rooms may be at most this many times the single-site median."""


def percentile(samples: Sequence[float], fraction: float) -> float:
    """Nearest rank: the smallest sample with at least ``fraction`` of the samples at or below it.

    A lost turn is ``math.inf``: it sorts last, so more than 10 % lost turns make the p90
    infinite (the harness's interpolating index would let one lost turn in six pass).
    """
    if not samples:
        raise ValueError("percentile of no samples")
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"fraction {fraction} is not in [0, 1]")
    ordered = sorted(samples)
    rank = math.ceil(round(fraction * len(ordered), 9))  # 0.9 * 10 is 9.000000000000002
    return ordered[max(0, rank - 1)]


@dataclass(frozen=True, slots=True)
class Verdict:
    k: int
    turns: int
    p50: float
    p90: float
    limit: float
    """factor x the single-site median."""

    @property
    def holds(self) -> bool:
        return self.p90 <= self.limit


def verdict(k: int, samples: Sequence[float], single_median: float,
            factor: float = FACTOR) -> Verdict:
    """Whether K rooms' turns (seconds, ``inf`` for a lost turn) stay within the limit."""
    if k < 1:
        raise ValueError(f"K must be at least 1, not {k}")
    if not math.isfinite(single_median) or single_median <= 0:
        raise ValueError(f"the single-site median must be a positive time, not {single_median}")
    return Verdict(k=k, turns=len(samples), p50=statistics.median(sorted(samples)),
                   p90=percentile(samples, 0.9), limit=factor * single_median)


def _bounds(tried: Mapping[int, bool]) -> tuple[int, int | None]:
    """(largest K that held below the first failure or 0, smallest K that failed or None)."""
    failed = min((k for k, held in tried.items() if not held), default=None)
    held = max((k for k, ok in tried.items() if ok and (failed is None or k < failed)),
               default=0)
    return held, failed


def next_k(tried: Mapping[int, bool], max_k: int) -> int | None:
    """The next K to measure given the verdicts so far (K -> held), or None when the search is done.

    K = 1 comes first (it is the single-site baseline); then doubling while K holds, capped at
    ``max_k``; then bisection between the last K that held and the first that failed.
    """
    if max_k < 1:
        raise ValueError(f"max K must be at least 1, not {max_k}")
    if 1 not in tried:
        return 1
    low, high = _bounds(tried)
    if high is None:
        return None if low >= max_k else min(2 * low, max_k)
    if high - low <= 1:
        return None
    return (low + high) // 2


def capacity(tried: Mapping[int, bool]) -> int:
    """The largest K that held below the smallest K that failed (0: even one room did not hold)."""
    return _bounds(tried)[0]
