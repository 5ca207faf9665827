"""LT discussions in the portal: preparing for one, and after it the agreed summary, the action
plan and the family's own working notes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from arki.discussions import services as discussions
from arki.discussions.models import OwnerKind
from arki.discussions.tests.conftest import discussion, templates  # noqa: F401  (fixtures)
from arki.portal import services
from arki.portal.models import Preparation

from .conftest import issue, open_portal

pytestmark = pytest.mark.django_db


def prepare_url(d) -> str:
    return f"/portal/children/{d.child_id}/discussions/{d.pk}/prepare/"


def close(world, d, *, summary="We agreed on calmer mornings."):
    discussions.session_add(actor=world.worker, discussion=d, held_on=date(2026, 9, 10))
    section = d.template.sections.first()
    discussions.note_save(
        actor=world.worker, discussion=d, section_id=section.pk, text="Our own note"
    )
    discussions.action_add(
        actor=world.worker,
        discussion=d,
        what="Wake up 15 minutes earlier",
        owner_kind=OwnerKind.PARENT,
        due_on=date(2026, 10, 1),
    )
    d.refresh_from_db()
    discussions.discussion_close(
        actor=world.worker,
        discussion=d,
        expected_version=d.version,
        outcome="plan_made",
        agreed_summary=summary,
        keep_working_notes=False,
        closed_on=date(2026, 9, 10),
    )
    d.refresh_from_db()
    return d


def test_guardian_prepares_for_the_offered_discussion(world, discussion, portal_client):  # noqa: F811
    html = portal_client.get(f"/portal/children/{world.child.pk}/").content.decode()
    assert prepare_url(discussion) in html
    response = portal_client.post(prepare_url(discussion), {"worries": "Mornings"})
    assert response.status_code == 302
    prep = Preparation.objects.get()
    assert prep.discussion == discussion and prep.answers["worries"] == "Mornings"
    staff_html = world.client_for(world.worker).get(f"/children/{world.child.pk}/").content.decode()
    assert "Mornings" in staff_html


def test_preparation_is_read_only_once_the_discussion_is_held(world, discussion, portal_client):  # noqa: F811
    portal_client.post(prepare_url(discussion), {"worries": "Mornings"})
    discussions.session_add(actor=world.worker, discussion=discussion, held_on=date(2026, 9, 10))
    page = portal_client.get(prepare_url(discussion)).content.decode()
    assert 'name="worries"' not in page and "Mornings" in page
    portal_client.post(prepare_url(discussion), {"worries": "Changed afterwards"})
    assert Preparation.objects.get().answers["worries"] == "Mornings"
    with pytest.raises(services.PreparationClosedError):
        services.preparation_save(
            actor=world.guardian,
            child=world.child,
            guardian=world.guardian,
            answers={"worries": "x"},
            discussion=discussion,
        )


def test_closed_discussion_shows_summary_plan_and_own_notes(world, discussion, portal_client):  # noqa: F811
    close(world, discussion)
    html = portal_client.get(f"/portal/children/{world.child.pk}/").content.decode()
    assert "We agreed on calmer mornings." in html
    assert "Wake up 15 minutes earlier" in html
    assert "Our own note" in html
    # After the purge the notes are gone from the portal too.
    discussions.purge_working_notes(now=timezone.now() + timedelta(days=365))
    html = portal_client.get(f"/portal/children/{world.child.pk}/").content.decode()
    assert "Our own note" not in html and "Wake up 15 minutes earlier" in html


def test_open_discussion_shows_no_plan_yet(world, discussion, portal_client):  # noqa: F811
    discussions.action_add(
        actor=world.worker, discussion=discussion, what="Draft item", owner_kind=OwnerKind.PARENT
    )
    html = portal_client.get(f"/portal/children/{world.child.pk}/").content.decode()
    assert "Draft item" not in html


def test_child_sees_what_to_prepare_for_but_not_the_summary(world, discussion):  # noqa: F811
    world.child.birth_date = date.today() - timedelta(days=365 * 14)
    world.child.save()
    client = open_portal(
        services.link_issue(actor=world.worker, child=world.child, email="e@example.fi").token
    )
    assert (
        prepare_url(discussion)
        in client.get(f"/portal/children/{world.child.pk}/").content.decode()
    )
    client.post(prepare_url(discussion), {"hard": "Maths"})
    assert Preparation.objects.get(respondent="child").discussion == discussion
    close(world, discussion, summary="Parents' private summary")
    html = client.get(f"/portal/children/{world.child.pk}/").content.decode()
    assert "Parents&#x27; private summary" not in html and "Our own note" not in html


def test_declined_and_other_childrens_discussions_are_404(world, templates, discussion):  # noqa: F811
    from arki.core.tests.factories import ChildFactory, RelationshipFactory

    other_child = ChildFactory(tenant=world.tenant)
    RelationshipFactory(child=other_child, user=world.worker)
    other = discussions.discussion_offer(
        actor=world.worker,
        child=other_child,
        unit=world.unit,
        template=templates["test-ecec.fi"],
        offered_on=date(2026, 9, 1),
    )
    client = open_portal(issue(world).token)
    assert (
        client.get(f"/portal/children/{world.child.pk}/discussions/{other.pk}/prepare/").status_code
        == 404
    )
    assert client.get(prepare_url(other)).status_code == 404
    declined = discussions.discussion_offer(
        actor=world.worker,
        child=world.child,
        unit=world.unit,
        template=templates["test-ecec.fi"],
        offered_on=date(2026, 9, 2),
        alongside_open=True,
    )
    discussions.discussion_decline(
        actor=world.worker, discussion=declined, responded_on=date(2026, 9, 3)
    )
    assert client.get(prepare_url(declined)).status_code == 404


def test_xss_in_summary_plan_and_notes_is_inert(world, discussion, portal_client):  # noqa: F811
    xss = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    close(world, discussion, summary=xss)
    html = portal_client.get(f"/portal/children/{world.child.pk}/").content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
