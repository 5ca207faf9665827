"""Arki's own figures for Prometheus, read from the database at each scrape (so every process
reports the same), beside django-prometheus's request metrics."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector


class ArkiCollector(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django.db import DatabaseError

        from . import selectors

        try:
            outbox = selectors.outbox_state()
            failures = selectors.task_failures()
            logins = selectors.recent_login_failures()
        except DatabaseError:
            return  # no database yet (or gone): the request metrics still answer
        yield GaugeMetricFamily(
            "arki_outbox_waiting", "Emails waiting in the outbox.", value=outbox.waiting
        )
        yield GaugeMetricFamily(
            "arki_outbox_oldest_age_seconds",
            "Age of the oldest email waiting in the outbox.",
            value=outbox.oldest_age_seconds,
        )
        yield GaugeMetricFamily(
            "arki_outbox_failed", "Emails that failed for good.", value=outbox.failed
        )
        yield GaugeMetricFamily(
            "arki_task_failures", "Background tasks that ended in failure.", value=failures
        )
        yield GaugeMetricFamily(
            "arki_login_failures_recent",
            "Failed logins in the last 30 minutes (django-axes).",
            value=logins,
        )
