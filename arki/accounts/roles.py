"""Roles grant namespaced permission strings. This file is the one place that says who may what.

A permission answers "may this role do this kind of thing"; whether the user may do it to a
particular child is decided by the relationship (see ``arki.accounts.access``).
"""

from __future__ import annotations

from .models import Role

CASEWORK = frozenset(
    {
        "people.child:view",
        "people.child:write",
        "people.child:create",
        "discussions.discussion:view",
        "discussions.discussion:write",
        "discussions.discussion:print",
        "audit.child_log:view",
    }
)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.WORKER: CASEWORK,
    Role.UNIT_MANAGER: CASEWORK | {"people.child:assign", "organisations.unit:staff"},
    Role.COORDINATOR: frozenset(
        {
            "audit.event:search",
            "indicators.dashboard:view",
            "training.registry:manage",
            "organisations.unit:staff",
        }
    ),
    Role.LEADERSHIP: frozenset({"indicators.dashboard:view"}),
    Role.ADMIN: frozenset(
        {"audit.event:search", "organisations.tenant:manage", "organisations.unit:staff"}
    ),
}


def permissions_for(role: str) -> frozenset[str]:
    return ROLE_PERMISSIONS.get(role, frozenset())
