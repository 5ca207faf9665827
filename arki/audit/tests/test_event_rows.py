"""The audit tables' rows: labels in the reader's language, every stored value escaped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.template import engines
from django.template.defaultfilters import date as date_filter
from django.utils import dateformat, translation
from django.utils.html import escape
from django.utils.timezone import localtime

from arki.audit.models import AuditEvent
from arki.audit.registry import label_for
from arki.core import formatting
from arki.people.models import RelationshipKind


def _events() -> list[AuditEvent]:
    return [
        AuditEvent(
            occurred_at=datetime(2026, 6, 30, 21, 30, 5, tzinfo=UTC),  # a day later in Helsinki
            actor_label="Aino <Työntekijä> & co",
            role="worker",
            unit_label='Päiväkoti "Omena"',
            action="people.child.viewed",
            basis="relationship",
            is_disclosure=True,
            recipient="Kela <kela@example.org>",
        ),
        AuditEvent(
            occurred_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
            actor_label="System",
            role="",
            unit_label="Ignored without a role",
            action="unknown.code.<b>",
            basis="",
            is_disclosure=False,
            recipient="",
        ),
        AuditEvent(
            occurred_at=datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC),  # the DST change
            actor_label="Huoltaja",
            role="guardian",
            unit_label="",
            action="audit.log.searched",
            basis="supervision",
        ),
        AuditEvent(
            occurred_at=datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # 3.30 twice in Helsinki
            actor_label="Järjestelmä",
            role="invitee",
            action="people.child.viewed",
            basis="consent:attend",
        ),
        AuditEvent(
            occurred_at=datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
            actor_label="Aino",
            role="unknown-role",
            unit_label="<Yksikkö>",
            action="people.child.viewed",
            basis="relationship:guardian",
            recipient="Kela",
        ),
        *(  # midnight, noon and the hours around them in Helsinki
            AuditEvent(
                occurred_at=datetime(2026, 12, 31, 22, 0, tzinfo=UTC) + timedelta(minutes=m),
                actor_label="Aino",
                role="worker",
                action="people.child.viewed",
                basis="relationship:responsible" if m % 3 else "relationship",
                is_disclosure=m % 2 == 0,
            )
            for m in (0, 1, 59, 60, 65, 12 * 60, 12 * 60 + 30, 13 * 60, 23 * 60 + 59)
        ),
    ]


@pytest.mark.parametrize("language", ["fi", "sv", "en", "da"])
def test_event_rows_show_labels_and_escape_every_stored_value(language):
    rows = engines["django"].get_template("audit/_event_rows.html")
    with translation.override(language):
        html = rows.render({"events": _events()})
        viewed = escape(label_for("people.child.viewed"))
        responsible = str(RelationshipKind.RESPONSIBLE.label)
    assert "&lt;Työntekijä&gt; &amp; co" in html and "Kela &lt;kela@example.org&gt;" in html
    assert "<b>" not in html and "unknown.code.&lt;b&gt;" in html  # unknown: as stored
    assert viewed in html and responsible in html
    assert "people.child.viewed" not in html and "relationship:responsible" not in html
    # Local time: 30 June 21:30 UTC is 1 July in Helsinki.
    assert 'datetime="2026-07-01T00:30:05+03:00"' in html
    assert rows.render({"events": []}).strip() == ""


@pytest.mark.parametrize("language", ["fi", "sv", "en", "da"])
def test_short_datetimes_are_the_date_filters(language):
    start = datetime(2026, 3, 28, 20, 0, tzinfo=UTC)  # the night of the change to summer time
    times = [start + timedelta(minutes=m) for m in range(0, 48 * 60, 7)]
    times += [datetime(2026, 10, 24, 22, 0, tzinfo=UTC) + timedelta(minutes=m) for m in range(300)]
    times += [datetime(2026, 6, 1, tzinfo=UTC) + timedelta(minutes=m) for m in range(0, 1440, 30)]
    times += [datetime(5, 1, 2, 12, 0, tzinfo=UTC)]  # a year of fewer than four digits
    with translation.override(language):
        short = formatting.short_datetime_formatter()
        for value in times:
            local = localtime(value)
            assert short(local) == date_filter(local, "SHORT_DATETIME_FORMAT")


def test_other_short_datetime_formats_go_through_django(monkeypatch):
    fmt = r"D j. F Y \k\l\o H:i e"
    monkeypatch.setattr(formatting, "get_format", lambda name: fmt)
    value = localtime(datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC))
    with translation.override("fi"):
        assert formatting.short_datetime_formatter()(value) == dateformat.format(value, fmt)
