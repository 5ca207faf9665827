"""The catalogue linked to the work: action plans and network meetings name a method, and the
method page shows (to staff) how often the region's plans use it."""

from __future__ import annotations

from datetime import date

import pytest

from arki.core.exceptions import DomainError
from arki.core.tests.factories import (
    AreaFactory,
    ChildFactory,
    TenantFactory,
    UnitFactory,
)
from arki.discussions import services as discussions
from arki.discussions.models import ActionItem, Discussion, LogbookTemplate
from arki.methods.selectors import usage_in_plans
from arki.methods.services import method_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def discussion(world):
    template = LogbookTemplate.objects.create(
        code="t", version="1", setting="ecec", language="fi", title="T"
    )
    d = discussions.discussion_offer(
        actor=world.worker,
        child=world.child,
        unit=world.unit,
        template=template,
        offered_on=date(2026, 9, 1),
    )
    discussions.discussion_accept(actor=world.worker, discussion=d, responded_on=date(2026, 9, 3))
    d.refresh_from_db()
    return d


def plan_url(d):
    return f"/discussions/children/{d.child_id}/{d.pk}/actions/"


def test_an_action_plan_item_names_a_published_method_and_the_plan_shows_it(
    world, catalogue, discussion
):
    method = catalogue.published()
    client = world.client_for(world.worker)
    page = client.get(f"/discussions/children/{discussion.child_id}/{discussion.pk}/")
    assert f'value="{method.pk}"' in page.content.decode()  # offered in the form
    response = client.post(
        plan_url(discussion),
        {"what": "Kerho keskiviikkoisin", "owner_kind": "parent", "method": str(method.pk)},
        follow=True,
    )
    assert response.status_code == 200, response.context["action_form"].errors
    item = ActionItem.objects.get(discussion=discussion)
    assert item.method == method and item.what == "Kerho keskiviikkoisin"
    assert f"/methods/manage/{method.slug}/" in response.content.decode()
    # Free text stays possible: an item without a method.
    client.post(plan_url(discussion), {"what": "Iltasatu", "owner_kind": "parent"})
    assert ActionItem.objects.filter(method__isnull=True).count() == 1


def test_a_draft_or_another_regions_method_cannot_be_named(world, catalogue, discussion):
    draft = catalogue.draft("draft-club")
    other_tenant = TenantFactory(slug="muu")
    foreign = method_save(actor=catalogue.editor, tenant=other_tenant, slug="foreign")
    client = world.client_for(world.worker)
    for method in (draft, foreign):
        response = client.post(
            plan_url(discussion),
            {"what": "Jotain", "owner_kind": "parent", "method": str(method.pk)},
        )
        assert response.status_code in (200, 400)
        assert "errorlist" in response.content.decode()
        with pytest.raises(DomainError) as refused:
            discussions.action_add(
                actor=world.worker,
                discussion=discussion,
                what="Jotain",
                owner_kind="parent",
                method=method,
            )
        assert refused.value.field == "method"
    assert not ActionItem.objects.exists()


def test_a_meetings_proposal_names_a_method_and_the_agreed_action_keeps_it(world, catalogue):
    from arki.accounts.models import QualificationKind
    from arki.core.tests.factories import GuardianshipFactory, QualificationFactory
    from arki.meetings import services as meetings

    method = catalogue.published()
    QualificationFactory(user=world.worker, kind=QualificationKind.NETWORK_MEETING)
    meeting = meetings.meeting_plan(actor=world.worker, child=world.child, reason="Arki")
    client = world.client_for(world.worker)
    base = f"/meetings/children/{world.child.pk}/{meeting.pk}"
    response = client.post(
        f"{base}/proposal/", {"text": "Perhekerho", "method": str(method.pk)}, follow=True
    )
    assert response.status_code == 200
    proposal = meeting.proposals.get()
    assert proposal.method == method
    guardian = world.child.guardians.first() or GuardianshipFactory(child=world.child).guardian
    meetings.proposal_decide(actor=guardian, proposal=proposal, accepted=True, channel="portal")
    assert meeting.actions.get().method == method


def test_usage_per_area_and_year_with_small_cells_protected(world, catalogue):
    method = catalogue.published()
    template = LogbookTemplate.objects.create(
        code="u", version="1", setting="ecec", language="fi", title="U"
    )
    big_area = AreaFactory(tenant=world.tenant, name="Iso kunta")
    big_unit = UnitFactory(area=big_area, tenant=world.tenant)

    def items(unit, n):
        for _ in range(n):
            d = Discussion.objects.create(
                tenant=world.tenant,
                child=ChildFactory(tenant=world.tenant),
                unit=unit,
                lead=world.worker,
                template=template,
                status="accepted",
                offered_on=date(2026, 3, 1),
            )
            ActionItem.objects.create(discussion=d, what="x", owner_kind="parent", method=method)

    items(big_unit, 12)
    items(world.unit, 2)  # Vaasa: 2, a small cell
    items(world.other_unit, 9)  # Mustasaari
    usage = usage_in_plans(method, years=1, today=date(2026, 11, 1))
    assert usage.years == [2026]
    rows = {row.area: row.cells for row in usage.rows}
    assert rows["Vaasa"] == ["<5", "<5"]
    # The total is shown, so the smallest other area is hidden with Vaasa's 2.
    assert usage.totals == [23, 23]
    assert rows["Mustasaari"] == ["x", "x"]
    assert rows["Iso kunta"] == [12, 12]


def test_staff_see_the_usage_and_the_public_page_does_not(world, catalogue, discussion):
    method = catalogue.published()
    discussions.action_add(
        actor=world.worker, discussion=discussion, what="x", owner_kind="parent", method=method
    )
    staff = world.client_for(world.coordinator).get(f"/methods/manage/{method.slug}/")
    assert 'id="method-usage"' in staff.content.decode()
    public = world.client_for(None).get(f"/methods/{world.tenant.slug}/{method.slug}/")
    assert public.status_code == 200
    assert 'id="method-usage"' not in public.content.decode()
