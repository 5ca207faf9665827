"""The audit-event rule of the retention job, kept apart: it deletes a tenant's events older
than the period through the ORM, lifting the append-only triggers for the one transaction.

On PostgreSQL with the audit tables partitioned by month, dropping whole partitions past the
period replaces ``purge_events_before``; ``events_before`` still says what is due.

The events' seals stay: they hold no personal data, and the chain check
(``arki.audit.selectors.audit_chain_verify``) accepts a link whose event is gone when it is
older than the tenant's last purge, which this function records in the audit log itself.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import connections, router, transaction
from django.db.models import QuerySet

from arki.audit import dbguard
from arki.audit import services as audit
from arki.audit.models import AuditEvent, AuditSubject


def events_before(*, tenant_id: Any, before: datetime) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(tenant_id=tenant_id, occurred_at__lt=before).order_by(
        "occurred_at", "id"
    )


def purge_events_before(*, tenant_id: Any, before: datetime) -> int:
    """Delete the tenant's audit events (and their data-subject rows) older than ``before``;
    returns how many events went. Idempotent. Record the purge first, so that the chain check
    knows the horizon."""
    count = events_before(tenant_id=tenant_id, before=before).count()
    if not count:
        return 0
    connection = connections[router.db_for_write(AuditEvent)]
    with transaction.atomic(using=connection.alias):
        audit.record(
            None,
            "operations.retention.audit_purged",
            basis="retention",
            tenant_id=tenant_id,
            detail={"actor_label": "Arki", "before": before.isoformat(), "count": count},
        )
        dbguard.uninstall(connection)
        try:
            AuditSubject._base_manager.filter(
                event__tenant_id=tenant_id, event__occurred_at__lt=before
            )._raw_delete(connection.alias)
            AuditEvent._base_manager.filter(
                tenant_id=tenant_id, occurred_at__lt=before
            )._raw_delete(connection.alias)
        finally:
            dbguard.install(connection)
    return count
