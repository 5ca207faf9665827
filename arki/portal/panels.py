"""The family portal section on the worker's child page."""

from __future__ import annotations

from typing import Any

from arki.accounts.access import has_permission

from . import selectors


def child_panel(request: Any, access: Any) -> dict[str, Any] | None:
    """Links and sessions of the family, for a casework relationship with the permission."""
    if not access.is_full_case or not has_permission(request.user, "portal.link:manage"):
        return None
    return selectors.panel_context(access.child)
