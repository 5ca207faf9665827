"""What the readiness probe and the metrics read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Min, Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from arki.notifications.models import OutboxMessage, OutboxStatus


@dataclass(frozen=True)
class OutboxState:
    waiting: int
    oldest_age_seconds: float
    failed: int

    @property
    def stuck(self) -> bool:
        return self.oldest_age_seconds > settings.ARKI_OUTBOX_STUCK_SECONDS


def outbox_state() -> OutboxState:
    """Messages not yet sent (waiting or being sent), the age of the oldest, and failures."""
    now = timezone.now()
    row = OutboxMessage.objects.aggregate(
        waiting=Count("id", filter=Q(status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING])),
        oldest=Min("created_at", filter=Q(status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING])),
        failed=Count("id", filter=Q(status=OutboxStatus.FAILED)),
    )
    oldest = row["oldest"]
    age = (now - oldest).total_seconds() if oldest else 0.0
    return OutboxState(row["waiting"], max(age, 0.0), row["failed"])


def unapplied_migrations() -> list[str]:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def readiness() -> tuple[bool, dict[str, object]]:
    """Whether this process can serve: the database answers, every migration is applied, and
    the outbox is moving. Each check says what it found."""
    checks: dict[str, object] = {}
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready", said as such
        checks["database"] = f"error: {exc.__class__.__name__}"
        return False, checks
    missing = unapplied_migrations()
    checks["migrations"] = "ok" if not missing else {"unapplied": missing}
    outbox = outbox_state()
    checks["outbox"] = {
        "waiting": outbox.waiting,
        "oldest_age_seconds": round(outbox.oldest_age_seconds),
        "failed": outbox.failed,
        "status": "stuck" if outbox.stuck else "ok",
    }
    return not missing and not outbox.stuck, checks


def recent_login_failures(window: timedelta = timedelta(minutes=30)) -> int:
    since = timezone.now() - window
    return sum(
        AccessAttempt.objects.filter(attempt_time__gte=since).values_list(
            "failures_since_start", flat=True
        )
    )


def task_failures() -> int:
    return DBTaskResult.objects.filter(status="FAILED").count()
