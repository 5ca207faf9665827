"""Reads about children and families, always through ``visible_to``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Concat

from arki.accounts.models import Membership, User
from arki.audit.models import AuditEvent, AuditSubject
from arki.organisations.models import Unit

from .models import (
    FULL_CASE_KINDS,
    Child,
    ChildQuerySet,
    ChildRelationship,
    Enrolment,
    Guardian,
    NetworkPerson,
    RelationshipKind,
)


def my_children(user: User | AnonymousUser) -> ChildQuerySet:
    return Child.objects.visible_to(user).order_by("last_name", "first_name")


def my_children_matching(
    user: User | AnonymousUser, *, text: str = "", unit: Unit | None = None
) -> ChildQuerySet:
    """The children the user may see whose name contains ``text`` (first, last, or "first
    last"), enrolled now in ``unit`` if given: the child list's search, paged by the view."""
    qs = my_children(user).order_by("last_name", "first_name", "id")
    text = " ".join(text.split())
    if text:
        qs = qs.annotate(name=Concat("first_name", Value(" "), "last_name")).filter(
            Q(name__icontains=text) | Q(last_name__icontains=text)
        )
    if unit is not None:  # a subquery, not a join: no DISTINCT, so the list can be grouped
        enrolled = Enrolment.objects.filter(unit=unit, ended_on__isnull=True).values("child_id")
        qs = qs.filter(pk__in=enrolled)
    return qs


def units_of_my_children(user: User | AnonymousUser) -> list[Unit]:
    """The units where the children the user may see are enrolled now (the search's choices)."""
    return list(
        Unit.objects.filter(
            enrolments__child__in=my_children(user).order_by().values("pk"),
            enrolments__ended_on__isnull=True,
        )
        .distinct()
        .order_by("name")
    )


@dataclass(frozen=True)
class MyChildren:
    """The children visible to the user (``Child.objects.visible_to``), by name, and the ids
    of those among them the user has an active casework relationship with
    (``FULL_CASE_KINDS``)."""

    children: list[Child]
    case_ids: frozenset[UUID]


def my_children_and_cases(user: User | AnonymousUser) -> MyChildren:
    """The home page's children and the cases its panels list meetings and preparations of,
    in one query: ``Child.objects.visible_to(user)`` joined to the user's active
    relationships for their kinds. Read once per request (``user.request_cache``, set by
    ``CurrentMembershipMiddleware``), so a view that changes relationships must not ask before
    and after the change; outside a request it queries every time."""
    if not isinstance(user, User):
        return MyChildren([], frozenset())
    cache = user.request_cache
    if cache is not None and "my_children" in cache:
        return cache["my_children"]
    rows = (
        Child.objects.visible_to(user)
        .filter(relationships__user_id=user.pk, relationships__ended_at__isnull=True)
        .order_by("last_name", "first_name", "id")
        .only("id", "tenant_id", "first_name", "last_name")
        .annotate(kind=F("relationships__kind"))  # one row per relationship
    )
    children: dict[UUID, Child] = {}
    case_ids: set[UUID] = set()
    for child in rows:
        children.setdefault(child.pk, child)
        if getattr(child, "kind", "") in FULL_CASE_KINDS:
            case_ids.add(child.pk)
    result = MyChildren(list(children.values()), frozenset(case_ids))
    if cache is not None:
        cache["my_children"] = result
    return result


def unit_roster(unit: Unit) -> list[dict[str, Any]]:
    """For a unit manager: the children enrolled in the unit and their responsible workers.

    Names only; no case content. Two queries whatever the unit's size.
    """
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
    """The child's guardians: the people a page about the child names besides the child."""
    return child.guardians.order_by("last_name", "first_name")


# -- the people that audit events and access reports name (the audit app stores only ids) ----
def guardians_invited_to(meeting: Any) -> list[Any]:
    """The guardians invited to a network meeting: its page and its minutes name them."""
    return list(Guardian.objects.filter(invitee__meeting=meeting).distinct())


def subjects_of(events: list[AuditEvent]) -> list[Any]:
    """The children and guardians the given events touched: reading the events shows them
    (a guardian acting in the portal is named as the actor of events about themselves)."""
    return _people(AuditSubject.objects.filter(event__in=[e.pk for e in events]))


def people_in_events_about(child: Any) -> list[Any]:
    """The child and everyone else (the guardians) the events of the child's access report
    touched: the report names them."""
    return _people(AuditSubject.objects.filter(event__subjects__subject_id=child.pk))


def _people(subject_rows: QuerySet[AuditSubject]) -> list[Any]:
    rows = subject_rows.values_list("subject_type", "subject_id").distinct()
    ids: dict[str, set[Any]] = {"child": set(), "guardian": set()}
    for subject_type, subject_id in rows:
        if subject_type in ids:
            ids[subject_type].add(subject_id)
    return [
        *Child.objects.filter(pk__in=ids["child"]),
        *Guardian.objects.filter(pk__in=ids["guardian"]),
    ]


def children_matching(*, tenant_id: Any, text: str, limit: int = 50) -> list[Any]:
    """The tenant's children whose identity code is ``text`` or whose name contains it (first,
    last, or "first last"); no other tenant's child is ever found."""
    text = " ".join(text.split())
    if not text:
        return []
    qs = Child.objects.filter(tenant_id=tenant_id).annotate(
        name=Concat("first_name", Value(" "), "last_name")
    )
    return list(
        qs.filter(
            Q(national_id__iexact=text)
            | Q(name__icontains=text)
            | Q(first_name__icontains=text)
            | Q(last_name__icontains=text)
        ).order_by("last_name", "first_name", "birth_date")[:limit]
    )


def child_in_tenant(*, tenant_id: Any, child_id: Any) -> Any:
    """The child if it belongs to the tenant, else ``None``."""
    return Child.objects.filter(tenant_id=tenant_id, pk=child_id).first()


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


def network_of(child: Child) -> list[NetworkPerson]:
    """The family's own network, by name: one query."""
    return list(child.network.all())


def current_unit_names(child: Child) -> list[str]:
    """The names of the units the child attends now (enrolments not ended)."""
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
