# ruff: noqa: F811  (the chair fixture is imported from test_meetings)
"""The home page's open meeting rows, built in Python, are the markup the template loop used
to produce."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from arki.accounts.models import QualificationKind
from arki.core.tests.factories import QualificationFactory
from arki.meetings import selectors, services
from arki.meetings.tests.test_meetings import chair  # noqa: F401

# meetings/_home_panel.html as it was before the rows were built in Python.
OLD_TEMPLATE = """{% load i18n %}<section aria-labelledby="my-meetings-h">
  <h2 id="my-meetings-h">{% translate "Network meetings" %}</h2>
  <div class="table-wrap"><table class="stack-on-phone">
    <thead><tr><th scope="col">{% translate "Child" %}</th><th scope="col">{% translate "Status" %}</th><th scope="col">{% translate "When" %}</th><th scope="col">{% translate "Chair" %}</th></tr></thead>
    <tbody>
    {% for m in panel.meetings %}<tr>
      <td data-label="{% translate 'Child' %}"><a href="{% url 'meetings:detail' m.child_id m.pk %}">{{ m.child.full_name }}</a>{% if m.previous_id %} <span class="muted">({% translate "follow-up" %})</span>{% endif %}</td>
      <td data-label="{% translate 'Status' %}"><span class="badge{% if m.status == 'planning' %} badge-warn{% endif %}">{{ m.get_status_display }}</span></td>
      <td data-label="{% translate 'When' %}">{% if m.starts_at %}{{ m.starts_at|date:"SHORT_DATETIME_FORMAT" }}{% else %}{% translate "time not agreed yet" %}{% endif %}</td>
      <td data-label="{% translate 'Chair' %}">{% if m.chair_id == panel.user_id %}{% translate "you" %}{% else %}{{ m.chair.get_full_name }}{% endif %}</td>
    </tr>{% empty %}<tr><td colspan="4">{% translate "No open network meetings. Plan one from the child's page." %}</td></tr>{% endfor %}
    </tbody>
  </table></div>
</section>
"""  # noqa: E501


def _schedule(actor, meeting, days):
    starts = timezone.now().replace(second=0, microsecond=0) + timedelta(days=days)
    return services.meeting_schedule(
        actor=actor,
        meeting=meeting,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        location="Perhekeskus",
    )


@pytest.fixture
def meetings(world, chair):
    """Planning (mine, no time), scheduled (mine, a follow-up), held (a colleague chairs)."""
    world.child.first_name = "Eetu <b> & 'Eeva'"
    world.child.save()
    colleague = world.colleague
    colleague.first_name, colleague.last_name = 'Kalle "K" <i>', "Kollega & co"
    colleague.save()
    QualificationFactory(user=colleague, kind=QualificationKind.NETWORK_MEETING)
    planning = services.meeting_plan(actor=chair, child=world.child, reason="Aamut")
    first = services.meeting_plan(actor=chair, child=world.child, reason="Uni")
    follow_up = services.meeting_plan(actor=chair, child=world.child, reason="Uni", previous=first)
    scheduled = _schedule(chair, follow_up, days=3)
    theirs = _schedule(
        colleague, services.meeting_plan(actor=colleague, child=world.child, reason="Koulu"), days=1
    )
    held = services.meeting_hold(actor=colleague, meeting=theirs)
    return {"planning": planning, "first": first, "scheduled": scheduled, "held": held}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv", "en", "da"])
def test_home_rows_match_the_old_template(world, meetings, language):
    django = engines["django"]
    new = django.get_template("meetings/_home_panel.html")
    old = django.from_string(OLD_TEMPLATE)
    rows = selectors.open_meetings_for(world.worker)
    assert {m.status for m in rows} == {"planning", "scheduled", "held"}
    assert any(m.previous_id for m in rows) and any(not m.starts_at for m in rows)
    with translation.override(language):
        for panel in (
            {"meetings": rows, "user_id": world.worker.pk},
            {"meetings": rows, "user_id": world.colleague.pk},  # the others' chair is "you"
            {"meetings": [], "user_id": world.worker.pk},
        ):
            with CaptureQueriesContext(connection) as ctx:
                rendered = new.render({"panel": panel})
            if panel["user_id"] == world.worker.pk:
                assert not ctx.captured_queries  # the colleague's name was read with the rows
            assert rendered == old.render({"panel": panel})
    rendered = new.render({"panel": {"meetings": rows, "user_id": world.worker.pk}})
    assert "Eetu &lt;b&gt; &amp; &#x27;Eeva&#x27;" in rendered
    assert "Kalle &quot;K&quot; &lt;i&gt; Kollega &amp; co" in rendered
    assert "badge-warn" in rendered
