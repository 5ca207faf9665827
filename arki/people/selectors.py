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
