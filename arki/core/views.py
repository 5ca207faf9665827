from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from arki.core.middleware import public
from arki.people.selectors import my_children


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The worker's home: the children they work with and what is coming next."""
    children = my_children(request.user)
    return render(request, "core/home.html", {"children": children})


@public
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
