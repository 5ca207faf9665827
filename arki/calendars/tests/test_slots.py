"""Common slots, the required invitees of a meeting, and the slot finder on the database."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from arki.accounts.models import QualificationKind
from arki.audit.models import AuditEvent
from arki.calendars import selectors, services
from arki.calendars.models import CommonSlot, Repeat
from arki.core.tests.factories import QualificationFactory, UserFactory
from arki.meetings import services as meetings

from .conftest import at

MONDAY = at("2027-01-04", "08:00")
HOUR = timedelta(hours=1)
QUARTER = timedelta(minutes=15)


def _slot(world, actor=None, **kw) -> CommonSlot:
    values = {
        "weekday": 1,  # Tuesday
        "start_time": time(13),
        "end_time": time(15),
        "valid_from": date(2027, 1, 1),
    } | kw
    if "unit" not in values and "area" not in values:
        values["area"] = world.unit.area
    return services.slot_publish(actor=actor or world.coordinator, **values)


def _busy(user, day, start, end):
    """A busy time on ``day`` from ``start`` to ``end`` (a time, or a day and time)."""
    ends_at = at(*end.split("T")) if "T" in end else at(day, end)
    services.busy_add(actor=user, starts_at=at(day, start), ends_at=ends_at)


def _times(proposals):
    return [(p.starts_at.strftime("%d.%m. %H:%M"), p.ends_at.strftime("%H:%M")) for p in proposals]


@pytest.mark.django_db
def test_weekly_and_fortnightly_slots_occur_on_their_own_weeks(world):
    weekly = _slot(world, valid_from=date(2027, 1, 6))  # a Wednesday: the first Tuesday is 12.1.
    assert weekly.dates_between(date(2027, 1, 1), date(2027, 1, 31)) == [
        date(2027, 1, 12),
        date(2027, 1, 19),
        date(2027, 1, 26),
    ]
    fortnightly = _slot(world, valid_from=date(2027, 1, 6), every_weeks=Repeat.FORTNIGHTLY)
    assert fortnightly.dates_between(date(2027, 1, 1), date(2027, 1, 31)) == [
        date(2027, 1, 12),
        date(2027, 1, 26),
    ]
    assert fortnightly.dates_between(date(2027, 1, 20), date(2027, 2, 10)) == [
        date(2027, 1, 26),
        date(2027, 2, 9),
    ]
    assert fortnightly.dates_between(date(2027, 1, 26), date(2027, 1, 26)) == [date(2027, 1, 26)]
    ending = _slot(world, valid_from=date(2027, 1, 6), valid_until=date(2027, 1, 20))
    assert ending.dates_between(date(2027, 1, 1), date(2027, 3, 1)) == [
        date(2027, 1, 12),
        date(2027, 1, 19),
    ]
    assert ending.dates_between(date(2026, 1, 1), date(2026, 12, 31)) == []


@pytest.mark.django_db
def test_publishing_checks_the_times_and_is_audited(world):
    slot = _slot(world, unit=world.unit, actor=world.manager)
    assert slot.tenant_id == world.tenant.pk and slot.published_by == world.manager
    assert AuditEvent.objects.filter(action="calendars.slot.published", object_id=slot.pk).exists()
    with pytest.raises(services.CalendarError) as refused:
        _slot(world, start_time=time(15), end_time=time(13))
    assert [field for field, _ in refused.value.problems] == ["end_time"]
    with pytest.raises(services.CalendarError) as refused:
        _slot(world, valid_from=date(2027, 2, 1), valid_until=date(2027, 1, 1))
    assert [field for field, _ in refused.value.problems] == ["valid_until"]
    with pytest.raises(services.CalendarError) as refused:  # every broken rule at once
        _slot(world, end_time=time(13), valid_from=date(2027, 2, 1), valid_until=date(2027, 1, 1))
    assert [field for field, _ in refused.value.problems] == ["end_time", "valid_until"]
    with pytest.raises(services.CalendarError):
        _slot(world, unit=world.unit, area=world.unit.area)
    services.slot_remove(actor=world.manager, slot=slot)
    assert not CommonSlot.objects.filter(pk=slot.pk).exists()
    assert AuditEvent.objects.filter(action="calendars.slot.removed").count() == 1


@pytest.fixture
def meeting(world):
    QualificationFactory(user=world.worker, kind=QualificationKind.NETWORK_MEETING)
    return meetings.meeting_plan(actor=world.worker, child=world.child, reason="Arki on raskasta")


@pytest.mark.django_db
def test_required_invitees_are_the_chair_and_required_professionals_the_family_did_not_refuse(
    world, meeting
):
    def invite(user, **kw):
        return meetings.invitee_add(
            actor=world.worker, meeting=meeting, kind="professional", user=user, **kw
        )

    invite(world.other_area_worker)
    invite(world.colleague, required=False)
    refused = invite(world.manager)
    meetings.invitee_approve(actor=world.worker, invitee=refused, approved=False, channel="paper")
    meetings.invitee_add(
        actor=world.worker, meeting=meeting, kind="professional", name="Ulkopuolinen"
    )
    inactive = UserFactory(is_active=False)
    inactive.memberships.create(tenant=world.tenant, unit=world.unit, role="worker")
    invite(inactive)
    assert set(selectors.required_invitees(meeting)) == {world.worker, world.other_area_worker}


@pytest.mark.django_db
def test_the_finder_prefers_common_slots_and_keeps_buffers(world, django_assert_num_queries):
    _slot(world)  # Vaasa (the worker's area): Tuesdays 13-15, every week
    # Tuulimylly (the other worker's unit): Thursdays 9-10, every other week from 7.1.
    _slot(
        world,
        unit=world.other_unit,
        weekday=3,
        start_time=time(9),
        end_time=time(10),
        valid_from=date(2027, 1, 7),
        every_weeks=Repeat.FORTNIGHTLY,
    )
    _slot(world, unit=world.outsider.memberships.get().unit, actor=world.outsider, weekday=0)
    _busy(world.worker, "2027-01-05", "12:30", "13:30")  # 13:45 at the earliest, with the buffer
    _busy(world.other_area_worker, "2027-01-05", "14:50", "16:00")  # so 5.1. does not fit
    users = [world.worker, world.other_area_worker]
    search = {
        "duration": HOUR,
        "earliest": MONDAY,
        "buffer_before": QUARTER,
        "buffer_after": QUARTER,
    }
    with django_assert_num_queries(4):
        proposals = selectors.find_times(users=users, limit=4, **search)
    assert _times(proposals) == [
        ("07.01. 09:00", "10:00"),
        ("12.01. 13:00", "14:00"),
        ("19.01. 13:00", "14:00"),
        ("21.01. 09:00", "10:00"),
    ]
    vaasa, tuulimylly = world.unit.area, world.other_unit
    assert [p.slot.owner for p in proposals] == [tuulimylly, vaasa, vaasa, tuulimylly]
    # Without buffers the 5.1. slot fits from 13:30 until 14:50.
    no_buffers = selectors.find_times(users=users, limit=1, duration=HOUR, earliest=MONDAY)
    assert _times(no_buffers) == [("05.01. 13:30", "14:30")]


@pytest.mark.django_db
def test_after_four_weeks_the_finder_reads_the_rest_of_the_horizon(
    world, django_assert_num_queries
):
    # The only common time: Tuesday 9.2., five weeks ahead, and busy until 14.
    _slot(world, valid_from=date(2027, 2, 8), valid_until=date(2027, 2, 10))
    _busy(world.worker, "2027-02-09", "12:00", "14:00")
    # Busy for the first four weeks (they end 1.2. at 8:00), into the morning of 1.2.
    _busy(world.worker, "2027-01-04", "00:00", "2027-02-01T09:00")
    _busy(world.worker, "2027-02-02", "08:00", "10:00")  # read by the second query
    with django_assert_num_queries(5):
        found = selectors.find_times(users=[world.worker], duration=HOUR, earliest=MONDAY, limit=3)
    assert _times(found) == [
        ("09.02. 14:00", "15:00"),
        ("01.02. 09:00", "10:00"),
        ("02.02. 10:00", "11:00"),
    ]


@pytest.mark.django_db
def test_the_finder_falls_back_to_working_hours_when_no_common_slot_fits(world):
    _slot(world, start_time=time(13), end_time=time(13, 30))  # too short for an hour
    _busy(world.worker, "2027-01-04", "08:00", "12:00")
    _busy(world.colleague, "2027-01-04", "13:00", "16:00")
    _busy(world.colleague, "2027-01-05", "07:00", "15:30")
    proposals = selectors.find_times(
        users=[world.worker, world.colleague],
        duration=HOUR,
        earliest=MONDAY,
        buffer_before=QUARTER,
        limit=3,
    )
    # Monday: 12:15 (a quarter after 12) but the colleague is busy from 13: no. Tuesday is taken
    # until 15:30, 15:45 would end after 16. Wednesday 8:00; Thursday 8:00.
    assert _times(proposals) == [
        ("06.01. 08:00", "09:00"),
        ("07.01. 08:00", "09:00"),
        ("08.01. 08:00", "09:00"),
    ]
    assert all(p.slot is None for p in proposals)


@pytest.mark.django_db
def test_common_slot_times_come_first_then_working_hours_fill_the_list(world):
    slot = _slot(world, valid_from=date(2027, 1, 11), valid_until=date(2027, 1, 13))  # Tue 12.1.
    proposals = selectors.find_times(users=[world.worker], duration=HOUR, earliest=MONDAY, limit=3)
    assert _times(proposals) == [
        ("12.01. 13:00", "14:00"),
        ("04.01. 08:00", "09:00"),
        ("05.01. 08:00", "09:00"),
    ]
    assert [p.slot for p in proposals] == [slot, None, None]


@pytest.mark.django_db
def test_nothing_is_proposed_when_everyone_is_busy_for_the_whole_horizon(world):
    services.busy_add(actor=world.worker, starts_at=at("2027-01-01"), ends_at=at("2027-03-01"))
    found = selectors.find_times(
        users=[world.worker], duration=HOUR, earliest=MONDAY, horizon=timedelta(days=40)
    )
    assert found == []
    # And the meeting must end inside the horizon: 1.3. 8:00 is past a 56-day horizon's end.
    found = selectors.find_times(
        users=[world.worker], duration=HOUR, earliest=MONDAY, horizon=timedelta(days=57)
    )
    assert _times(found)[:1] == [("01.03. 08:00", "09:00")]


@pytest.mark.django_db
def test_times_across_the_change_to_summer_time_stay_in_local_working_hours(world):
    sunday_before = at("2027-03-28", "00:00")  # clocks go forward that night in Finland
    found = selectors.find_times(
        users=[world.worker], duration=HOUR, earliest=sunday_before, limit=1
    )
    assert _times(found) == [("29.03. 08:00", "09:00")]
    assert found[0].starts_at.utcoffset() == timedelta(hours=3)


@pytest.mark.django_db
def test_other_network_meetings_of_the_invitees_count_as_busy(world, meeting):
    from arki.meetings.models import NetworkMeeting

    other = meetings.meeting_plan(actor=world.worker, child=world.child, reason="Toinen")
    meetings.invitee_add(
        actor=world.worker, meeting=other, kind="professional", user=world.other_area_worker
    )
    NetworkMeeting.objects.filter(pk=other.pk).update(
        status="scheduled", starts_at=at("2027-01-04", "08:00"), ends_at=at("2027-01-04", "10:00")
    )
    # The colleague's own meeting as chair, and the meeting being scheduled, at 10-11.
    NetworkMeeting.objects.filter(pk=meeting.pk).update(
        starts_at=at("2027-01-04", "10:00"), ends_at=at("2027-01-04", "11:00")
    )
    search = {"duration": HOUR, "earliest": MONDAY, "limit": 1}
    found = selectors.find_times(users=[world.other_area_worker], **search)
    assert _times(found) == [("04.01. 10:00", "11:00")]  # not the worker's 10-11 meeting
    found = selectors.find_times(users=[world.worker], ignore_meeting=meeting, **search)
    assert _times(found) == [("04.01. 10:00", "11:00")]  # the one being scheduled is ignored
    found = selectors.find_times(users=[world.worker], **search)
    assert _times(found) == [("04.01. 11:00", "12:00")]
    NetworkMeeting.objects.filter(pk=other.pk).update(status="cancelled")
    found = selectors.find_times(users=[world.other_area_worker], **search)
    assert _times(found) == [("04.01. 08:00", "09:00")]
