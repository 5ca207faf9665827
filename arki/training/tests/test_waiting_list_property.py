"""Property: whatever the order of enrolments, cancellations and capacity changes, nobody has a
place beyond the capacity, and nobody waits while a place is free."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from arki.accounts.models import QualificationKind, Role
from arki.core.tests.factories import (
    MembershipFactory,
    QualificationFactory,
    UnitFactory,
    UserFactory,
)
from arki.training import services
from arki.training.models import Course, CourseKind, Enrolment, EnrolmentStatus

steps = st.lists(
    st.one_of(
        st.tuples(st.just("enrol"), st.integers(0, 5)),
        st.tuples(st.just("cancel"), st.integers(0, 5)),
        st.tuples(st.just("capacity"), st.integers(1, 6)),
    ),
    max_size=14,
)


class WaitingListProperty(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.unit = UnitFactory()
        services.training_seed_defaults(cls.unit.tenant)
        trainer = UserFactory()
        MembershipFactory(user=trainer, unit=cls.unit)
        QualificationFactory(user=trainer, kind=QualificationKind.TRAINER)
        cls.people = []
        for _i in range(6):
            user = UserFactory()
            MembershipFactory(user=user, unit=cls.unit, role=Role.WORKER)
            cls.people.append(user)
        cls.coordinator = cls.people[0]
        cls.course = Course.objects.get(tenant=cls.unit.tenant, kind=CourseKind.DISCUSSION)
        cls.trainer = trainer

    @settings(max_examples=30, deadline=None)
    @given(capacity=st.integers(1, 4), steps=steps)
    def test_places_never_exceed_capacity_and_nobody_waits_for_a_free_place(self, capacity, steps):
        event = services.event_create(
            actor=self.coordinator,
            course=self.course,
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 1, 2),
            place="Vaasa",
            capacity=capacity,
            trainers=[self.trainer],
        )
        for action, value in steps:
            try:
                if action == "enrol":
                    person = self.people[value]
                    services.enrol(actor=person, event=event, user=person)
                elif action == "cancel":
                    enrolment = Enrolment.objects.filter(
                        event=event, user=self.people[value]
                    ).first()
                    if enrolment is not None:
                        services.enrolment_cancel(actor=self.coordinator, enrolment=enrolment)
                else:
                    services.event_capacity_change(
                        actor=self.coordinator, event=event, capacity=value
                    )
            except services.TrainingError:
                pass
            event.refresh_from_db()
            enrolled = event.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()
            waiting = event.enrolments.filter(status=EnrolmentStatus.WAITING).count()
            assert enrolled <= event.capacity
            assert waiting == 0 or enrolled == event.capacity
