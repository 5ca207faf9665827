# ruff: noqa: F811  (pytest fixtures imported from the meetings tests)
"""Network meetings in the portal: the family approves invitees, gives and withdraws consent
(in effect at the next request), and decides on proposals — all with plain form POSTs."""

from __future__ import annotations

import pytest

from arki.audit.models import AuditEvent
from arki.core.exceptions import DomainError
from arki.core.tests.factories import ChildFactory, GuardianshipFactory
from arki.meetings import services as meetings
from arki.meetings.models import Approval, Consent, Invitee, MeetingAction, Proposal
from arki.meetings.tests.test_meetings import chair, meeting, professional  # noqa: F401
from arki.portal.consent_texts import CURRENT_VERSION

from .conftest import issue, open_portal

pytestmark = pytest.mark.django_db


def base(world) -> str:
    return f"/portal/children/{world.child.pk}"


def test_family_page_shows_the_meeting_and_who_is_invited(
    world, meeting, professional, portal_client
):  # noqa: F811
    html = portal_client.get(f"{base(world)}/").content.decode()
    assert "koulukuraattori" in html and "Tietoa koulun tuesta" in html
    assert f"/invitees/{professional.pk}/decide/" in html


def test_consent_through_the_portal_takes_effect_at_the_next_request(
    world, meeting, professional, portal_client
):  # noqa: F811
    staff = world.client_for(world.other_area_worker)
    assert staff.get(f"/children/{world.child.pk}/").status_code == 404
    portal_client.post(f"{base(world)}/invitees/{professional.pk}/decide/", {"decision": "approve"})
    assert Invitee.objects.get(pk=professional.pk).approval == Approval.APPROVED
    portal_client.post(f"{base(world)}/invitees/{professional.pk}/consent/", {"scope": "attend"})
    consent = Consent.objects.get(invitee=professional, scope="attend")
    assert consent.text_version == CURRENT_VERSION and consent.channel == "portal"
    assert consent.given_by_guardian == world.guardian
    assert staff.get(f"/children/{world.child.pk}/").status_code == 200
    portal_client.post(f"{base(world)}/consents/{consent.pk}/withdraw/")
    assert staff.get(f"/children/{world.child.pk}/").status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None  # history kept
    event = AuditEvent.objects.filter(action="meetings.consent.withdrawn").latest("occurred_at")
    assert event.actor_label == str(world.guardian) and event.role == "guardian"


def test_refusing_an_invitee(world, meeting, professional, portal_client):  # noqa: F811
    portal_client.post(f"{base(world)}/invitees/{professional.pk}/decide/", {"decision": "refuse"})
    assert Invitee.objects.get(pk=professional.pk).approval == Approval.REFUSED


def test_family_decides_on_proposals(world, meeting, portal_client):  # noqa: F811
    yes = meetings.proposal_add(actor=world.worker, meeting=meeting, text="Evening walks")
    no = meetings.proposal_add(actor=world.worker, meeting=meeting, text="Earlier bedtime")
    html = portal_client.get(f"{base(world)}/").content.decode()
    assert "Evening walks" in html and "Earlier bedtime" in html
    portal_client.post(f"{base(world)}/proposals/{yes.pk}/decide/", {"decision": "accept"})
    portal_client.post(f"{base(world)}/proposals/{no.pk}/decide/", {"decision": "decline"})
    assert Proposal.objects.get(pk=yes.pk).status == "accepted"
    assert Proposal.objects.get(pk=no.pk).status == "declined"
    assert list(MeetingAction.objects.values_list("what", flat=True)) == ["Evening walks"]


def test_get_never_decides_and_other_families_are_404(world, meeting, professional):  # noqa: F811
    other = ChildFactory(tenant=world.tenant)
    GuardianshipFactory(child=other)
    client = open_portal(issue(world).token)
    url = f"{base(world)}/invitees/{professional.pk}/decide/"
    assert client.get(url).status_code == 405
    assert Invitee.objects.get(pk=professional.pk).approval == Approval.PENDING
    # The same invitee through another child's id, and another child's URL: 404.
    assert (
        client.post(
            f"/portal/children/{other.pk}/invitees/{professional.pk}/decide/",
            {"decision": "approve"},
        ).status_code
        == 404
    )
    assert Invitee.objects.get(pk=professional.pk).approval == Approval.PENDING


def test_a_childs_own_session_cannot_decide(world, meeting, professional, settings):  # noqa: F811
    from datetime import timedelta

    from django.utils import timezone

    from arki.portal import services

    world.child.birth_date = timezone.localdate() - timedelta(days=365 * 14)
    world.child.save()
    client = open_portal(
        services.link_issue(actor=world.worker, child=world.child, email="e@example.fi").token
    )
    html = client.get(f"{base(world)}/").content.decode()
    assert "koulukuraattori" in html and "/decide/" not in html
    response = client.post(
        f"{base(world)}/invitees/{professional.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 404
    assert Invitee.objects.get(pk=professional.pk).approval == Approval.PENDING


def _held(world, meeting, invitee):
    """The family approved ``invitee`` and consented to their taking part; the meeting was
    held."""
    from datetime import timedelta

    from django.utils import timezone

    meetings.invitee_approve(actor=world.guardian, invitee=invitee, approved=True, channel="portal")
    consent = meetings.consent_give(
        actor=world.guardian, invitee=invitee, scope="attend", channel="portal"
    )
    meetings.meeting_hold(
        actor=world.worker, meeting=meeting, held_at=timezone.now() - timedelta(hours=1)
    )
    return consent


def test_after_the_meeting_is_held_an_invitee_cannot_be_uninvited(
    world, meeting, professional, portal_client
):  # noqa: F811
    consent = _held(world, meeting, professional)
    with pytest.raises(DomainError):
        meetings.invitee_approve(
            actor=world.guardian, invitee=professional, approved=False, channel="portal"
        )
    html = portal_client.get(f"{base(world)}/").content.decode()
    assert "Ei, älä kutsu" not in html and 'value="refuse"' not in html
    assert "Peru suostumukseni" in html
    portal_client.post(f"{base(world)}/invitees/{professional.pk}/decide/", {"decision": "refuse"})
    professional.refresh_from_db()
    consent.refresh_from_db()
    assert professional.approval == Approval.APPROVED and consent.withdrawn_at is None
    # Withdrawing the consent itself stays possible.
    portal_client.post(f"{base(world)}/consents/{consent.pk}/withdraw/")
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


def test_restoring_a_refused_invitee_gives_back_the_consents_the_family_chooses(
    world, meeting, professional, portal_client
):  # noqa: F811
    meetings.invitee_approve(
        actor=world.guardian, invitee=professional, approved=True, channel="portal"
    )
    for scope in ("attend", "meeting_report"):
        meetings.consent_give(
            actor=world.guardian, invitee=professional, scope=scope, channel="portal"
        )
    portal_client.post(f"{base(world)}/invitees/{professional.pk}/decide/", {"decision": "refuse"})
    assert not Consent.objects.active().filter(invitee=professional).exists()
    # The family is asked, consent by consent, when inviting again.
    html = portal_client.get(f"{base(world)}/").content.decode()
    assert html.count('name="restore"') == 2
    portal_client.post(
        f"{base(world)}/invitees/{professional.pk}/decide/",
        {"decision": "approve", "restore": ["attend"]},
    )
    active = Consent.objects.active().filter(invitee=professional)
    assert list(active.values_list("scope", flat=True)) == ["attend"]
    assert active.get().given_by_guardian == world.guardian
    assert Invitee.objects.get(pk=professional.pk).approval == Approval.APPROVED


def test_restoring_without_the_consents_says_so(world, meeting, professional, portal_client):  # noqa: F811
    meetings.invitee_approve(
        actor=world.guardian, invitee=professional, approved=True, channel="portal"
    )
    meetings.consent_give(
        actor=world.guardian, invitee=professional, scope="attend", channel="portal"
    )
    meetings.invitee_approve(
        actor=world.guardian, invitee=professional, approved=False, channel="portal"
    )
    response = portal_client.post(
        f"{base(world)}/invitees/{professional.pk}/decide/",
        {"decision": "approve"},
        follow=True,
    )
    assert not Consent.objects.active().filter(invitee=professional).exists()
    assert "ilman aiemmin antamianne suostumuksia" in response.content.decode()
