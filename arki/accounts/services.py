"""Writes on a staff member's own account (the second factor, the password), single sign-on
(who signs in, the memberships the tenant's group mappings grant) and the group mappings.

Each one is a transaction that writes its own audit event (codes registered in
``AccountsConfig.ready``). The request-level steps (marking the session verified, keeping the
session after a password change) stay in the views.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import match_token
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from arki.audit import services as audit
from arki.core.exceptions import DomainError
from arki.organisations.models import Tenant, Unit

from .models import ExternalIdentity, GroupMapping, Membership, User
from .sso import ProviderConfig, SSOError, groups_of, mfa_asserted


class WrongCodeError(DomainError):
    default_message = _("The code is not right or has expired.")


class TOTPAlreadyConfirmedError(DomainError):
    default_message = _("An authenticator app is already in use for this account.")


def _record(actor: User, code: str, **detail: object) -> None:
    audit.record(actor, code, obj=actor, basis="own account", detail=dict(detail))


@transaction.atomic
def totp_device_start(*, actor: User) -> TOTPDevice:
    """The unconfirmed authenticator pairing the setup page shows (its key in the QR code);
    started once and shown again until confirmed."""
    if TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        raise TOTPAlreadyConfirmedError()
    device, created = TOTPDevice.objects.get_or_create(
        user=actor, confirmed=False, defaults={"name": "default"}
    )
    if created:
        _record(actor, "accounts.totp.started", device=device.pk)
    return device


def totp_device_confirm(*, actor: User, device: TOTPDevice, code: str) -> TOTPDevice:
    """Confirm the pairing with a code from the app: from now on the account's second factor.
    A wrong code raises ``WrongCodeError`` and changes nothing but django-otp's throttling,
    which is saved outside the transaction (a rolled-back failure would not slow guessing)."""
    if device.user_id != actor.pk or device.confirmed:
        raise WrongCodeError()
    if not device.verify_token(code):
        raise WrongCodeError(
            _("The code is not right. Check the time on your phone and try again.")
        )
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        _record(actor, "accounts.totp.confirmed", device=device.pk)
    return device


def second_factor_verify(*, actor: User, code: str) -> Device:
    """Check a code against the account's confirmed devices; the device that matched (the view
    marks the session verified with it). Throttling is saved as in ``totp_device_confirm``."""
    device = match_token(actor, code)
    if device is None:
        raise WrongCodeError()
    with transaction.atomic():
        _record(actor, "accounts.second_factor.verified", device=device.pk)
    return device


@transaction.atomic
def password_change(*, actor: User, new_password: str) -> User:
    """Set the actor's own new password (the form has checked the old one). The validators
    run here too; every other session of the account ends, since Django ties a session to the
    password's hash (the view keeps the current one)."""

    try:
        validate_password(new_password, user=actor)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages)) from exc
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    _record(actor, "accounts.password.changed")
    return actor


# --- Single sign-on -------------------------------------------------------------------------


@dataclass
class SSOLogin:
    user: User
    mfa: bool
    new_user: bool
    granted: list[Membership] = field(default_factory=list)
    ended: list[Membership] = field(default_factory=list)


def _new_sso_user(claims: dict[str, Any]) -> User:
    """The staff account of a first-time single sign-on: no password, no membership."""
    email = str(claims.get("email") or "").strip()
    if not email:
        raise SSOError(
            "no email claim",
            _("The identity service did not send your email address. Contact your administrator."),
        )
    if User.objects.filter(email__iexact=email).exists():
        # Never joined to an existing account by the address alone: an administrator links it.
        raise SSOError(
            "email already used by an account not linked to this identity",
            _(
                "An Arki account with your email address already exists. Ask your administrator "
                "to link it to your organisation's sign-in."
            ),
        )
    username = email if not User.objects.filter(username=email).exists() else ""
    user = User(
        username=username or f"sso-{secrets.token_hex(6)}",
        email=email,
        first_name=str(claims.get("given_name") or "")[:150],
        last_name=str(claims.get("family_name") or "")[:150],
    )
    user.set_unusable_password()
    user.save()
    return user


def _apply_group_mappings(
    user: User, tenant: Tenant, groups: set[str], request: HttpRequest | None
) -> tuple[list[Membership], list[Membership]]:
    """Grant the memberships the tenant's mappings give for ``groups``; end those a mapping
    granted whose group the provider no longer reports. A membership an administrator ended
    stays ended."""
    mappings = list(GroupMapping.objects.filter(tenant=tenant))
    existing = list(
        Membership.objects.filter(user=user, tenant=tenant).select_related("granted_by")
    )
    granted: list[Membership] = []
    for mapping in mappings:
        if mapping.group not in groups:
            continue
        same = [m for m in existing if m.role == mapping.role and m.unit_id == mapping.unit_id]
        if any(m.is_active for m in same):
            continue
        ended_by_mapping = [m for m in same if m.granted_by_id is not None]
        if same and not ended_by_mapping:
            continue  # ended by an administrator
        if ended_by_mapping:
            membership = ended_by_mapping[0]
            membership.is_active = True
            membership.granted_by = mapping
            membership.save(update_fields=["is_active", "granted_by", "updated_at"])
        else:
            membership = Membership.objects.create(
                user=user, tenant=tenant, unit=mapping.unit, role=mapping.role, granted_by=mapping
            )
            existing.append(membership)
        granted.append(membership)
        audit.record(
            None,
            "accounts.membership.granted_by_mapping",
            obj=membership,
            basis="group mapping",
            tenant_id=tenant.pk,
            request=request,
            detail={
                "actor_label": "single sign-on",
                "user": user.get_username(),
                "group": mapping.group,
                "role": mapping.role,
                "unit": str(mapping.unit_id or ""),
            },
        )
    ended: list[Membership] = []
    for membership in existing:
        mapping_of = membership.granted_by
        if not membership.is_active or mapping_of is None or mapping_of.group in groups:
            continue
        membership.is_active = False
        membership.save(update_fields=["is_active", "updated_at"])
        ended.append(membership)
        audit.record(
            None,
            "accounts.membership.ended_by_mapping",
            obj=membership,
            basis="group mapping",
            tenant_id=tenant.pk,
            request=request,
            detail={
                "actor_label": "single sign-on",
                "user": user.get_username(),
                "group": mapping_of.group,
                "role": membership.role,
            },
        )
    return granted, ended


def sso_login(
    *,
    tenant: Tenant,
    config: ProviderConfig,
    claims: dict[str, Any],
    request: HttpRequest | None = None,
) -> SSOLogin:
    """The staff user the provider's checked claims name: found by issuer and subject (stored
    at the first sign-on, when the account is made without any membership), memberships
    granted or ended by the tenant's group mappings, and whether the provider asserted
    multi-factor authentication. Raises ``SSOError`` (nothing saved) for a closed account."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise SSOError("no subject claim")
    with transaction.atomic():
        identity = (
            ExternalIdentity.objects.select_related("user")
            .filter(issuer=config.issuer, subject=subject)
            .first()
        )
        new_user = identity is None
        if identity is None:
            identity = ExternalIdentity(
                user=_new_sso_user(claims), tenant=tenant, issuer=config.issuer, subject=subject
            )
        user = identity.user
        if not user.is_active:
            raise SSOError(
                "account closed in Arki",
                _("Your Arki account is closed. Contact your administrator."),
            )
        identity.last_login_at = timezone.now()
        identity.save()
        granted, ended = _apply_group_mappings(user, tenant, groups_of(claims, config), request)
        mfa = mfa_asserted(claims, config)
        audit.record(
            user,
            "accounts.sso.login",
            obj=user,
            basis="own account",
            tenant_id=tenant.pk,
            request=request,
            detail={"issuer": config.issuer, "mfa": mfa, "new_user": new_user},
        )
    return SSOLogin(user=user, mfa=mfa, new_user=new_user, granted=granted, ended=ended)


def sso_login_failed(
    *, tenant: Tenant, reason: str, request: HttpRequest | None = None, subject: str = ""
) -> None:
    """Record a refused single sign-on (its own transaction: the refusal rolled back)."""
    with transaction.atomic():
        audit.record(
            None,
            "accounts.sso.failed",
            basis="single sign-on",
            tenant_id=tenant.pk,
            request=request,
            detail={"actor_label": "single sign-on", "reason": reason[:300], "subject": subject},
        )


class GroupMappingExistsError(DomainError):
    default_message = _("This group already gives this role in this unit.")


@transaction.atomic
def group_mapping_create(
    *, actor: User, tenant: Tenant, group: str, role: str, unit: Unit | None
) -> GroupMapping:
    """A tenant administrator maps a group at the identity provider to a role."""
    if unit is not None and unit.tenant_id != tenant.pk:
        raise DomainError(_("Choose a unit of your own organisation."))
    group = group.strip()
    if GroupMapping.objects.filter(tenant=tenant, group=group, role=role, unit=unit).exists():
        raise GroupMappingExistsError()
    mapping = GroupMapping.objects.create(tenant=tenant, group=group, role=role, unit=unit)
    audit.record(
        actor,
        "accounts.group_mapping.created",
        obj=mapping,
        basis="administration",
        tenant_id=tenant.pk,
        detail={"group": group, "role": role, "unit": str(unit.pk) if unit else ""},
    )
    return mapping


@transaction.atomic
def group_mapping_delete(*, actor: User, mapping: GroupMapping) -> int:
    """Remove a mapping; the memberships it granted end with it. Returns how many ended."""
    ended = 0
    for membership in Membership.objects.filter(granted_by=mapping, is_active=True):
        membership.is_active = False
        membership.save(update_fields=["is_active", "updated_at"])
        ended += 1
    audit.record(
        actor,
        "accounts.group_mapping.deleted",
        obj=mapping,
        basis="administration",
        tenant_id=mapping.tenant_id,
        detail={
            "group": mapping.group,
            "role": mapping.role,
            "unit": str(mapping.unit_id or ""),
            "memberships_ended": ended,
        },
    )
    mapping.delete()
    return ended
