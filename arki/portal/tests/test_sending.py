"""The worker sends a portal link through the outbox (SECURITY.md 21, 23)."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from arki.audit.models import AuditEvent
from arki.core.tests.test_i18n import compiled_messages  # noqa: F401  (a fixture)
from arki.notifications.models import OutboxMessage
from arki.notifications.tests.conftest import closed_port, smtp_server  # noqa: F401  (fixtures)
from arki.portal import services as portal_services
from arki.portal.models import PortalLink, PortalSession

pytestmark = pytest.mark.django_db


def send(world, **data):
    client = world.client_for(world.worker)
    return client.post(f"/portal/staff/children/{world.child.pk}/links/new/", data)


def token_in(body: str) -> str:
    match = re.search(r"/portal/open/([A-Za-z0-9_-]+)/", body)
    assert match, body
    return match.group(1)


def test_worker_sends_a_link_and_the_guardian_opens_it(world):
    response = send(world, recipient=str(world.guardian.pk), code_delivery="none")
    assert response.status_code == 200
    message = OutboxMessage.objects.get()
    assert message.to == world.guardian.email and message.kind == "portal.link"
    link = PortalLink.objects.get()
    token = token_in(message.body_text)
    assert hashlib.sha256(token.encode()).hexdigest() == link.token_hash
    # The email does not name the child.
    assert world.child.first_name not in message.body_text
    assert world.child.last_name not in message.subject + message.body_text
    event = AuditEvent.objects.get(action="portal.link.created")
    assert event.actor == world.worker and event.recipient == world.guardian.email
    client = Client()
    client.get(f"/portal/open/{token}/")
    client.post(f"/portal/open/{token}/")
    assert client.get(f"/portal/children/{world.child.pk}/").status_code == 200


def test_email_is_in_the_guardians_language(world, compiled_messages):  # noqa: F811
    world.guardian.preferred_language = "sv"
    world.guardian.save()
    send(world, recipient=str(world.guardian.pk), code_delivery="none")
    message = OutboxMessage.objects.get()
    assert message.language == "sv"
    assert message.subject == "En länk till familjeportalen"
    assert "Länken fungerar en gång" in message.body_text


def test_code_by_email_goes_in_a_separate_message(world):
    send(world, recipient=str(world.guardian.pk), code_delivery="email")
    link_mail = OutboxMessage.objects.get(kind="portal.link")
    code_mail = OutboxMessage.objects.get(kind="portal.code")
    code = re.search(r"\b(\d{6})\b", code_mail.body_text).group(1)  # type: ignore[union-attr]
    assert code not in link_mail.body_text
    assert "/portal/open/" not in code_mail.body_text
    token = token_in(link_mail.body_text)
    client = Client()
    client.post(f"/portal/open/{token}/", {"code": code})
    assert PortalSession.objects.count() == 1


def test_code_for_the_worker_is_shown_once_and_never_emailed(world):
    response = send(world, recipient=str(world.guardian.pk), code_delivery="worker")
    html = response.content.decode()
    code = re.search(r'<p class="portal-code">(\d{6})</p>', html).group(1)  # type: ignore[union-attr]
    assert OutboxMessage.objects.count() == 1
    assert code not in OutboxMessage.objects.get().body_text
    link = PortalLink.objects.get()
    assert code not in link.code_hash
    # The panel on the child page does not show it again.
    page = world.client_for(world.worker).get(f"/children/{world.child.pk}/").content.decode()
    assert code not in page


def test_child_link_needs_the_age_and_an_email(world, settings):
    settings.ARKI_PORTAL_CHILD_MIN_AGE = 12
    world.child.birth_date = timezone.localdate() - timedelta(days=365 * 13)
    world.child.save()
    response = send(world, recipient="child", code_delivery="none")
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert not PortalLink.objects.exists() and not OutboxMessage.objects.exists()
    send(world, recipient="child", child_email="eetu@example.fi", code_delivery="none")
    link = PortalLink.objects.get()
    assert link.guardian is None and link.email == "eetu@example.fi"
    assert OutboxMessage.objects.get().to == "eetu@example.fi"


def test_bad_input_is_a_form_error_and_nothing_is_sent(world):
    for data in (
        {"recipient": "not-a-guardian", "code_delivery": "none"},
        {"recipient": str(world.guardian.pk), "code_delivery": "carrier-pigeon"},
        {},
    ):
        response = send(world, **data)
        assert response.status_code == 200
    assert not PortalLink.objects.exists() and not OutboxMessage.objects.exists()


def test_guardian_without_email_gets_a_clear_error(world):
    world.guardian.email = ""
    world.guardian.save()
    response = send(world, recipient=str(world.guardian.pk), code_delivery="none")
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert not PortalLink.objects.exists()


def test_link_and_email_are_all_or_nothing(world, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("outbox down")

    monkeypatch.setattr(portal_services, "enqueue_email", broken)
    client = world.client_for(world.worker)
    client.raise_request_exception = False
    response = client.post(
        f"/portal/staff/children/{world.child.pk}/links/new/",
        {"recipient": str(world.guardian.pk), "code_delivery": "none"},
    )
    assert response.status_code == 500
    assert not PortalLink.objects.exists()
    assert not AuditEvent.objects.filter(action="portal.link.created").exists()


def test_colleague_cannot_send(world):
    client = world.client_for(world.colleague)
    response = client.post(
        f"/portal/staff/children/{world.child.pk}/links/new/",
        {"recipient": str(world.guardian.pk), "code_delivery": "none"},
    )
    assert response.status_code == 404
    assert not OutboxMessage.objects.exists()


def _received_text(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_sent_link_and_code_are_redacted_from_the_outbox_but_work_for_the_guardian(
    world,
    smtp_server,  # noqa: F811
):
    from arki.notifications.services import REDACTED, deliver_pending

    send(world, recipient=str(world.guardian.pk), code_delivery="email")
    link_mail = OutboxMessage.objects.get(kind="portal.link")
    code_mail = OutboxMessage.objects.get(kind="portal.code")
    token = token_in(link_mail.body_text)
    code = re.search(r"\b(\d{6})\b", code_mail.body_text).group(1)  # type: ignore[union-attr]
    assert deliver_pending()["sent"] == 2
    received = {m["Subject"]: _received_text(m) for m in smtp_server.messages}
    assert token_in(received[link_mail.subject]) == token
    assert code in received[code_mail.subject]
    for message in (link_mail, code_mail):
        message.refresh_from_db()
        stored = message.subject + message.body_text + message.body_html
        assert token not in stored and code not in stored
        assert REDACTED in message.body_text and message.redacted_at is not None
    assert f"/portal/open/{REDACTED}/" in link_mail.body_text
    # The link from the email the guardian received still opens the portal.
    client = Client()
    client.get(f"/portal/open/{token}/")
    client.post(f"/portal/open/{token}/", {"code": code})
    assert client.get(f"/portal/children/{world.child.pk}/").status_code == 200
    # No staff page shows the secrets of sent messages: the outbox page and the admin.
    from arki.core.tests.factories import UserFactory

    admin_user = UserFactory(is_staff=True, is_superuser=True)
    pages = [
        world.client_for(world.coordinator).get("/outbox/"),
        world.client_for(admin_user).get("/admin/notifications/outboxmessage/"),
        world.client_for(admin_user).get(
            f"/admin/notifications/outboxmessage/{link_mail.pk}/change/"
        ),
        world.client_for(admin_user).get(
            f"/admin/notifications/outboxmessage/{code_mail.pk}/change/"
        ),
    ]
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        assert token not in html and code not in html


def test_a_link_whose_first_attempt_failed_is_sent_for_real_later(
    world,
    settings,
    closed_port,  # noqa: F811
    smtp_server,  # noqa: F811
):
    from arki.notifications.services import deliver_pending
    from arki.notifications.tests.conftest import mailers_for

    settings.MAILERS = mailers_for(closed_port)
    send(world, recipient=str(world.guardian.pk), code_delivery="none")
    message = OutboxMessage.objects.get()
    token = token_in(message.body_text)
    assert deliver_pending()["retry"] == 1
    message.refresh_from_db()
    assert token_in(message.body_text) == token  # not redacted before a successful send
    settings.MAILERS = mailers_for(smtp_server.port)
    assert deliver_pending(now=message.next_attempt_at)["sent"] == 1
    [received] = smtp_server.messages
    assert token_in(_received_text(received)) == token
    message.refresh_from_db()
    assert token not in message.body_text
    client = Client()
    client.post(f"/portal/open/{token}/")
    assert client.get(f"/portal/children/{world.child.pk}/").status_code == 200
