# ruff: noqa: F811  (pytest fixtures imported from the meetings tests)
"""Consent by the child, from a configurable age: in the child's own portal session, or on
paper recorded by the worker. Younger children see the invitees but do not decide."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from arki.audit.models import AuditEvent
from arki.core.exceptions import DomainError
from arki.meetings import services as meetings
from arki.meetings.models import Consent
from arki.meetings.tests.test_meetings import chair, meeting, professional  # noqa: F401
from arki.portal import services
from arki.portal.access import ChildActor

from .conftest import open_portal

pytestmark = pytest.mark.django_db


def aged(world, years: int) -> None:
    world.child.birth_date = timezone.localdate() - timedelta(days=365 * years + 5)
    world.child.save()


def approved(world, professional):
    return meetings.invitee_approve(
        actor=world.guardian, invitee=professional, approved=True, channel="portal"
    )


def child_client(world):
    link = services.link_issue(actor=world.worker, child=world.child, email="e@example.fi")
    return open_portal(link.token)


def base(world) -> str:
    return f"/portal/children/{world.child.pk}"


def test_a_child_of_the_consent_age_gives_and_withdraws_consent_in_the_portal(
    world, meeting, professional, settings
):
    settings.ARKI_CHILD_CONSENT_MIN_AGE = 15
    aged(world, 16)
    approved(world, professional)
    client = child_client(world)
    html = client.get(f"{base(world)}/").content.decode()
    assert f"/invitees/{professional.pk}/consent/" in html
    assert "/decide/" not in html  # approving invitees stays with the guardians
    client.post(f"{base(world)}/invitees/{professional.pk}/consent/", {"scope": "action_plan"})
    consent = Consent.objects.active().get(invitee=professional, scope="action_plan")
    assert consent.given_by_child and consent.given_by_guardian is None
    assert consent.channel == "portal" and consent.recorded_by is None
    event = AuditEvent.objects.filter(action="meetings.consent.given").latest("occurred_at")
    assert event.role == "child" and event.basis == "own_data"
    assert event.detail["by_child"] is True
    client.post(f"{base(world)}/consents/{consent.pk}/withdraw/")
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


def test_a_younger_child_cannot_give_consent(world, meeting, professional, settings):
    settings.ARKI_CHILD_CONSENT_MIN_AGE = 15
    aged(world, 13)
    approved(world, professional)
    client = child_client(world)
    html = client.get(f"{base(world)}/").content.decode()
    assert f"/invitees/{professional.pk}/consent/" not in html
    response = client.post(
        f"{base(world)}/invitees/{professional.pk}/consent/", {"scope": "action_plan"}
    )
    assert response.status_code == 404
    assert not Consent.objects.filter(invitee=professional).exists()
    with pytest.raises(DomainError):
        meetings.consent_give(
            actor=ChildActor(world.child), invitee=professional, scope="attend", channel="portal"
        )


def test_the_consent_age_is_configurable(world, meeting, professional, settings):
    aged(world, 13)
    approved(world, professional)
    settings.ARKI_CHILD_CONSENT_MIN_AGE = 12
    consent = meetings.consent_give(
        actor=ChildActor(world.child), invitee=professional, scope="attend", channel="portal"
    )
    assert consent.given_by_child


def test_a_child_cannot_consent_for_another_child(world, meeting, professional, settings):
    from arki.core.tests.factories import ChildFactory

    settings.ARKI_CHILD_CONSENT_MIN_AGE = 0
    approved(world, professional)
    other = ChildFactory(tenant=world.tenant)
    with pytest.raises(DomainError):
        meetings.consent_give(
            actor=ChildActor(other), invitee=professional, scope="attend", channel="portal"
        )


def test_worker_records_on_paper_who_gave_the_consent(world, meeting, professional, settings):
    settings.ARKI_CHILD_CONSENT_MIN_AGE = 15
    approved(world, professional)
    client = world.client_for(world.worker)
    url = f"/meetings/children/{world.child.pk}/{meeting.pk}/consent/"
    page = client.get(f"/meetings/children/{world.child.pk}/{meeting.pk}/").content.decode()
    child_choice = f'<option value="child">{world.child.first_name} (lapsi)</option>'
    assert f'value="{world.guardian.pk}"' in page and child_choice not in page
    # Nobody chosen: a clear message, nothing recorded.
    response = client.post(url, {"invitee": str(professional.pk), "scope": "attend"}, follow=True)
    assert "Valitse, kuka antoi suostumuksen." in response.content.decode()
    assert not Consent.objects.filter(invitee=professional).exists()
    # The child is too young to be chosen.
    client.post(url, {"invitee": str(professional.pk), "scope": "attend", "given_by": "child"})
    assert not Consent.objects.filter(invitee=professional).exists()
    given_by = str(world.guardian.pk)
    client.post(url, {"invitee": str(professional.pk), "scope": "attend", "given_by": given_by})
    consent = Consent.objects.active().get(invitee=professional, scope="attend")
    assert consent.given_by_guardian == world.guardian and consent.recorded_by == world.worker
    assert consent.channel == "paper" and not consent.given_by_child
    # Old enough: the child can be chosen, and the meeting page says the child gave it.
    aged(world, 16)
    page = client.get(f"/meetings/children/{world.child.pk}/{meeting.pk}/").content.decode()
    assert child_choice in page
    client.post(url, {"invitee": str(professional.pk), "scope": "action_plan", "given_by": "child"})
    by_child = Consent.objects.active().get(invitee=professional, scope="action_plan")
    assert by_child.given_by_child and by_child.given_by_guardian is None
    page = client.get(f"/meetings/children/{world.child.pk}/{meeting.pk}/").content.decode()
    assert "lapsen antama" in page
