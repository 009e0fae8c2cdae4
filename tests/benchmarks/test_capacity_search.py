"""The capacity benchmark's pure parts: percentiles, verdicts and the K search (no daemon)."""

from __future__ import annotations

import math

import pytest

from benchmarks.capacity_search import capacity, next_k, percentile, verdict


def test_percentile_is_the_nearest_rank() -> None:
    samples = [0.9, 0.1, 0.5, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6, 1.0]
    assert percentile(samples, 0.9) == 0.9  # 9 of 10 at or below it
    assert percentile(samples, 0.5) == 0.5
    assert percentile(samples, 0.0) == 0.1
    assert percentile(samples, 1.0) == 1.0
    assert percentile([*samples, 5.0], 0.9) == 1.0  # 10 of 11 (91 %) at or below it
    assert percentile([2.5], 0.9) == 2.5


def test_percentile_rejects_nothing_and_bad_fractions() -> None:
    with pytest.raises(ValueError, match="no samples"):
        percentile([], 0.9)
    with pytest.raises(ValueError, match="not in"):
        percentile([1.0], 90)


def test_lost_turns_count_against_the_p90() -> None:
    one_lost = [1.0] * 9 + [math.inf]  # 10 % lost: the p90 is still a real turn
    assert verdict(3, one_lost, single_median=1.0).holds
    one_in_six = [1.0] * 5 + [math.inf]  # 17 % lost
    assert not verdict(2, one_in_six, single_median=1.0).holds
    two_lost = [1.0] * 8 + [math.inf] * 2
    assert math.isinf(verdict(3, two_lost, single_median=1.0).p90)
    assert not verdict(3, two_lost, single_median=1.0).holds


def test_verdict_holds_up_to_twice_the_single_site_median() -> None:
    at_limit = verdict(2, [0.7, 0.8, 1.0, 1.2, 1.4], single_median=0.7)
    assert (at_limit.p50, at_limit.p90, at_limit.limit, at_limit.turns) == (1.0, 1.4, 1.4, 5)
    assert at_limit.holds
    over = verdict(2, [0.7, 0.8, 1.0, 1.2, 1.41], single_median=0.7)
    assert not over.holds
    assert verdict(2, [1.0, 2.9], single_median=1.0, factor=3.0).holds
    with pytest.raises(ValueError, match="at least 1"):
        verdict(0, [1.0], single_median=1.0)
    with pytest.raises(ValueError, match="positive"):
        verdict(1, [1.0], single_median=0.0)


def _search(holds_up_to: int, max_k: int) -> tuple[list[int], int]:
    """Run the search against a machine that carries exactly ``holds_up_to`` rooms."""
    tried: dict[int, bool] = {}
    order = []
    while (k := next_k(tried, max_k)) is not None:
        assert k not in tried, f"K={k} measured twice"
        order.append(k)
        tried[k] = k <= holds_up_to
    return order, capacity(tried)


@pytest.mark.parametrize(("holds_up_to", "max_k", "order", "found"), [
    (1, 8, [1, 2], 1),
    (3, 8, [1, 2, 4, 3], 3),
    (5, 8, [1, 2, 4, 8, 6, 5], 5),
    (8, 8, [1, 2, 4, 8], 8),
    (20, 6, [1, 2, 4, 6], 6),
    (0, 8, [1], 0),
    (4, 1, [1], 1),
])
def test_search_doubles_then_bisects(holds_up_to: int, max_k: int, order: list[int],
                                     found: int) -> None:
    assert _search(holds_up_to, max_k) == (order, found)


def test_every_capacity_is_found_exactly() -> None:
    for max_k in range(1, 13):
        for holds_up_to in range(max_k + 3):
            assert _search(holds_up_to, max_k)[1] == min(holds_up_to, max_k)


def test_capacity_is_below_the_first_failure_even_if_a_larger_k_held() -> None:
    assert capacity({1: True, 2: True, 3: False, 4: True}) == 2
    assert capacity({}) == 0
    with pytest.raises(ValueError, match="at least 1"):
        next_k({}, 0)
