"""Arki's own figures for Prometheus, read from the database at each scrape (so every process
reports the same), beside django-prometheus's request metrics."""

from __future__ import annotations

from collections.abc import Iterator

from django.db import DatabaseError
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from . import selectors

GAUGES = {
    "arki_outbox_waiting": "Emails waiting in the outbox.",
    "arki_outbox_oldest_age_seconds": "Age of the oldest email waiting in the outbox.",
    "arki_outbox_failed": "Emails that failed for good.",
    "arki_task_failures": "Background tasks that ended in failure.",
    "arki_login_failures_recent": "Failed logins in the last 30 minutes (django-axes).",
}


class ArkiCollector(Collector):
    def describe(self) -> Iterator[GaugeMetricFamily]:
        """The names, without reading the database (registration happens at start-up)."""
        for name, documentation in GAUGES.items():
            yield GaugeMetricFamily(name, documentation)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            outbox = selectors.outbox_state()
            failures = selectors.task_failures()
            logins = selectors.recent_login_failures()
        except DatabaseError:
            return  # no database yet (or gone): the request metrics still answer
        values = {
            "arki_outbox_waiting": outbox.waiting,
            "arki_outbox_oldest_age_seconds": outbox.oldest_age_seconds,
            "arki_outbox_failed": outbox.failed,
            "arki_task_failures": failures,
            "arki_login_failures_recent": logins,
        }
        for name, documentation in GAUGES.items():
            yield GaugeMetricFamily(name, documentation, value=values[name])
