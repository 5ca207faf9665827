from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_prometheus.exports import ExportToDjangoView

from arki.core.middleware import public

from .selectors import readiness


@public
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is up (liveness): no database, nothing that could be slow."""
    return HttpResponse("ok", content_type="text/plain")


@public
@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """The process can serve (readiness): 200 with each check, or 503 saying which failed."""
    ready, checks = readiness()
    return JsonResponse({"ready": ready, "checks": checks}, status=200 if ready else 503)


@public
@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for the addresses in ARKI_METRICS_ALLOWED only (404 to others)."""
    address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", "0.0.0.0"))  # noqa: S104
    if not any(address in ipaddress.ip_network(n) for n in settings.ARKI_METRICS_ALLOWED):
        raise Http404
    return ExportToDjangoView(request)
