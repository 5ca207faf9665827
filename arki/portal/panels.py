"""The family portal section on the worker's child page."""

from __future__ import annotations

from typing import Any

from arki.accounts.access import has_permission
from arki.audit import services as audit

from . import selectors


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
