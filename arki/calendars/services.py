"""Writes of shared calendar time. Each is one transaction with its own audit event.

Busy times are staff members' own personal data (not client data): their audit events name the
staff member as the data subject.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arki.audit import services as audit
from arki.core.exceptions import DomainError
from arki.organisations.models import Area, Unit

from . import ics
from .models import BusySource, BusyTime, CommonSlot, Repeat

IMPORT_HORIZON = timedelta(days=190)  # a little over the finder's six months
BUSY_RETENTION = timedelta(days=30)  # past busy times serve no one: kept a month, then deleted
MAX_BUSY_LENGTH = timedelta(days=62)
DELETE_CHUNK = 500


class CalendarError(DomainError):
    """One or more calendar rules were broken. ``problems`` lists each as (the argument at
    fault or None, its message), so that a form whose fields have the arguments' names can
    show every message next to its field; ``message`` is the first of them."""

    def __init__(
        self,
        message: object | None = None,
        *,
        field: str | None = None,
        problems: Sequence[tuple[str | None, object]] = (),
    ) -> None:
        super().__init__(problems[0][1] if problems else message)
        self.problems = list(problems) or [(field, self.message)]


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise CalendarError(_("The end must be after the start."), field="ends_at")
    if ends_at - starts_at > MAX_BUSY_LENGTH:
        raise CalendarError(_("A busy time can be at most two months long. Add several."))


@transaction.atomic
def busy_add(*, actor: Any, starts_at: datetime, ends_at: datetime) -> BusyTime:
    """Mark the actor busy from ``starts_at`` to ``ends_at``."""
    _check_times(starts_at, ends_at)
    busy = BusyTime.objects.create(
        user=actor, starts_at=starts_at, ends_at=ends_at, source=BusySource.MANUAL
    )
    audit.record(actor, "calendars.busy.added", obj=busy, subjects=[actor])
    return busy


@transaction.atomic
def busy_delete(*, actor: Any, busy: BusyTime) -> None:
    """Remove one of the actor's own busy times (entered or imported)."""
    if busy.user_id != actor.pk:
        raise CalendarError(_("You can only remove your own busy times."))
    audit.record(actor, "calendars.busy.deleted", obj=busy, subjects=[actor])
    busy.delete()


@dataclass(frozen=True)
class ImportResult:
    events: int  # events in the file
    busy_times: int  # busy occurrences saved for the next six months
    replaced: int  # earlier imported occurrences of the same events, removed


@transaction.atomic
def busy_import(*, actor: Any, content: bytes | str, now: datetime | None = None) -> ImportResult:
    """Import the actor's own calendar: every busy occurrence in the next six months becomes a
    busy time. Importing the same events again replaces their earlier occurrences (matched by
    UID), so a re-import never duplicates. A file that cannot be read changes nothing."""
    now = now or timezone.now()
    calendar = ics.read_calendar(content, start=now, end=now + IMPORT_HORIZON)
    uid_hashes = sorted(calendar.uid_hashes)
    replaced = 0
    for i in range(0, len(uid_hashes), DELETE_CHUNK):
        replaced += BusyTime.objects.filter(
            user=actor, source=BusySource.IMPORTED, uid_hash__in=uid_hashes[i : i + DELETE_CHUNK]
        ).delete()[0]
    BusyTime.objects.bulk_create(
        [
            BusyTime(
                user=actor,
                starts_at=o.starts_at,
                ends_at=o.ends_at,
                source=BusySource.IMPORTED,
                uid_hash=o.uid_hash,
            )
            for o in calendar.occurrences
        ],
        batch_size=500,
    )
    result = ImportResult(len(uid_hashes), len(calendar.occurrences), replaced)
    audit.record(
        actor,
        "calendars.busy.imported",
        subjects=[actor],
        detail={"events": result.events, "busy_times": result.busy_times, "replaced": replaced},
    )
    return result


@transaction.atomic
def busy_clear_imported(*, actor: Any) -> int:
    """Remove every busy time the actor has imported (their entered ones stay)."""
    removed = BusyTime.objects.filter(user=actor, source=BusySource.IMPORTED).delete()[0]
    audit.record(actor, "calendars.busy.cleared", subjects=[actor], detail={"removed": removed})
    return removed


@transaction.atomic
def busy_times_due(
    *, now: datetime | None = None, retention: timedelta = BUSY_RETENTION, tenant_id: Any = None
) -> QuerySet[BusyTime]:
    """Busy times that ended more than ``retention`` ago (of the tenant's staff, when given)."""
    due = BusyTime.objects.filter(ends_at__lt=(now or timezone.now()) - retention)
    if tenant_id is not None:
        due = due.filter(user__memberships__tenant_id=tenant_id).distinct()
    return due.order_by("ends_at", "pk")


def purge_past_busy_times(
    *, now: datetime | None = None, retention: timedelta = BUSY_RETENTION, tenant_id: Any = None
) -> int:
    """Delete busy times that ended more than ``retention`` ago. Idempotent; one audit event
    for the run. Run by the retention job (``arki.operations.retention``, rule "busy times")."""
    ids = list(busy_times_due(now=now, retention=retention, tenant_id=tenant_id).values("pk"))
    deleted = BusyTime.objects.filter(pk__in=[row["pk"] for row in ids]).delete()[0]
    if deleted:
        audit.record(
            None,
            "calendars.busy.purged",
            basis="retention",
            tenant_id=tenant_id,
            detail={"actor_label": "Arki", "deleted": deleted},
        )
    return deleted


@transaction.atomic
def slot_publish(
    *,
    actor: Any,
    unit: Unit | None = None,
    area: Area | None = None,
    weekday: int,
    start_time: time,
    end_time: time,
    every_weeks: int = Repeat.WEEKLY,
    valid_from: date,
    valid_until: date | None = None,
) -> CommonSlot:
    """Publish a recurring common time of a unit or an area for network meetings. Every rule
    the arguments break is reported at once."""
    problems: list[tuple[str | None, object]] = []
    if (unit is None) == (area is None):
        problems.append((None, _("Choose the unit or the area the time is for.")))
    if end_time <= start_time:
        problems.append(("end_time", _("The end must be after the start.")))
    if valid_until is not None and valid_until < valid_from:
        problems.append(("valid_until", _("The time cannot stop being valid before it starts.")))
    if every_weeks not in Repeat.values:
        problems.append((None, _("Choose every week or every other week.")))
    if problems:
        raise CalendarError(problems=problems)
    owner: Any = unit or area
    slot = CommonSlot.objects.create(
        tenant_id=owner.tenant_id,
        unit=unit,
        area=area,
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
        every_weeks=every_weeks,
        valid_from=valid_from,
        valid_until=valid_until,
        published_by=actor,
    )
    audit.record(actor, "calendars.slot.published", obj=slot, tenant_id=slot.tenant_id)
    return slot


@transaction.atomic
def slot_remove(*, actor: Any, slot: CommonSlot) -> None:
    audit.record(actor, "calendars.slot.removed", obj=slot, tenant_id=slot.tenant_id)
    slot.delete()
