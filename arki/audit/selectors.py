"""Reads of the audit log: the coordinator's search and a child's access report."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import QuerySet

from .models import AuditEvent

PAGE_SIZE = 50


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
    """One page (newest first) of a tenant's events; keyset-paginated by ``before``."""
    qs: QuerySet[AuditEvent] = AuditEvent.objects.filter(tenant_id=tenant_id)
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
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
    return list(qs.order_by("-occurred_at")[:PAGE_SIZE])


def events_about(subject_id: UUID, *, before: datetime | None = None) -> list[AuditEvent]:
    """Every event that touched one data subject, newest first (the access report)."""
    qs = AuditEvent.objects.filter(subjects__subject_id=subject_id)
    if before is not None:
        qs = qs.filter(occurred_at__lt=before)
    return list(qs.order_by("-occurred_at")[:PAGE_SIZE])
