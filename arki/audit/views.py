from __future__ import annotations

from datetime import datetime, time, timedelta
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from arki.accounts.access import require_permission
from arki.people.access import get_child_for

from . import selectors
from . import services as audit
from .forms import AuditSearchForm


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def search(request: HttpRequest) -> HttpResponse:
    membership = require_permission(request, "audit.event:search")
    form = AuditSearchForm(request.GET or None)
    events = []
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        events = selectors.events_search(
            tenant_id=membership.tenant_id,
            actor=data["actor"],
            action=data["action"],
            subject_id=data["subject"],
            since=_start_of(data["since"]) if data["since"] else None,
            until=_start_of(data["until"] + timedelta(days=1)) if data["until"] else None,
            before=data["before"],
            disclosures_only=data["disclosures_only"],
        )
        audit.record(
            request.user,
            "audit.log.searched",
            request=request,
            basis="supervision",
            detail={"filters": request.GET.urlencode()[:500]},
        )
    elif not form.is_bound:
        events = selectors.events_search(tenant_id=membership.tenant_id)
    next_query = None
    if len(events) == selectors.PAGE_SIZE:
        query = request.GET.copy()
        query["before"] = events[-1].occurred_at.isoformat()
        next_query = query.urlencode()
    return render(
        request, "audit/search.html", {"form": form, "events": events, "next_query": next_query}
    )


def child_log(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Who has looked at or changed this child's data, and on what basis."""
    access = get_child_for(request, child_id, "audit.child_log:view")
    if not access.is_full_case:
        raise Http404
    events = selectors.events_about(access.child.pk)
    audit.record(
        request.user,
        "audit.child_log.viewed",
        subjects=[access.child],
        obj=access.child,
        basis=access.basis,
        request=request,
    )
    return render(request, "audit/child_log.html", {"child": access.child, "events": events})
