"""Secrets in outgoing emails (sign-in links, one-time codes) leave the stored row once the
message has been delivered, in the same update that marks it sent — never before."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from arki.notifications import services
from arki.notifications.models import OutboxMessage, OutboxStatus

from .conftest import mailers_for

pytestmark = pytest.mark.django_db

TOKEN = "Zk3-q_9aLmP0xYwRtT7vB2nC"
CODE = "418207"


def _enqueue(**kwargs) -> OutboxMessage:
    defaults = {
        "to": "aino.vanhempi@example.fi",
        "subject": "Linkki perheen sivulle",
        "body_text": f"Avaa: https://arki.example/portal/open/{TOKEN}/\nKoodi: {CODE}\n",
        "body_html": f'<p><a href="https://arki.example/portal/open/{TOKEN}/?a=1&amp;b=2">Avaa</a>'
        f"</p><p>{CODE}</p>",
        "kind": "portal.link",
        "secrets": [TOKEN, CODE],
    }
    return services.enqueue_email(**{**defaults, **kwargs})


def _stored(message: OutboxMessage) -> str:
    message.refresh_from_db()
    return "\n".join([message.subject, message.body_text, message.body_html])


def test_the_recipient_gets_the_secret_and_the_stored_row_does_not_keep_it(smtp_server):
    message = _enqueue()
    assert TOKEN in _stored(message) and message.secrets_to_redact == [TOKEN, CODE]
    assert services.deliver_pending()["sent"] == 1
    [received] = smtp_server.messages
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    assert f"/portal/open/{TOKEN}/" in text and CODE in text
    assert f"/portal/open/{TOKEN}/" in html and CODE in html
    stored = _stored(message)
    assert TOKEN not in stored and CODE not in stored
    assert message.body_text == (
        f"Avaa: https://arki.example/portal/open/{services.REDACTED}/\nKoodi: {services.REDACTED}\n"
    )
    assert services.REDACTED in message.body_html
    assert message.status == OutboxStatus.SENT
    assert message.secrets_to_redact == [] and message.redacted_at == message.sent_at


def test_a_retry_after_a_failed_attempt_still_sends_the_real_secret(
    settings, closed_port, smtp_server
):
    settings.MAILERS = mailers_for(closed_port)
    message = _enqueue()
    start = timezone.now()
    assert services.deliver_pending(now=start)["retry"] == 1
    assert TOKEN in _stored(message) and message.redacted_at is None
    # The server refuses with 451 the next time: still not redacted.
    settings.MAILERS = mailers_for(smtp_server.port)
    smtp_server.recorder.refuse = True
    assert services.deliver_pending(now=message.next_attempt_at)["retry"] == 1
    assert CODE in _stored(message) and message.secrets_to_redact == [TOKEN, CODE]
    smtp_server.recorder.refuse = False
    assert services.deliver_pending(now=message.next_attempt_at)["sent"] == 1
    [received] = smtp_server.messages
    assert f"/portal/open/{TOKEN}/" in received.get_body(("plain",)).get_content()
    stored = _stored(message)
    assert TOKEN not in stored and CODE not in stored and message.attempts == 3


def test_a_message_given_up_on_loses_its_secrets_too(settings, closed_port):
    settings.MAILERS = mailers_for(closed_port)
    message = _enqueue()
    now = timezone.now()
    for _ in range(services.OUTBOX_MAX_ATTEMPTS - 1):
        services.deliver_pending(now=now)
        now += timedelta(days=1)
        assert TOKEN in _stored(message)
    services.deliver_pending(now=now)
    stored = _stored(message)
    assert message.status == OutboxStatus.FAILED
    assert TOKEN not in stored and CODE not in stored and message.redacted_at is not None


def test_a_worker_killed_after_the_claim_resends_the_real_secret(smtp_server, monkeypatch):
    message = _enqueue()

    def killed(*args, **kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", killed)
    with pytest.raises(SystemExit):
        services.deliver_pending()
    monkeypatch.undo()
    assert TOKEN in _stored(message)
    later = timezone.now() + services.OUTBOX_STUCK_AFTER + timedelta(seconds=1)
    assert services.deliver_pending(now=later)["sent"] == 1
    assert TOKEN in smtp_server.messages[0].get_body(("plain",)).get_content()
    assert TOKEN not in _stored(message)


def test_messages_without_secrets_are_stored_as_they_were_sent(smtp_server):
    message = _enqueue(
        body_text="Tervetuloa neuvonpitoon.", body_html="<p>Tervetuloa</p>", secrets=()
    )
    services.deliver_pending()
    message.refresh_from_db()
    assert message.body_text == "Tervetuloa neuvonpitoon."
    assert message.body_html == "<p>Tervetuloa</p>" and message.redacted_at is None


def test_an_html_escaped_secret_is_redacted_in_the_html_body(smtp_server):
    secret = "a<b&c>d-secret"
    message = _enqueue(
        body_text=f"Koodi {secret}",
        body_html="<p>Koodi a&lt;b&amp;c&gt;d-secret</p>",
        secrets=[secret],
    )
    services.deliver_pending()
    message.refresh_from_db()
    assert message.body_text == f"Koodi {services.REDACTED}"
    assert message.body_html == f"<p>Koodi {services.REDACTED}</p>"


@pytest.mark.parametrize(
    "secrets",
    [["12345"], ["not-in-the-message"], ["", TOKEN], "a-single-string-not-a-list"],
)
def test_a_secret_that_cannot_be_redacted_is_refused_and_nothing_is_written(secrets):
    with pytest.raises(ValueError):
        _enqueue(secrets=secrets)
    assert not OutboxMessage.objects.exists()


def test_a_secret_only_in_a_text_attachment_is_accepted_and_redacted(smtp_server):
    """An .ics may carry a link the bodies do not (iCalendar folds long lines: the folded
    secret is found whole); a binary attachment is not searched."""
    url = f"https://arki.example/meetings/answer/{TOKEN[:10]}\r\n {TOKEN[10:]}/"
    folded = f"DESCRIPTION:Vastaa: {url}"
    ics = f"BEGIN:VCALENDAR\r\n{folded}\r\nEND:VCALENDAR\r\n".encode()
    plain = {"body_text": "Kutsu liitteenä.", "body_html": ""}
    with pytest.raises(ValueError):
        _enqueue(**plain, secrets=[TOKEN], attachments=[("a.pdf", ics, "application/pdf")])
    message = _enqueue(**plain, secrets=[TOKEN], attachments=[("i.ics", ics, "text/calendar")])
    assert message.secrets_to_redact == [TOKEN]
    assert services.deliver_pending()["sent"] == 1
    message.refresh_from_db()
    stored = services._attachment_text(message.attachments[0]) or ""
    assert TOKEN not in stored and services.REDACTED in stored
