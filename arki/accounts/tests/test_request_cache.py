"""Per-request lookups: memberships and qualifications are read once per request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from arki.accounts.models import QualificationKind


@pytest.mark.django_db
def test_qualifications_are_read_once_per_request_and_stay_correct(world):
    user = world.worker  # qualified for discussions, not for network meetings
    user.request_cache = {}
    with CaptureQueriesContext(connection) as ctx:
        assert user.has_qualification(QualificationKind.DISCUSSION)
        assert not user.has_qualification(QualificationKind.NETWORK_MEETING)
        assert user.has_qualification(QualificationKind.DISCUSSION)
    assert len(ctx.captured_queries) == 1
    user.request_cache = None  # outside a request: every call asks the database
    user.qualifications.all().delete()
    assert not user.has_qualification(QualificationKind.DISCUSSION)


@pytest.mark.django_db
def test_a_page_reads_the_membership_list_once(world):
    client = world.client_for(world.worker)
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/children/{world.child.pk}/")
    assert response.status_code == 200
    # The middleware's list; the access check asks about memberships only inside its own query.
    membership_reads = [
        q for q in ctx.captured_queries if q["sql"].startswith('SELECT "accounts_membership"')
    ]
    assert len(membership_reads) == 1


@pytest.mark.django_db
def test_child_access_still_refuses_outsiders_and_other_tenants(world):
    assert world.client_for(world.outsider).get(f"/children/{world.child.pk}/").status_code == 404
    assert world.client_for(world.colleague).get(f"/children/{world.child.pk}/").status_code == 404
    assert world.client_for(world.worker).get(f"/children/{world.child.pk}/").status_code == 200


@pytest.mark.django_db
def test_visible_children_keep_the_tenant_rule_with_the_requests_tenants(world):
    from arki.core.tests.factories import ChildFactory, MembershipFactory, RelationshipFactory
    from arki.people.models import Child

    other_tenant = world.outsider.memberships.first().tenant
    elsewhere = ChildFactory(tenant=other_tenant, first_name="Muualla", last_name="Lapsi")
    RelationshipFactory(child=elsewhere, user=world.worker)  # no membership in that tenant

    page = world.client_for(world.worker).get("/").content.decode()
    assert world.child.full_name in page and "Muualla" not in page

    assert list(Child.objects.visible_to(world.worker)) == [world.child]
    MembershipFactory(user=world.worker, unit=world.outsider.memberships.first().unit)
    assert set(Child.objects.visible_to(world.worker)) == {world.child, elsewhere}


@pytest.mark.django_db
def test_the_home_page_reads_qualifications_once(world):
    from datetime import date

    world.worker.qualifications.update(completed_on=date(2020, 1, 1))  # the refresher is due
    client = world.client_for(world.worker)
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/").content.decode()
    assert 'id="refresher-h"' in page and 'id="my-discussions-h"' in page
    reads = [q for q in ctx.captured_queries if 'FROM "accounts_qualification"' in q["sql"]]
    assert len(reads) == 1
