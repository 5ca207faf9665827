"""Request-wide rules: login required by default, session idle timeout, no-store caching."""

from __future__ import annotations

import time
from collections.abc import Callable

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


def public(view: Callable) -> Callable:
    """Mark a view as reachable without a staff login (portal links, health check)."""
    view.arki_public = True  # type: ignore[attr-defined]
    return view


class LoginRequiredByDefaultMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable, args: tuple, kwargs: dict):
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
    """Log out a staff session that has been idle longer than SESSION_IDLE_TIMEOUT."""

    KEY = "arki_last_seen"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(self.KEY)
            if last_seen is not None and now - int(last_seen) > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                return redirect_to_login(request.get_full_path())
            # Write at most once a minute to keep sessions cheap.
            if last_seen is None or now - int(last_seen) >= 60:
                request.session[self.KEY] = now
        return self.get_response(request)


class PrivateCacheMiddleware:
    """Pages may hold personal data: never store them in a shared or browser cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            response["Cache-Control"] = "no-store, private"
        return response
