"""Reads about children and families, always through ``visible_to``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Child


def my_children(user: Any) -> QuerySet[Child]:
    return Child.objects.visible_to(user).order_by("last_name", "first_name")


def unit_roster(unit: Any) -> list[dict[str, Any]]:
    """For a unit manager: the children enrolled in the unit and their responsible workers.

    Names only; no case content. Two queries whatever the unit's size.
    """
    from .models import ChildRelationship, RelationshipKind

    children = list(Child.objects.in_unit(unit).order_by("last_name", "first_name"))
    workers: dict[Any, list[str]] = {}
    for rel in (
        ChildRelationship.objects.active()
        .filter(child__in=children, kind=RelationshipKind.RESPONSIBLE)
        .select_related("user")
    ):
        workers.setdefault(rel.child_id, []).append(rel.user.get_full_name())
    return [{"child": c, "workers": workers.get(c.pk, [])} for c in children]


def guardians_of(child: Child):
    return child.guardians.order_by("last_name", "first_name")


def workers_of(child: Child) -> list[Any]:
    """The child's active relationships, one per worker and kind (a worker the family gave
    several consents to, or who leads two discussions, is listed once for it)."""
    seen: set[tuple[Any, str]] = set()
    rows = []
    for rel in child.relationships.active().select_related("user").order_by("created_at"):
        if (rel.user_id, rel.kind) not in seen:
            seen.add((rel.user_id, rel.kind))
            rows.append(rel)
    return rows
