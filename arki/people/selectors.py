"""Reads about children and families, always through ``visible_to``."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class Worker:
    """One line of the child page's "Workers": a name and the kind of relationship."""

    name: str
    kind_label: str


def workers_of(child: Child) -> list[Worker]:
    """The child's active relationships, one per worker and kind (a worker the family gave
    several consents to, or who leads two discussions, is listed once for it).

    Read as plain values: the page shows names and kinds only, and relationship and user
    instances cost the ORM about twice the time."""
    from .models import ChildRelationship, RelationshipKind

    labels = dict(RelationshipKind.choices)
    seen: set[tuple[Any, str]] = set()
    rows = []
    for user_id, kind, first_name, last_name in (
        ChildRelationship.objects.active()
        .filter(child_id=child.pk)
        .order_by("created_at")
        .values_list("user_id", "kind", "user__first_name", "user__last_name")
    ):
        if (user_id, kind) not in seen:
            seen.add((user_id, kind))
            # User.get_full_name(), and get_kind_display() (an unknown kind shows as it is).
            name = f"{first_name} {last_name}".strip()
            rows.append(Worker(name=name, kind_label=str(labels.get(kind, kind))))
    return rows


def network_of(child: Child) -> list[Any]:
    """The family's own network. Most families have none recorded: a plain SQL probe (a few
    hundredths of a millisecond) spares the ORM query then."""
    from arki.core.probe import rows_exist

    from .models import NetworkPerson

    (any_person,) = rows_exist((NetworkPerson, {"child": child.pk}))
    return list(child.network.all()) if any_person else []


def current_unit_names(child: Child) -> list[str]:
    """The names of the units the child attends now (enrolments not ended)."""
    from .models import Enrolment

    return list(
        Enrolment.objects.filter(child_id=child.pk, ended_on__isnull=True).values_list(
            "unit__name", flat=True
        )
    )
