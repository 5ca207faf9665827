"""Reads of the audit log: the coordinator's search and a child's access report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import DateTimeField, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from .chain import GENESIS, chain_of, event_digest
from .labels import basis_label, role_label
from .models import AuditEvent, AuditSeal, AuditSubject, SubjectAccessRequest
from .registry import label_for
from .services import SEAL_LATE_MARGIN

PAGE_SIZE = 50
# A "Who" text is matched to staff users first (index audit_tenant_actor_time). Events without
# a user (guardians and children in the portal, the system) are matched by their stored label,
# among at most this many of the newest such events that match the other filters.
LABEL_SCAN_LIMIT = 10_000
# PostgreSQL: when the other filters leave at most about this many events (by the planner's
# estimate), the matching users are looked for among those events (see _events_by_user).
FEW_FILTERED_EVENTS = 5_000
_BEFORE_ANY_EVENT = Value(datetime(1, 1, 1, tzinfo=UTC), output_field=DateTimeField())


def actor_ids_matching(*, tenant_id: Any, text: str) -> QuerySet[Any]:
    """Ids of the tenant's staff users (present or past members) whose name ("First Last")
    or username contains ``text``: the labels their audit events carry.

    The name is the stored ``User.full_name``, not built for each of the 2,000 users on every
    search; the membership is then checked with ``EXISTS`` for the users that match, in the
    index ``membership_user_tenant`` alone. (``pk IN (members)`` ran as one primary-key lookup
    per member of the tenant: 2,000 lookups, ~2 ms of the search for a common name.)"""
    users = get_user_model().objects
    member = users.filter(pk=OuterRef("pk"), memberships__tenant_id=tenant_id)
    return (
        users.filter(Q(full_name__icontains=text) | Q(username__icontains=text), Exists(member))
        .order_by()
        .values_list("pk", flat=True)
    )


def _filtered(
    *,
    tenant_id: Any,
    action: str | None = None,
    subject_id: UUID | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    before: datetime | None = None,
    disclosures_only: bool = False,
) -> QuerySet[AuditEvent]:
    """The tenant's events passing the filters other than "Who", newest first."""
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
    return qs.order_by("-occurred_at")


def _without_user(
    qs: QuerySet[AuditEvent], actor: str, *, scan: int, size: int
) -> QuerySet[AuditEvent]:
    """Events without a staff user (the portal, the system) whose label contains ``actor``,
    among the newest ``LABEL_SCAN_LIMIT`` such events (from the time of the
    LABEL_SCAN_LIMIT-th newest, if there are that many; one query)."""
    without_user = qs.filter(actor__isnull=True)
    cutoff = without_user.values("occurred_at")[scan - 1 : scan]
    return without_user.filter(
        occurred_at__gte=Coalesce(Subquery(cutoff), _BEFORE_ANY_EVENT),
        actor_label__icontains=actor,
    )[:size]


def _page(*, part: str, tenant_id: Any, actor: str, **filters: Any) -> list[AuditEvent]:
    """One of the search's reads: ``all`` (no "Who"), ``by_user`` (the matching staff users'
    events, as SQLite runs it: see ``_events_by_user``) or ``by_label``."""
    qs = _filtered(tenant_id=tenant_id, **filters)
    if part == "by_user":
        matching = actor_ids_matching(tenant_id=tenant_id, text=actor)
        return list(qs.filter(actor_id__in=matching)[:PAGE_SIZE])
    if part == "by_label":
        return list(_without_user(qs, actor, scan=LABEL_SCAN_LIMIT, size=PAGE_SIZE))
    return list(qs[:PAGE_SIZE])


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
    filters: dict[str, Any] = {
        "action": action or None,
        "subject_id": subject_id,
        "since": since,
        "until": until,
        "before": before,
        "disclosures_only": disclosures_only,
    }
    if not actor:
        return _page(part="all", tenant_id=tenant_id, actor="", **filters)
    by_user = _events_by_user(tenant_id, actor, filters)
    by_label = _page(part="by_label", tenant_id=tenant_id, actor=actor, **filters)
    merged = {event.pk: event for event in by_user + by_label}
    return sorted(merged.values(), key=lambda e: e.occurred_at, reverse=True)[:PAGE_SIZE]


def _pages_per_user(qs: QuerySet[AuditEvent], *, narrowed: bool) -> bool:
    """PostgreSQL, unless filters other than "Who" leave few events (see _events_by_user)."""
    if connection.vendor != "postgresql":
        return False
    return not narrowed or _estimated_rows(qs) > FEW_FILTERED_EVENTS


def _estimated_rows(qs: QuerySet[Any]) -> float:
    """PostgreSQL's estimate of the number of rows ``qs`` gives (``EXPLAIN``, not run)."""
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    return float(plan[0]["Plan"]["Plan Rows"])


def _events_by_user(tenant_id: Any, actor: str, filters: dict[str, Any]) -> list[AuditEvent]:
    """The page of events of the staff users matching ``actor`` and passing ``filters``.

    SQLite runs ``actor_id IN (subquery)`` as one lookup per matching user in
    ``audit_tenant_actor_time`` and leaves each user's events as soon as they are older than a
    full page: ~4 ms for a name matching 1,111 of 2,000 staff on 1 M events. Given a literal
    list of about 40 or more ids it walks the whole log by time instead (0.4 s when those
    users have few events), so on SQLite it is always the subquery.

    PostgreSQL plans both the subquery and a list of ids as such a walk (0.07-1.3 s on 1 M
    events when the matching users have few of the newest events, 0.5-0.8 s for "Staff 1"),
    so there each user's newest page is fetched on its own (2-60 ms, see
    ``_newest_page_of_each``). That walks each user's own events until a page passes the
    filters, though, so when the other filters (a subject, a rare action, a short period,
    disclosures) leave few events by the planner's estimate, the subquery is kept and
    PostgreSQL starts from those events (5 ms for a child and "Staff 1", where the page of
    each user took 1.4 s).
    """
    if connection.vendor == "postgresql":
        qs = _filtered(tenant_id=tenant_id, **filters)
        narrowed = any(filters[k] for k in filters if k != "before")
        if _pages_per_user(qs, narrowed=narrowed):
            return _newest_page_of_each(qs, actor_ids_matching(tenant_id=tenant_id, text=actor))
    return _page(part="by_user", tenant_id=tenant_id, actor=actor, **filters)


def _newest_page_of_each(qs: QuerySet[AuditEvent], matching: QuerySet[Any]) -> list[AuditEvent]:
    """PostgreSQL: for each matching user, that user's newest ``PAGE_SIZE`` events of ``qs``
    (one descent into ``audit_tenant_actor_time`` each, ``LATERAL``), then the newest
    ``PAGE_SIZE`` of them all. The page is the one ``actor_id IN (matching)`` gives: no user
    has more than ``PAGE_SIZE`` events on it.

    Both parts are the ORM's own SQL, so the filters are exactly those of ``qs``; only the
    join to each user is written here.
    """
    users_sql, users_params = matching.query.sql_with_params()
    each = qs.filter(actor_id=RawSQL("matching.id", ()))[:PAGE_SIZE]
    each_sql, each_params = each.query.sql_with_params()
    # Only the ORM's compiled SQL is put together here; every value is a parameter.
    sql = (
        f"SELECT newest.* FROM ({users_sql}) AS matching (id) "  # noqa: S608
        f"CROSS JOIN LATERAL ({each_sql}) AS newest "
        "ORDER BY newest.occurred_at DESC LIMIT %s"
    )
    return list(AuditEvent.objects.raw(sql, (*users_params, *each_params, PAGE_SIZE)))


def events_about(subject_id: UUID, *, before: datetime | None = None) -> list[AuditEvent]:
    """Every event that touched one data subject, newest first (the access report)."""
    qs = AuditEvent.objects.filter(subjects__subject_id=subject_id)
    if before is not None:
        qs = qs.filter(occurred_at__lt=before)
    return list(qs.order_by("-occurred_at")[:PAGE_SIZE])


@dataclass(frozen=True)
class ChainBreak:
    chain: str
    seq: int | None
    event_id: Any
    problem: str  # "changed" | "missing event" | "missing link" | "not sealed"


@dataclass
class ChainReport:
    chains: int = 0
    sealed: int = 0
    breaks: list[ChainBreak] = field(default_factory=list)


# Recorded by the retention job before it deletes a tenant's old audit events.
RETENTION_PURGE_ACTION = "operations.retention.audit_purged"


def retention_horizons(chain_of: Any) -> dict[str, datetime]:
    """Per chain, the time before which the retention job has deleted the audit events."""
    horizons: dict[str, datetime] = {}
    for tenant_id, detail in AuditEvent.objects.filter(action=RETENTION_PURGE_ACTION).values_list(
        "tenant_id", "detail"
    ):
        chain = chain_of(tenant_id)
        before = datetime.fromisoformat(detail["before"])
        horizons[chain] = max(before, horizons.get(chain, before))
    return horizons


def audit_chain_verify(*, chunk: int = 2000) -> ChainReport:
    """Recompute every tenant's audit chain and report the first break in each: an event
    whose content no longer matches its link ("changed"), a link whose event is gone
    ("missing event"), a gap in the links ("missing link"), and events older than the newest
    sealed one that are in no chain ("not sealed": inserted behind the sealing, or their link
    deleted)."""
    report = ChainReport()
    broken: set[str] = set()
    state: dict[str, tuple[int, str]] = {}
    horizons = retention_horizons(chain_of)
    seals = AuditSeal.objects.order_by("chain", "seq").values_list(
        "chain", "seq", "hash", "event_id", "occurred_at"
    )
    batch: list[tuple[str, int, str, Any, Any]] = []

    def check(rows: list[tuple[str, int, str, Any, Any]]) -> None:
        ids = [event_id for _c, _s, _h, event_id, _t in rows]
        events = AuditEvent.objects.in_bulk(ids)
        subjects: dict[Any, list[tuple[str, Any]]] = {pk: [] for pk in ids}
        for event_id, kind, pk in AuditSubject.objects.filter(event_id__in=ids).values_list(
            "event_id", "subject_type", "subject_id"
        ):
            subjects[event_id].append((kind, pk))
        for chain, seq, digest, event_id, occurred_at in rows:
            if chain not in state:
                state[chain] = (0, GENESIS)
                report.chains += 1
            if chain in broken:
                continue
            last_seq, previous = state[chain]
            problem = ""
            if seq != last_seq + 1:
                problem = "missing link"
            elif event_id not in events and chain in horizons and occurred_at < horizons[chain]:
                state[chain] = (seq, digest)  # deleted by the retention rule: the link stands
                continue
            elif event_id not in events:
                problem = "missing event"
            elif event_digest(events[event_id], subjects[event_id], previous) != digest:
                problem = "changed"
            if problem:
                broken.add(chain)
                report.breaks.append(ChainBreak(chain, seq, event_id, problem))
                continue
            state[chain] = (seq, digest)
            report.sealed += 1

    for row in seals.iterator(chunk_size=chunk):
        batch.append(row)
        if len(batch) >= chunk:
            check(batch)
            batch = []
    if batch:
        check(batch)
    newest = AuditSeal.objects.order_by("-occurred_at").values_list("occurred_at", flat=True)[:1]
    if newest:
        for event_id, tenant_id in (
            AuditEvent.objects.filter(
                seal__isnull=True, occurred_at__lt=newest[0] - SEAL_LATE_MARGIN
            )
            .order_by("occurred_at")
            .values_list("id", "tenant_id")[:100]
        ):
            report.breaks.append(ChainBreak(str(tenant_id or ""), None, event_id, "not sealed"))
    return report


def access_requests(*, tenant_id: Any, limit: int = 100) -> list[Any]:
    """The tenant's answered subject access requests, newest first."""
    return list(
        SubjectAccessRequest.objects.filter(tenant_id=tenant_id)
        .select_related("child", "handled_by")
        .order_by("-created_at")[:limit]
    )


def access_request_in_tenant(*, tenant_id: Any, request_id: Any) -> Any:
    return (
        SubjectAccessRequest.objects.filter(tenant_id=tenant_id, pk=request_id)
        .select_related("child", "handled_by")
        .first()
    )


@dataclass(frozen=True)
class AccessReportRow:
    """One line of a client's access report, in the reader's language."""

    occurred_at: datetime
    actor: str
    role: str
    unit: str
    action: str
    basis: str
    disclosure: bool
    recipient: str


def access_report(child: Any) -> list[AccessReportRow]:
    """Every event about the child (who saw or changed what, when, in what role and on what
    basis), oldest first, with labels instead of codes. The reports made to answer the
    request are among them."""
    events = AuditEvent.objects.filter(subjects__subject_id=child.pk).order_by("occurred_at")
    return [
        AccessReportRow(
            occurred_at=e.occurred_at,
            actor=e.actor_label,
            role=role_label(e.role) if e.role else "",
            unit=e.unit_label,
            action=label_for(e.action),
            basis=basis_label(e.basis),
            disclosure=e.is_disclosure,
            recipient=e.recipient,
        )
        for e in events.iterator()
    ]
