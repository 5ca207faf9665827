# ruff: noqa: F811  (the chair fixture is imported from test_meetings)
"""The home page's open network meetings: what the rows show, escaped, in each language."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from arki.accounts.models import QualificationKind
from arki.core.tests.factories import QualificationFactory
from arki.meetings import selectors, services
from arki.meetings.models import NetworkMeeting
from arki.meetings.tests.test_meetings import chair  # noqa: F401


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
    # Its time came: it started an hour ago.
    NetworkMeeting.objects.filter(pk=theirs.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now()
    )
    theirs.refresh_from_db()
    held = services.meeting_hold(actor=colleague, meeting=theirs)
    return {"planning": planning, "first": first, "scheduled": scheduled, "held": held}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv", "en", "da"])
def test_home_rows_show_each_meeting(world, meetings, language):
    template = engines["django"].get_template("meetings/_home_panel.html")
    rows = selectors.open_meetings_for(world.worker)
    assert {m.status for m in rows} == {"planning", "scheduled", "held"}
    with translation.override(language):
        with CaptureQueriesContext(connection) as ctx:
            mine = template.render({"panel": {"meetings": rows, "user_id": world.worker.pk}})
        assert not ctx.captured_queries  # the colleague's name was read with the rows
        theirs = template.render({"panel": {"meetings": rows, "user_id": world.colleague.pk}})
        empty = template.render({"panel": {"meetings": [], "user_id": world.worker.pk}})
        you, follow_up = _("you"), _("follow-up")
        no_time = _("time not agreed yet")
        nothing = _("No open network meetings. Plan one from the child's page.")
    for meeting in meetings.values():
        if meeting.status != "done":
            assert f'href="/meetings/children/{world.child.pk}/{meeting.pk}/"' in mine
    assert mine.count("<tr>") == len(rows) + 1  # and the header row
    assert f"({follow_up})" in mine and no_time in mine and "badge-warn" in mine
    assert mine.count(f">{you}</td>") == len(rows) - 1  # the colleague chairs one
    assert theirs.count(f">{you}</td>") == 1
    assert "Eetu &lt;b&gt; &amp; &#x27;Eeva&#x27;" in mine
    assert "Kalle &quot;K&quot; &lt;i&gt; Kollega &amp; co" in mine
    assert "<b>" not in mine and "<i>" not in mine
    assert nothing in empty and "<a " not in empty.split("<tbody>")[1]
