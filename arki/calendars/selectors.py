"""Reads of shared calendar time, and the slot finder."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connections
from django.db.models import BigIntegerField, Func, Q, QuerySet
from django.utils import timezone

from arki.accounts.models import Membership, Role, User
from arki.meetings.models import SCHEDULABLE, Approval, NetworkMeeting
from arki.organisations.models import Area, Unit

from . import finder
from .models import BusyTime, CommonSlot

DEFAULT_HORIZON = timedelta(days=183)  # about six months
STEP = timedelta(minutes=15)  # proposed times start on the quarter hour
WORKING_DAYS = range(0, 5)  # Monday to Friday
WORKING_HOURS = (time(8), time(16))


class Epoch(Func):
    """A timestamp as whole seconds since 1970 (UTC), computed by the database: reading
    thousands of numbers is several times cheaper than parsing thousands of datetimes."""

    output_field = BigIntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        template = "CAST(ROUND((julianday(%(expressions)s) - 2440587.5) * 86400.0) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        template = "CAST(EXTRACT(EPOCH FROM %(expressions)s) AS BIGINT)"
        return self.as_sql(compiler, connection, template=template, **extra)


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


# --- Busy times ---


def busy_times_of(user: Any, *, since: datetime | None = None) -> QuerySet[BusyTime]:
    """The user's own busy times that have not ended, earliest first."""
    return BusyTime.objects.filter(user=user, ends_at__gt=since or timezone.now()).order_by(
        "starts_at"
    )


def busy_time_of(user: Any, busy_id: Any) -> BusyTime | None:
    """One of the user's own busy times; ``None`` for anyone else's."""
    return BusyTime.objects.filter(user=user, pk=busy_id).first()


# --- Common slots ---


@dataclass(frozen=True)
class SlotTarget:
    """A unit or an area a manager or coordinator may publish common slots for."""

    value: str  # "unit:<uuid>" or "area:<uuid>", the form's choice
    label: str
    unit: Unit | None = None
    area: Area | None = None


def slot_targets(membership: Membership | None) -> list[SlotTarget]:
    """A unit manager publishes for their own unit; an LT coordinator for every area and
    active unit of their tenant."""
    if membership is None:
        return []
    if membership.role == Role.UNIT_MANAGER:
        unit = membership.unit
        return [SlotTarget(f"unit:{unit.pk}", unit.name, unit=unit)] if unit else []
    if membership.role != Role.COORDINATOR:
        return []
    areas = Area.objects.filter(tenant_id=membership.tenant_id).order_by("name")
    units = Unit.objects.filter(tenant_id=membership.tenant_id, is_active=True).order_by("name")
    return [SlotTarget(f"area:{a.pk}", a.name, area=a) for a in areas] + [
        SlotTarget(f"unit:{u.pk}", u.name, unit=u) for u in units
    ]


def slots_managed_by(membership: Membership | None) -> QuerySet[CommonSlot]:
    """The common slots ``membership`` may see on its publishing page and remove."""
    slots = CommonSlot.objects.select_related("unit", "area", "published_by")
    if membership is None:
        return slots.none()
    if membership.role == Role.UNIT_MANAGER and membership.unit_id:
        return slots.filter(unit_id=membership.unit_id)
    if membership.role == Role.COORDINATOR:
        return slots.filter(tenant_id=membership.tenant_id)
    return slots.none()


def slots_for(*, unit_ids: Iterable[Any], area_ids: Iterable[Any], first: date, last: date):
    """Common slots of these units and areas that are valid at some time in first..last."""
    return (
        CommonSlot.objects.filter(Q(unit_id__in=list(unit_ids)) | Q(area_id__in=list(area_ids)))
        .filter(valid_from__lte=last)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=first))
        .select_related("unit", "area")
    )


# --- Meetings ---


def required_invitees(meeting: Any) -> list[User]:
    """Whose calendars must be free: the chair, and every professional invitee with a staff
    account who is required for the time and whom the family has not refused."""
    ids = {meeting.chair_id}
    ids.update(
        meeting.invitees.filter(kind="professional", user__isnull=False, required=True)
        .exclude(approval="refused")
        .values_list("user_id", flat=True)
    )
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name"))


# --- The slot finder ---


@dataclass(frozen=True)
class TimeProposal:
    starts_at: datetime  # in the local time zone
    ends_at: datetime
    slot: CommonSlot | None  # None: ordinary working hours


def _slot_windows(slots: Iterable[CommonSlot], first: date, last: date, zone: ZoneInfo):
    windows = []
    for slot in slots:
        for day in slot.dates_between(first, last):
            start = datetime.combine(day, slot.start_time, tzinfo=zone).timestamp()
            end = datetime.combine(day, slot.end_time, tzinfo=zone).timestamp()
            windows.append((start, end, slot.pk))
    windows.sort(key=lambda w: (w[0], w[1]))
    return windows


def _working_windows(first: date, last: date, zone: ZoneInfo):
    windows = []
    day = first
    opens, closes = WORKING_HOURS
    while day <= last:
        if day.weekday() in WORKING_DAYS:
            start = datetime.combine(day, opens, tzinfo=zone).timestamp()
            windows.append((start, datetime.combine(day, closes, tzinfo=zone).timestamp(), None))
        day += timedelta(days=1)
    return windows


FIRST_WEEKS = timedelta(weeks=4)


def _busy_epochs(
    user_ids: list[Any],
    *,
    ends_after: datetime,
    starts_before: datetime,
    starts_from: datetime | None = None,
) -> list[tuple[float, float]]:
    """(start, end) in epoch seconds of the users' busy times that end after ``ends_after``
    and start before ``starts_before``: one indexed query, no datetime parsing."""
    rows = BusyTime.objects.filter(
        user_id__in=user_ids, ends_at__gt=ends_after, starts_at__lt=starts_before
    )
    if starts_from is not None:
        rows = rows.filter(starts_at__gte=starts_from)
    query = (
        rows.annotate(start_s=Epoch("starts_at"), end_s=Epoch("ends_at"))
        .order_by()
        .values_list("start_s", "end_s")
    )
    # The ORM's SQL, run on the cursor: thousands of plain integers need no converters.
    sql, params = query.query.sql_with_params()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _meeting_epochs(
    user_ids: list[Any], since: datetime, until: datetime, *, ignore: Any = None
) -> list[tuple[float, float]]:
    """The times of the users' network meetings (as chair, or as an invitee the family has not
    refused) that are planned or scheduled in since..until."""
    meetings = (
        NetworkMeeting.objects.filter(
            Q(chair_id__in=user_ids)
            | Q(
                invitees__user_id__in=user_ids,
                invitees__approval__in=[Approval.PENDING, Approval.APPROVED],
            ),
            status__in=SCHEDULABLE,
            starts_at__lt=until,
            ends_at__gt=since,
        )
        .exclude(pk=getattr(ignore, "pk", ignore))
        .order_by()
        .distinct()
        .values_list("starts_at", "ends_at")
    )
    return [(s.timestamp(), e.timestamp()) for s, e in meetings if s and e]


def find_times(
    *,
    users: Iterable[Any],
    duration: timedelta,
    earliest: datetime | None = None,
    horizon: timedelta = DEFAULT_HORIZON,
    buffer_before: timedelta = timedelta(0),
    buffer_after: timedelta = timedelta(0),
    limit: int = 5,
    step: timedelta = STEP,
    ignore_meeting: Any = None,
) -> list[TimeProposal]:
    """The earliest ``limit`` times in ``earliest``..``earliest + horizon`` at which every one
    of ``users`` is free for ``duration``, with ``buffer_before`` and ``buffer_after`` free
    around the meeting. Times in the common slots of the users' units and areas come first;
    when fewer than ``limit`` fit there, ordinary working hours (weekdays 8–16 local time) fill
    the list. The users' other network meetings in Arki that have a time count as busy
    (``ignore_meeting``, the one being scheduled, does not).

    Queries: the users' units, their slots, their network meetings, and the busy times of the
    first four weeks in one query; only when fewer than ``limit`` common-slot times fit in those
    weeks, one more query for the busy times of the rest of the horizon."""
    user_ids = [getattr(u, "pk", u) for u in users]
    zone = local_zone()
    start = earliest or timezone.now()
    end = start + horizon
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    before, after = buffer_before.total_seconds(), buffer_after.total_seconds()

    memberships = Membership.objects.active().filter(user_id__in=user_ids, unit__isnull=False)
    pairs = list(memberships.values_list("unit_id", "unit__area_id"))
    slots = {
        s.pk: s
        for s in slots_for(
            unit_ids={u for u, _a in pairs}, area_ids={a for _u, a in pairs}, first=first, last=last
        )
    }
    slot_windows = _slot_windows(slots.values(), first, last, zone)
    search: dict[str, Any] = {
        "duration": duration.total_seconds(),
        "not_before": start.timestamp(),
        "limit": limit,
        "step": step.total_seconds(),
    }
    # A busy time matters when it ends after start - before and starts before end + after.
    middle = min(start + FIRST_WEEKS, end)
    rows = _busy_epochs(
        user_ids, ends_after=start - buffer_before, starts_before=middle + buffer_after
    )
    rows += _meeting_epochs(
        user_ids, start - buffer_before, end + buffer_after, ignore=ignore_meeting
    )
    busy = finder.merge(rows, before=before, after=after)
    found = finder.earliest_times(busy, slot_windows, not_after=middle.timestamp(), **search)
    if len(found) < limit and middle < end:
        # The rest of the horizon: busy times starting from where the first query stopped.
        boundary = middle + buffer_after
        rows += _busy_epochs(
            user_ids, ends_after=boundary, starts_from=boundary, starts_before=end + buffer_after
        )
        busy = finder.merge(rows, before=before, after=after)
        found = finder.earliest_times(busy, slot_windows, not_after=end.timestamp(), **search)
    if len(found) < limit:
        taken = {t for t, _key in found}
        extra = finder.earliest_times(
            busy, _working_windows(first, last, zone), not_after=end.timestamp(), **search
        )
        found += [(t, key) for t, key in extra if t not in taken][: limit - len(found)]
    return [
        TimeProposal(
            starts_at=datetime.fromtimestamp(t, zone),
            ends_at=datetime.fromtimestamp(t + duration.total_seconds(), zone),
            slot=slots.get(key) if key is not None else None,
        )
        for t, key in found
    ]
