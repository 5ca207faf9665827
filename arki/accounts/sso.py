"""Staff single sign-on with OpenID Connect (decision 0020).

Each tenant named in ``ARKI_OIDC_TENANTS`` signs its staff in through its own identity provider
(Entra ID, AD FS, Keycloak…). The protocol is Authlib's: discovery, the authorization code flow
with PKCE, state and nonce kept in the session, and the ID token checked (signature against the
provider's published keys, issuer, audience, expiry, nonce). What Arki does with the claims
(who the user is, which roles a group gives, whether the provider did multi-factor
authentication) is in ``services.sso_login``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from joserfc.errors import JoseError

from arki.core.exceptions import DomainError
from arki.organisations.models import Tenant

from .models import ExternalIdentity, Membership, User

# The session keeps what logout needs (the tenant and the ID token as the logout hint).
SESSION_KEY = "arki_sso"
# Set in the session when the identity provider asserted multi-factor authentication: the
# local second factor is then not asked (``SecondFactorMiddleware``).
MFA_SESSION_KEY = "arki_sso_mfa"


class SSOError(DomainError):
    """The sign-in through the identity provider failed; ``reason`` goes to the audit log."""

    default_message = _(
        "Signing in through your organisation's identity service did not succeed. Try again; "
        "if it keeps failing, contact your administrator."
    )

    def __init__(self, reason: str, message: Any = None) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class ProviderConfig:
    slug: str
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    groups_claim: str
    mfa_amr: frozenset[str]
    mfa_acr: frozenset[str]
    acr_values: str
    password_login: bool


def _split(value: object) -> frozenset[str]:
    return frozenset(item.strip() for item in str(value).split(",") if item.strip())


def provider_config(slug: str) -> ProviderConfig | None:
    """The tenant's single sign-on settings, or None when it has none."""
    raw = settings.ARKI_OIDC.get(slug)
    if raw is None:
        return None
    return ProviderConfig(
        slug=slug,
        issuer=str(raw["issuer"]),
        client_id=str(raw["client_id"]),
        client_secret=str(raw["client_secret"]),
        scopes=str(raw["scopes"]),
        groups_claim=str(raw["groups_claim"]),
        mfa_amr=_split(raw["mfa_amr"]),
        mfa_acr=_split(raw["mfa_acr"]),
        acr_values=str(raw["acr_values"]),
        password_login=bool(raw["password_login"]),
    )


def sso_tenants() -> list[tuple[Tenant, ProviderConfig]]:
    """The tenants that have single sign-on, with their settings (the login page's buttons)."""
    tenants = Tenant.objects.filter(slug__in=list(settings.ARKI_OIDC)).order_by("name")
    return [(tenant, config) for tenant in tenants if (config := provider_config(tenant.slug))]


def password_off_slugs() -> set[str]:
    return {slug for slug in settings.ARKI_OIDC if not settings.ARKI_OIDC[slug]["password_login"]}


def password_form_offered() -> bool:
    """The login page shows the password form unless every tenant has turned passwords off."""
    off = password_off_slugs()
    if not off:
        return True
    return Tenant.objects.exclude(slug__in=off).exists() or not Tenant.objects.exists()


def password_login_allowed(user: User) -> bool:
    """False for a member (or a single sign-on identity) of a tenant that turned passwords off."""
    off = password_off_slugs()
    if not off:
        return True
    member = Membership.objects.active().filter(user_id=user.pk, tenant__slug__in=off).exists()
    linked = ExternalIdentity.objects.filter(user_id=user.pk, tenant__slug__in=off).exists()
    return not (member or linked)


@functools.lru_cache(maxsize=32)
def _client(config: ProviderConfig, timeout: int) -> DjangoOAuth2App:
    """Authlib's client for one provider. Kept per settings: the discovery document and the
    keys are read once (the keys again when a token names a key not seen yet)."""
    registry = OAuth()
    client = registry.register(
        name=f"arki-{config.slug}",
        client_id=config.client_id,
        client_secret=config.client_secret or None,
        server_metadata_url=f"{config.issuer}/.well-known/openid-configuration",
        client_kwargs={
            "scope": config.scopes,
            "code_challenge_method": "S256",
            "default_timeout": timeout,
        },
    )
    assert isinstance(client, DjangoOAuth2App)
    return client


def client_for(config: ProviderConfig) -> DjangoOAuth2App:
    return _client(config, settings.ARKI_OIDC_TIMEOUT)


PROTOCOL_ERRORS = (AuthlibBaseError, JoseError, requests.RequestException, ValueError, KeyError)


def _metadata(config: ProviderConfig) -> dict[str, Any]:
    client = client_for(config)
    try:
        metadata: dict[str, Any] = client.load_server_metadata()
    except PROTOCOL_ERRORS as exc:
        raise SSOError(f"discovery failed: {type(exc).__name__}") from exc
    if metadata.get("issuer", "").rstrip("/") != config.issuer:
        # The document must name the issuer it was fetched for (mix-up protection).
        raise SSOError("discovery names another issuer")
    return metadata


def authorization_redirect(
    request: HttpRequest, config: ProviderConfig, redirect_uri: str
) -> HttpResponse:
    """Send the browser to the provider; state, nonce and the PKCE verifier stay in the
    session for the callback."""
    _metadata(config)
    extra: dict[str, str] = {}
    if config.acr_values:
        extra["acr_values"] = config.acr_values
    language = getattr(request, "LANGUAGE_CODE", "")
    if language:
        extra["ui_locales"] = language
    try:
        response: HttpResponse = client_for(config).authorize_redirect(
            request, redirect_uri, **extra
        )
    except PROTOCOL_ERRORS as exc:
        raise SSOError(f"authorization request failed: {type(exc).__name__}") from exc
    return response


def callback_claims(request: HttpRequest, config: ProviderConfig) -> tuple[dict[str, Any], str]:
    """Exchange the callback's code for tokens and return the checked ID token's claims (with
    the user info endpoint's claims added) and the raw ID token. Raises ``SSOError`` with the
    reason on any failure: an error from the provider, a wrong state, a token whose signature,
    issuer, audience, expiry or nonce is not right."""
    metadata = _metadata(config)
    client = client_for(config)
    if request.GET.get("error"):
        raise SSOError(
            f"provider error: {request.GET.get('error', '')[:80]}",
            _(
                "The identity service did not sign you in. Contact your administrator if you "
                "should have access."
            ),
        )
    if not request.GET.get("state") or not request.GET.get("code"):
        raise SSOError("callback without code or state")
    try:
        token = client.authorize_access_token(request)
    except PROTOCOL_ERRORS as exc:
        raise SSOError(f"token rejected: {type(exc).__name__}: {str(exc)[:120]}") from exc
    id_claims = token.get("userinfo")
    if not id_claims or not token.get("id_token"):
        raise SSOError("no ID token in the token response")
    claims = dict(id_claims)
    if metadata.get("userinfo_endpoint") and token.get("access_token"):
        try:
            extra = dict(client.userinfo(token=token))
        except PROTOCOL_ERRORS as exc:
            raise SSOError(f"user info failed: {type(exc).__name__}") from exc
        if extra.get("sub") != claims.get("sub"):
            raise SSOError("user info is about another subject")
        # The ID token's claims win (amr, acr, iss, aud come from the checked token only).
        claims = {**extra, **claims}
    return claims, str(token["id_token"])


def mfa_asserted(claims: dict[str, Any], config: ProviderConfig) -> bool:
    """True when the provider says the user passed multi-factor authentication: one of the
    configured ``amr`` values, or an ``acr`` the tenant counts as multi-factor."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if any(str(value) in config.mfa_amr for value in amr):
        return True
    return bool(config.mfa_acr) and str(claims.get("acr", "")) in config.mfa_acr


def groups_of(claims: dict[str, Any], config: ProviderConfig) -> set[str]:
    groups = claims.get(config.groups_claim) or []
    if isinstance(groups, str):
        groups = [groups]
    return {str(group) for group in groups if str(group)}


def end_session_url(config: ProviderConfig, id_token: str, post_logout_redirect_uri: str) -> str:
    """The provider's logout address (RP-initiated logout), or "" when it publishes none."""
    try:
        metadata = client_for(config).load_server_metadata()
    except PROTOCOL_ERRORS:
        return ""
    if not metadata.get("end_session_endpoint"):
        return ""
    result = client_for(config).create_logout_url(
        post_logout_redirect_uri=post_logout_redirect_uri,
        id_token_hint=id_token,
        client_id=config.client_id,
    )
    return str(result["url"])
