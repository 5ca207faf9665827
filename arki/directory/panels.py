"""The consultations section on the child's page."""

from __future__ import annotations

from typing import Any

from arki.accounts.access import has_permission

from . import selectors


def child_consultations_panel(request: Any, access: Any) -> dict[str, Any] | None:
    """Shown to the child's casework workers; consent-based network members do not see it."""
    if not access.is_full_case or not has_permission(request.user, "directory.consultation:send"):
        return None
    return {"consultations": selectors.about_child(access.child), "child": access.child}


def home_waiting_requests_panel(request: Any) -> dict[str, Any] | None:
    """On the home page: consultation requests to the user or their unit still unanswered."""
    if not has_permission(request.user, "directory.consultation:answer"):
        return None
    waiting = selectors.waiting_count(request.user, getattr(request, "membership", None))
    return {"waiting": waiting} if waiting else None
