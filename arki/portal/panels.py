"""The family portal section on the worker's child page."""

from __future__ import annotations

from typing import Any

from arki.accounts.access import has_permission
from arki.audit import services as audit

from . import selectors
from .services import target_is_open


def child_panel(request: Any, access: Any) -> dict[str, Any] | None:
    """Links and sessions of the family, for a casework relationship with the permission."""
    if not access.is_full_case or not has_permission(request.user, "portal.link:manage"):
        return None
    context = selectors.panel_context(access.child)
    if context["preparations"]:
        # The family's answers are personal data: showing them is a read like any other.
        audit.record(
            request.user,
            "portal.preparation.viewed",
            subjects=[access.child, *[p.guardian for p in context["preparations"] if p.guardian]],
            obj=access.child,
            basis=access.basis,
            request=request,
        )
    return context


def home_panel(request: Any) -> dict[str, Any] | None:
    """New preparation answers from families, on the worker's home page (names and dates only;
    the answers are read on the child's page)."""
    if not has_permission(request.user, "portal.link:manage"):
        return None
    preparations = selectors.recent_preparations_for_worker(request.user)
    return {"preparations": preparations} if preparations else None


def meeting_preparation(request: Any, access: Any, meeting: Any) -> dict[str, Any] | None:
    """The family's preparation answers on a network meeting's page (the chair prepares with
    them), for a casework relationship with the portal permission; showing them is audited."""
    if not access.is_full_case or not has_permission(request.user, "portal.link:manage"):
        return None
    preparations = selectors.preparations_for_meeting(meeting)
    if preparations:
        audit.record(
            request.user,
            "portal.preparation.viewed",
            subjects=[access.child, *[p.guardian for p in preparations if p.guardian]],
            obj=meeting,
            basis=access.basis,
            request=request,
        )
    return {"preparations": preparations, "is_open": target_is_open(meeting=meeting)}
