"""The benchmarks' shared p50/p95: nearest-rank percentiles, the median for p50."""

from __future__ import annotations

import pytest

from arki.bench import stats


def test_p95_of_one_to_twenty_is_the_nineteenth_value():
    assert stats.percentile(list(range(1, 21)), 0.95) == 19


def test_p95_is_nearest_rank_on_known_lists():
    assert stats.percentile(list(range(1, 101)), 0.95) == 95
    assert stats.percentile(list(range(1, 20)), 0.95) == 19  # rank ⌈18.05⌉ = 19
    assert stats.percentile(list(range(1, 41)), 0.95) == 38
    assert stats.percentile(list(range(1, 201)), 0.95) == 190
    assert stats.percentile([5, 1, 4, 2, 3], 0.95) == 5  # unsorted input
    assert stats.percentile([7.5], 0.95) == 7.5


def test_nearest_rank_ends_and_middle():
    values = [30, 10, 20, 40]
    assert stats.percentile(values, 0) == 10
    assert stats.percentile(values, 0.25) == 10
    assert stats.percentile(values, 0.5) == 20
    assert stats.percentile(values, 0.51) == 30
    assert stats.percentile(values, 1) == 40


def test_p50_is_the_median_and_p95_nearest_rank():
    assert stats.p50_p95(list(range(1, 21))) == (10.5, 19)
    assert stats.p50_p95(list(range(1, 22))) == (11, 20)
    assert stats.p50_p95([1.04, 2.06, 9.99]) == (2.1, 10.0)


def test_summary_in_milliseconds():
    assert stats.summary_ms([float(v) for v in range(20, 0, -1)]) == {
        "n": 20,
        "p50_ms": 10.5,
        "p95_ms": 19.0,
    }


@pytest.mark.parametrize("q", [-0.1, 1.5])
def test_a_share_outside_zero_to_one_is_refused(q):
    with pytest.raises(ValueError):
        stats.percentile([1, 2, 3], q)


def test_no_values_is_refused():
    with pytest.raises(ValueError):
        stats.percentile([], 0.95)
