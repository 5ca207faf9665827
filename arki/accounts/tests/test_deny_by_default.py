"""Deny by default (SECURITY.md 1, 2): the tests that fail when the promise breaks.

- Every URL pattern of the project, its parameters filled with the ids of real records, answers
  an anonymous visitor with a redirect to the login page, unless its name is on the allowlist
  below. A view newly marked public (``@public``, or its name added to the middleware's list),
  or one whose login requirement is removed, fails here until it is added to the allowlist on
  purpose, and the allowed pages must not show the child's data to an anonymous visitor.
- The access helper keeps tenants apart: a child in another tenant, with the same name, in a
  unit of the same shape, is 404 for a worker whose only link to it is a relationship left from
  a membership there that has ended, on every child page.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver

from arki.audit.tests.walk import fill, records, response_text, url_patterns
from arki.core.middleware import PUBLIC_URL_NAMES
from arki.core.tests.factories import (
    AreaFactory,
    ChildFactory,
    GuardianshipFactory,
    MembershipFactory,
    RelationshipFactory,
    TenantFactory,
    UnitFactory,
)

# URL names an anonymous visitor may open. Each is here on purpose: the login, the health
# check, the language switch and the translations for scripts; the family portal, which checks
# its own session; the invitation's answer link and the feedback form, opened by their secret
# token; the published methods catalogue; and the operations probes (liveness, readiness, and
# the metrics, which answer only the configured networks); the single sign-on start (POST
# from the login page) and the provider's return, which checks state, nonce and the ID token.
ANONYMOUS_ALLOWED = {
    "accounts:login",
    "accounts:sso_start",
    "accounts:sso_callback",
    "core:health",
    "operations:healthz",
    "operations:readyz",
    "operations:metrics",
    "set_language",
    "javascript-catalog",
    "portal:home",
    "portal:open",
    "portal:logout",
    "portal:language",
    "portal:child",
    "portal:access_log",
    "portal:prepare",
    "portal:prepare_discussion",
    "portal:prepare_meeting",
    "portal:invitee_decide",
    "portal:consent_give",
    "portal:consent_withdraw",
    "portal:proposal_decide",
    "portal:meeting_report",
    "portal:meeting_report_pdf",
    "meetings:answer",
    "feedback:answer",
    "methods:public_index",
    "methods:public_list",
    "methods:public_list_json",
    "methods:public_detail",
    "methods:public_version",
    "methods:public_version_json",
}


def _public_view_names() -> set[str]:
    """The URL names whose view is marked public, or named public in the middleware."""
    resolver = get_resolver()
    names = set(PUBLIC_URL_NAMES)
    for route, name in url_patterns():
        if route.startswith("admin/"):
            continue
        match = resolver.resolve(fill(route, {}, name))
        if getattr(match.func, "arki_public", False):
            names.add(name)
    return names


def test_the_views_open_without_login_are_exactly_the_allowlist():
    assert _public_view_names() == ANONYMOUS_ALLOWED


@pytest.mark.django_db
def test_every_url_redirects_an_anonymous_visitor_to_the_login_unless_allowed(world):
    walk = records(world)
    anonymous = Client()
    checked, refused = 0, []
    for route, name in url_patterns():
        url = fill(route, walk.ids, name)
        for method in ("get", "post"):
            response = getattr(anonymous, method)(url)
            if name in ANONYMOUS_ALLOWED:
                if response.status_code == 200:
                    text = response_text(response)
                    shown = [s for secrets in walk.secrets.values() for s in secrets if s in text]
                    assert not shown, (url, shown)
                continue
            checked += 1
            location = response.get("Location", "")
            if route.startswith("admin/"):
                ok = response.status_code == 302 and "/login/" in location
            else:
                ok = response.status_code == 302 and location.startswith("/accounts/login/")
            if not ok:
                refused.append(f"{method.upper()} {url}: {response.status_code} {location}")
    assert refused == []
    assert checked > 150  # every staff route, GET and POST, with real ids


def _mirror_tenant(world: Any) -> Any:
    """Another tenant shaped like the world's: same area, unit and child names. The world's
    worker worked there once: the membership has ended, the relationship row was left."""
    tenant = TenantFactory(name="Toinen hyvinvointialue", slug="toinen")
    unit = UnitFactory(area=AreaFactory(tenant=tenant, name="Vaasa"), name="Päiväkoti Satakieli")
    child = ChildFactory(
        tenant=tenant,
        first_name=world.child.first_name,
        last_name=world.child.last_name,
        birth_date=world.child.birth_date,
    )
    child.enrolments.create(unit=unit)
    GuardianshipFactory(child=child)
    MembershipFactory(user=world.worker, unit=unit, is_active=False)
    RelationshipFactory(child=child, user=world.worker)
    return child


@pytest.mark.django_db
def test_a_same_named_child_in_another_tenant_is_404_on_every_child_page(world):
    foreign = _mirror_tenant(world)
    client = world.client_for(world.worker)
    assert client.get(f"/children/{world.child.pk}/").status_code == 200  # the own child
    response = client.get(f"/children/{foreign.pk}/")
    assert response.status_code == 404
    child_routes = [(r, n) for r, n in url_patterns() if "<uuid:child_id>" in r]
    assert len(child_routes) > 20
    for route, name in child_routes:
        if name.startswith("portal:") and not name.startswith("portal:link"):
            continue  # the family's own pages: no staff access at all (checked above)
        url = fill(route, {"child_id": foreign.pk}, name)
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            assert status in (404, 405), (method, url, status)


@pytest.mark.django_db
def test_the_child_list_and_search_leave_the_other_tenants_child_out(world):
    from arki.people.models import Child

    foreign = _mirror_tenant(world)
    assert list(Child.objects.visible_to(world.worker)) == [world.child]
    page = world.client_for(world.worker).get("/children/").content.decode()
    assert str(world.child.pk) in page and str(foreign.pk) not in page
