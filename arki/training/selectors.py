"""Reads of the training registry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from arki.accounts.models import Membership, Qualification, Role, User

from . import rules
from .models import (
    WITH_PLACE,
    Attendance,
    Course,
    CourseKind,
    CourseModule,
    Enrolment,
    ModuleKind,
    QualificationGrant,
    TrainingEvent,
    TrainingSettings,
)

# Which course kind's modules each qualification needs.
QUALIFICATION_COURSE = {
    rules.DISCUSSION: CourseKind.DISCUSSION,
    rules.NETWORK_MEETING: CourseKind.NETWORK_MEETING,
    rules.TRAINER: CourseKind.TRAINER,
}


def user_in_tenant(user: Any, tenant_id: Any) -> bool:
    return Membership.objects.active().filter(user=user, tenant_id=tenant_id).exists()


def staff_of_tenant(tenant_id: Any):
    return User.objects.filter(
        memberships__tenant_id=tenant_id, memberships__is_active=True, is_active=True
    ).distinct()


def staff_managed_by(membership: Membership):
    """Whom ``membership`` may enrol: a coordinator the whole tenant, a manager their unit."""
    if membership.role == Role.UNIT_MANAGER:
        unit_id: Any = membership.unit_id
        return User.objects.filter(
            memberships__unit_id=unit_id, memberships__is_active=True, is_active=True
        ).distinct()
    return staff_of_tenant(membership.tenant_id)


def is_trainer_of(event: TrainingEvent, user: Any) -> bool:
    return event.trainers.filter(pk=user.pk).exists() if user.is_authenticated else False


def trainers_of_tenant(tenant_id: Any):
    return staff_of_tenant(tenant_id).filter(
        qualifications__kind=rules.TRAINER, qualifications__revoked_at__isnull=True
    )


def refresher_interval(tenant_id: Any) -> int:
    """The tenant's refresher interval in months (24 when the tenant has set none)."""
    found = (
        TrainingSettings.objects.filter(tenant_id=tenant_id)
        .values_list("refresher_interval_months", flat=True)
        .first()
    )
    return found if found is not None else 24


def courses(tenant_id: Any):
    return (
        Course.objects.filter(tenant_id=tenant_id)
        .select_related("method")
        .prefetch_related("modules", "method__texts")
    )


def active_courses(tenant_id: Any) -> QuerySet[Course]:
    return Course.objects.filter(tenant_id=tenant_id, is_active=True)


def enrolments_in_tenant(tenant_id: Any) -> QuerySet[Enrolment]:
    """The tenant's training enrolments, each with its event."""
    return Enrolment.objects.filter(event__tenant_id=tenant_id).select_related("event")


def enrolled_count(event: TrainingEvent) -> int:
    return event.enrolments.filter(status__in=WITH_PLACE).count()


def places_left(event: TrainingEvent) -> int:
    return max(event.capacity - enrolled_count(event), 0)


def requirements(tenant_id: Any) -> dict[str, set[str]]:
    """Qualification → the module ids (as strings) it needs, from the tenant's catalogue."""
    result: dict[str, set[str]] = {kind: set() for kind in QUALIFICATION_COURSE}
    modules = CourseModule.objects.filter(
        course__tenant_id=tenant_id, course__is_active=True, is_active=True
    ).values_list("pk", "course__kind")
    by_course: dict[str, str] = {
        course.value: qualification for qualification, course in QUALIFICATION_COURSE.items()
    }
    for pk, course_kind in modules:
        if course_kind in by_course:
            result[by_course[course_kind]].add(str(pk))
    return result


def completed_modules(user: Any, tenant_id: Any) -> dict[str, list[date]]:
    """Module id → the dates the person completed it (earliest first), over all their
    trainings."""
    rows = (
        Attendance.objects.filter(
            enrolment__user=user,
            enrolment__event__tenant_id=tenant_id,
            enrolment__status__in=WITH_PLACE,
        )
        .values_list("module_id", "completed_on")
        .order_by("completed_on")
    )
    result: dict[str, list[date]] = {}
    for module_id, completed_on in rows:
        result.setdefault(str(module_id), []).append(completed_on)
    return result


def _refreshers(user: Any, tenant: Any) -> Any:
    return Attendance.objects.filter(
        enrolment__user_id=user,
        enrolment__event__tenant_id=tenant,
        module__kind=ModuleKind.REFRESHER,
    )


def last_refresher(user: Any, tenant_id: Any) -> date | None:
    """The date of the user's latest refresher in the tenant, if any."""
    return (
        _refreshers(user.pk, tenant_id)
        .order_by("-completed_on")
        .values_list("completed_on", flat=True)
        .first()
    )


@dataclass(frozen=True)
class RefresherState:
    user: Any
    qualifications: list[Qualification]
    last_refresher: date | None
    due_on: date | None
    status: str


def refresher_state(user: Any, tenant_id: Any, today: date) -> RefresherState:
    """The user's refresher: due ``refresher_interval`` after the latest qualification or
    refresher. The qualifications are read once per request (``User.valid_qualifications``:
    the home page's panels ask for them too)."""
    qualifications = user.valid_qualifications()
    last = last_refresher(user, tenant_id)
    due_on = rules.refresher_due_on(
        qualified_on=[q.completed_on for q in qualifications],
        refreshers=[last] if last else [],
        interval_months=refresher_interval(tenant_id),
    )
    return RefresherState(user, qualifications, last, due_on, rules.refresher_status(due_on, today))


def refresher_overdue(user: Any, tenant_id: Any, today: date) -> RefresherState | None:
    """The user's refresher state when their refresher is overdue (a qualified worker who
    should take one before leading more discussions), else None."""
    if not user.valid_qualifications():
        return None
    state = refresher_state(user, tenant_id, today)
    return state if state.status == "due" else None


def refresher_states(tenant_id: Any, today: date) -> list[RefresherState]:
    """Everyone qualified in the tenant, soonest due first (for the coordinator)."""
    users = staff_of_tenant(tenant_id).filter(qualifications__revoked_at__isnull=True).distinct()
    states = [refresher_state(user, tenant_id, today) for user in users]
    states = [s for s in states if s.due_on is not None]
    return sorted(states, key=lambda s: (s.due_on, str(s.user)))


def managers_of(user: Any, tenant_id: Any) -> list[User]:
    """The unit managers of the units ``user`` works in."""
    units = (
        Membership.objects.active()
        .filter(user=user, tenant_id=tenant_id, unit__isnull=False)
        .values("unit_id")
    )
    return list(
        User.objects.filter(
            memberships__unit_id__in=units,
            memberships__role=Role.UNIT_MANAGER,
            memberships__is_active=True,
            is_active=True,
        )
        .exclude(pk=user.pk)
        .distinct()
    )


def events(tenant_id: Any):
    return (
        TrainingEvent.objects.for_tenant(tenant_id)
        .select_related("course")
        .prefetch_related("trainers")
    )


def open_events(tenant_id: Any, today: date):
    return events(tenant_id).upcoming(today).filter(course__is_active=True)


def my_enrolments(user: Any):
    return (
        Enrolment.objects.current()
        .filter(user=user)
        .select_related("event__course")
        .prefetch_related("attendance__module")
    )


def trainees_of(trainer: Any):
    """Enrolments in the events ``trainer`` trains (people with a place)."""
    return (
        Enrolment.objects.filter(event__trainers=trainer, status__in=WITH_PLACE)
        .select_related("user", "event__course")
        .prefetch_related("attendance__module")
        .order_by("event__starts_on", "user__last_name")
    )


def grants_trained_by(trainer: Any, tenant_id: Any):
    """Qualifications recorded as trained by ``trainer`` (also imported ones)."""
    return (
        QualificationGrant.objects.filter(trained_by=trainer, tenant_id=tenant_id)
        .select_related("user")
        .order_by("-completed_on")
    )
