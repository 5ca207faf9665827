"""The child page's discussions panel reads only the fields it shows: the same HTML as from
whole discussions, and no query while rendering (no deferred field is touched)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.models import Max
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from arki.core.tests.factories import UnitFactory
from arki.discussions import selectors, services
from arki.discussions.models import Discussion, DiscussionStatus, Outcome


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv", "en", "da"])
def test_panel_from_the_shown_fields_matches_whole_discussions(
    world, discussion, templates, language
):
    unit = UnitFactory(area=world.unit.area, name="Koulu <Tuuli> & 'Mylly'")
    for offered_on, status, outcome in [
        (date(2026, 10, 1), DiscussionStatus.OFFERED, ""),
        (date(2026, 8, 1), DiscussionStatus.DECLINED, ""),
        (date(2026, 7, 1), DiscussionStatus.CLOSED, Outcome.NETWORK_MEETING_NEEDED),
    ]:
        d = services.discussion_offer(
            actor=world.worker,
            child=world.child,
            unit=unit,
            template=templates["test-ecec.fi"],
            offered_on=offered_on,
            alongside_open=True,
        )
        Discussion.objects.filter(pk=d.pk).update(status=status, outcome=outcome)
    whole = list(  # the panel's query before: whole discussions, lead and unit joined
        Discussion.objects.filter(child=world.child)
        .select_related("lead", "unit")
        .annotate(last_session=Max("sessions__held_on"))
        .order_by("-offered_on")
    )
    shown = list(selectors.discussions_for_child(world.child))
    assert [d.pk for d in shown] == [d.pk for d in whole] and len(shown) == 4
    template = engines["django"].get_template("discussions/_child_panel.html")
    perms = {"discussions.discussion:write"}
    with translation.override(language):
        for can_offer in (True, False):
            expected = template.render(
                {
                    "panel": {"discussions": whole, "can_offer": can_offer},
                    "child": world.child,
                    "arki_perms": perms,
                }
            )
            with CaptureQueriesContext(connection) as ctx:
                rendered = template.render(
                    {
                        "panel": {"discussions": shown, "can_offer": can_offer},
                        "child": world.child,
                        "arki_perms": perms,
                    }
                )
            assert rendered == expected and len(ctx.captured_queries) == 0
    assert "Koulu &lt;Tuuli&gt; &amp; &#x27;Mylly&#x27;" in rendered and "badge-ok" in rendered
