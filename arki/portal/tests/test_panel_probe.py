"""The child page's portal panel probes the three lists first and reads only those with rows:
what it shows is what the three queries give, in every state."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from arki.portal import selectors, services
from arki.portal.models import PortalLink, PortalSession, Preparation, SessionEnd

from .conftest import issue, open_portal

pytestmark = pytest.mark.django_db


def read_all(child) -> dict[str, list]:
    """The three lists as the panel read them before the probe."""
    return {
        "links": list(PortalLink.objects.filter(child=child).order_by("-created_at")[:20]),
        "sessions": list(
            PortalSession.objects.active().filter(child=child).order_by("-started_at")
        ),
        "preparations": list(Preparation.objects.filter(child=child).order_by("-submitted_at")),
    }


def panel(child) -> tuple[dict[str, list], int]:
    with CaptureQueriesContext(connection) as ctx:
        context = selectors.panel_context(child)
    return context, len(ctx.captured_queries)


def test_the_panel_reads_only_the_lists_that_have_rows(world):
    child = world.child
    context, queries = panel(child)
    assert context == read_all(child) == {"links": [], "sessions": [], "preparations": []}
    assert queries == 1  # the probe alone

    issue(world)  # a link not opened yet: no session
    context, queries = panel(child)
    assert context == read_all(child) and len(context["links"]) == 1 and queries == 2

    open_portal(issue(world).token)  # a second link, opened: a session going on
    context, queries = panel(child)
    assert context == read_all(child) and len(context["sessions"]) == 1 and queries == 3

    services.session_end(session=PortalSession.objects.get(), reason=SessionEnd.LOGOUT)
    context, queries = panel(child)  # an ended session is not shown
    assert context == read_all(child) and context["sessions"] == [] and queries == 2

    Preparation.objects.create(child=child, respondent="child", answers={"x": "y"})
    context, queries = panel(child)
    assert context == read_all(child) and len(context["preparations"]) == 1 and queries == 3


def test_a_link_for_the_child_names_the_child_without_a_query_per_link(world):
    for n in range(3):
        PortalLink.objects.create(
            child=world.child,
            email=f"eetu{n}@example.fi",
            token_hash=f"hash-{n}",
            expires_at=timezone.now() + timedelta(days=1),
            created_by=world.worker,
        )
    context, _ = panel(world.child)
    with CaptureQueriesContext(connection) as ctx:
        labels = [link.recipient_label for link in context["links"]]
    assert labels == [str(world.child)] * 3 and len(ctx.captured_queries) == 0


def test_the_child_page_shows_the_portal_lists_and_no_other_childs(world):
    from arki.core.tests.factories import ChildFactory, RelationshipFactory

    other = ChildFactory(tenant=world.tenant, first_name="Zyxkvist")
    RelationshipFactory(child=other, user=world.worker)
    Preparation.objects.create(child=other, respondent="child", answers={"x": "y"})
    client = world.client_for(world.worker)
    page = client.get(f"/children/{world.child.pk}/").content.decode()
    assert "Zyxkvist" not in page and "Ei vielä valmistautumisen vastauksia." in page
    issued = issue(world)
    page = client.get(f"/children/{world.child.pk}/").content.decode()
    assert f"/portal/staff/links/{issued.link.pk}/revoke/" in page
