from __future__ import annotations

from datetime import date

import pytest

from arki.accounts.models import QualificationKind, Role
from arki.core.tests.factories import MembershipFactory, QualificationFactory, UserFactory
from arki.training import services
from arki.training.models import Course, CourseKind, TrainingEvent


@pytest.fixture
def catalogue(world):
    services.training_seed_defaults(world.tenant)
    return {c.kind: c for c in Course.objects.filter(tenant=world.tenant)}


@pytest.fixture
def trainer(world):
    user = UserFactory(username="trainer", first_name="Tiina", last_name="Kouluttaja")
    MembershipFactory(user=user, unit=world.unit, role=Role.WORKER)
    for kind in QualificationKind:
        QualificationFactory(user=user, kind=kind, completed_on=date(2020, 1, 1))
    return user


@pytest.fixture
def make_event(world, catalogue, trainer):
    def make(kind=CourseKind.DISCUSSION, capacity=10, **kw) -> TrainingEvent:
        return services.event_create(
            actor=world.coordinator,
            course=catalogue[kind],
            starts_on=kw.get("starts_on", date(2026, 1, 10)),
            ends_on=kw.get("ends_on", date(2026, 2, 10)),
            place="Vaasa, perhekeskus",
            capacity=capacity,
            trainers=[trainer],
        )

    return make


@pytest.fixture
def trainee(world):
    user = UserFactory(username="trainee", first_name="Olli", last_name="Opettaja")
    MembershipFactory(user=user, unit=world.unit, role=Role.WORKER)
    return user
