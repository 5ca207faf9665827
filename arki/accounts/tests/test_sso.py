"""Staff single sign-on against a real OpenID provider started locally (oidc-provider)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from arki.accounts.models import ExternalIdentity, GroupMapping, Membership, Role, User
from arki.accounts.sso import MFA_SESSION_KEY
from arki.audit.models import AuditEvent
from arki.core.tests.factories import MembershipFactory, TenantFactory, UnitFactory, UserFactory

from .oidc import CLIENT_ID, CLIENT_SECRET, local_path, provider_login, start_provider

SLUG = "sso-county"
ACCOUNTS = {
    "aino": {
        "password": "aino-pass",
        "sub": "sub-aino-1",
        "email": "aino.virtanen@county.example",
        "given_name": "Aino",
        "family_name": "Virtanen",
        "groups": ["lt-workers"],
        "otp": "424242",
    },
    "ville": {
        "password": "ville-pass",
        "sub": "sub-ville-2",
        "email": "ville@county.example",
        "given_name": "Ville",
        "family_name": "Koski",
        "groups": [],
    },
    "gone": {
        "password": "gone-pass",
        "sub": "sub-gone-3",
        "email": "gone@county.example",
        "disabled": True,
    },
}


@pytest.fixture(scope="module")
def provider():
    started = start_provider(ACCOUNTS, [SLUG])
    yield started
    started.process.terminate()
    started.process.wait(timeout=10)


def _config(issuer: str, **extra) -> dict:
    return {
        SLUG: {
            "issuer": issuer,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "scopes": "openid email profile groups",
            "groups_claim": "groups",
            "mfa_amr": "mfa,otp,hwk",
            "mfa_acr": "",
            "acr_values": "",
            "password_login": True,
            **extra,
        }
    }


@pytest.fixture
def sso(provider, db, settings):
    settings.ARKI_OIDC = _config(provider.issuer)
    settings.ARKI_REQUIRE_2FA = True
    tenant = TenantFactory(slug=SLUG, name="Testin hyvinvointialue")
    return tenant


def _sign_in(client, username, password, otp="", session=None):
    start = client.post(f"/accounts/sso/{SLUG}/start/", {"next": "/"})
    assert start.status_code == 302, start.content
    back = provider_login(start["Location"], username, password, otp, session=session)
    return client.get(local_path(back))


def test_first_sign_in_makes_an_account_without_membership_matched_by_subject(sso, client):
    response = _sign_in(client, "ville", "ville-pass")
    assert response.status_code == 302
    identity = ExternalIdentity.objects.get(subject="sub-ville-2")
    assert identity.user.email == "ville@county.example"
    assert not identity.user.has_usable_password()
    assert not Membership.objects.filter(user=identity.user).exists()
    assert AuditEvent.objects.filter(action="accounts.sso.login", actor=identity.user).exists()
    # Signed in, but without an MFA claim the local second factor is asked.
    assert client.session.get(MFA_SESSION_KEY) is None
    assert client.get("/")["Location"].startswith("/accounts/2fa/setup/")
    # The next sign-in finds the same user by issuer and subject, even with a new address.
    identity.user.email = "changed@county.example"
    identity.user.save()
    client.logout()
    _sign_in(client, "ville", "ville-pass")
    assert User.objects.filter(external_identities__subject="sub-ville-2").count() == 1
    assert int(client.session["_auth_user_id"] != "") and str(
        client.session["_auth_user_id"]
    ) == str(identity.user.pk)


def test_group_mapping_grants_a_membership_and_mfa_claim_skips_the_local_factor(sso, client):
    unit = UnitFactory(area__tenant=sso)
    mapping = GroupMapping.objects.create(
        tenant=sso, group="lt-workers", role=Role.WORKER, unit=unit
    )
    response = _sign_in(client, "aino", "aino-pass", otp="424242")
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(external_identities__subject="sub-aino-1")
    membership = Membership.objects.get(user=user)
    assert membership.unit_id == unit.pk
    assert (membership.role, membership.granted_by) == ("worker", mapping)
    assert AuditEvent.objects.filter(
        action="accounts.membership.granted_by_mapping", object_id=membership.pk
    ).exists()
    assert client.session[MFA_SESSION_KEY] is True
    assert client.get("/").status_code == 200  # no local code asked


def test_sign_in_without_mfa_asks_the_local_second_factor(sso, client):
    _sign_in(client, "aino", "aino-pass")
    assert client.session.get(MFA_SESSION_KEY) is None
    assert client.get("/").status_code == 302


def test_account_closed_in_arki_is_refused_and_logged(sso, client):
    user = UserFactory(email="ville-old@county.example", is_active=False)
    ExternalIdentity.objects.create(
        user=user, tenant=sso, issuer=sso_issuer(), subject="sub-ville-2"
    )
    response = _sign_in(client, "ville", "ville-pass")
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="accounts.sso.failed").exists()


def sso_issuer():
    from django.conf import settings

    return settings.ARKI_OIDC[SLUG]["issuer"]


def test_account_disabled_at_the_provider_is_refused(sso, client):
    response = _sign_in(client, "gone", "gone-pass")
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action="accounts.sso.failed")
    assert "access_denied" in event.detail["reason"]


@pytest.mark.parametrize("mode", ["signature", "audience", "issuer"])
def test_tampered_id_token_is_rejected(sso, client, provider, mode):
    provider.tamper_next_token(mode)
    response = _sign_in(client, "ville", "ville-pass")
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert not ExternalIdentity.objects.exists()
    assert AuditEvent.objects.filter(action="accounts.sso.failed").exists()


def test_untampered_sign_in_after_tampering_works(sso, client, provider):
    provider.tamper_next_token("signature")
    assert _sign_in(client, "ville", "ville-pass").status_code == 403
    assert _sign_in(client, "ville", "ville-pass").status_code == 302


def test_logout_ends_the_session_and_sends_to_the_providers_logout(sso, client, provider):
    browser = requests.Session()
    _sign_in(client, "ville", "ville-pass", session=browser)
    response = client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session
    target = urlsplit(response["Location"])
    assert response["Location"].startswith(provider.issuer)
    query = parse_qs(target.query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/accounts/login/"]
    assert query["id_token_hint"]
    page = browser.get(response["Location"], timeout=10)
    assert page.status_code == 200  # the provider's own sign-out confirmation


def test_password_login_off_offers_only_sso_and_refuses_passwords(provider, db, settings, client):
    settings.ARKI_OIDC = _config(provider.issuer, password_login=False)
    tenant = TenantFactory(slug=SLUG)
    member = MembershipFactory(unit=UnitFactory(area__tenant=tenant))
    page = client.get("/accounts/login/")
    assert b'name="password"' not in page.content
    assert f"/accounts/sso/{SLUG}/start/".encode() in page.content
    response = client.post(
        "/accounts/login/", {"username": member.user.username, "password": "correct horse battery"}
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert "identity service" in response.content.decode() or response.context["form"].errors


def test_password_refused_for_member_of_sso_only_tenant_when_others_use_passwords(
    provider, db, settings, client
):
    settings.ARKI_OIDC = _config(provider.issuer, password_login=False)
    tenant = TenantFactory(slug=SLUG)
    TenantFactory(slug="password-county")
    member = MembershipFactory(unit=UnitFactory(area__tenant=tenant))
    response = client.post(
        "/accounts/login/", {"username": member.user.username, "password": "correct horse battery"}
    )
    assert "_auth_user_id" not in client.session
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == [
        "password_login_off"
    ]
    other = MembershipFactory(unit=UnitFactory())
    client.post(
        "/accounts/login/", {"username": other.user.username, "password": "correct horse battery"}
    )
    assert "_auth_user_id" in client.session
