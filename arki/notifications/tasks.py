"""The background task that delivers the outbox (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django.tasks import task


@task
def deliver_outbox() -> dict[str, int]:
    from .services import deliver_pending

    total = {"sent": 0, "retry": 0, "failed": 0}
    while True:
        counts = deliver_pending()
        for key, value in counts.items():
            total[key] += value
        if not any(counts.values()):
            return total
