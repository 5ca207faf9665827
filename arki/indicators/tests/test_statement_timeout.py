"""A leadership query that runs too long is cancelled by PostgreSQL, and the dashboard says so."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection

from arki.indicators import selectors

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no statement timeout"),
]


def _slow() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(2)")


def test_a_slow_statement_is_cancelled_inside_the_leadership_transaction():
    with pytest.raises(OperationalError), selectors.leadership_queries(timeout_ms=50):
        _slow()
    # The timeout was local to that transaction: the connection's own setting is back.
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"


def test_the_dashboard_says_the_figures_took_too_long(world, settings, monkeypatch):
    settings.LEADERSHIP_STATEMENT_TIMEOUT_MS = 50
    monkeypatch.setattr(selectors.Dashboard, "sections", lambda self: _slow())
    page = world.client_for(world.coordinator).get("/indicators/")
    assert page.status_code == 200
    assert "Lukujen laskeminen kesti liian kauan" in page.content.decode()
