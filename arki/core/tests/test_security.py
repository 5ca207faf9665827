"""Deny by default, headers, sessions (SECURITY.md 1, 9, 12, 13)."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

# URL names an anonymous visitor may open (everything else redirects to the login page).
ANONYMOUS_ALLOWED = {"accounts:login", "core:health", "javascript-catalog", "set_language"}


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}{p.namespace}:"
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{namespace}{p.name}" if p.name else None


def _concrete(route: str) -> str:
    import re

    route = re.sub(r"<uuid:[^>]+>", str(uuid.uuid4()), route)
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<(str|slug):[^>]+>", "x", route)
    route = re.sub(r"<path:[^>]+>", "x", route)
    return "/" + route.replace("^", "").replace("$", "").replace("\\Z", "")


@pytest.mark.django_db
def test_every_url_needs_login_unless_allowlisted():
    client = Client()
    checked = 0
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith("admin/") or "(?P" in route:
            continue
        url = _concrete(route)
        response = client.get(url)
        checked += 1
        if name in ANONYMOUS_ALLOWED or getattr(
            get_resolver().resolve(url).func, "arki_public", False
        ):
            continue
        assert response.status_code in (302, 405), (url, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"], url
    assert checked > 10


@pytest.mark.django_db
def test_security_headers_on_pages(world):
    response = world.client_for(world.worker).get("/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_get_never_logs_out_and_logout_needs_post(world):
    client = world.client_for(world.worker)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_idle_session_is_logged_out(world, settings):
    import time

    client = world.client_for(world.worker)
    assert client.get("/").status_code == 200
    session = client.session
    session["arki_last_seen"] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_session_key_rotates_at_login(world):
    client = Client()
    client.get("/accounts/login/")
    before = client.cookies.get("sessionid")
    client.post("/accounts/login/", {"username": "worker", "password": "correct horse battery"})
    after = client.cookies.get("sessionid")
    assert after is not None and (before is None or before.value != after.value)


@pytest.mark.django_db
def test_lockout_after_five_failures_and_no_enumeration(world):
    client = Client()
    unknown = client.post("/accounts/login/", {"username": "nobody", "password": "x"})
    wrong = client.post("/accounts/login/", {"username": "worker", "password": "x"})
    assert unknown.status_code == wrong.status_code == 200
    assert unknown.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()
    for _ in range(4):
        client.post("/accounts/login/", {"username": "worker", "password": "x"})
    locked = client.post(
        "/accounts/login/", {"username": "worker", "password": "correct horse battery"}
    )
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
