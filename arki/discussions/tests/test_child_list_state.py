"""The child list filters by the state of each child's newest discussion, with counts."""

from __future__ import annotations

from datetime import date

import pytest

from arki.discussions import services
from arki.people.tests.test_child_list_paging import caseload

pytestmark = pytest.mark.django_db


def offer(world, templates, child, on):
    return services.discussion_offer(
        actor=world.worker,
        child=child,
        unit=world.unit,
        template=templates["test-ecec.fi"],
        offered_on=on,
        alongside_open=True,
    )


def test_the_list_filters_by_discussion_state_with_counts(world, templates):
    offered, accepted, declined_then_offered = caseload(world, 3)
    offer(world, templates, offered, date(2026, 9, 1))
    d = offer(world, templates, accepted, date(2026, 9, 1))
    services.discussion_accept(actor=world.worker, discussion=d, responded_on=date(2026, 9, 2))
    old = offer(world, templates, declined_then_offered, date(2026, 3, 1))
    services.discussion_decline(actor=world.worker, discussion=old, responded_on=date(2026, 3, 2))
    offer(world, templates, declined_then_offered, date(2026, 10, 1))  # the newest counts
    client = world.client_for(world.worker)

    page = client.get("/children/")
    body = page.content.decode()
    # world.child has no discussion: 1 none, 2 offered, 1 accepted, 0 declined, 0 closed.
    assert "ei vielä keskustelua (1)" in body
    assert "tarjottu (2)" in body
    assert "otettu vastaan (1)" in body
    assert "ei otettu vastaan (0)" in body

    def names(**params):
        return {c.full_name for c in client.get("/children/", params).context["children"]}

    assert names(state="offered") == {offered.full_name, declined_then_offered.full_name}
    assert names(state="accepted") == {accepted.full_name}
    assert names(state="none") == {world.child.full_name}
    assert names(state="declined") == set()
    # The counts follow the name search; the state combines with it.
    narrowed = client.get("/children/", {"q": offered.first_name}).content.decode()
    assert "tarjottu (1)" in narrowed and "otettu vastaan (0)" in narrowed
    assert names(q=offered.first_name, state="accepted") == set()
    # An unknown state is a form error, and the list is not filtered by it.
    bad = client.get("/children/", {"state": "lost"})
    assert bad.status_code == 200 and bad.context["form"].errors["state"]
