"""Roles grant namespaced permission strings. This file is the one place that says who may what.

A permission answers "may this role do this kind of thing"; whether the user may do it to a
particular child is decided by the relationship (see ``arki.people.access``).
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
        "meetings.meeting:view",
        "meetings.meeting:write",
        "meetings.report:send",
        "portal.link:manage",
        "audit.child_log:view",
        "directory.directory:view",
        "directory.consultation:send",
        "directory.consultation:answer",
        "training.enrolment:self",
        "methods.catalogue:view",
        "observations.observation:write",
    }
)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.WORKER: CASEWORK,
    Role.UNIT_MANAGER: CASEWORK
    | {
        "people.child:assign",
        "organisations.unit:staff",
        "training.enrolment:manage",
        "calendars.slot:publish",
    },
    Role.COORDINATOR: frozenset(
        {
            "audit.event:search",
            "audit.subject_access:answer",
            "operations.retention:manage",
            "indicators.dashboard:view",
            "indicators.data:manage",
            # Row-level dates (one row per discussion, no names): for the coordinator who keeps
            # the register, not for leadership, which sees aggregates only.
            "discussions.dates:export",
            "training.registry:manage",
            "training.enrolment:manage",
            "feedback.questions:manage",
            "feedback.results:view",
            "directory.directory:view",
            "directory.directory:manage",
            "notifications.outbox:view",
            "calendars.slot:publish",
            "organisations.unit:staff",
            "methods.catalogue:view",
            "methods.catalogue:edit",
            "methods.evaluation:review",
            "observations.observation:write",
            "observations.structure:manage",
            "observations.leadership:view",
        }
    ),
    Role.LEADERSHIP: frozenset(
        {
            "indicators.dashboard:view",
            "directory.directory:view",
            "methods.catalogue:view",
            "observations.observation:write",
            "observations.leadership:view",
        }
    ),
    Role.ADMIN: frozenset(
        {
            "audit.event:search",
            "accounts.group_mapping:manage",
            "organisations.tenant:manage",
            "organisations.unit:staff",
            "directory.directory:view",
            "directory.directory:manage",
            "notifications.outbox:view",
            "training.registry:manage",
            "feedback.questions:manage",
            "feedback.results:view",
            "indicators.data:manage",
            "methods.catalogue:view",
            "methods.catalogue:edit",
            "observations.structure:manage",
        }
    ),
}


def permissions_for(role: str) -> frozenset[str]:
    return ROLE_PERMISSIONS.get(role, frozenset())
