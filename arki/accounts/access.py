"""Access helpers: the only way views, PDFs and exports fetch a child's records.

An outsider (no active relationship with the child in the same tenant) gets 404, never 403, so
that the existence of a record is not revealed. A user with a relationship whose role lacks the
permission gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest

from .models import Membership
from .roles import permissions_for


def current_membership(user: Any) -> Membership | None:
    return getattr(user, "current_membership", None)


def has_permission(user: Any, perm: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    membership = current_membership(user)
    return membership is not None and perm in permissions_for(membership.role)


def require_permission(request: HttpRequest, perm: str) -> Membership:
    """403 unless the current membership's role grants ``perm``."""
    if not has_permission(request.user, perm):
        raise PermissionDenied
    membership = current_membership(request.user)
    assert membership is not None
    return membership


# Relationship kinds that come from casework and see the whole case. Any other kind (a
# professional invited to the network with the family's consent) sees only what a registered
# scope checker allows.
FULL_CASE_KINDS = frozenset(
    {"responsible", "discussion_lead", "discussion_participant", "network_chair"}
)

# Functions (user, child, scope) -> bool, registered by the app that records consent
# (arki.meetings). A scope is a string such as "action_plan" or "meeting_report".
SCOPE_CHECKERS: list[Callable[[Any, Any, str], bool]] = []


def register_scope_checker(checker: Callable[[Any, Any, str], bool]) -> None:
    if checker not in SCOPE_CHECKERS:
        SCOPE_CHECKERS.append(checker)


@dataclass(frozen=True)
class ChildAccess:
    child: Any
    relationship: Any

    @property
    def basis(self) -> str:
        return f"relationship:{self.relationship.kind}"

    @property
    def is_full_case(self) -> bool:
        return self.relationship.kind in FULL_CASE_KINDS

    def allows(self, user: Any, scope: str) -> bool:
        """Casework relationships see everything; consent-based ones only consented scopes."""
        if self.is_full_case:
            return True
        return any(checker(user, self.child, scope) for checker in SCOPE_CHECKERS)

    def require(self, user: Any, scope: str) -> None:
        """404 (not 403) when consent does not cover ``scope``: nothing is revealed."""
        if not self.allows(user, scope):
            raise Http404


def get_child_for(request: HttpRequest, pk: Any, perm: str) -> ChildAccess:
    """The child ``pk`` if the user has an active relationship with it and the role grants
    ``perm``; 404 for outsiders, 403 for a relationship without the right."""
    from arki.people.models import Child, ChildRelationship

    memberships = getattr(request, "arki_memberships", None)  # CurrentMembershipMiddleware
    if memberships is None or not request.user.is_authenticated:
        try:
            child = Child.objects.visible_to(request.user).get(pk=pk)  # type: ignore[arg-type]
        except (Child.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
            raise Http404 from exc
        relationships = list(
            ChildRelationship.objects.active().filter(child=child, user=request.user)  # type: ignore[misc]
        )
    else:
        # One query: the user's active relationships with the child, the child joined, in the
        # tenants of the user's active memberships (the same rule as Child.visible_to).
        try:
            relationships = list(
                ChildRelationship.objects.active()
                .filter(
                    child_id=pk,
                    user_id=request.user.pk,
                    child__tenant_id__in={m.tenant_id for m in memberships},
                )
                .select_related("child")
            )
        except (ValueError, TypeError, ValidationError) as exc:
            raise Http404 from exc
        if not relationships:
            raise Http404
        child = relationships[0].child
        for r in relationships:
            r.child = child
    # Prefer a casework relationship over a consent-based one.
    relationships.sort(key=lambda r: (r.kind not in FULL_CASE_KINDS, r.started_at))
    relationship = relationships[0] if relationships else None
    if relationship is None:
        raise Http404
    if not has_permission(request.user, perm):
        raise PermissionDenied
    access = ChildAccess(child=child, relationship=relationship)
    if perm.endswith(":write") and not access.is_full_case:
        # Consent lets a network member see some things; it never lets them change the case.
        raise Http404
    return access
