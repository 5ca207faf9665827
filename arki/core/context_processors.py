from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from arki.accounts.roles import permissions_for


def arki(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    return {
        "ARKI_LANGUAGES": settings.LANGUAGES,
        "membership": membership,
        "arki_perms": permissions_for(membership.role) if membership is not None else frozenset(),
    }
