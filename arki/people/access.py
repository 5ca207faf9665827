"""The access helper: the only way views, PDFs and exports fetch a child's records.

A child's id goes from the URL to the view, which calls ``get_child_for(request, pk, perm)``;
that reads the user's active relationships with the child among ``Child.objects.visible_to``
(``arki.people.models``, the one visibility rule), in one query. An outsider (no active
relationship with the child in the same tenant) gets 404, never 403, so that the existence of
a record is not revealed. A user with a relationship whose role lacks the permission gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest

from arki.accounts.access import has_permission
from arki.accounts.models import User

from .models import FULL_CASE_KINDS, Child, ChildRelationship

__all__ = [
    "FULL_CASE_KINDS",
    "ChildAccess",
    "get_child_for",
    "register_scope_checker",
]

# Functions (user, child, scope) -> bool, registered by the app that records consent
# (arki.meetings). A scope is a string such as "action_plan" or "meeting_report".
ScopeChecker = Callable[[User, Child, str], bool]
SCOPE_CHECKERS: list[ScopeChecker] = []


def register_scope_checker(checker: ScopeChecker) -> None:
    if checker not in SCOPE_CHECKERS:
        SCOPE_CHECKERS.append(checker)


@dataclass(frozen=True)
class ChildAccess:
    child: Child
    relationship: ChildRelationship

    @property
    def basis(self) -> str:
        return f"relationship:{self.relationship.kind}"

    @property
    def is_full_case(self) -> bool:
        return self.relationship.kind in FULL_CASE_KINDS

    def allows(self, user: User, scope: str) -> bool:
        """Casework relationships see everything; consent-based ones only consented scopes."""
        if self.is_full_case:
            return True
        return any(checker(user, self.child, scope) for checker in SCOPE_CHECKERS)

    def require(self, user: User, scope: str) -> None:
        """404 (not 403) when consent does not cover ``scope``: nothing is revealed."""
        if not self.allows(user, scope):
            raise Http404


def relationships_with(user: User, pk: Any) -> list[ChildRelationship]:
    """The user's active relationships with the child ``pk`` if the child is visible to the
    user (``Child.objects.visible_to``), each with its ``child``; a casework relationship
    first. One query."""
    visible = Child.objects.visible_to(user).filter(pk=pk)
    relationships = list(
        ChildRelationship.objects.active()
        .filter(user_id=user.pk, child__in=visible)
        .select_related("child")
    )
    relationships.sort(key=lambda r: (r.kind not in FULL_CASE_KINDS, r.started_at))
    return relationships


def get_child_for(request: HttpRequest, pk: Any, perm: str) -> ChildAccess:
    """The child ``pk`` if the user has an active relationship with it and the role grants
    ``perm``; 404 for outsiders, 403 for a relationship without the right."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise Http404
    try:
        relationships = relationships_with(user, pk)
    except (ValueError, TypeError, ValidationError) as exc:  # not a child's id at all
        raise Http404 from exc
    if not relationships:
        raise Http404
    if not has_permission(user, perm):
        raise PermissionDenied
    access = ChildAccess(child=relationships[0].child, relationship=relationships[0])
    if perm.endswith(":write") and not access.is_full_case:
        # Consent lets a network member see some things; it never lets them change the case.
        raise Http404
    return access
