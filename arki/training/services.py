"""Writes of the training registry. Each is one transaction with its own audit event.

Staff training data is personal data of staff (not client data): the audit events name the
staff member as their data subject.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from arki.accounts.models import Qualification, QualificationKind, User
from arki.audit import services as audit
from arki.core.exceptions import DomainError, NotQualifiedError
from arki.organisations.models import Tenant

from . import rules, selectors
from .models import (
    WITH_PLACE,
    Attendance,
    Course,
    CourseKind,
    CourseModule,
    Enrolment,
    EnrolmentStatus,
    GrantSource,
    ModuleKind,
    QualificationGrant,
    TrainingEvent,
    TrainingSettings,
)


class TrainingError(DomainError):
    pass


# The default catalogue (MIELI's model). Names are translated when the catalogue is seeded,
# in the tenant's language; coordinators may rename, change hours and add modules.
DEFAULT_CATALOGUE: list[tuple[str, Any, list[tuple[str, Any, str]]]] = [
    (
        CourseKind.DISCUSSION,
        _("Let's Talk discussion course"),
        [
            (ModuleKind.PREPARATORY, _("Preparatory tasks"), "3"),
            (ModuleKind.THEORY, _("Theory"), "5"),
            (ModuleKind.PRACTICE, _("Supervised practice"), "4"),
        ],
    ),
    (
        CourseKind.NETWORK_MEETING,
        _("Network-meeting module"),
        [(ModuleKind.NETWORK, _("Network meetings"), "6")],
    ),
    (
        CourseKind.TRAINER,
        _("Trainer training (six days)"),
        [(ModuleKind.TRAINER, _("Trainer training days"), "36")],
    ),
    (
        CourseKind.REFRESHER,
        _("Refresher (booster) session"),
        [(ModuleKind.REFRESHER, _("Refresher session"), "3")],
    ),
]


@transaction.atomic
def training_seed_defaults(tenant: Tenant) -> int:
    """Create the default catalogue for ``tenant``; existing courses are left as they are.
    Returns the number of courses created."""
    TrainingSettings.objects.get_or_create(tenant=tenant)
    created = 0
    with translation.override(tenant.default_language or "fi"):
        for kind, name, modules in DEFAULT_CATALOGUE:
            if Course.objects.filter(tenant=tenant, kind=kind).exists():
                continue
            course = Course.objects.create(tenant=tenant, kind=kind, name=str(name))
            for order, (module_kind, module_name, hours) in enumerate(modules):
                CourseModule.objects.create(
                    course=course,
                    kind=module_kind,
                    name=str(module_name),
                    hours=Decimal(hours),
                    order=order,
                )
            created += 1
    if created:
        audit.record(
            None, "training.catalogue.seeded", tenant_id=tenant.pk, detail={"courses": created}
        )
    return created


@transaction.atomic
def settings_update(*, actor: Any, tenant: Tenant, refresher_interval_months: int) -> None:
    row, _created = TrainingSettings.objects.get_or_create(tenant=tenant)
    row.refresher_interval_months = refresher_interval_months
    row.save()
    audit.record(
        actor,
        "training.settings.changed",
        obj=row,
        detail={"refresher_interval_months": refresher_interval_months},
    )


@transaction.atomic
def course_save(
    *,
    actor: Any,
    tenant: Tenant,
    course: Course | None = None,
    name: str,
    method: Any = None,
    description: str = "",
) -> Course:
    """Add a course in another method from the catalogue, or rename a course and set the
    method it trains (LT's courses train LT)."""
    if method is not None and method.tenant_id != tenant.pk:
        raise TrainingError(_("The method is not in this region's catalogue."))
    if course is None:
        course = Course(tenant=tenant, kind=CourseKind.METHOD)
    elif course.tenant_id != tenant.pk:
        raise TrainingError(_("The course is not in this region's registry."))
    course.name, course.description, course.method = name, description, method
    course.save()
    audit.record(
        actor,
        "training.catalogue.changed",
        obj=course,
        detail={"method": str(method.pk) if method is not None else ""},
    )
    return course


@transaction.atomic
def module_save(
    *,
    actor: Any,
    course: Course,
    module: CourseModule | None = None,
    name: str,
    kind: str,
    hours: Decimal,
    order: int,
    is_active: bool = True,
) -> CourseModule:
    """Add a module to ``course`` or change one (hours, name, order)."""
    if module is None:
        module = CourseModule(course=course)
    elif module.course_id != course.pk:
        raise TrainingError(_("The module does not belong to this course."))
    module.name, module.kind, module.hours = name, kind, hours
    module.order, module.is_active = order, is_active
    module.save()
    audit.record(
        actor,
        "training.catalogue.changed",
        obj=module,
        detail={"course": str(course.pk), "hours": str(hours)},
    )
    return module


@transaction.atomic
def event_create(
    *,
    actor: Any,
    course: Course,
    starts_on: date,
    ends_on: date,
    place: str,
    capacity: int,
    trainers: Iterable[User],
) -> TrainingEvent:
    trainers = list(trainers)
    if ends_on < starts_on:
        raise TrainingError(_("The training cannot end before it starts."))
    for trainer in trainers:
        if not trainer.has_qualification(QualificationKind.TRAINER):
            raise NotQualifiedError(
                _("%(name)s does not have the trainer qualification.")
                % {"name": trainer.get_full_name()}
            )
    event = TrainingEvent.objects.create(
        tenant=course.tenant,
        course=course,
        starts_on=starts_on,
        ends_on=ends_on,
        place=place,
        capacity=capacity,
    )
    event.trainers.set(trainers)
    audit.record(actor, "training.event.created", obj=event, subjects=trainers)
    return event


@transaction.atomic
def enrol(*, actor: Any, event: TrainingEvent, user: User) -> Enrolment:
    """Enrol ``user``: a place if one is free, otherwise the end of the waiting list."""
    TrainingEvent.objects.select_for_update().filter(pk=event.pk).first()  # serialise enrolments
    if not selectors.user_in_tenant(user, event.tenant_id):
        raise TrainingError(_("The person does not work in this organisation."))
    existing = Enrolment.objects.filter(event=event, user=user).first()
    if existing is not None and existing.status != EnrolmentStatus.CANCELLED:
        raise TrainingError(_("The person is already enrolled in this training."))
    status = (
        EnrolmentStatus.ENROLLED if selectors.places_left(event) > 0 else EnrolmentStatus.WAITING
    )
    now = timezone.now()
    if existing is None:
        enrolment = Enrolment.objects.create(
            event=event, user=user, status=status, enrolled_by=actor, queued_at=now
        )
    else:
        enrolment = existing
        enrolment.status, enrolment.enrolled_by, enrolment.queued_at = status, actor, now
        enrolment.save()
    audit.record(
        actor,
        "training.enrolment.created",
        obj=enrolment,
        subjects=[user],
        detail={"status": status},
    )
    return enrolment


@transaction.atomic
def enrolment_cancel(*, actor: Any, enrolment: Enrolment) -> Enrolment | None:
    """Cancel; if a place frees, the first on the waiting list gets it. Returns the promoted
    enrolment, if any."""
    TrainingEvent.objects.select_for_update().filter(pk=enrolment.event_id).first()
    enrolment.refresh_from_db()
    if enrolment.status == EnrolmentStatus.CANCELLED:
        return None
    if enrolment.attendance.exists():
        raise TrainingError(_("Attendance has been recorded; the enrolment cannot be cancelled."))
    had_place = enrolment.status == EnrolmentStatus.ENROLLED
    enrolment.status = EnrolmentStatus.CANCELLED
    enrolment.save()
    audit.record(actor, "training.enrolment.cancelled", obj=enrolment, subjects=[enrolment.user])
    if not had_place:
        return None
    return _promote_from_waiting_list(enrolment.event)


def _promote_from_waiting_list(event: TrainingEvent) -> Enrolment | None:
    if selectors.places_left(event) <= 0:
        return None
    first = (
        Enrolment.objects.filter(event=event, status=EnrolmentStatus.WAITING)
        .order_by("queued_at", "created_at")
        .first()
    )
    if first is None:
        return None
    first.status = EnrolmentStatus.ENROLLED
    first.save()
    audit.record(None, "training.enrolment.promoted", obj=first, subjects=[first.user])
    return first


@transaction.atomic
def event_capacity_change(*, actor: Any, event: TrainingEvent, capacity: int) -> list[Enrolment]:
    """Change the number of places; more places promote people from the waiting list."""
    TrainingEvent.objects.select_for_update().filter(pk=event.pk).first()
    if capacity < selectors.enrolled_count(event):
        raise TrainingError(_("More people are enrolled than the new number of places."))
    event.capacity = capacity
    event.save()
    audit.record(actor, "training.event.changed", obj=event, detail={"capacity": capacity})
    promoted = []
    while (enrolment := _promote_from_waiting_list(event)) is not None:
        promoted.append(enrolment)
    return promoted


@transaction.atomic
def attendance_record(
    *, actor: Any, enrolment: Enrolment, module: CourseModule, completed_on: date
) -> Attendance:
    """Mark ``module`` completed for the enrolled person; supervised practice only by a trainer
    of the event. Grants the qualifications the completion earns."""
    event = enrolment.event
    if enrolment.status not in WITH_PLACE:
        raise TrainingError(_("Only people with a place in the training can complete modules."))
    if module.course_id != event.course_id:
        raise TrainingError(_("The module does not belong to this training."))
    is_trainer = event.trainers.filter(pk=actor.pk).exists()
    if module.needs_trainer_signoff and not is_trainer:
        raise TrainingError(_("Supervised practice is signed off by a trainer of the training."))
    if completed_on > timezone.localdate():
        raise TrainingError(_("The completion date cannot be in the future."), field="completed_on")
    if completed_on < event.starts_on:
        raise TrainingError(
            _("A module cannot be completed before the training started (%(day)s).")
            % {"day": formats.date_format(event.starts_on, "SHORT_DATE_FORMAT")},
            field="completed_on",
        )
    attendance, _created = Attendance.objects.update_or_create(
        enrolment=enrolment,
        module=module,
        defaults={
            "completed_on": completed_on,
            "recorded_by": actor,
            "signed_off_by": actor if is_trainer else None,
        },
    )
    audit.record(
        actor,
        "training.attendance.recorded",
        obj=attendance,
        subjects=[enrolment.user],
        detail={"module": module.name, "completed_on": completed_on.isoformat()},
    )
    _mark_completed(enrolment)
    trainer = event.trainers.order_by("last_name").first()
    qualifications_sync(user=enrolment.user, tenant=event.tenant, trained_by=trainer)
    return attendance


def _mark_completed(enrolment: Enrolment) -> None:
    """A participant who has completed every active module of the course is shown as having
    completed the training, no longer as enrolled."""
    modules = set(
        enrolment.event.course.modules.filter(is_active=True).values_list("pk", flat=True)
    )
    done = set(enrolment.attendance.values_list("module_id", flat=True))
    if modules <= done and enrolment.status != EnrolmentStatus.COMPLETED:
        enrolment.status = EnrolmentStatus.COMPLETED
        enrolment.save(update_fields=["status", "updated_at"])


def qualifications_sync(*, user: User, tenant: Tenant, trained_by: User | None = None) -> list[str]:
    """Grant the qualifications ``user``'s completed modules earn (never takes one away; a
    revoked qualification stays revoked). Returns the kinds granted now."""
    held = {q.kind: q.completed_on for q in Qualification.objects.filter(user=user)}
    earned = rules.qualifications_earned(
        completed=selectors.completed_modules(user, tenant.pk),
        requirements=selectors.requirements(tenant.pk),
        held=held,
    )
    granted = []
    for kind, completed_on in earned.items():
        if kind in held:
            continue
        _grant(
            actor=None,
            tenant=tenant,
            user=user,
            kind=kind,
            completed_on=completed_on,
            source=GrantSource.TRAINING,
            trained_by=trained_by,
        )
        granted.append(kind)
    return granted


def _grant(
    *,
    actor: Any,
    tenant: Tenant,
    user: User,
    kind: str,
    completed_on: date,
    source: str,
    trained_by: User | None,
) -> Qualification:
    qualification, _created = Qualification.objects.update_or_create(
        user=user, kind=kind, defaults={"completed_on": completed_on, "revoked_at": None}
    )
    if user.request_cache is not None:  # the request's cached qualifications are stale now
        user.request_cache.pop("qualifications", None)
    QualificationGrant.objects.create(
        tenant=tenant,
        user=user,
        kind=kind,
        completed_on=completed_on,
        source=source,
        trained_by=trained_by,
    )
    audit.record(
        actor,
        "training.qualification.granted",
        obj=qualification,
        subjects=[user],
        tenant_id=tenant.pk,
        detail={"kind": kind, "completed_on": completed_on.isoformat(), "source": source},
    )
    return qualification


@dataclass(frozen=True)
class ImportRow:
    row: int
    user: User
    kind: str
    completed_on: date
    trained_by: User | None


@transaction.atomic
def qualifications_import(*, actor: Any, tenant: Tenant, rows: list[ImportRow]) -> int:
    """Write already-validated import rows (see ``imports.parse``) in one transaction."""
    for row in rows:
        _grant(
            actor=actor,
            tenant=tenant,
            user=row.user,
            kind=row.kind,
            completed_on=row.completed_on,
            source=GrantSource.IMPORT,
            trained_by=row.trained_by,
        )
    audit.record(
        actor,
        "training.import.completed",
        subjects=[row.user for row in rows],
        tenant_id=tenant.pk,
        detail={"rows": len(rows)},
    )
    return len(rows)
