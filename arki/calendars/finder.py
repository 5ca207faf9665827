"""The slot finder's arithmetic: pure functions on intervals of epoch seconds, no database.

A meeting of length ``d`` starting at ``t`` fits when, for every busy interval ``[s, e)`` of
every required invitee, ``t + d + after <= s`` or ``t >= e + before`` (``before`` and
``after`` being the buffers the invitees need before and after the meeting). That is the same as
the meeting not overlapping the busy interval widened to ``[s - after, e + before)``, so the
finder widens every interval once, merges them into one sorted, disjoint list, and walks the
candidate windows (common slots or working hours) along it.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Hashable, Iterable, Iterator, Sequence

Interval = tuple[float, float]


def merge(intervals: Iterable[Interval], *, before: float = 0, after: float = 0) -> list[Interval]:
    """Widen each interval by the buffers and merge overlapping or touching ones."""
    widened = sorted((start - after, end + before) for start, end in intervals)
    merged: list[list[float]] = []
    for start, end in widened:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1][1] = end
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def ceil_to(t: float, step: float) -> float:
    return math.ceil(t / step) * step


def free_starts(
    busy: Sequence[Interval],
    ends: Sequence[float],
    window: Interval,
    duration: float,
    step: float,
) -> Iterator[float]:
    """The earliest start (a multiple of ``step``) in each free gap of ``window`` that holds
    ``duration``, in order. ``busy`` is merged (sorted, disjoint); ``ends`` its end times."""
    window_start, window_end = window
    i = bisect_right(ends, window_start)  # the first busy interval ending after the window opens
    n = len(busy)
    t = ceil_to(window_start, step)
    while t + duration <= window_end:
        while i < n and busy[i][1] <= t:
            i += 1
        if i < n and busy[i][0] < t + duration:
            t = ceil_to(busy[i][1], step)
            i += 1
            continue
        yield t
        if i >= n:
            return
        t = ceil_to(busy[i][1], step)  # the next gap opens when the next busy interval ends
        i += 1


def earliest_times(
    busy: Sequence[Interval],
    windows: Iterable[tuple[float, float, Hashable]],
    *,
    duration: float,
    not_before: float,
    not_after: float,
    limit: int,
    step: float,
) -> list[tuple[float, Hashable]]:
    """The ``limit`` earliest starts, one per free gap of each window, as (start, window key).

    ``windows`` must be sorted by start; a window is clipped to ``not_before``..``not_after``
    (the meeting must end by ``not_after``). Equal starts from overlapping windows count once.
    """
    ends = [end for _start, end in busy]
    found: dict[float, Hashable] = {}
    for window_start, window_end, key in windows:
        if len(found) >= limit and window_start >= sorted(found)[limit - 1]:
            break  # every later window starts after the limit-th time found
        start, end = max(window_start, not_before), min(window_end, not_after)
        if end - start < duration:
            continue
        for count, t in enumerate(free_starts(busy, ends, (start, end), duration, step)):
            if count >= limit:
                break
            found.setdefault(t, key)
    return [(t, found[t]) for t in sorted(found)[:limit]]
