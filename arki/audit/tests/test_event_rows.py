"""The audit tables' rows, built in Python, are the markup the template used to produce."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.template import engines
from django.template.defaultfilters import date as date_filter
from django.utils import dateformat, translation
from django.utils.timezone import localtime

from arki.audit.models import AuditEvent
from arki.core import formatting

# audit/_event_rows.html as it was before the rows were built in Python (without the raw
# codes it showed under the labels then).
OLD_TEMPLATE = """{% load i18n audit_tags %}{% for e in events %}
<tr>
  <td><time datetime="{{ e.occurred_at|date:'c' }}">{{ e.occurred_at|date:"SHORT_DATETIME_FORMAT" }}</time></td>
  <td>{{ e.actor_label }}{% if e.role %}<br><span class="muted">{{ e.role_display }}{% if e.unit_label %} · {{ e.unit_label }}{% endif %}</span>{% endif %}</td>
  <td>{{ e.action|action_label }}{% if e.is_disclosure %} <span class="badge badge-warn">{% translate "disclosure" %}</span>{% endif %}</td>
  <td>{{ e.basis_display }}{% if e.recipient %}<br>{% translate "to" %} {{ e.recipient }}{% endif %}</td>
</tr>
{% endfor %}
"""  # noqa: E501


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
def test_event_rows_match_the_old_template(language):
    django = engines["django"]
    new = django.get_template("audit/_event_rows.html")
    old = django.from_string(OLD_TEMPLATE)
    with translation.override(language):
        for events in (_events(), []):
            assert new.render({"events": events}) == old.render({"events": events})
    assert "&lt;Työntekijä&gt; &amp; co" in new.render({"events": _events()})


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
