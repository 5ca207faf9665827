"""The home page's children and cases (``my_children_and_cases``): the rule of
``Child.visible_to`` for the list, a casework relationship for the cases, read once per
request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from arki.core.tests.factories import ChildFactory, RelationshipFactory
from arki.people.access import FULL_CASE_KINDS
from arki.people.models import Child, ChildRelationship, RelationshipKind
from arki.people.selectors import my_children_and_cases


@pytest.fixture
def children(world):
    """The worker's relationships of every sort: casework (two kinds with one child), consent
    only, ended, and casework in a tenant the worker has no membership in."""
    tenant = world.tenant
    both = ChildFactory(tenant=tenant, first_name="Aada", last_name="Aalto")
    RelationshipFactory(child=both, user=world.worker, kind=RelationshipKind.DISCUSSION_LEAD)
    RelationshipFactory(child=both, user=world.worker, kind=RelationshipKind.NETWORK_MEMBER)
    member = ChildFactory(tenant=tenant, first_name="Bea", last_name="Berg")
    RelationshipFactory(child=member, user=world.worker, kind=RelationshipKind.NETWORK_MEMBER)
    ended = ChildFactory(tenant=tenant, first_name="Cecilia", last_name="Carlsson")
    RelationshipFactory(child=ended, user=world.worker, ended_at=timezone.now())
    elsewhere = ChildFactory(
        tenant=world.outsider.memberships.first().tenant, first_name="Muualla", last_name="Lapsi"
    )
    RelationshipFactory(child=elsewhere, user=world.worker)
    RelationshipFactory(child=member, user=world.colleague)  # someone else's case
    return {"both": both, "member": member, "ended": ended, "elsewhere": elsewhere}


@pytest.mark.django_db
@pytest.mark.parametrize("in_request", [False, True])
def test_children_follow_visible_to_and_cases_need_a_casework_relationship(
    world, children, in_request
):
    user = world.worker
    user.request_cache = {} if in_request else None
    mine = my_children_and_cases(user)
    user.request_cache = None
    expected = list(Child.objects.visible_to(user).order_by("last_name", "first_name"))
    assert mine.children == expected  # by name, each child once
    assert mine.children == [children["both"], children["member"], world.child]
    assert [c.full_name for c in mine.children] == [c.full_name for c in expected]
    assert mine.children[2].birth_date == world.child.birth_date  # the rest read on demand
    cases = set(
        ChildRelationship.objects.active()
        .filter(user=user, kind__in=FULL_CASE_KINDS, child__in=expected)
        .values_list("child_id", flat=True)
    )
    assert mine.case_ids == cases == {children["both"].pk, world.child.pk}


@pytest.mark.django_db
def test_other_users_see_only_their_own(world, children):
    assert my_children_and_cases(world.colleague).children == [children["member"]]
    assert my_children_and_cases(world.colleague).case_ids == {children["member"].pk}
    assert my_children_and_cases(world.outsider).children == []


@pytest.mark.django_db
def test_read_once_per_request_and_every_time_outside_one(world, children):
    user = world.worker
    user.request_cache = {}
    with CaptureQueriesContext(connection) as ctx:
        first = my_children_and_cases(user)
        assert my_children_and_cases(user) is first
    assert len(ctx.captured_queries) == 1
    user.request_cache = None
    ChildRelationship.objects.filter(user=user, child=world.child).update(ended_at=timezone.now())
    assert world.child not in my_children_and_cases(user).children
