"""Role checks: what the membership a user acts in allows (``roles.py``).

Fetching a child's records goes through ``arki.people.access.get_child_for``, which uses
``has_permission`` from here after the relationship check.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .models import Membership, User
from .roles import permissions_for


def staff_user(request: HttpRequest) -> User:
    """The signed-in staff user of the request (staff pages require a login: 403 otherwise)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def current_membership(user: User | AnonymousUser) -> Membership | None:
    """The membership the user acts in for this request (``CurrentMembershipMiddleware``)."""
    return getattr(user, "current_membership", None)


def has_permission(user: User | AnonymousUser, perm: str) -> bool:
    if not user.is_authenticated:
        return False
    membership = current_membership(user)
    return membership is not None and perm in permissions_for(membership.role)


def require_permission(request: HttpRequest, perm: str) -> Membership:
    """403 unless the current membership's role grants ``perm``."""
    membership = current_membership(request.user)
    if membership is None or not has_permission(request.user, perm):
        raise PermissionDenied
    return membership
