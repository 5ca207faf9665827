"""What every page's layout needs: the membership the user acts in, its permissions, the
navigation and the membership switcher."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from arki.core.registry import nav_items_for

from .models import Membership
from .roles import permissions_for


def _memberships(request: HttpRequest) -> list[Membership]:
    listed = getattr(request, "arki_memberships", None)  # fetched by CurrentMembershipMiddleware
    if listed is not None:
        memberships: list[Membership] = listed
        return memberships
    return list(
        Membership.objects.active()
        .filter(user_id=request.user.pk)  # type: ignore[misc]
        .select_related("unit", "tenant")
        .order_by("created_at")
    )


def arki(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    perms = permissions_for(membership.role) if membership is not None else frozenset()
    return {
        "ARKI_LANGUAGES": settings.LANGUAGES,
        "membership": membership,
        "arki_perms": perms,
        "arki_nav": nav_items_for(perms) if membership is not None else [],
        "arki_memberships": _memberships(request) if membership is not None else [],
    }
