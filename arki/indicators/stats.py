"""Statistics for the indicator dashboard: small-cell suppression and trend estimates.

Pure functions, no database: unit- and property-tested on their own.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# The small-cell rules live with the complementary suppression in core (the methods catalogue
# uses them too); the dashboard's code reads them from here.
from arki.core.protection import MIN_CELL as MIN_CELL
from arki.core.protection import PROTECTED as PROTECTED
from arki.core.protection import SUPPRESSED as SUPPRESSED
from arki.core.protection import is_small as is_small
from arki.core.protection import shown as shown


def suppress(count: int | None, *, parents: Sequence[int | None] = ()) -> int | str | None:
    """The count as it may be shown.

    A count of 1–4 is shown as "<5". So is any count that differs by 1–4 from a visible figure
    of an enclosing filter (the same indicator with one filter dimension widened): otherwise the
    small complement could be computed by subtracting one shown figure from another.
    """
    if count is None:
        return None
    if is_small(count):
        return SUPPRESSED
    for parent in parents:
        if parent is not None and is_small(parent - count):
            return SUPPRESSED
    return count


def share(numerator: int | None, denominator: int | None) -> float | None:
    """A percentage, or None when the denominator is empty."""
    if not denominator or numerator is None:
        return None
    return round(100.0 * numerator / denominator, 1)


def suppressed_share(
    numerator: int | None, denominator: int | None, *, parents: Sequence[int | None] = ()
) -> float | str | None:
    """A share whose numerator, denominator or complement is small is not shown."""
    if numerator is None or not denominator:
        return None
    if (
        suppress(numerator, parents=parents) == SUPPRESSED
        or is_small(denominator)
        or is_small(denominator - numerator)
    ):
        return SUPPRESSED
    return share(numerator, denominator)


# Two-sided 97.5 % quantiles of Student's t distribution by degrees of freedom (for 95 % CIs).
_T975 = {
    1: 12.706,
    2: 4.303,
    3: 3.182,
    4: 2.776,
    5: 2.571,
    6: 2.447,
    7: 2.365,
    8: 2.306,
    9: 2.262,
    10: 2.228,
    11: 2.201,
    12: 2.179,
    13: 2.160,
    14: 2.145,
    15: 2.131,
    16: 2.120,
    17: 2.110,
    18: 2.101,
    19: 2.093,
    20: 2.086,
    25: 2.060,
    30: 2.042,
    40: 2.021,
    60: 2.000,
    120: 1.980,
}


def t_quantile_975(df: int) -> float:
    if df <= 0:
        raise ValueError("degrees of freedom must be positive")
    if df in _T975:
        return _T975[df]
    keys = sorted(_T975)
    if df > keys[-1]:
        return 1.960
    below = max(k for k in keys if k < df)
    above = min(k for k in keys if k > df)
    # Interpolate linearly in 1/df, which is how t tables are meant to be read.
    w = (1 / df - 1 / above) / (1 / below - 1 / above)
    return _T975[above] + w * (_T975[below] - _T975[above])


@dataclass(frozen=True)
class Trend:
    """Average annual percent change from a log-linear fit, with its 95 % confidence interval."""

    aapc: float
    ci_low: float
    ci_high: float
    years: int

    @property
    def is_significant(self) -> bool:
        return self.ci_low > 0 or self.ci_high < 0


def aapc(years: Sequence[int], rates: Sequence[float]) -> Trend | None:
    """Fit ln(rate) = a + b·year by least squares; AAPC = 100·(e^b − 1).

    With one segment (no joinpoints) the AAPC equals the annual percent change, as in the LT
    research (Niemelä et al. 2019). The 95 % CI uses the t distribution with n − 2 degrees of
    freedom. Needs at least three years with a positive rate; returns None otherwise.
    """
    points = [(float(y), math.log(r)) for y, r in zip(years, rates, strict=True) if r and r > 0]
    n = len(points)
    if n < 3:
        return None
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    slope = sxy / sxx
    intercept = mean_y - slope * mean_x
    residual = sum((y - (intercept + slope * x)) ** 2 for x, y in points)
    se = math.sqrt(residual / (n - 2) / sxx)
    t = t_quantile_975(n - 2)

    def pct(b: float) -> float:
        return round(100.0 * (math.exp(b) - 1.0), 2)

    return Trend(aapc=pct(slope), ci_low=pct(slope - t * se), ci_high=pct(slope + t * se), years=n)


def rate_per_1000(count: int | None, population: int | None) -> float | None:
    if count is None or not population:
        return None
    return round(1000.0 * count / population, 2)
