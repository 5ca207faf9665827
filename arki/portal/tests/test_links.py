"""Portal links and sessions (SECURITY.md 11, 12): single use, expiry, revocation, hashes only,
code throttling, revocation ends the session at the next request."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from arki.audit.models import AuditEvent
from arki.core.tests.factories import ChildFactory, GuardianshipFactory
from arki.portal import services
from arki.portal.access import SESSION_KEY
from arki.portal.models import CodeDelivery, LinkStatus, PortalLink, PortalSession, SessionEnd

from .conftest import issue, open_portal

pytestmark = pytest.mark.django_db


def child_url(world) -> str:
    return f"/portal/children/{world.child.pk}/"


def test_only_the_hash_of_the_token_is_stored(world):
    issued = issue(world, code_delivery=CodeDelivery.WORKER)
    link = PortalLink.objects.get()
    assert len(issued.token) >= 43  # 32 random bytes
    assert link.token_hash == hashlib.sha256(issued.token.encode()).hexdigest()
    stored = " ".join(str(v) for v in PortalLink.objects.values().get().values())
    assert issued.token not in stored
    assert issued.code not in stored and len(issued.code) == 6


def test_get_shows_a_confirm_page_and_does_not_consume(world):
    issued = issue(world)
    client = Client()
    for _ in range(3):  # mail scanners may fetch the link several times
        response = client.get(f"/portal/open/{issued.token}/")
        assert response.status_code == 200
        assert 'method="post"' in response.content.decode()
    link = PortalLink.objects.get()
    assert link.consumed_at is None and not PortalSession.objects.exists()
    assert client.get(child_url(world)).status_code == 403


def test_opening_starts_a_session_and_the_link_is_single_use(world):
    issued = issue(world)
    client = Client()
    client.get(f"/portal/open/{issued.token}/")
    client.post("/portal/language/", {"language": "fi"})  # the browser has a session already
    before = client.cookies["sessionid"].value
    response = client.post(f"/portal/open/{issued.token}/")
    assert response.status_code == 302 and response["Location"] == child_url(world)
    assert client.cookies["sessionid"].value != before  # the session key rotates
    assert client.get(child_url(world)).status_code == 200
    assert PortalLink.objects.get().status == LinkStatus.USED
    event = AuditEvent.objects.get(action="portal.session.started")
    assert event.actor is None and event.actor_label == str(world.guardian)
    assert event.role == "guardian"
    # A second browser with the same link gets nothing.
    other = Client()
    assert other.get(f"/portal/open/{issued.token}/").status_code == 404
    assert other.post(f"/portal/open/{issued.token}/").status_code == 404
    assert other.get(child_url(world)).status_code == 403
    assert PortalSession.objects.count() == 1


def test_expired_link_does_not_open(world):
    issued = issue(world)
    PortalLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client = Client()
    response = client.get(f"/portal/open/{issued.token}/")
    assert response.status_code == 404
    client.post(f"/portal/open/{issued.token}/")
    assert not PortalSession.objects.exists()


def test_link_lifetime_is_configurable(world, settings):
    settings.ARKI_PORTAL_LINK_HOURS = 2
    issue(world)
    link = PortalLink.objects.get()
    assert timedelta(hours=1, minutes=59) < link.expires_at - timezone.now() <= timedelta(hours=2)


def test_revoked_link_does_not_open(world):
    issued = issue(world)
    services.link_revoke(actor=world.worker, link=issued.link)
    client = open_portal(issued.token)
    assert client.get(child_url(world)).status_code == 403
    assert not PortalSession.objects.exists()
    assert PortalLink.objects.get().status == LinkStatus.REVOKED


def test_unknown_or_oversized_token_is_a_plain_404(world):
    client = Client()
    assert client.get("/portal/open/nonsense/").status_code == 404
    assert client.get("/portal/open/" + "a" * 5000 + "/").status_code == 404


def test_revocation_ends_an_active_session_at_the_next_request(world):
    issued = issue(world)
    client = open_portal(issued.token)
    assert client.get(child_url(world)).status_code == 200
    # The worker revokes from the child page.
    staff = world.client_for(world.worker)
    session = PortalSession.objects.get()
    response = staff.post(f"/portal/staff/sessions/{session.pk}/end/")
    assert response.status_code == 302
    response = client.get(child_url(world))
    assert response.status_code == 403
    assert world.child.first_name not in response.content.decode()
    session.refresh_from_db()
    assert session.end_reason == SessionEnd.REVOKED and session.ended_by == world.worker


def test_revoking_the_link_row_directly_ends_the_session_too(world):
    """Even if only the link is closed (e.g. from the admin), the next request is refused."""
    issued = issue(world)
    client = open_portal(issued.token)
    PortalLink.objects.update(ended_at=timezone.now())
    assert client.get(child_url(world)).status_code == 403
    assert PortalSession.objects.get().end_reason == SessionEnd.REVOKED


def test_idle_portal_session_ends(world, settings):
    issued = issue(world)
    client = open_portal(issued.token)
    PortalSession.objects.update(
        last_seen_at=timezone.now() - timedelta(seconds=settings.SESSION_IDLE_TIMEOUT + 5)
    )
    assert client.get(child_url(world)).status_code == 403
    assert PortalSession.objects.get().end_reason == SessionEnd.IDLE


def test_losing_guardianship_ends_the_session(world):
    issued = issue(world)
    client = open_portal(issued.token)
    world.child.guardianships.all().delete()
    assert client.get(child_url(world)).status_code == 403


def test_logout_needs_post_and_ends_the_session(world):
    client = open_portal(issue(world).token)
    assert client.get("/portal/logout/").status_code == 405
    assert client.get(child_url(world)).status_code == 200
    assert client.post("/portal/logout/").status_code == 200
    assert SESSION_KEY not in client.session
    assert client.get(child_url(world)).status_code == 403
    assert PortalSession.objects.get().end_reason == SessionEnd.LOGOUT


def test_code_is_needed_and_right_code_opens(world):
    world.guardian.preferred_language = "en"
    world.guardian.save()
    issued = issue(world, code_delivery=CodeDelivery.WORKER)
    client = Client()
    response = client.post(f"/portal/open/{issued.token}/", {})
    assert response.status_code == 200 and not PortalSession.objects.exists()
    wrong = "000000" if issued.code != "000000" else "111111"
    response = client.post(f"/portal/open/{issued.token}/", {"code": wrong})
    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    assert PortalLink.objects.get().code_failures == 1
    client.post(f"/portal/open/{issued.token}/", {"code": issued.code})
    assert client.get(child_url(world)).status_code == 200


def test_five_wrong_codes_kill_the_link(world):
    issued = issue(world, code_delivery=CodeDelivery.EMAIL)
    wrong = "000000" if issued.code != "000000" else "111111"
    client = Client()
    for _ in range(5):
        client.post(f"/portal/open/{issued.token}/", {"code": wrong})
    link = PortalLink.objects.get()
    assert link.code_failures == 5 and link.status == LinkStatus.LOCKED
    # Even the right code no longer opens it.
    response = client.post(f"/portal/open/{issued.token}/", {"code": issued.code})
    assert response.status_code == 404
    assert not PortalSession.objects.exists()
    assert AuditEvent.objects.filter(action="portal.link.code_failed").count() == 5


def test_malformed_code_is_a_form_error_not_a_failure(world):
    issued = issue(world, code_delivery=CodeDelivery.WORKER)
    response = Client().post(f"/portal/open/{issued.token}/", {"code": "12<b>"})
    assert response.status_code == 200
    assert "<b>" not in response.content.decode()
    assert PortalLink.objects.get().code_failures == 0


def test_a_link_only_for_a_guardian_of_the_child(world):
    stranger = GuardianshipFactory(child=ChildFactory(tenant=world.tenant)).guardian
    with pytest.raises(services.NotAGuardianError):
        issue(world, guardian=stranger)
    assert not PortalLink.objects.exists()


def test_child_gets_a_link_only_from_the_configured_age(world, settings):
    world.child.birth_date = timezone.localdate() - timedelta(days=365 * 11)
    world.child.save()
    with pytest.raises(services.ChildTooYoungError):
        services.link_issue(actor=world.worker, child=world.child, email="eetu@example.fi")
    settings.ARKI_PORTAL_CHILD_MIN_AGE = 10
    issued = services.link_issue(actor=world.worker, child=world.child, email="eetu@example.fi")
    client = open_portal(issued.token)
    assert client.get(child_url(world)).status_code == 200
    event = AuditEvent.objects.get(action="portal.child.viewed")
    assert event.role == "child" and event.actor_label == str(world.child)


def test_guardian_cannot_reach_another_familys_child(world):
    other_child = ChildFactory(tenant=world.tenant)
    GuardianshipFactory(child=other_child)
    client = open_portal(issue(world).token)
    for url in (f"/portal/children/{other_child.pk}/", f"/portal/children/{other_child.pk}/log/"):
        response = client.get(url)
        assert response.status_code == 404
        assert str(other_child.last_name) not in response.content.decode()
    assert not AuditEvent.objects.filter(subjects__subject_id=other_child.pk).exists()


def test_portal_pages_are_not_cached_and_have_security_headers(world, portal_client):
    response = portal_client.get(child_url(world))
    assert "no-store" in response["Cache-Control"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_posts_need_csrf(world):
    issued = issue(world)
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/portal/open/{issued.token}/")
    assert response.status_code == 403
    assert not PortalSession.objects.exists()


def test_portal_session_has_an_absolute_lifetime(world, settings):
    client = open_portal(issue(world).token)
    PortalSession.objects.update(
        started_at=timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE + 5)
    )
    assert client.get(child_url(world)).status_code == 403
    assert PortalSession.objects.get().end_reason == SessionEnd.EXPIRED


def test_opening_a_second_link_ends_the_first_session(world):
    client = open_portal(issue(world).token)
    open_portal(issue(world).token, client=client)
    sessions = list(PortalSession.objects.order_by("started_at"))
    assert sessions[0].end_reason == SessionEnd.LOGOUT and sessions[1].ended_at is None
    assert client.get(child_url(world)).status_code == 200
