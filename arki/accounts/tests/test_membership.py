from __future__ import annotations

import pytest

from arki.accounts.models import Role
from arki.core.tests.factories import MembershipFactory


@pytest.mark.django_db
def test_user_switches_to_another_membership_and_gets_its_permissions(world):
    coordinator_role = MembershipFactory(user=world.worker, unit=world.unit, role=Role.COORDINATOR)
    client = world.client_for(world.worker)
    assert client.get("/audit/").status_code == 403
    page = client.get("/").content.decode()
    assert 'name="membership"' in page
    client.post("/accounts/membership/", {"membership": str(coordinator_role.pk)})
    assert client.get("/audit/").status_code == 200


@pytest.mark.django_db
def test_cannot_switch_to_someone_elses_membership(world):
    other = world.coordinator.memberships.get()
    client = world.client_for(world.worker)
    response = client.post("/accounts/membership/", {"membership": str(other.pk)}, follow=True)
    assert "audit.event:search" not in response.context["arki_perms"]
    assert client.get("/audit/").status_code == 403
    client.post("/accounts/membership/", {"membership": "not-a-uuid"})
    assert client.get("/").status_code == 200
