"""Helpers the demo's seeding modules share: its staff acting as a request would, and local
times."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from arki.accounts.models import User


def staff_if_any(username: str) -> User | None:
    """The demo account ``username`` acting in its first membership, as the services expect of
    a request's user; None when the demo has no such account."""
    user = User.objects.filter(username=username).first()
    if user is not None:
        user.current_membership = user.memberships.select_related("unit").first()  # type: ignore[attr-defined]
    return user


def staff(username: str) -> User:
    """:func:`staff_if_any`, for an account the demo cannot do without."""
    user = staff_if_any(username)
    if user is None:
        raise User.DoesNotExist(f"The demo has no account {username!r}.")
    return user


def at(day: date, clock: time) -> datetime:
    """``clock`` on ``day`` in the local time zone."""
    return timezone.make_aware(datetime.combine(day, clock))
