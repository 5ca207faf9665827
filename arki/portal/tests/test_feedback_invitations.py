"""Family feedback is sent: after a discussion closes and after a network meeting is held, each
guardian gets a feedback link by email and on their portal page, in their own language, once.
The link still knows nothing of the family (docs/decisions/0005)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from arki.core.tests.factories import GuardianshipFactory
from arki.discussions import services as discussions
from arki.discussions.models import LogbookTemplate, Outcome
from arki.feedback.models import FeedbackLink
from arki.feedback.services import hash_token
from arki.notifications.models import OutboxMessage
from arki.portal.models import FeedbackInvitation
from arki.portal.services import feedback_invite_guardians
from arki.portal.tests.conftest import issue, open_portal

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(world):
    world.guardian.email = "aiti@example.fi"
    world.guardian.preferred_language = "fi"
    world.guardian.save()
    other = GuardianshipFactory(child=world.child).guardian
    other.email = "pappa@example.fi"
    other.preferred_language = "sv"
    other.save()
    return world.guardian, other


@pytest.fixture
def closed_discussion(world, family):
    import json
    from pathlib import Path

    fixture = Path(discussions.__file__).parent / "tests" / "fixtures" / "test-ecec.fi.json"
    template = (
        LogbookTemplate.objects.first()
        or discussions.logbook_import(data=json.loads(fixture.read_text()))[0]
    )
    d = discussions.discussion_offer(
        actor=world.worker,
        child=world.child,
        unit=world.unit,
        template=template,
        offered_on=date(2026, 9, 1),
    )
    discussions.discussion_accept(actor=world.worker, discussion=d, responded_on=date(2026, 9, 2))
    discussions.session_add(actor=world.worker, discussion=d, held_on=date(2026, 9, 4))
    d.refresh_from_db()
    discussions.discussion_close(
        actor=world.worker,
        discussion=d,
        expected_version=d.version,
        outcome=Outcome.NO_FURTHER_ACTION,
        agreed_summary="",
        keep_working_notes=False,
        closed_on=date(2026, 9, 4),
    )
    d.refresh_from_db()
    return d


def _invitations():
    return OutboxMessage.objects.filter(kind="feedback.invitation").order_by("to")


def test_closing_a_discussion_emails_each_guardian_in_their_language(
    world, family, closed_discussion
):
    mother, grandfather = family
    sent = list(_invitations())
    assert [m.to for m in sent] == ["aiti@example.fi", "pappa@example.fi"]
    assert [m.language for m in sent] == ["fi", "sv"]
    assert "Kiitos LP-keskustelusta" in sent[0].body_text  # Finnish
    assert "anonyma" in sent[1].body_text and "Kiitos" not in sent[1].body_text  # Swedish
    assert FeedbackLink.objects.filter(context_kind="discussion").count() == 2
    assert {link.language for link in FeedbackLink.objects.all()} == {"fi", "sv"}


def test_the_feedback_is_sent_once(world, family, closed_discussion):
    again = feedback_invite_guardians(
        actor=world.worker,
        child=world.child,
        unit=world.unit,
        context_kind="discussion",
        source=closed_discussion,
        on=date(2026, 9, 4),
    )
    assert again == 0
    assert _invitations().count() == 2
    assert FeedbackLink.objects.count() == 2


def test_holding_a_network_meeting_sends_feedback_once(world, family):
    from arki.accounts.models import QualificationKind
    from arki.core.tests.factories import QualificationFactory
    from arki.meetings import services as meetings

    QualificationFactory(user=world.worker, kind=QualificationKind.NETWORK_MEETING)
    meeting = meetings.meeting_plan(actor=world.worker, child=world.child, reason="Arki")
    # A meeting without a set time is held at the time the chair gives.
    meetings.meeting_hold(
        actor=world.worker, meeting=meeting, held_at=timezone.now() - timedelta(hours=1)
    )
    meetings.participation_record(actor=world.worker, meeting=meeting, took_part=[])
    assert [m.language for m in _invitations()] == ["fi", "sv"]
    assert FeedbackLink.objects.filter(context_kind="meeting").count() == 2


def test_the_guardian_sees_the_link_on_the_portal_page_and_it_opens(
    world, family, closed_discussion
):
    mother, grandfather = family
    client = open_portal(issue(world, guardian=grandfather).token, client=Client())
    page = client.get(f"/portal/children/{world.child.pk}/")
    html = page.content.decode()
    invitation = FeedbackInvitation.objects.get(guardian=grandfather)
    assert f"/feedback/{invitation.token}/" in html
    assert "Ge respons om FBT-samtalet" in html  # the portal in the guardian's language
    # The same link as in the email, and it opens the questions.
    email = _invitations().get(to="pappa@example.fi")
    assert f"/feedback/{invitation.token}/" in email.body_text
    assert Client().get(f"/feedback/{invitation.token}/").status_code == 200
    # The mother's link is not on the grandfather's page.
    mine = FeedbackInvitation.objects.get(guardian=mother)
    assert mine.token not in html


def test_the_link_stays_anonymous(world, family, closed_discussion):
    """The link has no field pointing to the family; the invitation does not store the
    token, so a copy of the database does not give the link."""
    invitation = FeedbackInvitation.objects.get(guardian=family[0])
    link = FeedbackLink.objects.get(token_hash=hash_token(invitation.token))
    link_values = " ".join(str(getattr(link, f.attname)) for f in link._meta.fields)
    for value in (family[0].pk, world.child.pk, closed_discussion.pk, "aiti@example.fi"):
        assert str(value) not in link_values
    stored = " ".join(str(getattr(invitation, f.attname)) for f in invitation._meta.fields)
    assert invitation.token not in stored
    assert not any(f.name.startswith("link") for f in FeedbackInvitation._meta.fields)
