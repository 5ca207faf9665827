"""Staff, qualification and refresher figures on a hand-checked data set."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from arki.accounts.models import Qualification, QualificationKind
from arki.core.tests.factories import MembershipFactory, QualificationFactory, UserFactory
from arki.indicators.filters import Filters, Period
from arki.indicators.selectors import Dashboard, last_day_due
from arki.training import rules
from arki.training.models import (
    Attendance,
    Course,
    CourseModule,
    Enrolment,
    ModuleKind,
    TrainingEvent,
)

TODAY = date(2026, 11, 1)  # with the default 24-month interval: due if latest ≤ 2024-11-01


@pytest.fixture
def staff(world):
    """Unit A: worker (qualified 1 Jun 2024: due), manager (1 Nov 2024: due today, the
    boundary), colleague (1 Jun 2024 but a refresher on 1 Mar 2025: not due), coordinator (not
    qualified), five more qualified 1 Jan 2023 (due; one of them also has a revoked network
    qualification from 2026, which does not count). Unit B: the other area's worker (2 Nov 2024:
    not due). The outsider (another tenant) is counted nowhere."""

    def qualify(user, day):
        Qualification.objects.filter(user=user).update(completed_on=day)

    qualify(world.worker, date(2024, 6, 1))
    qualify(world.manager, date(2024, 11, 1))
    qualify(world.colleague, date(2024, 6, 1))
    qualify(world.other_area_worker, date(2024, 11, 2))
    qualify(world.outsider, date(2020, 1, 1))
    extras = []
    for i in range(5):
        user = UserFactory(username=f"extra{i}")
        MembershipFactory(user=user, unit=world.unit)
        QualificationFactory(user=user, completed_on=date(2023, 1, 1))
        extras.append(user)
    QualificationFactory(
        user=extras[0],
        kind=QualificationKind.NETWORK_MEETING,
        completed_on=date(2026, 1, 1),
        revoked_at=timezone.now(),
    )
    course = Course.objects.create(tenant=world.tenant, kind="refresher", name="Kertaus")
    module = CourseModule.objects.create(
        course=course, kind=ModuleKind.REFRESHER, name="Kertaus", hours=3
    )
    event = TrainingEvent.objects.create(
        tenant=world.tenant,
        course=course,
        starts_on=date(2025, 3, 1),
        ends_on=date(2025, 3, 1),
        place="Vaasa",
        capacity=10,
    )
    enrolment = Enrolment.objects.create(
        event=event, user=world.colleague, status="enrolled", queued_at=timezone.now()
    )
    Attendance.objects.create(enrolment=enrolment, module=module, completed_on=date(2025, 3, 1))
    return world


def staff_figures(filters):
    return {f.key: f.value for f in Dashboard(filters, today=TODAY).staff_section().figures}


@pytest.mark.django_db
def test_staff_qualifications_and_refreshers_due(staff):
    f = staff_figures(Filters(staff.tenant.pk, Period("2026")))
    assert f["staff"] == 10  # 4 + 5 in unit A, 1 in unit B
    assert f["qual_discussion"] == 9
    assert f["qual_network"] == 0  # the only one is revoked
    assert f["refresher_due"] == 7  # worker, manager and the five
    unit_a = staff_figures(Filters(staff.tenant.pk, Period("2026"), unit_id=str(staff.unit.pk)))
    assert unit_a["staff"] == 9 and unit_a["qual_discussion"] == 8
    assert unit_a["refresher_due"] == 7
    unit_b = staff_figures(
        Filters(staff.tenant.pk, Period("2026"), area_id=str(staff.other_unit.area_id))
    )
    assert unit_b["staff"] == "<5" and unit_b["refresher_due"] == 0


@pytest.mark.django_db
def test_the_refresher_threshold_matches_the_rules():
    start = date(2023, 1, 1)
    for offset in range(800):
        today = start + timedelta(days=offset)
        for months in (1, 12, 24):
            threshold = last_day_due(today, months)
            for day in (threshold - timedelta(days=1), threshold, threshold + timedelta(days=1)):
                due_on = rules.refresher_due_on(
                    qualified_on=[day], refreshers=[], interval_months=months
                )
                expected = rules.refresher_status(due_on, today) == "due"
                assert (day <= threshold) == expected, (today, months, day)
