"""Request-wide rules: login required by default, session idle and absolute timeouts, no-store
caching."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import resolve

# URL names anyone may open without logging in (SECURITY.md 1). Apps add theirs with
# ``arki.core.middleware.public`` on the view.
PUBLIC_URL_NAMES = {
    "accounts:login",
    "set_language",
    "core:health",
    "javascript-catalog",
}


def public[View: Callable[..., Any]](view: View) -> View:
    """Mark a view as reachable without a staff login (portal links, health check)."""
    view.arki_public = True  # type: ignore[attr-defined]
    return view


class LoginRequiredByDefaultMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if request.user.is_authenticated:
            return None
        if getattr(view_func, "arki_public", False):
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        match = resolve(request.path_info)
        if match.view_name in PUBLIC_URL_NAMES:
            return None
        return redirect_to_login(request.get_full_path())


class SessionTimeoutMiddleware:
    """End a staff session that has been idle longer than SESSION_IDLE_TIMEOUT, or that began
    SESSION_ABSOLUTE_TIMEOUT or more ago however active it has been (SECURITY.md 9).

    The session keeps the time of the login (set on the first authenticated request, the login's
    own included) and the time it was last seen (written at most once a minute, which slides
    Django's own expiry: the login time is what holds the absolute limit)."""

    KEY = "arki_last_seen"
    LOGIN_KEY = "arki_login_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(self.KEY)
            logged_in = request.session.get(self.LOGIN_KEY)
            idle = last_seen is not None and now - int(last_seen) > settings.SESSION_IDLE_TIMEOUT
            too_old = (
                logged_in is not None and now - int(logged_in) >= settings.SESSION_ABSOLUTE_TIMEOUT
            )
            if idle or too_old:
                logout(request)
                return redirect_to_login(request.get_full_path())
            if logged_in is None:
                request.session[self.LOGIN_KEY] = now
            # Write at most once a minute to keep sessions cheap.
            if last_seen is None or now - int(last_seen) >= 60:
                request.session[self.KEY] = now
        response = self.get_response(request)
        if request.user.is_authenticated and self.LOGIN_KEY not in request.session:
            # This request logged in: the absolute lifetime starts now.
            request.session[self.LOGIN_KEY] = int(time.time())
        return response


class PrivateCacheMiddleware:
    """Pages may hold personal data: never store them in a shared or browser cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            response["Cache-Control"] = "no-store, private"
        return response
