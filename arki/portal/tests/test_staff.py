"""The worker's side: the portal panel on the child page, revoking links and sessions."""

from __future__ import annotations

import pytest

from arki.audit.models import AuditEvent
from arki.people.models import RelationshipKind
from arki.people.services import relationship_start
from arki.portal.models import LinkStatus, PortalLink, PortalSession

from .conftest import issue, open_portal

pytestmark = pytest.mark.django_db


def test_worker_sees_links_and_sessions_on_the_child_page(world):
    waiting = issue(world)
    open_portal(issue(world).token)
    html = world.client_for(world.worker).get(f"/children/{world.child.pk}/").content.decode()
    assert f"/portal/staff/links/{waiting.link.pk}/revoke/" in html
    session = PortalSession.objects.get()
    assert f"/portal/staff/sessions/{session.pk}/end/" in html
    assert f"/portal/staff/children/{world.child.pk}/links/new/" in html


def test_link_pages_are_404_for_colleague_outsider_and_network_member(world):
    issued = issue(world)
    network_member = world.other_area_worker
    relationship_start(child=world.child, user=network_member, kind=RelationshipKind.NETWORK_MEMBER)
    for user in (world.colleague, world.outsider, network_member, world.coordinator):
        client = world.client_for(user)
        assert client.get(f"/portal/staff/children/{world.child.pk}/links/new/").status_code in (
            403,
            404,
        )
        assert client.post(f"/portal/staff/links/{issued.link.pk}/revoke/").status_code in (
            403,
            404,
        )
    assert PortalLink.objects.get().status == LinkStatus.WAITING


def test_network_member_page_has_no_portal_panel(world):
    issue(world)
    member = world.other_area_worker
    relationship_start(child=world.child, user=member, kind=RelationshipKind.NETWORK_MEMBER)
    html = world.client_for(member).get(f"/children/{world.child.pk}/").content.decode()
    assert "/portal/staff/" not in html


def test_worker_revokes_a_waiting_link(world):
    issued = issue(world)
    response = world.client_for(world.worker).post(f"/portal/staff/links/{issued.link.pk}/revoke/")
    assert response.status_code == 302
    link = PortalLink.objects.get()
    assert link.status == LinkStatus.REVOKED and link.ended_by == world.worker
    assert AuditEvent.objects.filter(action="portal.link.revoked", actor=world.worker).exists()
    assert open_portal(issued.token).get(f"/portal/children/{world.child.pk}/").status_code == 403


def test_revoke_needs_post(world):
    issued = issue(world)
    client = world.client_for(world.worker)
    assert client.get(f"/portal/staff/links/{issued.link.pk}/revoke/").status_code == 405
    assert PortalLink.objects.get().status == LinkStatus.WAITING


def test_link_form_offers_the_guardians_and_the_child_only_from_the_age(world, settings):
    client = world.client_for(world.worker)
    html = client.get(f"/portal/staff/children/{world.child.pk}/links/new/").content.decode()
    assert str(world.guardian) in html and world.guardian.email in html
    assert 'value="child"' not in html  # the world's child is a toddler
    settings.ARKI_PORTAL_CHILD_MIN_AGE = 0
    html = client.get(f"/portal/staff/children/{world.child.pk}/links/new/").content.decode()
    assert 'value="child"' in html
