"""Network meeting figures on a hand-checked data set."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from arki.core.tests.factories import ChildFactory
from arki.discussions.models import Discussion, LogbookTemplate
from arki.indicators.filters import Filters, Period
from arki.indicators.selectors import Dashboard, _histogram_median
from arki.meetings.models import NetworkMeeting

HELSINKI = ZoneInfo("Europe/Helsinki")
TODAY = date(2026, 11, 1)
# Unit A's timed waits in days. Sorted: the 7th of 13 is 21 → median 21; 8 are within 30 days.
WAITS_A = [1, 3, 5, 8, 12, 15, 21, 25, 31, 40, 45, 60, 90]


class Maker:
    def __init__(self, world):
        self.world = world
        self.template = LogbookTemplate.objects.create(
            code="t", version="1", setting="ecec", language="fi", title="T"
        )

    def discussion(self, unit, needed_on):
        child = ChildFactory(tenant=self.world.tenant)
        return Discussion.objects.create(
            tenant=self.world.tenant,
            child=child,
            unit=unit,
            lead=self.world.worker,
            template=self.template,
            status="closed",
            offered_on=date(2026, 1, 10),
            outcome="network_meeting_needed" if needed_on else "plan_made",
            network_meeting_needed_on=needed_on,
        )

    def meeting(self, *, held_at, discussion=None, chair=None, status="held"):
        child = discussion.child if discussion else ChildFactory(tenant=self.world.tenant)
        return NetworkMeeting.objects.create(
            tenant=self.world.tenant,
            child=child,
            discussion=discussion,
            chair=chair or self.world.worker,
            reason="Tarvitaan verkostoa",
            status=status,
            starts_at=held_at,
            held_at=held_at,
        )

    def after_need(self, unit, needed_on, days, **kw):
        held = datetime.combine(needed_on + timedelta(days=days), datetime.min.time())
        held = held.replace(hour=10, tzinfo=HELSINKI)
        return self.meeting(held_at=held, discussion=self.discussion(unit, needed_on), **kw)


@pytest.fixture
def meetings(world):
    """Unit A (ECEC, Vaasa), 17 meetings held in 2026: 13 timed (WAITS_A, one of them the 31
    days that local time gives and UTC would make 30), one whose discussion recorded no need,
    one held before the need was recorded, and two without a discussion chaired by the worker
    of unit A. Unit B (school, Mustasaari), 2 held: one without a discussion chaired by its
    own worker, one from a unit B discussion (wait 7 days) chaired by unit A's worker — it
    belongs to unit B, the discussion's unit. Not counted: one planned, one cancelled, one
    held in 2025."""
    make = Maker(world)
    a, b = world.unit, world.other_unit
    b.sector = "school"
    b.save()
    for days in WAITS_A:
        if days == 31:
            # Need on 1 June; held 2 July at 00:30 Helsinki time = 1 July 21:30 UTC.
            make.meeting(
                held_at=datetime(2026, 7, 2, 0, 30, tzinfo=HELSINKI),
                discussion=make.discussion(a, date(2026, 6, 1)),
            )
        else:
            make.after_need(a, date(2026, 3, 1), days)
    make.meeting(
        held_at=datetime(2026, 5, 5, 9, tzinfo=HELSINKI), discussion=make.discussion(a, None)
    )
    make.after_need(a, date(2026, 5, 1), -3)
    for day in (4, 5):
        make.meeting(held_at=datetime(2026, 9, day, 9, tzinfo=HELSINKI))
    make.meeting(held_at=datetime(2026, 9, 6, 9, tzinfo=HELSINKI), chair=world.other_area_worker)
    make.after_need(b, date(2026, 4, 1), 7)
    NetworkMeeting.objects.create(
        tenant=world.tenant,
        child=world.child,
        chair=world.worker,
        reason="Suunnitteilla",
        status="planning",
    )
    make.meeting(held_at=datetime(2026, 8, 1, 9, tzinfo=HELSINKI), status="cancelled")
    make.meeting(held_at=datetime(2025, 12, 31, 12, tzinfo=HELSINKI))
    world.make = make
    return world


def figures(filters):
    dashboard = Dashboard(filters, today=TODAY)
    return {f.key: f.value for f in dashboard.meetings_section().figures}


@pytest.mark.django_db
def test_meetings_for_the_whole_tenant(meetings):
    f = figures(Filters(meetings.tenant.pk, Period("2026")))
    assert f["meetings_held"] == 19
    # 14 timed: WAITS_A and unit B's 7. Sorted 1 3 5 7 8 12 15 | 21 25 31 …: (15 + 21) / 2.
    assert f["meetings_wait_median"] == 18.0
    # Within 30 days: 1 3 5 7 8 12 15 21 25 = 9 of 14 (the 31 counted in local time).
    assert f["meetings_within_target"] == 64.3


@pytest.mark.django_db
def test_unit_figures_are_protected_against_the_tenant(meetings):
    # Unit A holds 17 of 19: unit B's 2 could be worked out, so unit A's count is hidden (as
    # "x": it is not small itself, it protects a small one); its 13 timed of the tenant's 14
    # likewise hide the median and the share.
    f = figures(Filters(meetings.tenant.pk, Period("2026"), unit_id=str(meetings.unit.pk)))
    assert f == {
        "meetings_held": "x",
        "meetings_wait_median": "x",
        "meetings_within_target": "x",
    }
    # Unit B: 2 held, a small cell.
    f = figures(Filters(meetings.tenant.pk, Period("2026"), unit_id=str(meetings.other_unit.pk)))
    assert f["meetings_held"] == "<5" and f["meetings_wait_median"] == "<5"


@pytest.mark.django_db
def test_unit_sector_and_area_figures_once_the_other_unit_is_big_enough(meetings):
    make, b = meetings.make, meetings.other_unit
    for _ in range(5):
        make.after_need(b, date(2026, 4, 1), 10)
    # Unit B now: 7 held, 6 timed (7, 10 ×5), all within 30 days. Tenant: 24 held, 19 timed.
    a_only = {
        "meetings_held": 17,
        "meetings_wait_median": 21.0,
        "meetings_within_target": 61.5,  # 8 of 13
    }
    tenant = meetings.tenant.pk
    assert figures(Filters(tenant, Period("2026"), unit_id=str(meetings.unit.pk))) == a_only
    assert figures(Filters(tenant, Period("2026"), sector="ecec")) == a_only
    assert figures(Filters(tenant, Period("2026"), area_id=str(meetings.unit.area_id))) == a_only
    b_only = figures(Filters(tenant, Period("2026"), unit_id=str(b.pk)))
    assert b_only == {
        "meetings_held": 7,
        "meetings_wait_median": 10.0,
        "meetings_within_target": 100.0,
    }
    assert figures(Filters(tenant, Period("2026"), sector="school")) == b_only


@pytest.mark.django_db
def test_quarters_and_the_year(meetings):
    tenant = meetings.tenant.pk
    # Q1: unit A's waits 1…25 after 1 March = 8 meetings, all timed and within 30 days.
    q1 = figures(Filters(tenant, Period("2026-Q1")))
    assert q1["meetings_held"] == 8
    assert q1["meetings_wait_median"] == 10.0  # 1 3 5 8 | 12 15 21 25
    # 8 within of the year's 9: the one outside Q1 could be worked out, so the share is hidden.
    assert q1["meetings_within_target"] == "x"
    # Q2: waits 40, 45, 60, 90, the untimed one, the one before its need, unit B's = 7.
    # With the year (19) and the first quarter (8) shown, the second would give the first
    # half and with it the small second half (4): hidden to protect it.
    assert figures(Filters(tenant, Period("2026-Q2")))["meetings_held"] == "x"
    # Q3: the 31-day one (2 July) and the three without a discussion: a small cell.
    assert figures(Filters(tenant, Period("2026-Q3")))["meetings_held"] == "<5"
    assert figures(Filters(tenant, Period("2026-Q4")))["meetings_held"] == 0
    assert figures(Filters(tenant, Period("2025")))["meetings_held"] == "<5"  # 2025's one


@pytest.mark.django_db
def test_meeting_figures_on_the_page_and_in_every_export(meetings):
    client = meetings.client_for(meetings.coordinator)
    body = client.get("/indicators/?period=2026").content.decode()
    assert 'id="h-meetings"' in body and 'id="chart-meetings"' in body
    assert "Pidetyt neuvonpidot" in body
    xlsx = client.get("/indicators/export.xlsx?period=2026")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    by_label = {row[1]: row[2] for row in rows[1:]}
    assert by_label["pidetyt neuvonpidot"] == 19
    assert by_label["osuus neuvonpidoista, jotka pidettiin 30 päivän kuluessa tarpeesta"] == 64.3
    unit = f"/indicators/export.xlsx?period=2026&unit={meetings.unit.pk}"
    rows = list(
        load_workbook(io.BytesIO(client.get(unit).content)).active.iter_rows(values_only=True)
    )
    assert {row[1]: row[2] for row in rows[1:]}["pidetyt neuvonpidot"] == "x"
    csv = client.get("/indicators/export.csv?period=2026").content.decode("utf-8-sig")
    assert "pidetyt neuvonpidot;19" in csv
    pdf = client.get("/indicators/export.pdf?period=2026")
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Pidetyt neuvonpidot" in " ".join(text.split())


def test_histogram_median():
    assert _histogram_median({}) is None
    assert _histogram_median({4: 1}) == 4
    assert _histogram_median({1: 1, 3: 1}) == 2
    assert _histogram_median({1: 2, 9: 1}) == 1
    assert _histogram_median({1: 1, 2: 1, 10: 2}) == 6
