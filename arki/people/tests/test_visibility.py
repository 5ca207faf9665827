"""One rule for which children a user may see: ``Child.objects.visible_to``, used by the access
helper (``get_child_for``) and by the lists (``my_children``, ``my_children_and_cases``).
Personas: the child's own worker, a colleague in the same unit, an outsider from another
municipality, a coordinator, a guardian."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from arki.core.tests.factories import ChildFactory, MembershipFactory, RelationshipFactory
from arki.people.access import get_child_for
from arki.people.models import Child, ChildRelationship
from arki.people.selectors import my_children, my_children_and_cases

pytestmark = pytest.mark.django_db


def visible(viewer) -> list[Child]:
    return list(Child.objects.visible_to(viewer))


def page_status(world, user) -> int:
    return world.client_for(user).get(f"/children/{world.child.pk}/").status_code


def test_the_own_worker_sees_the_child_in_the_list_the_page_and_the_access_helper(world):
    assert visible(world.worker) == [world.child]
    assert visible(world.worker.memberships.get()) == [world.child]
    assert list(my_children(world.worker)) == [world.child]
    assert my_children_and_cases(world.worker).children == [world.child]
    assert page_status(world, world.worker) == 200


def test_a_colleague_in_the_same_unit_sees_nothing_without_a_relationship(world):
    assert visible(world.colleague) == []
    assert my_children_and_cases(world.colleague).children == []
    assert page_status(world, world.colleague) == 404


def test_an_outsider_from_another_municipality_gets_404_even_with_a_relationship(world):
    """A relationship row with a child of another tenant (a mistake, or a stale row) gives
    nothing: the child must be in the tenant of one of the user's active memberships."""
    RelationshipFactory(child=world.child, user=world.outsider)
    assert visible(world.outsider) == []
    assert visible(world.outsider.memberships.get()) == []
    assert my_children_and_cases(world.outsider).children == []
    assert page_status(world, world.outsider) == 404


def test_a_coordinator_sees_no_child_by_role_alone(world):
    assert visible(world.coordinator) == []
    assert page_status(world, world.coordinator) == 404
    RelationshipFactory(child=world.child, user=world.coordinator)
    assert visible(world.coordinator) == [world.child]


def test_a_guardian_has_no_staff_view_of_the_child(world):
    """Guardians never have staff accounts: nobody anonymous sees a child, and the staff page
    sends them to the login page."""
    assert visible(AnonymousUser()) == []
    assert my_children_and_cases(AnonymousUser()).children == []
    response = world.client_for(None).get(f"/children/{world.child.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert world.child.first_name not in response.content.decode()


def test_an_ended_relationship_or_membership_ends_the_view(world):
    membership = world.worker.memberships.get()
    ChildRelationship.objects.filter(user=world.worker).update(ended_at=timezone.now())
    assert visible(world.worker) == [] and visible(membership) == []
    assert page_status(world, world.worker) == 404
    RelationshipFactory(child=world.child, user=world.worker)
    membership.is_active = False
    membership.save()
    assert visible(world.worker) == [] and visible(membership) == []


def test_a_membership_sees_only_its_own_tenants_children(world):
    """A user with memberships in two tenants sees both tenants' children; one membership
    sees only its tenant's."""
    foreign_unit = world.outsider.memberships.get().unit
    elsewhere = ChildFactory(tenant=foreign_unit.tenant, first_name="Muualla")
    RelationshipFactory(child=elsewhere, user=world.worker)
    home = world.worker.memberships.get()
    assert visible(world.worker) == [world.child]
    abroad = MembershipFactory(user=world.worker, unit=foreign_unit)
    assert set(visible(world.worker)) == {world.child, elsewhere}
    assert visible(home) == [world.child]
    assert visible(abroad) == [elsewhere]


def test_the_access_helper_asks_the_rule_in_one_query(world):
    request = RequestFactory().get("/")
    request.user = world.worker
    world.worker.current_membership = world.worker.memberships.get()
    with CaptureQueriesContext(connection) as ctx:
        access = get_child_for(request, world.child.pk, "people.child:view")
    assert access.child == world.child and access.is_full_case
    assert len(ctx.captured_queries) == 1
    assert 'FROM "accounts_membership"' in ctx.captured_queries[0]["sql"]  # the tenant rule
