from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def require_2fa(settings):
    settings.ARKI_REQUIRE_2FA = True


@pytest.mark.django_db
def test_staff_without_second_factor_cannot_reach_client_data(world, require_2fa):
    client = world.client_for(world.worker)
    response = client.get(f"/children/{world.child.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/setup/")


@pytest.mark.django_db
def test_setup_then_verify_with_a_totp_code(world, require_2fa):
    client = world.client_for(world.worker)
    page = client.get("/accounts/2fa/setup/")
    assert page.status_code == 200 and b"<svg" in page.content
    device = TOTPDevice.objects.get(user=world.worker)
    assert client.post("/accounts/2fa/setup/", {"code": "000000"}).status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    device.throttling_failure_count = 0  # the failed try above throttles the next one
    device.save()
    response = client.post(
        "/accounts/2fa/setup/", {"code": code_for(device), "next": f"/children/{world.child.pk}/"}
    )
    assert response.status_code == 302
    assert client.get(f"/children/{world.child.pk}/").status_code == 200

    # A new session must verify again, with the paired device.
    other = world.client_for(world.worker)
    response = other.get("/")
    assert response["Location"].startswith("/accounts/2fa/verify/")
    assert other.post("/accounts/2fa/verify/", {"code": "12"}).status_code == 200
    device.refresh_from_db()
    device.last_t = -1
    device.throttling_failure_count = 0
    device.save()
    assert other.post("/accounts/2fa/verify/", {"code": code_for(device)}).status_code == 302
    assert other.get("/").status_code == 200


@pytest.mark.django_db
def test_next_cannot_point_elsewhere(world, require_2fa):
    client = world.client_for(world.worker)
    client.get("/accounts/2fa/setup/")
    device = TOTPDevice.objects.get(user=world.worker)
    response = client.post(
        "/accounts/2fa/setup/", {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
