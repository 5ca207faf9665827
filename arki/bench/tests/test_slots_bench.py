"""The slot finder benchmark runs at a tiny scale, leaves nothing behind, and proposes times
that are free for every invitee (no timing asserted)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from arki.bench import slots
from arki.calendars.models import BusyTime
from arki.calendars.selectors import find_times, local_zone


@pytest.mark.django_db
def test_the_slot_benchmark_measures_and_rolls_back():
    result = slots.measure(runs=2, users=3)
    assert result["users"] == 3 and result["busy_times"] > 3 * 100
    assert set(result["searches"]) == set(slots.SEARCHES)
    assert result["searches"]["60 min, no buffers"]["proposals"] == 6
    assert "| 90 min, 15 min buffers |" in slots.markdown(result)
    assert not BusyTime.objects.exists()


@pytest.mark.django_db
def test_the_benchmark_data_yields_free_times_for_everyone():
    data = slots.build(users=4)
    earliest = datetime.combine(data["start"], time(7), tzinfo=local_zone())
    found = find_times(
        users=data["users"],
        duration=timedelta(minutes=90),
        earliest=earliest,
        buffer_before=timedelta(minutes=15),
        buffer_after=timedelta(minutes=15),
        limit=6,
    )
    assert len(found) == 6
    for proposal in found:
        clash = BusyTime.objects.filter(
            user__in=data["users"],
            starts_at__lt=proposal.ends_at + timedelta(minutes=15),
            ends_at__gt=proposal.starts_at - timedelta(minutes=15),
        )
        assert not clash.exists(), proposal
