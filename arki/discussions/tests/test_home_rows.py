"""The home page's open discussion rows, built in Python, are the markup the template loop
used to produce."""

from __future__ import annotations

from datetime import date

import pytest
from django.template import engines
from django.utils import translation

from arki.discussions import selectors, services
from arki.discussions.models import ActionItem, DiscussionSession

# discussions/_home_panel.html as it was before the rows were built in Python.
OLD_TEMPLATE = """{% load i18n %}<section aria-labelledby="my-discussions-h">
  <h2 id="my-discussions-h">{% translate "My LT discussions" %}</h2>
  <div class="table-wrap"><table>
    <thead><tr><th scope="col">{% translate "Child" %}</th><th scope="col">{% translate "Status" %}</th><th scope="col">{% translate "Offered" %}</th><th scope="col">{% translate "Last session" %}</th><th scope="col">{% translate "Next review" %}</th></tr></thead>
    <tbody>
    {% for d in panel.discussions %}<tr>
      <td><a href="{% url 'discussions:detail' d.child_id d.pk %}">{{ d.child.full_name }}</a></td>
      <td><span class="badge{% if d.status == 'offered' %} badge-warn{% endif %}">{{ d.get_status_display }}</span></td>
      <td>{{ d.offered_on|date:"SHORT_DATE_FORMAT" }}</td>
      <td>{{ d.last_session|date:"SHORT_DATE_FORMAT"|default:"–" }}</td>
      <td>{{ d.next_date|date:"SHORT_DATE_FORMAT"|default:"–" }}</td>
    </tr>{% empty %}<tr><td colspan="5">{% translate "No open LT discussions." %}</td></tr>{% endfor %}
    </tbody>
  </table></div>
</section>
"""  # noqa: E501


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv", "en", "da"])
def test_home_rows_match_the_old_template(world, discussion, templates, language):
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
    )
    django = engines["django"]
    new = django.get_template("discussions/_home_panel.html")
    old = django.from_string(OLD_TEMPLATE)
    rows = selectors.my_open_discussions(world.worker)
    assert len(rows) == 2
    dates = {d.pk: (d.last_session, d.next_date) for d in rows}  # type: ignore[attr-defined]
    assert dates[discussion.pk] == (date(2026, 9, 10), date(2026, 10, 1))
    assert [v for k, v in dates.items() if k != discussion.pk] == [(None, None)]
    with translation.override(language):
        panels: list[dict] = [{"discussions": rows}, {"discussions": []}]
        for panel in panels:
            assert new.render({"panel": panel}) == old.render({"panel": panel})
    rendered = new.render({"panel": {"discussions": rows}})
    assert "Eetu &lt;b&gt; &amp; Eeva" in rendered and "badge-warn" in rendered


@pytest.mark.django_db
def test_open_discussions_keep_a_child_no_longer_on_the_leads_list(world, discussion):
    from arki.people.models import ChildRelationship

    world.worker.request_cache = {"tenant_ids": [world.tenant.pk]}  # as in a request
    ChildRelationship.objects.filter(user=world.worker).delete()  # no child on the list
    rows = selectors.my_open_discussions(world.worker)
    assert [(d.pk, d.child.full_name) for d in rows] == [(discussion.pk, world.child.full_name)]
