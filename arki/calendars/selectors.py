"""Reads of shared calendar time, and the slot finder."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from arki.accounts.models import Membership, Role, User
from arki.organisations.models import Area, Unit

from . import finder
from .models import BusyTime, CommonSlot

DEFAULT_HORIZON = timedelta(days=183)  # about six months
STEP = timedelta(minutes=15)  # proposed times start on the quarter hour
WORKING_DAYS = range(0, 5)  # Monday to Friday
WORKING_HOURS = (time(8), time(16))


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

    @property
    def in_common_slot(self) -> bool:
        return self.slot is not None


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
) -> list[TimeProposal]:
    """The earliest ``limit`` times in ``earliest``..``earliest + horizon`` at which every one
    of ``users`` is free for ``duration``, with ``buffer_before`` and ``buffer_after`` free
    around the meeting. Times in the common slots of the users' units and areas come first;
    when fewer than ``limit`` fit there, ordinary working hours (weekdays 8–16 local time) fill
    the list. Three queries: the users' units, the slots, all busy times of the horizon."""
    user_ids = [getattr(u, "pk", u) for u in users]
    zone = local_zone()
    start = earliest or timezone.now()
    end = start + horizon
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()

    memberships = Membership.objects.active().filter(user_id__in=user_ids, unit__isnull=False)
    pairs = list(memberships.values_list("unit_id", "unit__area_id"))
    slots = {
        s.pk: s
        for s in slots_for(
            unit_ids={u for u, _a in pairs}, area_ids={a for _u, a in pairs}, first=first, last=last
        )
    }
    rows = BusyTime.objects.filter(
        user_id__in=user_ids,
        ends_at__gt=start - buffer_before,
        starts_at__lt=end + buffer_after,
    ).values_list("starts_at", "ends_at")
    busy = finder.merge(
        ((s.timestamp(), e.timestamp()) for s, e in rows),
        before=buffer_before.total_seconds(),
        after=buffer_after.total_seconds(),
    )
    search = {
        "duration": duration.total_seconds(),
        "not_before": start.timestamp(),
        "not_after": end.timestamp(),
        "step": step.total_seconds(),
    }
    found = finder.earliest_times(
        busy, _slot_windows(slots.values(), first, last, zone), limit=limit, **search
    )
    if len(found) < limit:
        taken = {t for t, _key in found}
        extra = finder.earliest_times(
            busy, _working_windows(first, last, zone), limit=limit, **search
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
