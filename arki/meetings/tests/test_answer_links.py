# ruff: noqa: F811  (fixtures imported from test_invitations and test_meetings)
"""The invitation's answer link: only its hash is stored, it expires and is replaced, and the
page it opens without a login shows no one else's service or the guardians' names."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.test import Client

from arki.audit.models import AuditEvent
from arki.core.tests.clock import freeze_now
from arki.meetings import invitations, services
from arki.meetings.models import AnswerLink, Invitee, Response
from arki.meetings.reminders import send_meeting_reminders
from arki.meetings.tests.test_invitations import (  # noqa: F401
    TOPICS,
    _at,
    _consented,
    _to,
    _token,
    chair,
    invited,
    meeting,
    no_consent,
    pending,
    professional,
    swedish_guardian,
)
from arki.notifications.services import deliver_pending

SUBSTANCE = "Aikuisten päihdepalvelut"  # another invitee's service: never on the page
PLACE = "Perhekeskus, huone 2"


def _stored_anywhere(token: str) -> list[str]:
    """Every table row (any field) that holds the token, as "app.model"."""
    found = []
    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields]
        for row in model.objects.values_list(*names).iterator():
            if token in str(row):
                found.append(model._meta.label_lower)
                break
    return found


@pytest.fixture
def substance_worker(world, meeting):
    return _consented(world, meeting, world.manager, role=SUBSTANCE)


@pytest.mark.django_db
def test_only_the_hash_of_the_answer_token_is_stored(world, invited, professional):
    token = _token(professional)
    link = AnswerLink.objects.get(invitee=professional)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    # Until the email is sent, the outbox row holds it (to send it); nothing else does.
    assert _stored_anywhere(token) == ["notifications.outboxmessage"]
    deliver_pending()
    assert _stored_anywhere(token) == []
    assert Client().get(f"/meetings/answer/{token}/").status_code == 200


@pytest.mark.django_db
def test_an_expired_link_gives_a_clear_page_and_changes_nothing(world, invited, professional):
    token = _token(professional)
    AnswerLink.objects.filter(invitee=professional).update(
        expires_at=_at(-1)  # older than ARKI_INVITATION_LINK_DAYS
    )
    before = AuditEvent.objects.count()
    client = Client()
    page = client.get(f"/meetings/answer/{token}/")
    assert page.status_code == 410
    content = page.content.decode()
    assert "Dette link er udløbet" in content  # the recipient's language
    assert PLACE not in content and TOPICS not in content
    answered = client.post(f"/meetings/answer/{token}/", {"response": "yes"})
    assert answered.status_code == 410
    professional.refresh_from_db()
    assert professional.response == "" and professional.responded_at is None
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_the_link_expires_a_grace_period_after_the_meeting(
    world, invited, professional, settings, monkeypatch
):
    meeting, _sent = invited
    token = _token(professional)
    url = f"/meetings/answer/{token}/"
    grace = timedelta(hours=settings.ARKI_INVITATION_LINK_GRACE_HOURS)
    freeze_now(monkeypatch, meeting.ends_at + grace - timedelta(minutes=5))
    assert Client().get(url).status_code == 200
    # Nobody marked the meeting held: the link ends all the same.
    freeze_now(monkeypatch, meeting.ends_at + grace + timedelta(minutes=1))
    assert Client().get(url).status_code == 410
    assert Client().post(url, {"response": "no"}).status_code == 410
    professional.refresh_from_db()
    assert professional.response == ""


@pytest.mark.django_db
def test_a_link_is_valid_at_most_the_configured_days(world, meeting, professional, settings):
    settings.ARKI_INVITATION_LINK_DAYS = 3
    services.meeting_schedule(
        actor=world.worker, meeting=meeting, starts_at=_at(20), ends_at=_at(20, 13), location="K"
    )
    services.invitations_send(actor=world.worker, meeting=meeting)
    link = AnswerLink.objects.get(invitee=professional)
    assert timedelta(days=3) - timedelta(minutes=1) < link.expires_at - link.created_at
    assert link.expires_at - link.created_at <= timedelta(days=3)


@pytest.mark.django_db
def test_a_new_invitation_replaces_the_earlier_link(world, invited, professional):
    meeting, _sent = invited
    old = _token(professional)
    services.meeting_schedule(
        actor=world.worker, meeting=meeting, starts_at=_at(8), ends_at=_at(8, 13), location=PLACE
    )
    new = _token(professional)
    assert new != old
    replaced = Client().get(f"/meetings/answer/{old}/")
    assert replaced.status_code == 410 and "erstattet" in replaced.content.decode()
    Client().post(f"/meetings/answer/{old}/", {"response": "yes"})
    professional.refresh_from_db()
    assert professional.response == ""
    assert Client().post(f"/meetings/answer/{new}/", {"response": "yes"}).status_code == 302
    professional.refresh_from_db()
    assert professional.response == Response.YES


@pytest.mark.django_db
def test_a_cancellation_ends_the_link(world, invited, professional):
    meeting, _sent = invited
    token = _token(professional)
    consent = professional.consents.active().get(scope="attend")
    services.consent_withdraw(actor=world.guardian, consent=consent)
    assert AnswerLink.objects.get(invitee=professional).ended_at is not None
    page = Client().get(f"/meetings/answer/{token}/")
    assert PLACE not in page.content.decode()


@pytest.mark.django_db
def test_a_reminder_brings_its_own_link_and_the_invitations_still_works(
    world, invited, professional
):
    meeting, _sent = invited
    first = _token(professional)
    send_meeting_reminders(now=meeting.starts_at - timedelta(days=1))
    second = _token(professional)
    assert second != first
    assert Client().get(f"/meetings/answer/{first}/").status_code == 200
    assert Client().get(f"/meetings/answer/{second}/").status_code == 200
    # A rerun sends nothing and makes no new link.
    links = AnswerLink.objects.count()
    assert send_meeting_reminders(now=meeting.starts_at - timedelta(days=1)) == 0
    assert AnswerLink.objects.count() == links


@pytest.mark.django_db
def test_the_answer_page_shows_no_one_elses_service_or_the_guardians_names(
    world, meeting, professional, substance_worker, swedish_guardian
):
    services.meeting_schedule(
        actor=world.worker, meeting=meeting, starts_at=_at(7), ends_at=_at(7, 13), location=PLACE
    )
    services.invitations_send(actor=world.worker, meeting=meeting)
    # The email, sent to the person, says who is coming and in which service (the family's
    # consent to attend covers it).
    assert SUBSTANCE in _to(professional.email)[-1].body_text
    guardian_invitee = Invitee.objects.get(meeting=meeting, guardian=world.guardian)
    child = world.child
    page = Client().get(f"/meetings/answer/{_token(professional)}/")
    assert page.status_code == 200
    content = page.content.decode()
    assert PLACE in content and TOPICS in content  # what the invitee needs, and may hear
    for hidden in (
        SUBSTANCE,
        world.manager.get_full_name(),
        world.guardian.first_name,
        swedish_guardian.first_name,
        child.first_name,
        child.last_name,
    ):
        assert hidden not in content, hidden
    # The family's own link names the child by first name, but no one's service either.
    family_page = Client().get(f"/meetings/answer/{_token(guardian_invitee)}/")
    family = family_page.content.decode()
    assert family_page.status_code == 200 and child.first_name in family
    for hidden in (SUBSTANCE, "koulukuraattori", world.other_area_worker.get_full_name()):
        assert hidden not in family, hidden


@pytest.mark.django_db
def test_a_token_not_issued_is_404(world, invited):
    link_count = AnswerLink.objects.count()
    assert Client().get("/meetings/answer/" + "A" * 43 + "/").status_code == 404
    assert AnswerLink.objects.count() == link_count == 3
    assert invitations.hash_token("A" * 43) not in AnswerLink.objects.values_list(
        "token_hash", flat=True
    )
