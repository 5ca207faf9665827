"""Importing a worker's own .ics calendar into busy times."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from arki.audit.models import AuditEvent
from arki.calendars import services
from arki.calendars.ics import CalendarFileError
from arki.calendars.models import BusySource, BusyTime

from .conftest import at

NOW = at("2027-01-04", "08:00")  # a Monday

WEEKLY = """
UID:weekly@example.com
SUMMARY:Tiimipalaveri (salainen)
DESCRIPTION:Asiakas X
LOCATION:Huone 3
DTSTART;TZID=Europe/Helsinki:20270105T090000
DTEND;TZID=Europe/Helsinki:20270105T100000
RRULE:FREQ=WEEKLY;COUNT=4
EXDATE;TZID=Europe/Helsinki:20270112T090000
"""
MOVED = """
UID:weekly@example.com
RECURRENCE-ID;TZID=Europe/Helsinki:20270119T090000
DTSTART;TZID=Europe/Helsinki:20270119T130000
DTEND;TZID=Europe/Helsinki:20270119T143000
"""


def _busy(user):
    return [
        (b.starts_at.astimezone(NOW.tzinfo), b.ends_at.astimezone(NOW.tzinfo))
        for b in BusyTime.objects.filter(user=user).order_by("starts_at")
    ]


@pytest.mark.django_db
def test_a_recurring_event_is_expanded_with_its_exceptions_and_keeps_no_details(world, ics):
    result = services.busy_import(actor=world.worker, content=ics(WEEKLY, MOVED), now=NOW)
    assert (result.events, result.busy_times, result.replaced) == (1, 3, 0)
    assert _busy(world.worker) == [
        (at("2027-01-05", "9:00"), at("2027-01-05", "10:00")),
        # 12.1. is an exception; 19.1. was moved to the afternoon
        (at("2027-01-19", "13:00"), at("2027-01-19", "14:30")),
        (at("2027-01-26", "9:00"), at("2027-01-26", "10:00")),
    ]
    row = BusyTime.objects.filter(user=world.worker).first()
    assert row.source == BusySource.IMPORTED and len(row.uid_hash) == 64
    stored = " ".join(str(v) for v in BusyTime.objects.values_list().first())
    assert "salainen" not in stored and "Asiakas" not in stored and "weekly@" not in stored
    event = AuditEvent.objects.get(action="calendars.busy.imported")
    assert event.detail == {"events": 1, "busy_times": 3, "replaced": 0}


@pytest.mark.django_db
def test_reimporting_the_same_calendar_replaces_instead_of_duplicating(world, ics):
    services.busy_import(actor=world.worker, content=ics(WEEKLY), now=NOW)
    first = _busy(world.worker)
    again = services.busy_import(actor=world.worker, content=ics(WEEKLY), now=NOW)
    assert _busy(world.worker) == first and again.replaced == len(first) == 3
    # The event was moved in the worker's calendar: the re-import updates it.
    moved = WEEKLY.replace("T090000", "T150000").replace("T100000", "T160000")
    services.busy_import(actor=world.worker, content=ics(moved), now=NOW)
    assert [s.hour for s, _e in _busy(world.worker)] == [15, 15, 15]


@pytest.mark.django_db
def test_a_reimport_leaves_entered_times_other_events_and_other_users_alone(world, ics):
    manual = services.busy_add(
        actor=world.worker, starts_at=at("2027-01-05", "9:00"), ends_at=at("2027-01-05", "12:00")
    )
    other = "UID:other@example.com\nDTSTART:20270107T100000Z\nDTEND:20270107T110000Z"
    services.busy_import(actor=world.worker, content=ics(other), now=NOW)
    services.busy_import(actor=world.colleague, content=ics(WEEKLY), now=NOW)
    services.busy_import(actor=world.worker, content=ics(WEEKLY), now=NOW)
    services.busy_import(actor=world.worker, content=ics(WEEKLY), now=NOW)
    assert BusyTime.objects.filter(pk=manual.pk).exists()
    assert BusyTime.objects.filter(user=world.worker).count() == 1 + 1 + 3
    assert BusyTime.objects.filter(user=world.colleague).count() == 3


@pytest.mark.django_db
def test_only_busy_events_count(world, ics):
    free = "UID:free@x\nDTSTART:20270105T100000Z\nDTEND:20270105T110000Z\nTRANSP:TRANSPARENT"
    cancelled = "UID:c@x\nDTSTART:20270105T100000Z\nDTEND:20270105T110000Z\nSTATUS:CANCELLED"
    tentative = "UID:t@x\nDTSTART:20270106T100000Z\nDTEND:20270106T110000Z\nSTATUS:TENTATIVE"
    result = services.busy_import(
        actor=world.worker, content=ics(free, cancelled, tentative), now=NOW
    )
    assert (result.events, result.busy_times) == (3, 1)
    assert _busy(world.worker) == [(at("2027-01-06", "12:00"), at("2027-01-06", "13:00"))]


@pytest.mark.django_db
def test_day_events_floating_times_durations_and_the_horizon(world, ics):
    day = "UID:day@x\nDTSTART;VALUE=DATE:20270108"  # a whole day: Friday
    floating = "UID:f@x\nDTSTART:20270107T120000\nDURATION:PT45M"  # local time
    past = "UID:p@x\nDTSTART:20261201T120000Z\nDTEND:20261201T130000Z"
    far = "UID:far@x\nDTSTART:20280101T120000Z\nDTEND:20280101T130000Z"
    no_end = "UID:n@x\nDTSTART:20270107T150000Z"  # a timed event without an end: no time
    holiday = "UID:h@x\nDTSTART;VALUE=DATE:20270101\nDTEND;VALUE=DATE:20270106"  # began already
    services.busy_import(
        actor=world.worker, content=ics(day, floating, past, far, no_end, holiday), now=NOW
    )
    assert _busy(world.worker) == [
        (at("2027-01-01"), at("2027-01-06")),
        (at("2027-01-07", "12:00"), at("2027-01-07", "12:45")),
        (at("2027-01-08"), at("2027-01-09")),
    ]


@pytest.mark.django_db
def test_an_endless_rule_stops_at_the_horizon(world, ics):
    daily = "UID:d@x\nDTSTART:20270104T060000Z\nDTEND:20270104T063000Z\nRRULE:FREQ=DAILY"
    result = services.busy_import(actor=world.worker, content=ics(daily), now=NOW)
    assert result.busy_times == services.IMPORT_HORIZON.days


@pytest.mark.parametrize(
    "content, message",
    [
        ("this is not a calendar", "not a calendar file"),
        (b"BEGIN:VCALENDAR\r\nFOO\r\nEND:VCALENDAR", "not a calendar file"),
        (b"\xff\xfeB\x00E\x00G\x00", "not UTF-8"),
        ("BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20270105T100000Z\r\nEND:VEVENT\r\n", "not a calendar"),
        ("BROKEN_DTSTART", "DTSTART"),
        ("BROKEN_RRULE", "cannot read (RRULE)"),
        ("NO_START", "no start time"),
        ("MINUTELY", "repeats more often"),
        ("BYMINUTE", "repeats more often"),
        ("RUNAWAY", "too many events in the next six months"),
        ("x" * (2 * 1024 * 1024 + 1), "too large"),
    ],
)
@pytest.mark.django_db
def test_a_malformed_file_is_refused_with_a_clear_error_and_changes_nothing(
    world, ics, content, message
):
    services.busy_import(actor=world.worker, content=ics(WEEKLY), now=NOW)
    before = _busy(world.worker)
    if content == "BROKEN_DTSTART":
        content = ics(WEEKLY, "UID:b@x\nDTSTART:2027xx05\nDTEND:20270105T110000Z")
    elif content == "BROKEN_RRULE":
        content = ics(WEEKLY.replace("RRULE:FREQ=WEEKLY;COUNT=4", "RRULE:FREQ=SOMETIMES;COUNT=x"))
    elif content == "NO_START":
        content = ics(WEEKLY, "UID:n@x\nDTEND:20270105T110000Z")
    elif content == "MINUTELY":
        content = ics(WEEKLY, "UID:m@x\nDTSTART:20270105T100000Z\nRRULE:FREQ=MINUTELY")
    elif content == "BYMINUTE":
        every_minute = "BYMINUTE=" + ",".join(str(m) for m in range(60))
        content = ics(f"UID:m@x\nDTSTART:20270105T100000Z\nRRULE:FREQ=DAILY;{every_minute}")
    elif content == "RUNAWAY":  # 60 daily events: 11,000 occurrences in six months
        content = ics(
            *(
                f"UID:d{i}@x\nDTSTART:20270105T{i // 4 + 6:02d}{i % 4 * 15:02d}00Z\n"
                "DURATION:PT10M\nRRULE:FREQ=DAILY"
                for i in range(60)
            )
        )
    with pytest.raises(CalendarFileError) as error, translation.override("en"):
        services.busy_import(actor=world.worker, content=content, now=NOW)
    with translation.override("en"):
        assert message in str(error.value.message)
    assert _busy(world.worker) == before
    assert AuditEvent.objects.filter(action="calendars.busy.imported").count() == 1


@pytest.mark.django_db
def test_clearing_imported_times_keeps_the_entered_ones(world, ics):
    services.busy_import(actor=world.worker, content=ics(WEEKLY), now=NOW)
    services.busy_add(
        actor=world.worker, starts_at=at("2027-01-05", "12:00"), ends_at=at("2027-01-05", "13:00")
    )
    assert services.busy_clear_imported(actor=world.worker) == 3
    assert BusyTime.objects.filter(user=world.worker).count() == 1


@pytest.mark.django_db
def test_past_busy_times_are_purged_after_a_month_and_the_purge_is_idempotent(world, ics):
    services.busy_add(
        actor=world.worker, starts_at=at("2027-01-05", "9:00"), ends_at=at("2027-01-05", "10:00")
    )
    services.busy_add(
        actor=world.worker, starts_at=at("2027-02-05", "9:00"), ends_at=at("2027-02-05", "10:00")
    )
    assert services.purge_past_busy_times(now=at("2027-02-04")) == 0
    assert services.purge_past_busy_times(now=at("2027-02-05")) == 1
    assert services.purge_past_busy_times(now=at("2027-02-05")) == 0
    assert AuditEvent.objects.filter(action="calendars.busy.purged").count() == 1
    # The retention job (for cron) purges what ended more than 30 days before today.
    BusyTime.objects.all().delete()
    today = timezone.now()
    for days in (-40, -20, 5):
        start = today + timedelta(days=days)
        services.busy_add(actor=world.worker, starts_at=start, ends_at=start + timedelta(hours=1))
    call_command("apply_retention", stdout=io.StringIO())
    assert BusyTime.objects.count() == 2
