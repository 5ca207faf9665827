"""The worker's home page reminds them when their refresher training is due."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from arki.accounts.access import has_permission

from . import selectors


def refresher_panel(request: Any) -> dict[str, Any] | None:
    membership = getattr(request, "membership", None)
    if membership is None or not has_permission(request.user, "training.enrolment:self"):
        return None
    if not request.user.valid_qualifications():
        return None  # not qualified: no refresher falls due (the state would be "none")
    state = selectors.refresher_state(request.user, membership.tenant_id, timezone.localdate())
    if state.status not in ("due", "due_soon"):
        return None
    return {"state": state}
