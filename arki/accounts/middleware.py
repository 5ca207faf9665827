from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .models import Membership

SESSION_KEY = "arki_membership"


class CurrentMembershipMiddleware:
    """Attach the membership the user is acting in (chosen in the session, else the first)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = None
        if request.user.is_authenticated:
            memberships = Membership.objects.active().filter(user=request.user)
            chosen = request.session.get(SESSION_KEY)
            if chosen:
                membership = memberships.select_related("unit", "tenant").filter(pk=chosen).first()
            if membership is None:
                membership = (
                    memberships.select_related("unit", "tenant").order_by("created_at").first()
                )
            request.user.current_membership = membership  # type: ignore[union-attr,attr-defined]
        request.membership = membership  # type: ignore[attr-defined]
        return self.get_response(request)
