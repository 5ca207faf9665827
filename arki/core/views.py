from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from arki.audit import services as audit
from arki.core.middleware import public
from arki.core.registry import home_panels_for
from arki.people.selectors import my_children_and_cases


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The worker's home: the children they work with and what is coming next."""
    # The panels ask for the same children (their cases): one query, kept for the request.
    children = my_children_and_cases(request.user).children
    if children:
        audit.record(
            request.user,
            "people.child.list_viewed",
            subjects=children,
            basis="relationship",
            request=request,
        )
    return render(
        request, "core/home.html", {"children": children, "panels": home_panels_for(request)}
    )


@public
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
