# ruff: noqa: F811  (the chair fixture is imported from test_meetings)
"""What a worker sees of network meetings on the home page, the child's page and the meeting
page, whatever state the meeting is in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from arki.meetings import services
from arki.meetings.tests.test_meetings import chair  # noqa: F401


def _plan(world, chair, reason="Aamut ovat raskaita"):
    return services.meeting_plan(actor=chair, child=world.child, reason=reason)


def _schedule(chair, meeting, days=3):
    starts = timezone.now().replace(microsecond=0) + timedelta(days=days)
    return services.meeting_schedule(
        actor=chair,
        meeting=meeting,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        location="Perhekeskus",
    )


@pytest.mark.django_db
def test_home_page_lists_the_open_meetings_of_my_children_with_a_link(world, chair):
    planning = _plan(world, chair)
    scheduled = _schedule(chair, _plan(world, chair))
    cancelled = services.meeting_cancel(
        actor=chair, meeting=_schedule(chair, _plan(world, chair)), reason="perhe peruu"
    )
    page = world.client_for(world.worker).get("/").content.decode()
    assert 'id="my-meetings-h"' in page
    assert f"/meetings/children/{world.child.pk}/{planning.pk}/" in page
    assert f"/meetings/children/{world.child.pk}/{scheduled.pk}/" in page
    assert f"/meetings/children/{world.child.pk}/{cancelled.pk}/" not in page
    # The scheduled one comes first, with its time.
    assert page.index(str(scheduled.pk)) < page.index(str(planning.pk))


@pytest.mark.django_db
def test_home_page_meetings_are_not_shown_to_others(world, chair):
    meeting = _plan(world, chair)
    for user in (world.outsider, world.colleague):
        page = world.client_for(user).get("/").content.decode()
        assert str(meeting.pk) not in page
        assert world.child.full_name not in page


@pytest.mark.django_db
def test_home_page_meetings_need_a_casework_relationship_in_my_tenants(world, chair):
    """The worker sees the child (consent-based network member) but not its meetings; nor
    meetings of a child whose casework ended, or of a child in a tenant they have left."""
    from arki.accounts.models import QualificationKind
    from arki.core.tests.factories import ChildFactory, QualificationFactory, RelationshipFactory
    from arki.people.models import RelationshipKind
    from arki.people.services import relationship_end

    QualificationFactory(user=world.colleague, kind=QualificationKind.NETWORK_MEETING)
    member_of = ChildFactory(tenant=world.tenant, first_name="Verkosto", last_name="Lapsi")
    RelationshipFactory(child=member_of, user=world.worker, kind=RelationshipKind.NETWORK_MEMBER)
    theirs = services.meeting_plan(actor=world.colleague, child=member_of, reason="Uni")
    ended_child = ChildFactory(tenant=world.tenant, first_name="Päättynyt", last_name="Lapsi")
    RelationshipFactory(child=ended_child, user=world.worker)
    ended = services.meeting_plan(actor=world.colleague, child=ended_child, reason="Uni")
    relationship_end(child=ended_child, user=world.worker, kind=RelationshipKind.RESPONSIBLE)
    QualificationFactory(user=world.outsider, kind=QualificationKind.NETWORK_MEETING)
    elsewhere_child = ChildFactory(tenant=world.outsider.memberships.first().tenant)
    RelationshipFactory(child=elsewhere_child, user=world.worker)
    elsewhere = services.meeting_plan(actor=world.outsider, child=elsewhere_child, reason="Uni")
    mine = _plan(world, chair)
    page = world.client_for(world.worker).get("/").content.decode()
    assert f"/children/{member_of.pk}/" in page  # in "My children"
    assert f"/meetings/children/{world.child.pk}/{mine.pk}/" in page
    for meeting in (theirs, ended, elsewhere):
        assert str(meeting.pk) not in page
    assert ended_child.full_name not in page and elsewhere_child.full_name not in page


@pytest.mark.django_db
def test_child_page_shows_the_meeting_time_and_each_worker_once(world, chair):
    meeting = _schedule(chair, _plan(world, chair))
    invitee = services.invitee_add(
        actor=chair,
        meeting=meeting,
        kind="professional",
        user=world.other_area_worker,
        role_label="kuraattori",
    )
    guardian = world.guardian
    services.invitee_approve(actor=guardian, invitee=invitee, approved=True, channel="portal")
    for scope in ("attend", "action_plan", "meeting_report"):
        services.consent_give(actor=guardian, invitee=invitee, scope=scope, channel="portal")
    page = world.client_for(world.worker).get(f"/children/{world.child.pk}/").content.decode()
    when = timezone.localtime(meeting.starts_at)
    assert f"{when.day}.{when.month}.{when.year}" in page
    name = world.other_area_worker.get_full_name()
    assert page.count(name) == 1  # not once per consent


@pytest.mark.django_db
def test_guardian_role_is_shown_in_the_readers_language(world, chair):
    with translation.override("en"):  # planned by someone using Arki in English
        meeting = _plan(world, chair)
    client = world.client_for(world.worker)
    page = client.get(f"/meetings/children/{world.child.pk}/{meeting.pk}/").content.decode()
    assert ">huoltaja<" in page
    assert ">guardian<" not in page


@pytest.mark.django_db
def test_cancelled_meeting_page_offers_no_changes_that_would_be_refused(world, chair):
    meeting = _schedule(chair, _plan(world, chair))
    invitee = services.invitee_add(
        actor=chair, meeting=meeting, kind="network_person", name="Mummo"
    )
    services.invitee_approve(actor=world.guardian, invitee=invitee, approved=True, channel="portal")
    url = f"/meetings/children/{world.child.pk}/{meeting.pk}/"
    client = world.client_for(world.worker)
    page = client.get(url).content.decode()
    assert f"{url}approve/" in page and f"{url}invitee/" in page and f"{url}close/" in page
    # Approved already: only the opposite decision is offered.
    assert 'name="approved" value="1"' not in page
    assert 'name="approved" value="0"' in page
    services.meeting_cancel(actor=chair, meeting=meeting)
    page = client.get(url).content.decode()
    for action in ("approve", "consent", "invitee", "close", "proposal"):
        assert f"{url}{action}/" not in page, action


@pytest.mark.django_db
def test_home_panel_keeps_the_next_meetings_however_many_are_being_planned(world, chair):
    """The panel lists ``limit`` meetings: the scheduled ones first, soonest first, even when
    more meetings being planned were created after them."""
    from arki.meetings import selectors

    later = _schedule(chair, _plan(world, chair), days=9)
    sooner = _schedule(chair, _plan(world, chair), days=2)
    for n in range(2 * 3):  # more than the old read of twice the limit, newest first
        _plan(world, chair, reason=f"Suunnitteilla {n}")
    listed = selectors.open_meetings_for(world.worker, limit=3)
    assert [m.pk for m in listed[:2]] == [sooner.pk, later.pk]
    assert len(listed) == 3 and listed[2].status == "planning"
