"""Shared calendar time of the demo county, through the calendars services.

Common times for network meetings: each municipality (area) has one, the family social work
unit and the ECEC centre Satakieli one of their own. The demo staff who meet in the network
meetings have busy times for the next weeks (the ``socialworker`` imported hers from an .ics
file, the others entered them by hand), so "Find a time" on a meeting being planned skips the
first common times, when someone is busy, and proposes the ones where everyone is free.
"""

from __future__ import annotations

from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from arki.accounts.models import User
from arki.calendars import services as calendars
from arki.calendars.models import CommonSlot, Repeat
from arki.organisations.models import Area, Tenant, Unit

from .common import at, staff_if_any

WEEKS = 6

# owner (area or unit name), weekday, start, end, repeats
SLOTS = [
    ("Vaasa", 1, time(13), time(15), Repeat.WEEKLY),
    ("Mustasaari", 3, time(9), time(11), Repeat.FORTNIGHTLY),
    ("Laihia", 2, time(12, 30), time(14, 30), Repeat.WEEKLY),
    ("Lapsiperheiden sosiaalityö", 0, time(9), time(11), Repeat.WEEKLY),
    ("Päiväkoti Satakieli", 3, time(12, 30), time(14), Repeat.FORTNIGHTLY),
]

# username: (weekday, start, end) every week, by hand
WEEKLY_BUSY = {
    "worker": [(d, time(8), time(12)) for d in range(5)],  # with the group in the mornings
    "nurse": [(0, time(8), time(11, 30)), (1, time(8), time(11, 30)), (3, time(12), time(16))],
    "staff09": [(1, time(8), time(12))],
}

# The socialworker's own calendar: weekly team meeting and court days, as her calendar exports.
SOCIALWORKER_ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Demo//Outlook export//FI
BEGIN:VEVENT
UID:team-{stamp}@demo.arki.fi
DTSTART;TZID=Europe/Helsinki:{monday}T083000
DTEND;TZID=Europe/Helsinki:{monday}T100000
RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT={count}
SUMMARY:Tiimipalaveri
END:VEVENT
BEGIN:VEVENT
UID:home-visits-{stamp}@demo.arki.fi
DTSTART;TZID=Europe/Helsinki:{monday}T120000
DTEND;TZID=Europe/Helsinki:{monday}T160000
RRULE:FREQ=WEEKLY;BYDAY=FR;COUNT={weeks}
SUMMARY:Kotikäynnit
END:VEVENT
END:VCALENDAR
"""


def seed(tenant: Tenant) -> int:
    """Publish the demo's common times and busy times once; return how many slots were made
    (0 if the demo already has them)."""
    if CommonSlot.objects.filter(tenant=tenant).exists():
        return 0
    with transaction.atomic():
        return _seed(tenant)


def _seed(tenant: Tenant) -> int:
    coordinator, manager = staff_if_any("coordinator"), staff_if_any("manager")
    today = timezone.localdate()
    since = today - timedelta(days=today.weekday())  # this week's Monday
    made = 0
    for owner, weekday, start, end, repeats in SLOTS:
        area = Area.objects.filter(tenant=tenant, name=owner).first()
        unit = None if area else Unit.objects.filter(tenant=tenant, name=owner).first()
        if area is None and unit is None:
            continue
        # A unit manager publishes the own unit's time; the coordinator the others.
        by = manager if unit is not None and unit.pk == _unit_of(manager) else coordinator
        calendars.slot_publish(
            actor=by,
            unit=unit,
            area=area,
            weekday=weekday,
            start_time=start,
            end_time=end,
            every_weeks=repeats,
            valid_from=since,
        )
        made += 1
    now = timezone.now()
    # One busy afternoon of the ECEC teacher: the first Vaasa common time is not free.
    first_tuesday = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
    for username, rows in WEEKLY_BUSY.items():
        user = staff_if_any(username)
        if user is None:
            continue
        for week in range(WEEKS):
            monday = since + timedelta(weeks=week)
            for weekday, start, end in rows:
                day = monday + timedelta(days=weekday)
                if at(day, end) > now:
                    calendars.busy_add(actor=user, starts_at=at(day, start), ends_at=at(day, end))
    worker = staff_if_any("worker")
    if worker is not None:
        calendars.busy_add(
            actor=worker,
            starts_at=at(first_tuesday, time(12, 30)),
            ends_at=at(first_tuesday, time(16)),
        )
    socialworker = staff_if_any("socialworker")
    if socialworker is not None:
        monday = since + timedelta(weeks=1)
        calendars.busy_import(
            actor=socialworker,
            content=SOCIALWORKER_ICS.format(
                stamp=monday.strftime("%Y%m%d"),
                monday=monday.strftime("%Y%m%d"),
                count=2 * WEEKS,
                weeks=WEEKS,
            ),
        )
    return made


def _unit_of(user: User | None) -> object:
    membership = getattr(user, "current_membership", None)
    return getattr(membership, "unit_id", None)
