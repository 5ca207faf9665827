from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arki.indicators.stats import SUPPRESSED, aapc, share, suppress, suppressed_share


@pytest.mark.parametrize("count,shown", [(0, 0), (1, SUPPRESSED), (4, SUPPRESSED), (5, 5)])
def test_small_cells_are_suppressed(count, shown):
    assert suppress(count) == shown


def test_differencing_against_an_enclosing_figure_is_blocked():
    # The area shows 40; a unit with 37 would reveal that the rest of the area has 3.
    assert suppress(37, parents=[40]) == SUPPRESSED
    assert suppress(35, parents=[40]) == 35
    assert suppress(40, parents=[40]) == 40


def test_share_with_small_complement_is_suppressed():
    assert suppressed_share(48, 50) == SUPPRESSED  # 2 families said no
    assert suppressed_share(30, 50) == 60.0
    assert suppressed_share(3, 50) == SUPPRESSED
    assert share(1, 0) is None


def test_aapc_on_a_known_series():
    years = list(range(2010, 2020))
    rates = [10.0 * 1.05**i for i in range(10)]
    trend = aapc(years, rates)
    assert trend is not None
    assert trend.aapc == pytest.approx(5.0, abs=1e-6)
    assert trend.ci_low == pytest.approx(5.0, abs=1e-6)
    assert trend.ci_high == pytest.approx(5.0, abs=1e-6)
    assert trend.is_significant


def test_aapc_falling_series_with_noise():
    # The LT region: referrals falling about 6.9 % a year.
    years = list(range(2008, 2018))
    noise = [1.01, 0.99, 1.02, 0.98, 1.0, 1.01, 0.99, 1.0, 1.02, 0.98]
    rates = [20.0 * (1 - 0.069) ** i * noise[i] for i in range(10)]
    trend = aapc(years, rates)
    assert trend is not None
    assert -8.0 < trend.aapc < -6.0
    assert trend.ci_low < trend.aapc < trend.ci_high < 0


def test_aapc_needs_three_positive_years():
    assert aapc([2020, 2021], [1.0, 2.0]) is None
    assert aapc([2020, 2021, 2022], [1.0, 0.0, 2.0]) is None


@given(
    st.floats(min_value=-30, max_value=30),
    st.floats(min_value=0.1, max_value=100),
    st.integers(min_value=3, max_value=25),
)
def test_exact_exponential_series_recovers_its_rate(pct, start, n):
    years = list(range(2000, 2000 + n))
    rates = [start * (1 + pct / 100) ** i for i in range(n)]
    trend = aapc(years, rates)
    assert trend is not None
    assert math.isclose(trend.aapc, round(pct, 2), abs_tol=0.02)


@given(st.integers(min_value=0, max_value=10_000), st.lists(st.integers(0, 10_000), max_size=3))
def test_no_shown_figure_is_small_or_has_a_small_complement(count, parents):
    shown = suppress(count, parents=parents)
    if shown != SUPPRESSED:
        assert shown == count
        assert count == 0 or count >= 5
        for parent in parents:
            assert not 0 < parent - count < 5
