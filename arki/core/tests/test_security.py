"""Deny by default, headers, sessions (SECURITY.md 1, 9, 12, 13)."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

# URL names an anonymous visitor may open (everything else redirects to the login page).
ANONYMOUS_ALLOWED = {
    "accounts:login",
    "core:health",
    "operations:healthz",
    "operations:readyz",
    "operations:metrics",
    "javascript-catalog",
    "set_language",
}


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


class _Clock:
    """The middleware's clock (``time.time``), moved by the test."""

    def __init__(self) -> None:
        import time

        self.now = time.time()

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> _Clock:
    from arki.core import middleware

    fake = _Clock()
    monkeypatch.setattr(middleware, "time", fake)
    return fake


def _logged_in(client: Client) -> bool:
    response = client.get("/")
    return response.status_code == 200


@pytest.mark.django_db
def test_an_active_session_ends_at_the_absolute_limit_from_the_login(world, settings, clock):
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "worker", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    # A request every 20 minutes: never idle, and each one rewrites the session.
    step = 20 * 60
    for _ in range(settings.SESSION_ABSOLUTE_TIMEOUT // step - 1):
        clock.now += step
        assert _logged_in(client)
    clock.now += step  # exactly SESSION_ABSOLUTE_TIMEOUT after the login
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in client.session
    clock.now += 1
    assert not _logged_in(client)


@pytest.mark.django_db
def test_the_idle_timeout_still_holds_within_the_absolute_limit(world, settings, clock):
    client = world.client_for(world.worker)
    assert _logged_in(client)
    clock.now += settings.SESSION_IDLE_TIMEOUT - 1
    assert _logged_in(client)
    clock.now += settings.SESSION_IDLE_TIMEOUT + 1
    assert not _logged_in(client)


@pytest.mark.django_db
def test_a_new_login_starts_a_new_absolute_lifetime(world, settings, clock):
    client = Client()
    credentials = {"username": "worker", "password": "correct horse battery"}
    client.post("/accounts/login/", credentials)
    clock.now += settings.SESSION_ABSOLUTE_TIMEOUT
    assert not _logged_in(client)
    client.post("/accounts/login/", credentials)
    assert _logged_in(client)


@pytest.mark.django_db
def test_a_stranger_elsewhere_cannot_lock_a_worker_out(world):
    """Five wrong passwords for the worker from another address lock that address (for that
    username) only; the worker logs in from their own."""
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        attacker.post("/accounts/login/", {"username": "worker", "password": "x"})
    credentials = {"username": "worker", "password": "correct horse battery"}
    locked = attacker.post("/accounts/login/", credentials)
    assert locked.status_code == 429 and "_auth_user_id" not in attacker.session
    worker = Client(REMOTE_ADDR="198.51.100.20")
    response = worker.post("/accounts/login/", credentials)
    assert response.status_code == 302
    assert worker.session["_auth_user_id"] == str(world.worker.pk)
    # The attacker's address is not locked for other usernames either.
    other = attacker.post("/accounts/login/", {"username": "colleague", "password": "x"})
    assert other.status_code == 200


@pytest.mark.django_db
def test_logout_deletes_the_server_session(world):
    """Replaying the old session cookie after logout finds no session."""
    from django.contrib.sessions.models import Session

    client = world.client_for(world.worker)
    assert _logged_in(client)
    old_key = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=old_key).exists()
    replay = Client()
    replay.cookies["sessionid"] = old_key
    assert not _logged_in(replay)


@pytest.mark.django_db
def test_login_replaces_the_session_the_visitor_had_before(world):
    """Session fixation: a session that existed before the login (here with a value in it)
    is not the one that is logged in, and its key no longer exists."""
    from django.contrib.sessions.models import Session

    client = Client()
    session = client.session
    session["arki_language_hint"] = "fi"
    session.save()
    before = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=before).exists()
    client.post("/accounts/login/", {"username": "worker", "password": "correct horse battery"})
    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    fixed = Client()
    fixed.cookies["sessionid"] = before
    assert not _logged_in(fixed)


@pytest.mark.django_db
def test_disabling_a_user_ends_their_sessions(world):
    client = world.client_for(world.worker)
    assert _logged_in(client)
    world.worker.is_active = False
    world.worker.save(update_fields=["is_active"])
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not _logged_in(client)
