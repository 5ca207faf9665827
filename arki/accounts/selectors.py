"""Reads of staff users and their memberships."""

from __future__ import annotations

from typing import Any

from .models import Membership, User


def active_membership_of(user: User, pk: Any) -> Membership | None:
    """The user's own active membership ``pk``, or None (someone else's, ended, or unknown)."""
    return Membership.objects.active().filter(user_id=user.pk, pk=pk).first()
