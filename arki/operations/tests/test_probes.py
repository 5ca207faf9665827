"""Liveness, readiness, metrics and the request id."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from arki.notifications.models import OutboxMessage, OutboxStatus
from arki.operations import selectors
from arki.operations.middleware import RequestIdFilter


def test_healthz_answers_without_a_database_or_login(client):
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


@pytest.mark.django_db
def test_readyz_reports_each_check(client):
    response = Client().get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["checks"]["database"] == "ok" and body["checks"]["migrations"] == "ok"
    assert body["checks"]["outbox"]["status"] == "ok"


@pytest.mark.django_db
def test_readyz_fails_when_the_outbox_is_stuck(world):
    message = OutboxMessage.objects.create(
        to="a@example.org", subject="s", body_text="b", kind="test", message_id="<m1@arki>"
    )
    OutboxMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(hours=2), status=OutboxStatus.PENDING
    )
    response = Client().get("/readyz")
    assert response.status_code == 503
    outbox = response.json()["checks"]["outbox"]
    assert outbox["status"] == "stuck" and outbox["waiting"] == 1
    assert outbox["oldest_age_seconds"] >= 7200


@pytest.mark.django_db
def test_readyz_fails_with_unapplied_migrations(monkeypatch):
    monkeypatch.setattr(selectors, "unapplied_migrations", lambda: ["audit.0099_future"])
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {"unapplied": ["audit.0099_future"]}


@pytest.mark.django_db
def test_unapplied_migrations_is_empty_on_a_migrated_database():
    assert selectors.unapplied_migrations() == []


@pytest.mark.django_db
def test_metrics_for_the_allowed_addresses_only(world):
    OutboxMessage.objects.create(
        to="a@example.org", subject="s", body_text="b", kind="test", message_id="<m2@arki>"
    )
    Client().get("/healthz")
    response = Client(REMOTE_ADDR="127.0.0.1").get("/metrics")
    text = response.content.decode()
    assert response.status_code == 200
    assert "arki_outbox_waiting 1.0" in text
    assert "arki_outbox_oldest_age_seconds" in text and "arki_task_failures" in text
    assert "arki_login_failures_recent" in text
    assert "django_http_requests_latency_seconds_by_view_method" in text
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 404


@pytest.mark.django_db
def test_a_request_id_is_returned_and_reaches_the_logs(world, caplog):
    given = Client().get("/healthz", HTTP_X_REQUEST_ID="proxy-1234567")
    assert given["X-Request-ID"] == "proxy-1234567"
    made = Client().get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert made["X-Request-ID"] != "bad id\nwith newline" and len(made["X-Request-ID"]) == 32
    record = logging.LogRecord("arki", logging.INFO, __file__, 1, "hello", None, None)
    assert RequestIdFilter().filter(record) and record.request_id == "-"


def test_logs_are_json_with_the_request_id_when_configured():
    from django.conf import settings
    from django.utils.module_loading import import_string

    conf: dict = dict(settings.LOGGING["formatters"]["json"])  # type: ignore[index]
    formatter = import_string(conf.pop("()"))(**conf)
    record = logging.LogRecord("arki.x", logging.WARNING, __file__, 1, "slow page", None, None)
    RequestIdFilter().filter(record)
    line = json.loads(formatter.format(record))
    assert line["level"] == "WARNING" and line["message"] == "slow page"
    assert line["request_id"] == "-"
