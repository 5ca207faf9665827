"""The feedback invitation goes through the outbox in the family's language; the address is
kept nowhere in the feedback tables."""

from __future__ import annotations

from datetime import date

import pytest

from arki.feedback import services
from arki.feedback.models import FeedbackLink

pytestmark = pytest.mark.django_db


def test_invitation_email_in_the_chosen_language_and_address_not_stored(world):
    from arki.notifications.models import OutboxMessage

    services.feedback_seed_defaults()
    token = services.feedback_link_create(
        context_kind="discussion",
        unit=world.unit,
        period=date(2026, 3, 1),
        language="sv",
        recipient_email="foralder@example.fi",
    )
    message = OutboxMessage.objects.get(kind="feedback.invitation")
    assert message.to == "foralder@example.fi"
    assert message.language == "sv"
    assert f"/feedback/{token}/" in message.body_text
    assert "anonyma" in message.body_text
    link = FeedbackLink.objects.get()
    assert "foralder" not in " ".join(str(getattr(link, f.attname)) for f in link._meta.fields)


def test_no_email_without_an_address(world):
    from arki.notifications.models import OutboxMessage

    services.feedback_link_create(context_kind="meeting", unit=world.unit, period=date(2026, 3, 1))
    assert not OutboxMessage.objects.filter(kind="feedback.invitation").exists()
