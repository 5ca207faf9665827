"""Catalogue, enrolment with a waiting list, attendance → qualifications."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from arki.accounts.models import Qualification, QualificationKind, Role
from arki.audit.models import AuditEvent
from arki.core.exceptions import NotQualifiedError
from arki.core.tests.factories import MembershipFactory, UserFactory
from arki.training import services
from arki.training.models import (
    Course,
    CourseKind,
    CourseModule,
    EnrolmentStatus,
    ModuleKind,
    QualificationGrant,
)

pytestmark = pytest.mark.django_db


def test_seed_creates_the_default_catalogue_once(world):
    assert services.training_seed_defaults(world.tenant) == 4
    assert services.training_seed_defaults(world.tenant) == 0
    discussion = Course.objects.get(tenant=world.tenant, kind=CourseKind.DISCUSSION)
    assert discussion.total_hours == Decimal(12)
    hours = {m.kind: m.hours for m in discussion.modules.all()}
    assert hours == {
        ModuleKind.PREPARATORY: Decimal(3),
        ModuleKind.THEORY: Decimal(5),
        ModuleKind.PRACTICE: Decimal(4),
    }
    network = Course.objects.get(tenant=world.tenant, kind=CourseKind.NETWORK_MEETING)
    assert network.total_hours == Decimal(6)
    assert Course.objects.count() == 4
    assert discussion.name == "LP-keskustelun koulutus"  # the tenant's language (Finnish)


def test_event_trainers_must_have_the_trainer_qualification(world, catalogue):
    with pytest.raises(NotQualifiedError):
        services.event_create(
            actor=world.coordinator,
            course=catalogue[CourseKind.DISCUSSION],
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 1, 2),
            place="Vaasa",
            capacity=5,
            trainers=[world.worker],
        )


def _staff(world, n):
    users = []
    for _i in range(n):
        user = UserFactory()
        MembershipFactory(user=user, unit=world.unit, role=Role.WORKER)
        users.append(user)
    return users


def test_full_event_puts_people_on_the_waiting_list_and_a_freed_place_promotes_the_first(
    world, make_event
):
    event = make_event(capacity=2)
    a, b, c, d = _staff(world, 4)
    ea = services.enrol(actor=a, event=event, user=a)
    services.enrol(actor=b, event=event, user=b)
    ec = services.enrol(actor=world.manager, event=event, user=c)
    ed = services.enrol(actor=d, event=event, user=d)
    assert ea.status == EnrolmentStatus.ENROLLED
    assert ec.status == EnrolmentStatus.WAITING and ed.status == EnrolmentStatus.WAITING

    promoted = services.enrolment_cancel(actor=a, enrolment=ea)

    assert promoted == ec
    ec.refresh_from_db()
    ed.refresh_from_db()
    assert ec.status == EnrolmentStatus.ENROLLED
    assert ed.status == EnrolmentStatus.WAITING
    assert AuditEvent.objects.filter(action="training.enrolment.promoted").count() == 1


def test_more_places_promote_from_the_waiting_list(world, make_event):
    event = make_event(capacity=1)
    a, b, c = _staff(world, 3)
    for user in (a, b, c):
        services.enrol(actor=user, event=event, user=user)
    promoted = services.event_capacity_change(actor=world.coordinator, event=event, capacity=3)
    assert {e.user for e in promoted} == {b, c}


def test_enrolling_twice_is_refused(world, make_event):
    event = make_event()
    services.enrol(actor=world.worker, event=event, user=world.worker)
    with pytest.raises(services.TrainingError):
        services.enrol(actor=world.worker, event=event, user=world.worker)


def test_staff_of_another_tenant_cannot_be_enrolled(world, make_event):
    with pytest.raises(services.TrainingError):
        services.enrol(actor=world.outsider, event=make_event(), user=world.outsider)


def _complete(event, enrolment, actor, kinds, day=date(2026, 2, 1)):
    for module in event.course.modules.filter(kind__in=kinds):
        services.attendance_record(
            actor=actor, enrolment=enrolment, module=module, completed_on=day
        )


def test_twelve_hours_give_the_discussion_qualification(world, make_event, trainer, trainee):
    event = make_event()
    enrolment = services.enrol(actor=trainee, event=event, user=trainee)
    _complete(event, enrolment, world.coordinator, [ModuleKind.PREPARATORY, ModuleKind.THEORY])
    assert not trainee.has_qualification(QualificationKind.DISCUSSION)
    _complete(event, enrolment, trainer, [ModuleKind.PRACTICE], day=date(2026, 2, 5))

    qualification = Qualification.objects.get(user=trainee)
    assert qualification.kind == QualificationKind.DISCUSSION
    assert qualification.completed_on == date(2026, 2, 5)
    grant = QualificationGrant.objects.get(user=trainee)
    assert grant.source == "training" and grant.trained_by == trainer
    assert AuditEvent.objects.filter(
        action="training.qualification.granted", subjects__subject_id=trainee.pk
    ).exists()


def test_supervised_practice_is_signed_off_by_the_trainer_only(world, make_event, trainee):
    event = make_event()
    enrolment = services.enrol(actor=trainee, event=event, user=trainee)
    practice = event.course.modules.get(kind=ModuleKind.PRACTICE)
    with pytest.raises(services.TrainingError):
        services.attendance_record(
            actor=world.coordinator,
            enrolment=enrolment,
            module=practice,
            completed_on=date(2026, 2, 1),
        )
    assert not enrolment.attendance.exists()


def test_network_module_in_a_later_event_adds_the_network_qualification(
    world, make_event, trainer, trainee
):
    course = make_event()
    enrolment = services.enrol(actor=trainee, event=course, user=trainee)
    _complete(course, enrolment, trainer, list(ModuleKind))
    assert set(Qualification.objects.filter(user=trainee).values_list("kind", flat=True)) == {
        "discussion"
    }
    later = make_event(
        CourseKind.NETWORK_MEETING, starts_on=date(2026, 9, 1), ends_on=date(2026, 9, 1)
    )
    enrolment2 = services.enrol(actor=trainee, event=later, user=trainee)
    _complete(later, enrolment2, trainer, [ModuleKind.NETWORK], day=date(2026, 9, 1))
    held = dict(Qualification.objects.filter(user=trainee).values_list("kind", "completed_on"))
    assert held == {"discussion": date(2026, 2, 1), "network_meeting": date(2026, 9, 1)}


def test_trainer_qualification_needs_both_and_the_trainer_training(world, make_event, trainer):
    # world.worker holds the discussion qualification (imported), not the network one.
    event = make_event(CourseKind.TRAINER)
    enrolment = services.enrol(actor=world.worker, event=event, user=world.worker)
    _complete(event, enrolment, trainer, [ModuleKind.TRAINER])
    assert not world.worker.has_qualification(QualificationKind.TRAINER)
    network = make_event(CourseKind.NETWORK_MEETING)
    _complete(
        network,
        services.enrol(actor=world.worker, event=network, user=world.worker),
        trainer,
        [ModuleKind.NETWORK],
        day=date(2026, 3, 1),
    )
    assert world.worker.has_qualification(QualificationKind.NETWORK_MEETING)
    # The trainer training came before the network module: it does not count.
    assert not world.worker.has_qualification(QualificationKind.TRAINER)
    again = make_event(CourseKind.TRAINER, starts_on=date(2026, 4, 1), ends_on=date(2026, 4, 6))
    _complete(
        again,
        services.enrol(actor=world.worker, event=again, user=world.worker),
        trainer,
        [ModuleKind.TRAINER],
        day=date(2026, 4, 6),
    )
    trainer_q = Qualification.objects.get(user=world.worker, kind=QualificationKind.TRAINER)
    assert trainer_q.completed_on == date(2026, 4, 6)


def test_a_module_added_by_the_coordinator_is_required_too(
    world, catalogue, make_event, trainer, trainee
):
    course = catalogue[CourseKind.DISCUSSION]
    services.module_save(
        actor=world.coordinator,
        course=course,
        name="Lokikirjan harjoitus",
        kind=ModuleKind.OTHER,
        hours=Decimal(2),
        order=9,
    )
    event = make_event()
    enrolment = services.enrol(actor=trainee, event=event, user=trainee)
    _complete(
        event, enrolment, trainer, [ModuleKind.PREPARATORY, ModuleKind.THEORY, ModuleKind.PRACTICE]
    )
    assert not trainee.has_qualification(QualificationKind.DISCUSSION)
    _complete(event, enrolment, trainer, [ModuleKind.OTHER])
    assert trainee.has_qualification(QualificationKind.DISCUSSION)
    assert CourseModule.objects.filter(course=course).count() == 4


def test_a_revoked_qualification_is_not_restored_by_training(world, make_event, trainer, trainee):
    Qualification.objects.create(
        user=trainee,
        kind="discussion",
        completed_on=date(2020, 1, 1),
        revoked_at="2024-01-01T00:00Z",
    )
    event = make_event()
    enrolment = services.enrol(actor=trainee, event=event, user=trainee)
    _complete(event, enrolment, trainer, list(ModuleKind))
    assert not trainee.has_qualification(QualificationKind.DISCUSSION)


def test_a_module_cannot_be_completed_before_the_training_started(
    world, make_event, trainer, trainee
):
    event = make_event(starts_on=date(2026, 1, 10))
    enrolment = services.enrol(actor=trainee, event=event, user=trainee)
    theory = event.course.modules.get(kind=ModuleKind.THEORY)
    with pytest.raises(services.TrainingError) as refused:
        services.attendance_record(
            actor=trainer, enrolment=enrolment, module=theory, completed_on=date(2026, 1, 9)
        )
    assert refused.value.field == "completed_on"
    assert not enrolment.attendance.exists()
    services.attendance_record(
        actor=trainer, enrolment=enrolment, module=theory, completed_on=date(2026, 1, 10)
    )
    assert enrolment.attendance.get().completed_on == date(2026, 1, 10)


def test_the_network_module_before_the_basic_course_gives_no_network_qualification(
    world, make_event, trainer, trainee
):
    network = make_event(
        CourseKind.NETWORK_MEETING, starts_on=date(2025, 5, 1), ends_on=date(2025, 5, 1)
    )
    _complete(
        network,
        services.enrol(actor=trainee, event=network, user=trainee),
        trainer,
        [ModuleKind.NETWORK],
        day=date(2025, 5, 1),
    )
    basic = make_event()
    _complete(
        basic, services.enrol(actor=trainee, event=basic, user=trainee), trainer, list(ModuleKind)
    )
    kinds = set(Qualification.objects.filter(user=trainee).values_list("kind", flat=True))
    assert kinds == {"discussion"}
