from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from arki.notifications import services
from arki.notifications.models import OutboxMessage, OutboxStatus

from .conftest import mailers_for

pytestmark = pytest.mark.django_db


def _enqueue(**kwargs) -> OutboxMessage:
    defaults = {
        "to": "sari.sosiaalityo@example.fi",
        "subject": "Kutsu neuvonpitoon",
        "body_text": "Tervetuloa neuvonpitoon.",
        "kind": "meetings.invitation",
    }
    return services.enqueue_email(**{**defaults, **kwargs})


def test_enqueue_in_a_rolled_back_transaction_leaves_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _enqueue()
        raise RuntimeError("the caller's save failed")
    assert OutboxMessage.objects.count() == 0
    assert callbacks == []


def test_enqueue_requests_delivery_only_after_commit(django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = _enqueue()
    assert DBTaskResult.objects.count() == 0
    for callback in callbacks:
        callback()
    task = DBTaskResult.objects.get()
    assert task.task_path == "arki.notifications.services.deliver_outbox"
    assert message.message_id.startswith("<") and message.status == OutboxStatus.PENDING


def test_worker_delivers_to_a_real_smtp_server_with_attachment(smtp_server):
    message = _enqueue(
        body_html="<p>Tervetuloa</p>",
        attachments=[("kutsu.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")],
    )
    counts = services.deliver_pending()
    assert counts == {"sent": 1, "retry": 0, "failed": 0}
    [received] = smtp_server.messages
    assert received["To"] == "sari.sosiaalityo@example.fi"
    assert received["Subject"] == "Kutsu neuvonpitoon"
    assert received["Message-ID"] == message.message_id
    [attachment] = list(received.iter_attachments())
    assert attachment.get_filename() == "kutsu.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert b"BEGIN:VCALENDAR" in attachment.get_payload(decode=True)
    assert "Tervetuloa neuvonpitoon." in received.get_body(("plain",)).get_content()
    assert "<p>Tervetuloa</p>" in received.get_body(("html",)).get_content()
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and message.sent_at is not None


def test_running_the_worker_twice_sends_once(smtp_server):
    _enqueue()
    services.deliver_pending()
    services.deliver_pending()
    call_command("run_outbox", "--once")
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db(transaction=True)
def test_db_worker_runs_the_delivery_task(smtp_server):
    # Real commits: the on-commit hook enqueues the task, ``db_worker`` runs it.
    with transaction.atomic():
        message = _enqueue()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert [m["Message-ID"] for m in smtp_server.messages] == [message.message_id]
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert len(smtp_server.messages) == 1


def test_message_committed_but_worker_never_ran_is_sent_by_the_next_run(smtp_server):
    # No on-commit callback ran: the task was never enqueued (crash right after commit).
    message = _enqueue()
    assert smtp_server.messages == []
    call_command("run_outbox", "--once")
    assert [m["Message-ID"] for m in smtp_server.messages] == [message.message_id]


def test_worker_killed_after_claim_loses_nothing_and_sends_once(smtp_server, monkeypatch):
    message = _enqueue()

    def killed(*args, **kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", killed)
    with pytest.raises(SystemExit):
        services.deliver_pending()
    monkeypatch.undo()
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENDING
    # Another worker soon after: the claim is still fresh, nothing is sent twice.
    assert services.deliver_pending()["sent"] == 0
    later = timezone.now() + services.OUTBOX_STUCK_AFTER + timedelta(seconds=1)
    assert services.deliver_pending(now=later)["sent"] == 1
    assert services.deliver_pending(now=later + timedelta(hours=1))["sent"] == 0
    assert [m["Message-ID"] for m in smtp_server.messages] == [message.message_id]


def test_smtp_failure_is_retried_with_backoff_then_succeeds(settings, closed_port, smtp_server):
    settings.MAILERS = mailers_for(closed_port)
    message = _enqueue()
    start = timezone.now()
    assert services.deliver_pending(now=start)["retry"] == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert "Connection refused" in message.last_error or "111" in message.last_error
    first_retry = message.next_attempt_at
    assert timedelta(seconds=50) < first_retry - start < timedelta(minutes=2)
    # Not yet due: nothing happens.
    assert services.deliver_pending(now=start)["retry"] == 0
    # The server answers 451 the second time: the wait doubles.
    settings.MAILERS = mailers_for(smtp_server.port)
    smtp_server.recorder.refuse = True
    assert services.deliver_pending(now=first_retry)["retry"] == 1
    message.refresh_from_db()
    assert message.attempts == 2
    assert "451" in message.last_error
    assert message.next_attempt_at - timezone.now() > timedelta(seconds=110)
    smtp_server.recorder.refuse = False
    assert services.deliver_pending(now=message.next_attempt_at)["sent"] == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and message.last_error == ""
    assert len(smtp_server.messages) == 1


def test_gives_up_after_max_attempts(settings, closed_port):
    settings.MAILERS = mailers_for(closed_port)
    message = _enqueue()
    now = timezone.now()
    for _ in range(services.OUTBOX_MAX_ATTEMPTS):
        services.deliver_pending(now=now)
        now += timedelta(days=1)
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == services.OUTBOX_MAX_ATTEMPTS
    assert services.deliver_pending(now=now + timedelta(days=1)) == {
        "sent": 0,
        "retry": 0,
        "failed": 0,
    }


def test_backoff_doubles():
    assert [services.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]


def test_duplicate_dedupe_key_returns_the_first_message(smtp_server):
    first = _enqueue(dedupe_key="meetings.invitation:123")
    second = _enqueue(dedupe_key="meetings.invitation:123", subject="Toinen")
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    services.deliver_pending()
    assert len(smtp_server.messages) == 1


def test_scheduled_email_waits_and_can_be_cancelled(world, smtp_server):
    later = timezone.now() + timedelta(days=2)
    reminder = services.schedule_email(
        to="aino@example.fi",
        subject="Muistutus",
        body_text="Neuvonpito huomenna.",
        send_after=later,
        kind="meetings.reminder",
        related_object=world.child,
    )
    other = services.schedule_email(
        to="aino@example.fi",
        subject="Seuranta",
        body_text="Seurantapäivä.",
        send_after=later,
        kind="meetings.follow_up",
        related_object=world.child,
    )
    assert services.deliver_pending()["sent"] == 0
    assert services.cancel_scheduled(related_object=world.child, kind="meetings.reminder") == 1
    assert not OutboxMessage.objects.filter(pk=reminder.pk).exists()
    assert services.deliver_pending(now=later)["sent"] == 1
    assert [m["Subject"] for m in smtp_server.messages] == ["Seuranta"]
    other.refresh_from_db()
    # Sent messages are history: cancelling does not remove them.
    assert services.cancel_scheduled(related_object=world.child) == 0


def test_outbox_page_shows_status_without_bodies(world):
    _enqueue(tenant_id=world.tenant.pk, body_text="Eetun asiat")
    response = world.client_for(world.coordinator).get("/outbox/")
    assert response.status_code == 200
    assert "sari.sosiaalityo@example.fi" in response.content.decode()
    assert "Eetun asiat" not in response.content.decode()
    assert "Kutsu neuvonpitoon" not in response.content.decode()


def test_outbox_page_is_for_coordinators_and_admins_only(world):
    assert world.client_for(world.worker).get("/outbox/").status_code == 403


def test_outbox_page_shows_only_own_tenant(world):
    _enqueue(tenant_id=world.tenant.pk)
    response = world.client_for(world.coordinator).get("/outbox/?status=bogus")
    assert "sari.sosiaalityo@example.fi" in response.content.decode()
    _enqueue(tenant_id=None, to="other@example.dk", dedupe_key="x")
    response = world.client_for(world.coordinator).get("/outbox/")
    assert "other@example.dk" not in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_send_each_message_once(smtp_server):
    """Two workers at the same time (PostgreSQL: SKIP LOCKED claims; SQLite: one writer)."""
    if connection.vendor == "sqlite":
        # The in-memory test database's shared cache has table locks, not busy timeouts;
        # a real SQLite file serialises the claims with BEGIN IMMEDIATE.
        pytest.skip("runs on PostgreSQL (make test-pg)")
    messages = [_enqueue(to=f"vastaanottaja{n}@example.fi") for n in range(12)]
    errors: list[BaseException] = []

    def work() -> None:
        try:
            while any(services.deliver_pending(limit=3).values()):
                pass
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert errors == []
    received = sorted(m["Message-ID"] for m in smtp_server.messages)
    assert received == sorted(m.message_id for m in messages)
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 12
