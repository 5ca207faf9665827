from __future__ import annotations

from typing import Any

from arki.accounts.models import QualificationKind

from . import selectors


def child_panel(request: Any, access: Any) -> dict[str, Any] | None:
    if not access.is_full_case:
        return None
    return {
        "meetings": list(selectors.meetings_for_child(access.child)),
        "can_plan": request.user.has_qualification(QualificationKind.NETWORK_MEETING),
    }


def scope_checker(user: Any, child: Any, scope: str) -> bool:
    return selectors.has_consent(user, child, scope)
