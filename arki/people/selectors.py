"""Reads about children and families, always through ``visible_to``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from .models import Child, active_tenant_ids


def my_children(user: Any) -> QuerySet[Child]:
    return Child.objects.visible_to(user).order_by("last_name", "first_name")


@dataclass(frozen=True)
class MyChildren:
    """The children visible to the user (``Child.visible_to``), by name, and the ids of those
    among them the user has an active casework relationship with (``FULL_CASE_KINDS``)."""

    children: list[Child]
    case_ids: frozenset[Any]


def my_children_and_cases(user: Any) -> MyChildren:
    """The home page's children and the cases its panels list meetings and preparations of,
    in one query (each panel filtering by relationship subqueries cost ~0.5–1 ms of query
    building per subquery). The rule is ``Child.visible_to``'s: the user's active
    relationships, children in the tenants of the user's active memberships. Read once per
    request (``user.request_cache``, set by ``CurrentMembershipMiddleware``), so a view that
    changes relationships must not ask before and after the change; outside a request it
    queries every time."""
    from arki.accounts.access import FULL_CASE_KINDS

    cache = getattr(user, "request_cache", None)
    if cache is not None and "my_children" in cache:
        return cache["my_children"]
    if not user.is_authenticated:
        return MyChildren([], frozenset())
    fields = ["id", "tenant_id", "first_name", "last_name"]
    rows = (
        Child.objects.filter(
            relationships__user=user,
            relationships__ended_at__isnull=True,
            tenant_id__in=active_tenant_ids(user),
        )
        .order_by("last_name", "first_name", "id")
        .values_list(*fields, "relationships__kind")  # one row per relationship
    )
    children: dict[Any, Child] = {}
    case_ids = set()
    for *values, kind in rows:
        if values[0] not in children:  # a child with the fields the home page shows
            children[values[0]] = Child.from_db(rows.db, fields, values)
        if kind in FULL_CASE_KINDS:
            case_ids.add(values[0])
    result = MyChildren(list(children.values()), frozenset(case_ids))
    if cache is not None:
        cache["my_children"] = result
    return result


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


def family_languages(child: Child) -> list[str]:
    """The family's languages in order of preference: the child's own, then each guardian's;
    what a log book, an email or a link for the family is written in (not the worker's)."""
    languages = [child.preferred_language]
    languages += [g.preferred_language for g in guardians_of(child)]
    return list(dict.fromkeys(code for code in languages if code))


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


def responsible_workers(
    child_id: Any, tenant_id: Any, *, source_id: Any = None
) -> list[tuple[Any, str]]:
    """The child's active responsible workers, the longest-standing first, each with the name
    of a unit they work in in the tenant ("" if none): whom the family can contact.
    ``source_id`` keeps those a network meeting named. Two queries, however many workers."""
    from arki.accounts.models import Membership

    from .models import ChildRelationship, RelationshipKind

    relationships = ChildRelationship.objects.active().filter(
        child_id=child_id, kind=RelationshipKind.RESPONSIBLE
    )
    if source_id is not None:
        relationships = relationships.filter(source_id=source_id)
    rows = list(relationships.select_related("user").order_by("started_at"))
    units: dict[Any, str] = {}
    memberships = (
        Membership.objects.active()
        .filter(user_id__in={r.user_id for r in rows}, tenant_id=tenant_id, unit__isnull=False)
        .order_by("tenant__name", "role", "pk")  # Membership's own ordering, as .first() had
        .values_list("user_id", "unit__name")
    )
    for user_id, unit_name in memberships if rows else ():
        units.setdefault(user_id, unit_name)
    return [(r.user, units.get(r.user_id, "")) for r in rows]
