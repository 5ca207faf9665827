"""Retention: how long each kind of record is kept, and the job that applies each tenant's
rules (``apply_retention``, daily in ``deploy/crontab``).

Every record type has one spec here: the action after the period (delete or anonymise), the
bounds a coordinator may move the period within, the default period and legal basis seeded
for each tenant, which records are due (``due``) and what is done to them (``act``). A run
is idempotent: what was deleted or anonymised is no longer due, so a second run changes
nothing. Each rule's action is one transaction with its audit event; a dry run reads only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from arki.audit import services as audit
from arki.calendars import services as calendars
from arki.core.exceptions import DomainError
from arki.discussions import services as discussions
from arki.discussions.models import (
    ActionItem,
    Discussion,
    DiscussionSession,
    DiscussionStatus,
)
from arki.discussions.models import Observation as DiscussionObservation
from arki.feedback.models import FeedbackResponse
from arki.meetings.models import MeetingReport, ReportDelivery
from arki.organisations.models import Tenant
from arki.people.models import Child
from arki.portal.models import FeedbackInvitation, PortalLink, Preparation

from . import audit_retention
from .models import RecordType, RetentionAction, RetentionRule, RetentionRun

# The Client Data Act (703/2023) keeps access and disclosure log data for twelve years.
AUDIT_LOG_YEARS_DAYS = 4383
LISTED = 20  # a dry run names this many records of each rule, then counts the rest


@dataclass(frozen=True)
class Due:
    """The records a rule would act on now: a count and the first few, named."""

    count: int
    names: list[str]
    child_ids: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class RecordSpec:
    record_type: str
    action: str
    default_days: Callable[[], int]
    min_days: int
    max_days: int
    legal_basis: str  # the citation stored with the rule
    why: Promise  # the reasoning shown to the coordinator, translated
    queryset: Callable[[Any, datetime, int], QuerySet[Any]]
    act: Callable[[Any, datetime, int, QuerySet[Any]], int]
    name: Callable[[Any], str] = lambda row: f"{row._meta.model_name} {row.pk}"
    child_field: str | None = "child_id"

    @property
    def label(self) -> str:
        return str(RecordType(self.record_type).label)


def _days_ago(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)


# -- working notes ------------------------------------------------------------------------


def _working_notes(tenant_id: Any, now: datetime, days: int) -> QuerySet[Any]:
    return discussions.working_notes_due(now=now, retention_days=days, tenant_id=tenant_id)


def _working_notes_act(tenant_id: Any, now: datetime, days: int, due: QuerySet[Any]) -> int:
    return discussions.purge_working_notes(now=now, retention_days=days, tenant_id=tenant_id)


# -- busy times ---------------------------------------------------------------------------


def _busy_times(tenant_id: Any, now: datetime, days: int) -> QuerySet[Any]:
    return calendars.busy_times_due(now=now, retention=timedelta(days=days), tenant_id=tenant_id)


def _busy_times_act(tenant_id: Any, now: datetime, days: int, due: QuerySet[Any]) -> int:
    return calendars.purge_past_busy_times(
        now=now, retention=timedelta(days=days), tenant_id=tenant_id
    )


# -- portal links -------------------------------------------------------------------------


def _portal_links(tenant_id: Any, now: datetime, days: int) -> QuerySet[Any]:
    """Links that expired before the period and whose session (if any) was last used then."""
    cutoff = _days_ago(now, days)
    return (
        PortalLink.objects.filter(child__tenant_id=tenant_id, expires_at__lt=cutoff)
        .filter(Q(session__isnull=True) | Q(session__last_seen_at__lt=cutoff))
        .order_by("expires_at", "pk")
    )


def _delete(tenant_id: Any, now: datetime, days: int, due: QuerySet[Any]) -> int:
    ids = list(due.values_list("pk", flat=True))
    due.model.objects.filter(pk__in=ids).delete()
    return len(ids)


# -- preparations -------------------------------------------------------------------------


def _preparations(tenant_id: Any, now: datetime, days: int) -> QuerySet[Any]:
    return Preparation.objects.filter(
        child__tenant_id=tenant_id, submitted_at__lt=_days_ago(now, days)
    ).order_by("submitted_at", "pk")


# -- discussions (anonymised) -------------------------------------------------------------


def _discussions(tenant_id: Any, now: datetime, days: int) -> QuerySet[Any]:
    """Closed discussions past the period that still hold free text about the family."""
    cutoff = timezone.localdate(now) - timedelta(days=days)
    has_text = (
        ~Q(agreed_summary="")
        | ~Q(decline_reason="")
        | Q(sessions__participants__gt="")
        | Q(observations__text__gt="")
        | Q(action_items__owner_name__gt="")
        | Q(action_items__what__gt="")
    )
    closed = Discussion.objects.filter(
        tenant_id=tenant_id, status=DiscussionStatus.CLOSED, closed_on__lt=cutoff
    )
    declined = Discussion.objects.filter(
        tenant_id=tenant_id, status=DiscussionStatus.DECLINED, responded_on__lt=cutoff
    )
    ids = (closed | declined).filter(has_text).values("pk")
    return Discussion.objects.filter(pk__in=ids).order_by("offered_on", "pk")


def _discussions_act(tenant_id: Any, now: datetime, days: int, due: QuerySet[Any]) -> int:
    """Blank every free text of the discussion (the summary, the reason for declining, who
    took part, the strengths and vulnerabilities, the action plan's wording); the dates,
    outcome and counts stay for the statistics."""
    ids = list(due.values_list("pk", flat=True))
    Discussion.objects.filter(pk__in=ids).update(agreed_summary="", decline_reason="")
    DiscussionSession.objects.filter(discussion_id__in=ids).update(participants="")
    DiscussionObservation.objects.filter(discussion_id__in=ids).update(text="")
    ActionItem.objects.filter(discussion_id__in=ids).update(what="", owner_name="")
    return len(ids)


# -- meeting reports ----------------------------------------------------------------------


def _meeting_reports(tenant_id: Any, now: datetime, days: int) -> QuerySet[Any]:
    return MeetingReport.objects.filter(
        meeting__tenant_id=tenant_id, meeting__held_at__lt=_days_ago(now, days)
    ).order_by("meeting__held_at", "meeting_id", "number")


def _meeting_reports_act(tenant_id: Any, now: datetime, days: int, due: QuerySet[Any]) -> int:
    """Delete the report versions and the rows of whom they went to (each delivery stays in
    the audit log as a disclosure)."""
    ids = list(due.values_list("pk", flat=True))
    ReportDelivery.objects.filter(report_id__in=ids).delete()
    MeetingReport.objects.filter(pk__in=ids).delete()
    return len(ids)


# -- feedback -----------------------------------------------------------------------------


def _feedback_answers(tenant_id: Any, now: datetime, days: int) -> QuerySet[Any]:
    cutoff = timezone.localdate(now) - timedelta(days=days)
    return FeedbackResponse.objects.filter(tenant_id=tenant_id, period__lt=cutoff).order_by(
        "period", "pk"
    )


def _feedback_invitations(tenant_id: Any, now: datetime, days: int) -> QuerySet[Any]:
    return FeedbackInvitation.objects.filter(
        child__tenant_id=tenant_id, created_at__lt=_days_ago(now, days)
    ).order_by("created_at", "pk")


# -- audit events -------------------------------------------------------------------------


def _audit_events(tenant_id: Any, now: datetime, days: int) -> QuerySet[Any]:
    return audit_retention.events_before(tenant_id=tenant_id, before=_days_ago(now, days))


def _audit_events_act(tenant_id: Any, now: datetime, days: int, due: QuerySet[Any]) -> int:
    return audit_retention.purge_events_before(tenant_id=tenant_id, before=_days_ago(now, days))


RECORD_TYPES: dict[str, RecordSpec] = {
    spec.record_type: spec
    for spec in [
        RecordSpec(
            RecordType.WORKING_NOTES,
            RetentionAction.DELETE,
            lambda: max(settings.ARKI_WORKING_NOTES_RETENTION_DAYS, 0),
            0,
            365,
            "GDPR 5(1)(e)",
            _(
                "The family's own working material during the discussion, not a client "
                "document. Deleted after closing unless the family chose to keep it."
            ),
            _working_notes,
            _working_notes_act,
        ),
        RecordSpec(
            RecordType.BUSY_TIMES,
            RetentionAction.DELETE,
            lambda: 30,
            1,
            365,
            "GDPR 5(1)(c), 5(1)(e)",
            _("Staff members' own calendar times, needed only to find meeting times."),
            _busy_times,
            _busy_times_act,
            child_field=None,
        ),
        RecordSpec(
            RecordType.PORTAL_LINKS,
            RetentionAction.DELETE,
            lambda: 90,
            7,
            730,
            "GDPR 5(1)(e)",
            _(
                "Expired links to the portal and their sessions. Who used them stays in "
                "the audit log."
            ),
            _portal_links,
            _delete,
        ),
        RecordSpec(
            RecordType.PREPARATIONS,
            RetentionAction.DELETE,
            lambda: 730,
            90,
            3650,
            "GDPR 5(1)(e)",
            _("The family's answers before a discussion or a meeting, counted from sending."),
            _preparations,
            _delete,
        ),
        RecordSpec(
            RecordType.DISCUSSIONS,
            RetentionAction.ANONYMISE,
            lambda: 1826,
            365,
            3650,
            "703/2023; GDPR 5(1)(e), 89",
            _(
                "The agreed summary is entered in the client record, which keeps it. After "
                "the period the discussion's free texts are erased; dates and outcomes stay "
                "for the statistics. Counted from closing or declining."
            ),
            _discussions,
            _discussions_act,
        ),
        RecordSpec(
            RecordType.MEETING_REPORTS,
            RetentionAction.DELETE,
            lambda: 1826,
            365,
            3650,
            "703/2023; GDPR 5(1)(e)",
            _(
                "The report is sent to the family and entered in the client record. Counted "
                "from the meeting; the disclosures stay in the audit log."
            ),
            _meeting_reports,
            _meeting_reports_act,
            child_field="meeting__child_id",
        ),
        RecordSpec(
            RecordType.FEEDBACK_ANSWERS,
            RetentionAction.DELETE,
            lambda: 1096,
            365,
            3650,
            "GDPR 5(1)(e), 89",
            _("Anonymous answers for the statistics; a free text may still identify someone."),
            _feedback_answers,
            _delete,
            child_field=None,
        ),
        RecordSpec(
            RecordType.FEEDBACK_INVITATIONS,
            RetentionAction.DELETE,
            lambda: 365,
            30,
            1096,
            "GDPR 5(1)(e)",
            _("That a guardian was invited to give feedback, so that it goes out once."),
            _feedback_invitations,
            _delete,
        ),
        RecordSpec(
            RecordType.AUDIT_EVENTS,
            RetentionAction.DELETE,
            lambda: AUDIT_LOG_YEARS_DAYS,
            AUDIT_LOG_YEARS_DAYS,
            7305,
            "703/2023",
            _("The access and disclosure log is kept for twelve years by law."),
            _audit_events,
            _audit_events_act,
            child_field=None,
        ),
    ]
}


def rules_for(tenant: Tenant) -> list[RetentionRule]:
    """The tenant's rules, one per record type; the missing ones are made with the defaults
    (a new tenant, a record type added in an upgrade)."""
    rules = {r.record_type: r for r in RetentionRule.objects.filter(tenant=tenant)}
    missing = [
        RetentionRule(
            tenant=tenant,
            record_type=spec.record_type,
            period_days=spec.default_days(),
            action=spec.action,
            legal_basis=spec.legal_basis,
        )
        for code, spec in RECORD_TYPES.items()
        if code not in rules
    ]
    if missing:
        RetentionRule.objects.bulk_create(missing, ignore_conflicts=True)
        rules = {r.record_type: r for r in RetentionRule.objects.filter(tenant=tenant)}
    return [rules[code] for code in RECORD_TYPES if code in rules]


def _due(spec: RecordSpec, rule: RetentionRule, now: datetime) -> QuerySet[Any]:
    return spec.queryset(rule.tenant_id, now, rule.period_days)


def due_for(rule: RetentionRule, *, now: datetime) -> Due:
    """What the rule would act on now (reads only)."""
    spec = RECORD_TYPES[rule.record_type]
    qs = _due(spec, rule, now)
    rows = list(qs[:LISTED])
    return Due(qs.count(), [spec.name(row) for row in rows])


def _children(spec: RecordSpec, qs: QuerySet[Any]) -> list[Any]:
    if spec.child_field is None:
        return []
    ids = set(qs.values_list(spec.child_field, flat=True))
    return list(Child.objects.filter(pk__in=ids))


@dataclass
class TenantRun:
    tenant: Tenant
    results: dict[str, Due | int]
    run: RetentionRun | None


def apply_rule(rule: RetentionRule, *, now: datetime) -> int:
    """Act on what the rule finds due, in one transaction with its audit event (the children
    whose records were touched are its data subjects)."""
    spec = RECORD_TYPES[rule.record_type]
    with transaction.atomic():
        qs = _due(spec, rule, now)
        subjects = _children(spec, qs)
        count = spec.act(rule.tenant_id, now, rule.period_days, qs)
        if count:
            audit.record(
                None,
                "operations.retention.applied",
                subjects=subjects,
                basis="retention",
                tenant_id=rule.tenant_id,
                detail={
                    "actor_label": "Arki",
                    "record_type": rule.record_type,
                    "action": rule.action,
                    "period_days": rule.period_days,
                    "count": count,
                },
            )
    return count


def apply_retention(
    *, now: datetime | None = None, dry_run: bool = False, tenants: Iterable[Tenant] | None = None
) -> list[TenantRun]:
    """Apply every tenant's rules (or list what they would do, with ``dry_run``). A real run
    records a ``RetentionRun`` per tenant, the coordinator's "last run"."""
    now = now or timezone.now()
    runs = []
    for tenant in tenants if tenants is not None else Tenant.objects.order_by("name"):
        rules = rules_for(tenant)
        results: dict[str, Due | int] = {}
        if dry_run:
            for rule in rules:
                results[rule.record_type] = due_for(rule, now=now)
            runs.append(TenantRun(tenant, results, None))
            continue
        started = timezone.now()
        for rule in rules:
            results[rule.record_type] = apply_rule(rule, now=now)
        run = RetentionRun.objects.create(
            tenant=tenant, started_at=started, finished_at=timezone.now(), results=results
        )
        runs.append(TenantRun(tenant, results, run))
    return runs


def retention_rule_change(
    *, actor: Any, rule: RetentionRule, period_days: int, request: Any = None
) -> RetentionRule:
    """Change how long the tenant keeps one kind of record, within the bounds the law and the
    record type allow. Audited with the old and the new period."""
    spec = RECORD_TYPES[rule.record_type]
    if not spec.min_days <= period_days <= spec.max_days:
        raise DomainError(
            _("The period must be from %(min)s to %(max)s days.")
            % {"min": spec.min_days, "max": spec.max_days}
        )
    with transaction.atomic():
        old = rule.period_days
        RetentionRule.objects.filter(pk=rule.pk).update(
            period_days=period_days, updated_at=timezone.now()
        )
        rule.period_days = period_days
        audit.record(
            actor,
            "operations.retention.rule_changed",
            obj=rule,
            basis="supervision",
            request=request,
            tenant_id=rule.tenant_id,
            detail={"record_type": rule.record_type, "from": old, "to": period_days},
        )
    return rule


def last_run(tenant_id: Any) -> RetentionRun | None:
    return RetentionRun.objects.filter(tenant_id=tenant_id).order_by("-started_at").first()
