from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_prometheus.exports import ExportToDjangoView

from arki.accounts.access import require_permission
from arki.core.exceptions import DomainError
from arki.core.middleware import public

from .forms import RetentionPeriodForm
from .retention import RECORD_TYPES, last_run, retention_rule_change, rules_for
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


def _retention_rows(rules: list[Any], bound: Any = None) -> list[dict[str, Any]]:
    rows = []
    for rule in rules:
        form = bound if bound is not None and bound.rule.pk == rule.pk else None
        rows.append(
            {
                "rule": rule,
                "spec": RECORD_TYPES[rule.record_type],
                "form": form or RetentionPeriodForm(rule=rule),
            }
        )
    return rows


def retention(request: HttpRequest) -> HttpResponse:
    """The tenant's retention rules and the last run; the coordinator changes a period."""
    membership = require_permission(request, "operations.retention:manage")
    rules = rules_for(membership.tenant)
    bound = None
    if request.method == "POST":
        rule = next((r for r in rules if str(r.pk) == request.POST.get("rule")), None)
        if rule is None:
            raise Http404
        bound = RetentionPeriodForm(request.POST, rule=rule)
        if bound.is_valid():
            try:
                retention_rule_change(
                    actor=request.user,
                    rule=rule,
                    period_days=bound.cleaned_data["period_days"],
                    request=request,
                )
            except DomainError as error:
                bound.add_error("period_days", str(error.message))
            else:
                messages.success(request, _("The retention period was changed."))
                return redirect("operations:retention")
    run = last_run(membership.tenant_id)
    results = [(RECORD_TYPES[c].label, n) for c, n in run.results.items()] if run else []
    return render(
        request,
        "operations/retention.html",
        {"rows": _retention_rows(rules, bound), "run": run, "run_results": results},
        status=400 if bound is not None else 200,
    )
