"""The home page's open discussions: what the rows show, escaped, in each language."""

from __future__ import annotations

from datetime import date

import pytest
from django.template import engines
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from arki.discussions import selectors, services
from arki.discussions.models import ActionItem, DiscussionSession


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv", "en", "da"])
def test_home_rows_show_each_open_discussion(world, discussion, templates, language):
    world.child.first_name = "Eetu <b> & Eeva"
    world.child.save()
    DiscussionSession.objects.create(discussion=discussion, number=1, held_on=date(2026, 9, 3))
    DiscussionSession.objects.create(discussion=discussion, number=2, held_on=date(2026, 9, 10))
    ActionItem.objects.create(
        discussion=discussion, what="x", owner_kind="parent", review_on=date(2026, 10, 1)
    )
    ActionItem.objects.create(
        discussion=discussion, what="y", owner_kind="parent", review_on=date(2026, 12, 1)
    )
    for status in ("done", "dropped"):  # finished actions have no review coming
        ActionItem.objects.create(
            discussion=discussion,
            what=status,
            owner_kind="parent",
            review_on=date(2026, 9, 20),
            status=status,
        )
    services.discussion_offer(  # still offered, no sessions, no review date
        actor=world.worker,
        child=world.child,
        unit=world.unit,
        template=templates["test-ecec.fi"],
        offered_on=date(2026, 11, 2),
        alongside_open=True,
    )
    template = engines["django"].get_template("discussions/_home_panel.html")
    rows = selectors.my_open_discussions(world.worker)
    assert len(rows) == 2
    dates = {d.pk: (d.last_session, d.next_date) for d in rows}  # type: ignore[attr-defined]
    assert dates[discussion.pk] == (date(2026, 9, 10), date(2026, 10, 1))
    assert [v for k, v in dates.items() if k != discussion.pk] == [(None, None)]
    with translation.override(language):
        rendered = template.render({"panel": {"discussions": rows}})
        empty = template.render({"panel": {"discussions": []}})
        session, review = (date_format(d, "SHORT_DATE_FORMAT") for d in dates[discussion.pk])
        offered, nothing = _("offered"), _("No open LT discussions.")
    for d in rows:
        assert f'href="/discussions/children/{world.child.pk}/{d.pk}/"' in rendered
    assert f"<td>{session}</td>" in rendered and f"<td>{review}</td>" in rendered
    assert rendered.count("<td>–</td>") == 2  # the offered one: no session, no review
    assert f'<span class="badge badge-warn">{offered}</span>' in rendered
    assert "Eetu &lt;b&gt; &amp; Eeva" in rendered and "<b>" not in rendered
    assert nothing in empty and nothing not in rendered


@pytest.mark.django_db
def test_open_discussions_keep_a_child_no_longer_on_the_leads_list(world, discussion):
    from arki.people.models import ChildRelationship

    world.worker.request_cache = {}  # as in a request
    ChildRelationship.objects.filter(user=world.worker).delete()  # no child on the list
    rows = selectors.my_open_discussions(world.worker)
    assert [(d.pk, d.child.full_name) for d in rows] == [(discussion.pk, world.child.full_name)]
