"""Refresher reminders: worker and manager, once per due date, in the recipient's language."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from arki.training.models import RefresherReminder
from arki.training.reminders import send_refresher_reminders

pytestmark = pytest.mark.django_db

TODAY = date(2027, 4, 15)


def outbox_rows():
    from arki.notifications.models import OutboxMessage  # type: ignore[attr-defined]

    return OutboxMessage.objects.filter(kind="training.refresher_reminder")


def test_due_worker_and_manager_are_reminded_once(world):
    # world.worker qualified 2025-05-01 → refresher due 2027-05-01, within 60 days of TODAY.
    world.colleague.qualifications.update(completed_on=date(2026, 1, 1))  # not due yet
    world.manager.qualifications.update(completed_on=date(2026, 1, 1))
    world.other_area_worker.qualifications.update(completed_on=date(2026, 1, 1))
    first = send_refresher_reminders(tenant=world.tenant, today=TODAY)
    assert first == 2
    reminders = RefresherReminder.objects.filter(user=world.worker, due_on=date(2027, 5, 1))
    assert {r.recipient for r in reminders} == {world.worker, world.manager}
    assert send_refresher_reminders(tenant=world.tenant, today=TODAY) == 0
    assert RefresherReminder.objects.count() == 2
    rows = list(outbox_rows())
    assert len(rows) == 2
    assert {r.to for r in rows} == {world.worker.email, world.manager.email}


def test_reminder_is_in_the_recipients_language(world):
    world.worker.preferred_language = "sv"
    world.worker.save()
    world.manager.qualifications.update(completed_on=date(2026, 1, 1))
    send_refresher_reminders(tenant=world.tenant, today=TODAY)
    message = outbox_rows().get(to=world.worker.email)
    assert "1.5.2027" in message.body_text
    assert "repetitionsutbildning" in message.subject.lower()


def test_command_is_idempotent(world, capsys):
    today = timezone.localdate()
    world.worker.qualifications.update(completed_on=today.replace(year=today.year - 2))
    call_command("send_refresher_reminders")
    assert capsys.readouterr().out.strip() == "2 refresher reminders queued"
    call_command("send_refresher_reminders")
    call_command("send_refresher_reminders")
    out = capsys.readouterr().out
    assert out.strip().splitlines()[-1] == "0 refresher reminders queued"
