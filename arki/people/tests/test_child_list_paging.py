"""Big caseloads: the child list pages and searches, the home page lists the first children,
and neither's queries grow with the number of children."""

from __future__ import annotations

import pytest

from arki.audit.models import AuditEvent, AuditSubject
from arki.core.tests.factories import ChildFactory, RelationshipFactory, UnitFactory
from arki.people.views import CHILD_PAGE, HOME_CHILDREN

pytestmark = pytest.mark.django_db


def caseload(world, n, unit=None, name="Lapsi"):
    children = []
    for i in range(n):
        child = ChildFactory(tenant=world.tenant, first_name=f"{name}{i:03d}", last_name="Koulu")
        child.enrolments.create(unit=unit or world.unit)
        RelationshipFactory(child=child, user=world.worker)
        children.append(child)
    return children


def test_the_list_pages_through_a_school_nurses_pupils(world):
    caseload(world, CHILD_PAGE + 10)  # with the world's own child: CHILD_PAGE + 11
    client = world.client_for(world.worker)
    first = client.get("/children/")
    body = first.content.decode()
    assert len(first.context["children"]) == CHILD_PAGE
    assert f"{CHILD_PAGE + 11} lasta" in body and 'rel="next"' in body
    second = client.get("/children/?page=2")
    assert len(second.context["children"]) == 11
    assert 'rel="prev"' in second.content.decode()
    # Only the children shown are logged as seen.
    event = AuditEvent.objects.filter(action="people.child.list_viewed").latest("occurred_at")
    assert AuditSubject.objects.filter(event=event).count() == 11
    # A page past the end shows the last one.
    assert len(client.get("/children/?page=99").context["children"]) == 11


def test_search_by_name_and_by_unit(world):
    caseload(world, 3)
    school = UnitFactory(area=world.unit.area, tenant=world.tenant, name="Koulu Kaisla")
    caseload(world, 2, unit=school, name="Oppilas")
    client = world.client_for(world.worker)
    found = client.get("/children/", {"q": "lapsi001"}).context["children"]
    assert [c.first_name for c in found] == ["Lapsi001"]
    assert [
        c.full_name for c in client.get("/children/", {"q": "Eetu Esim"}).context["children"]
    ] == [world.child.full_name]
    in_school = client.get("/children/", {"unit": str(school.pk)}).context["children"]
    assert len(in_school) == 2
    nothing = client.get("/children/", {"q": "zzz"})
    assert "Yksikään lapsi ei vastaa hakua." in nothing.content.decode()
    # Another worker's children are never found, whatever the search.
    other = world.client_for(world.colleague).get("/children/", {"q": "Lapsi"})
    assert other.context["children"] == []
    # A unit the worker has no children in is not a choice (a form error, not a leak).
    foreign = UnitFactory(area=world.unit.area, tenant=world.tenant, name="Vieras")
    response = client.get("/children/", {"unit": str(foreign.pk)})
    assert response.status_code == 200 and response.context["form"].errors["unit"]


def test_home_lists_the_first_children_and_links_to_all(world):
    caseload(world, HOME_CHILDREN + 5)
    page = world.client_for(world.worker).get("/")
    assert len(page.context["children"]) == HOME_CHILDREN
    assert f"Kaikki lapseni ({HOME_CHILDREN + 6})" in page.content.decode()


def test_queries_do_not_grow_with_the_caseload(world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = world.client_for(world.worker)
    caseload(world, 5)

    def count(url):
        client.get(url)  # warm the session and the membership
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured)

    small = {
        url: count(url)
        for url in ("/", "/children/", "/children/?q=Lapsi&page=2", "/children/?state=none")
    }
    caseload(world, 120)
    large = {url: count(url) for url in small}
    assert large == small
