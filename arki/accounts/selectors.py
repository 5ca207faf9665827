"""Reads of staff users and their memberships."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from arki.organisations.models import Tenant

from .models import GroupMapping, Membership, User


def active_membership_of(user: User, pk: Any) -> Membership | None:
    """The user's own active membership ``pk``, or None (someone else's, ended, or unknown)."""
    return Membership.objects.active().filter(user_id=user.pk, pk=pk).first()


def active_user_by_username_or_email(key: str) -> User | None:
    """The active staff user with this username, or this email address in any case."""
    return User.objects.filter(Q(username=key) | Q(email__iexact=key), is_active=True).first()


def has_active_membership(user: User) -> bool:
    return Membership.objects.active().filter(user_id=user.pk).exists()


def group_mappings_of(tenant: Tenant) -> QuerySet[GroupMapping]:
    """The tenant's group mappings with their units, by group."""
    return (
        GroupMapping.objects.filter(tenant=tenant).select_related("unit").order_by("group", "role")
    )
