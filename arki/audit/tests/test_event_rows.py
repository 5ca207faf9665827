"""The audit tables' rows, built in Python, are the markup the template used to produce."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.template import engines
from django.utils import translation

from arki.audit.models import AuditEvent

# audit/_event_rows.html as it was before the rows were built in Python.
OLD_TEMPLATE = """{% load i18n audit_tags %}{% for e in events %}
<tr>
  <td><time datetime="{{ e.occurred_at|date:'c' }}">{{ e.occurred_at|date:"SHORT_DATETIME_FORMAT" }}</time></td>
  <td>{{ e.actor_label }}{% if e.role %}<br><span class="muted">{{ e.role_display }}{% if e.unit_label %} · {{ e.unit_label }}{% endif %}</span>{% endif %}</td>
  <td>{{ e.action|action_label }}{% if e.is_disclosure %} <span class="badge badge-warn">{% translate "disclosure" %}</span>{% endif %}<br><code class="muted">{{ e.action }}</code></td>
  <td>{{ e.basis_display }}{% if e.basis_display != e.basis %}<br><code class="muted">{{ e.basis }}</code>{% endif %}{% if e.recipient %}<br>{% translate "to" %} {{ e.recipient }}{% endif %}</td>
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
