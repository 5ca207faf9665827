from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import resolve, reverse
from django.utils.http import urlencode
from django_otp import devices_for_user

from .models import Membership
from .sso import MFA_SESSION_KEY

SESSION_KEY = "arki_membership"


class CurrentMembershipMiddleware:
    """Attach the membership the user is acting in (chosen in the session, else the first)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = None
        memberships: list[Membership] = []
        if request.user.is_authenticated:
            # One query: the membership switcher in the page header lists the same rows.
            memberships = list(
                Membership.objects.active()
                .filter(user_id=request.user.pk)
                .select_related("unit", "tenant")
                .order_by("created_at")
            )
            chosen = request.session.get(SESSION_KEY)
            if chosen:
                membership = next((m for m in memberships if str(m.pk) == str(chosen)), None)
            if membership is None and memberships:
                membership = memberships[0]
            request.user.current_membership = membership
            # Reads kept for this request only (qualifications, the home's children).
            request.user.request_cache = {}
        request.membership = membership  # type: ignore[attr-defined]
        request.arki_memberships = memberships  # type: ignore[attr-defined]
        return self.get_response(request)


class SecondFactorMiddleware:
    """With ARKI_REQUIRE_2FA, a staff session must be verified with a TOTP code before any
    staff page answers; users without a device are sent to set one up. A single sign-on where
    the identity provider asserted multi-factor authentication counts as verified."""

    EXEMPT = {
        "accounts:login",
        "accounts:logout",
        "accounts:sso_start",
        "accounts:sso_callback",
        "accounts:otp_setup",
        "accounts:otp_verify",
        "set_language",
        "core:health",
        "javascript-catalog",
    }

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
        user = request.user
        if not settings.ARKI_REQUIRE_2FA or not user.is_authenticated:
            return None
        if getattr(view_func, "arki_public", False) or user.is_verified():  # type: ignore[attr-defined]  # django-otp adds it
            return None
        if request.session.get(MFA_SESSION_KEY) is True:
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        if resolve(request.path_info).view_name in self.EXEMPT:
            return None
        has_device = any(True for _ in devices_for_user(user, confirmed=True))
        target = "accounts:otp_verify" if has_device else "accounts:otp_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
