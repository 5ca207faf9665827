"""The slot finder's arithmetic, on minutes: hand-checked cases and a property test."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from arki.calendars.finder import earliest_times, free_starts, merge


def test_merge_widens_by_the_buffers_and_joins_overlapping_and_touching_intervals():
    busy = [(100, 160), (10, 20), (150, 200), (230, 240)]
    assert merge(busy) == [(10, 20), (100, 200), (230, 240)]
    # 15 before the meeting means 15 free after each busy time; 10 after means 10 before it.
    assert merge(busy, before=15, after=10) == [(0, 35), (90, 215), (220, 255)]
    assert merge(busy, before=20, after=10) == [(0, 40), (90, 260)]


def test_free_starts_gives_the_earliest_start_of_each_gap_that_fits():
    busy = merge([(540, 570), (600, 660), (700, 720)])  # 9:00-9:30, 10-11, 11:40-12
    ends = [e for _s, e in busy]
    # Window 9:00-13:00, 30 minutes, on the quarter hour: 9:30 fits before 10:00; 11:00 fits
    # before 11:40; then 12:00.
    assert list(free_starts(busy, ends, (540, 780), 30, 15)) == [570, 660, 720]
    # 45 minutes: 9:30-10:15 hits 10:00; 11:00-11:45 hits 11:40; 12:00 fits.
    assert list(free_starts(busy, ends, (540, 780), 45, 15)) == [720]
    # A start is rounded up to the quarter hour: busy until 9:05 gives 9:15.
    busy = [(500, 545)]
    assert list(free_starts(busy, [545], (540, 780), 30, 15)) == [555]


def test_earliest_times_prefers_time_order_across_windows_and_counts_equal_starts_once():
    busy = merge([(0, 100)])
    windows = [(50, 200, "a"), (100, 300, "b"), (400, 500, "c")]
    found = earliest_times(
        busy, windows, duration=50, not_before=0, not_after=1000, limit=2, step=10
    )
    assert found == [(100, "a"), (400, "c")]


def test_earliest_times_respects_not_before_and_not_after():
    windows = [(0, 100, "a"), (200, 300, "b")]
    search = {"duration": 30, "limit": 5, "step": 10}
    assert earliest_times([], windows, not_before=80, not_after=1000, **search) == [(200, "b")]
    assert earliest_times([], windows, not_before=0, not_after=250, **search) == [
        (0, "a"),
        (200, "b"),
    ]
    assert earliest_times([], windows, not_before=0, not_after=220, **search) == [(0, "a")]


def test_a_window_exactly_the_meetings_length_fits_only_when_nothing_busy_overlaps_it():
    busy = merge([(10, 20), (30, 40)])
    ends = [e for _s, e in busy]

    def fits(start: int, end: int) -> bool:
        return list(free_starts(busy, ends, (start, end), end - start, 1)) == [start]

    assert fits(20, 30)  # between the two, touching both
    assert not fits(15, 25)
    assert not fits(0, 50)
    assert fits(40, 90)
    assert fits(0, 10)


intervals = st.lists(
    st.tuples(st.integers(0, 2000), st.integers(1, 240)).map(lambda p: (p[0], p[0] + p[1])),
    max_size=30,
)
windows_strategy = st.lists(
    st.tuples(st.integers(0, 2000), st.integers(15, 600)).map(lambda p: (p[0], p[0] + p[1])),
    min_size=1,
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(
    busy=intervals,
    windows=windows_strategy,
    duration=st.integers(5, 180),
    before=st.integers(0, 60),
    after=st.integers(0, 60),
    step=st.sampled_from([1, 5, 15]),
    not_before=st.integers(0, 500),
)
def test_a_proposed_time_never_overlaps_a_busy_time_with_its_buffers_and_is_the_earliest(
    busy, windows, duration, before, after, step, not_before
):
    merged = merge(busy, before=before, after=after)
    keyed = sorted((s, e, i) for i, (s, e) in enumerate(windows))
    found = earliest_times(
        merged,
        keyed,
        duration=duration,
        not_before=not_before,
        not_after=10_000,
        limit=4,
        step=step,
    )
    for t, key in found:
        start, end = windows[key]  # type: ignore[index]
        assert max(start, not_before) <= t and t + duration <= end
        assert t % step == 0
        for s, e in busy:  # the raw busy times: the meeting and its buffers stay clear of them
            assert t + duration + after <= s or t >= e + before, (t, s, e)

    # Brute force: the earliest feasible aligned start over all windows is the first found.
    def fits(t: int) -> bool:
        return all(t + duration + after <= s or t >= e + before for s, e in busy)

    candidates = [
        t
        for s, e in windows
        for t in range(max(s, not_before), e - duration + 1)
        if t % step == 0 and fits(t)
    ]
    if candidates:
        assert found and found[0][0] == min(candidates)
    else:
        assert found == []
