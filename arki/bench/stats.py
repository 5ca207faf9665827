"""The benchmarks' one definition of p50 and p95, so that every report's figures mean the same.

- **p95** (any percentile other than the median) is the *nearest-rank* percentile: the
  ⌈q·n⌉-th smallest of the n timings (the first one for q = 0). It is always one of the
  timings measured, never a value between two of them; of 1..20 it gives 19, of 1..100 it
  gives 95.
- **p50** is the median as :func:`statistics.median` computes it: the middle timing, or the
  mean of the two middle ones when n is even (10.5 for 1..20).

Reported figures are rounded to a tenth of a millisecond.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank ``q``-percentile (``0 <= q <= 1``) of ``values``, which may be unsorted
    but not empty."""
    if not values:
        raise ValueError("no values to take a percentile of")
    if not 0 <= q <= 1:
        raise ValueError(f"q must be between 0 and 1, not {q!r}")
    ordered = sorted(values)
    return ordered[max(math.ceil(q * len(ordered)) - 1, 0)]


def p50_p95(values: Sequence[float]) -> tuple[float, float]:
    """The median and the nearest-rank 95th percentile of ``values``, rounded to 0.1."""
    return round(statistics.median(values), 1), round(percentile(values, 0.95), 1)


def summary_ms(times: Sequence[float]) -> dict[str, float]:
    """``n``, ``p50_ms`` and ``p95_ms`` of timings in milliseconds."""
    p50, p95 = p50_p95(times)
    return {"n": len(times), "p50_ms": p50, "p95_ms": p95}
