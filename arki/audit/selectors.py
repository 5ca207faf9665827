"""Reads of the audit log: the coordinator's search and a child's access report."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from django.db import connection
from django.db.models import DateTimeField, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from .models import AuditEvent

PAGE_SIZE = 50
# A "Who" text is matched to staff users first (index audit_tenant_actor_time). Events without
# a user (guardians and children in the portal, the system) are matched by their stored label,
# among at most this many of the newest such events that match the other filters.
LABEL_SCAN_LIMIT = 10_000
# Where the matching users' ids are listed in the query (not on SQLite: see _events_by_user).
MAX_LISTED_ACTORS = 100
_BEFORE_ANY_EVENT = Value(datetime(1, 1, 1, tzinfo=UTC), output_field=DateTimeField())


def actor_ids_matching(*, tenant_id: Any, text: str) -> QuerySet:
    """Ids of the tenant's staff users (present or past members) whose name ("First Last")
    or username contains ``text``: the labels their audit events carry.

    The name is the stored ``User.full_name``, not built for each of the 2,000 users on every
    search; the membership is then checked with ``EXISTS`` for the users that match, in the
    index ``membership_user_tenant`` alone. (``pk IN (members)`` ran as one primary-key lookup
    per member of the tenant: 2,000 lookups, ~2 ms of the search for a common name.)"""
    from arki.accounts.models import Membership, User

    member = Membership.objects.filter(tenant_id=tenant_id, user_id=OuterRef("pk"))
    return (
        User.objects.filter(
            Q(full_name__icontains=text) | Q(username__icontains=text), Exists(member)
        )
        .order_by()
        .values_list("pk", flat=True)
    )


def events_search(
    *,
    tenant_id: Any,
    actor: str = "",
    action: str = "",
    subject_id: UUID | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    before: datetime | None = None,
    disclosures_only: bool = False,
) -> list[AuditEvent]:
    """One page (newest first) of a tenant's events; keyset-paginated by ``before``.

    ``actor`` matches the events of the staff users whose name contains it (by user id, so a
    name with no matches costs an index lookup, not a scan of the log), plus the events without
    a user, among the newest ``LABEL_SCAN_LIMIT`` of them, whose stored label contains it.
    """
    qs: QuerySet[AuditEvent] = AuditEvent.objects.filter(tenant_id=tenant_id)
    if action:
        qs = qs.filter(action__startswith=action)
    if subject_id is not None:
        qs = qs.filter(subjects__subject_id=subject_id)
    if since is not None:
        qs = qs.filter(occurred_at__gte=since)
    if until is not None:
        qs = qs.filter(occurred_at__lt=until)
    if before is not None:
        qs = qs.filter(occurred_at__lt=before)
    if disclosures_only:
        qs = qs.filter(is_disclosure=True)
    qs = qs.order_by("-occurred_at")
    if not actor:
        return list(qs[:PAGE_SIZE])
    by_user = _events_by_user(qs, actor_ids_matching(tenant_id=tenant_id, text=actor))
    # Events without a staff user (the portal, the system): by label, among the newest ones
    # (from the time of the LABEL_SCAN_LIMIT-th newest, if there are that many; one query).
    without_user = qs.filter(actor__isnull=True)
    cutoff = without_user.values("occurred_at")[LABEL_SCAN_LIMIT - 1 : LABEL_SCAN_LIMIT]
    by_label = list(
        without_user.filter(
            occurred_at__gte=Coalesce(Subquery(cutoff), _BEFORE_ANY_EVENT),
            actor_label__icontains=actor,
        )[:PAGE_SIZE]
    )
    merged = {event.pk: event for event in by_user + by_label}
    return sorted(merged.values(), key=lambda e: e.occurred_at, reverse=True)[:PAGE_SIZE]


def _lists_actor_ids() -> bool:
    return connection.vendor != "sqlite"


def _events_by_user(qs: QuerySet[AuditEvent], matching: QuerySet) -> list[AuditEvent]:
    """The page of events of the matching staff users.

    SQLite runs ``actor_id IN (subquery)`` as one lookup per matching user in
    ``audit_tenant_actor_time`` and leaves each user's events as soon as they are older than a
    full page: ~4 ms for a name matching 1,111 of 2,000 staff on 1 M events. Given a literal
    list of about 40 or more ids it walks the whole log by time instead (0.4 s when those
    users have few events), so on SQLite it is always the subquery. PostgreSQL plans the
    subquery as such a walk (0.2-0.3 s on 1 M events for a name with few events or none), so
    there the ids are fetched first and listed, up to ``MAX_LISTED_ACTORS``.
    """
    if not _lists_actor_ids():
        return list(qs.filter(actor_id__in=matching)[:PAGE_SIZE])
    listed = list(matching[: MAX_LISTED_ACTORS + 1])
    if not listed:
        return []
    users = listed if len(listed) <= MAX_LISTED_ACTORS else matching
    return list(qs.filter(actor_id__in=users)[:PAGE_SIZE])


def events_about(subject_id: UUID, *, before: datetime | None = None) -> list[AuditEvent]:
    """Every event that touched one data subject, newest first (the access report)."""
    qs = AuditEvent.objects.filter(subjects__subject_id=subject_id)
    if before is not None:
        qs = qs.filter(occurred_at__lt=before)
    return list(qs.order_by("-occurred_at")[:PAGE_SIZE])
