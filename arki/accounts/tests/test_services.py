"""The account's own writes go through services and each writes its audit event."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from arki.accounts import services
from arki.accounts.tests.test_two_factor import code_for
from arki.audit.models import AuditEvent
from arki.audit.registry import label_for
from arki.core.exceptions import DomainError

NEW_PASSWORD = "vaihdettu-salasana-2026"  # noqa: S105


def _events(user, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(actor=user, action=action))


@pytest.mark.django_db
def test_pairing_an_authenticator_app_writes_audit_events(world):
    client = world.client_for(world.worker)
    assert client.get("/accounts/2fa/setup/").status_code == 200
    client.get("/accounts/2fa/setup/")  # shown again: the same pairing, one event
    (started,) = _events(world.worker, "accounts.totp.started")
    assert started.object_id == world.worker.pk
    device = TOTPDevice.objects.get(user=world.worker)
    wrong = client.post("/accounts/2fa/setup/", {"code": "000000"})
    assert wrong.status_code == 200 and wrong.context["form"].errors["code"]
    device.refresh_from_db()
    assert not device.confirmed and not _events(world.worker, "accounts.totp.confirmed")
    # The failed try counts for django-otp's throttling even though the service refused it.
    assert device.throttling_failure_count == 1
    device.throttling_failure_count = 0
    device.save()
    assert client.post("/accounts/2fa/setup/", {"code": code_for(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    (confirmed,) = _events(world.worker, "accounts.totp.confirmed")
    assert confirmed.detail == {"device": device.pk} and confirmed.basis == "own account"
    assert confirmed.unit_id == world.unit.pk


@pytest.mark.django_db
def test_verifying_the_second_factor_writes_an_audit_event(world):
    device = TOTPDevice.objects.create(user=world.worker, name="default", confirmed=True)
    client = world.client_for(world.worker)
    assert client.post("/accounts/2fa/verify/", {"code": "000000"}).status_code == 200
    assert not _events(world.worker, "accounts.second_factor.verified")
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    assert client.post("/accounts/2fa/verify/", {"code": code_for(device)}).status_code == 302
    assert len(_events(world.worker, "accounts.second_factor.verified")) == 1


@pytest.mark.django_db
def test_a_wrong_old_password_changes_nothing_and_shows_the_error_under_its_field(world):
    client = world.client_for(world.worker)
    response = client.post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    world.worker.refresh_from_db()
    assert world.worker.check_password("correct horse battery")
    assert not _events(world.worker, "accounts.password.changed")


@pytest.mark.django_db
def test_changing_the_password_is_audited_and_ends_the_other_sessions(world):
    client = world.client_for(world.worker)
    other = world.client_for(world.worker)
    assert other.get("/").status_code == 200
    assert client.get("/accounts/password/").status_code == 200
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "correct horse battery",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    world.worker.refresh_from_db()
    assert world.worker.check_password(NEW_PASSWORD)
    (event,) = _events(world.worker, "accounts.password.changed")
    assert NEW_PASSWORD not in str(event.detail)
    assert client.get("/").status_code == 200  # this session stays
    assert other.get("/").status_code == 302  # the other one ended


@pytest.mark.django_db
def test_the_service_refuses_a_weak_password(world):
    with pytest.raises(DomainError):
        services.password_change(actor=world.worker, new_password="12345")
    world.worker.refresh_from_db()
    assert world.worker.check_password("correct horse battery")
    assert not _events(world.worker, "accounts.password.changed")


def test_the_account_events_have_labels():
    for code in (
        "accounts.totp.started",
        "accounts.totp.confirmed",
        "accounts.second_factor.verified",
        "accounts.password.changed",
    ):
        assert label_for(code) != code
