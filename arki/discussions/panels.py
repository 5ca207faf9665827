"""The discussions' sections on the child's page and on the worker's home page."""

from __future__ import annotations

from typing import Any

from arki.accounts.models import QualificationKind

from . import selectors


def child_panel(request: Any, access: Any) -> dict[str, Any] | None:
    if not access.is_full_case:
        return None
    return {
        "discussions": list(selectors.discussions_for_child(access.child)),
        "can_offer": request.user.has_qualification(QualificationKind.DISCUSSION),
    }


def home_panel(request: Any) -> dict[str, Any] | None:
    discussions = selectors.my_open_discussions(request.user)
    if not discussions and not request.user.has_qualification(QualificationKind.DISCUSSION):
        return None
    return {"discussions": discussions}
