"""Writes on a staff member's own account: the second factor and the password.

Each one is a transaction that writes its own audit event (codes registered in
``AccountsConfig.ready``). The request-level steps (marking the session verified, keeping the
session after a password change) stay in the views.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp import match_token
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from arki.audit import services as audit
from arki.core.exceptions import DomainError

from .models import User


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
