"""The national benchmark's generator and its bare SQL, at a tiny scale on the test database:
the SQL written by hand must give exactly the dashboard's figures."""

from __future__ import annotations

from datetime import date

import pytest

from arki.bench import national
from arki.indicators.filters import Filters, Period


@pytest.mark.django_db(transaction=True)
def test_generator_writes_the_sizes_asked_for():
    from arki.accounts.models import Membership
    from arki.discussions.models import Discussion
    from arki.meetings.models import NetworkMeeting
    from arki.people.models import Child, Enrolment

    size = national.NationalSize().scaled(0.0005)  # 500 children, 1,000 discussions
    tenant = national.generate(size)
    assert Child.objects.filter(tenant=tenant).count() == size.children == 500
    assert Enrolment.objects.filter(child__tenant=tenant).count() == 500
    assert Discussion.objects.filter(tenant=tenant).count() == size.discussions == 1000
    assert Membership.objects.filter(tenant=tenant).count() == size.staff
    meetings = NetworkMeeting.objects.filter(tenant=tenant)
    # Follow-ups without a discussion, plus four in five needs met.
    assert meetings.filter(discussion__isnull=True).count() == 5
    needed = Discussion.objects.filter(tenant=tenant, outcome="network_meeting_needed").count()
    assert 0.6 * needed < meetings.filter(discussion__isnull=False).count() <= needed
    # Every discussion's lead works in the discussion's unit; every child in its unit.
    sample = Discussion.objects.filter(tenant=tenant).select_related("child")[:50]
    for discussion in sample:
        assert Membership.objects.filter(user=discussion.lead, unit=discussion.unit).exists()
        assert discussion.child.enrolments.filter(unit=discussion.unit).exists()


@pytest.mark.django_db(transaction=True)
def test_bare_sql_gives_the_dashboards_numbers():
    from arki.organisations.models import Area, Unit

    size = national.NationalSize().scaled(0.003)  # 3,000 children, 6,000 discussions
    tenant = national.generate(size)
    today = date(2026, 11, 30)
    area = Area.objects.filter(tenant=tenant).order_by("name").first()
    unit = Unit.objects.filter(tenant=tenant).order_by("name").first()
    for filters in (
        Filters(tenant.pk, Period("2026")),
        Filters(tenant.pk, Period("2025")),
        Filters(tenant.pk, Period("2025-H2"), area_id=str(area.pk)),
        Filters(tenant.pk, Period("2025"), sector="school"),
        Filters(tenant.pk, Period("2025"), unit_id=str(unit.pk)),
    ):
        sql = national.bare_sql(filters, today)
        shown = national.dashboard_figures(filters, today)
        assert sql["offered"] > 0 and sql["meetings_held"] > 0
        assert national.disagreements(shown, sql) == [], filters


def test_summary_reports_median_and_nearest_rank_p95():
    assert national.summary([float(v) for v in range(1, 21)]) == {"p50": 10.5, "p95": 19.0}


def test_scaling():
    small = national.NationalSize().scaled(0.01)
    assert (small.children, small.discussions, small.units) == (10_000, 20_000, 20)
