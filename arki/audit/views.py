from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.views.decorators.http import require_GET, require_POST

from arki.accounts.access import require_permission
from arki.people import selectors as people_selectors
from arki.people.access import get_child_for

from . import access_reports, selectors
from . import services as audit
from .forms import AuditSearchForm, SubjectAccessRequestForm, SubjectSearchForm


def _start_of(day: date) -> datetime:
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
    elif not form.is_bound:
        events = selectors.events_search(tenant_id=membership.tenant_id)
    if not form.is_bound or form.is_valid():
        audit.record(
            request.user,
            "audit.log.searched",
            subjects=people_selectors.subjects_of(events),
            request=request,
            basis="supervision",
            detail={"filters": request.GET.urlencode()[:500]},
        )
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
        subjects=[access.child, *people_selectors.subjects_of(events)],
        obj=access.child,
        basis=access.basis,
        request=request,
    )
    return render(request, "audit/child_log.html", {"child": access.child, "events": events})


# Subject access requests: the coordinator answers a client's request to know who has seen
# or changed the child's data.


def _report_event(request: HttpRequest, code: str, access_request: Any, **kwargs: Any) -> None:
    audit.record(
        request.user,
        code,
        subjects=[
            access_request.child,
            *people_selectors.people_in_events_about(access_request.child),
        ],
        obj=access_request,
        basis=audit.SUBJECT_ACCESS_BASIS,
        request=request,
        detail={"reason": access_request.reason[:500], **kwargs.pop("detail", {})},
        **kwargs,
    )


def access_requests(request: HttpRequest) -> HttpResponse:
    """Find the child (name or identity code, within the tenant), stating who asked and why;
    the search itself is logged with the reason. Also the list of requests answered."""
    membership = require_permission(request, "audit.subject_access:answer")
    form = SubjectSearchForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = people_selectors.children_matching(
            tenant_id=membership.tenant_id, text=data["text"]
        )
        audit.record(
            request.user,
            "audit.subject_access.searched",
            subjects=found,
            request=request,
            basis=audit.SUBJECT_ACCESS_BASIS,
            detail={"reason": data["reason"][:500], "requester": data["requester"]},
        )
    answered = selectors.access_requests(tenant_id=membership.tenant_id)
    audit.record(
        request.user,
        "audit.subject_access.list_viewed",
        subjects=[r.child for r in answered],
        request=request,
        basis=audit.SUBJECT_ACCESS_BASIS,
    )
    return render(
        request,
        "audit/access_requests.html",
        {"form": form, "found": found, "answered": answered},
    )


@require_POST
def access_request_create(request: HttpRequest) -> HttpResponse:
    membership = require_permission(request, "audit.subject_access:answer")
    form = SubjectAccessRequestForm(request.POST)
    if not form.is_valid():
        return redirect("audit:access_requests")
    data = form.cleaned_data
    child = people_selectors.child_in_tenant(tenant_id=membership.tenant_id, child_id=data["child"])
    if child is None:
        raise Http404
    access_request = audit.subject_access_request_create(
        actor=request.user,
        child=child,
        requester=data["requester"],
        reason=data["reason"],
        request=request,
    )
    return redirect("audit:access_request", request_id=access_request.pk)


def _access_request(request: HttpRequest, request_id: UUID) -> Any:
    membership = require_permission(request, "audit.subject_access:answer")
    access_request = selectors.access_request_in_tenant(
        tenant_id=membership.tenant_id, request_id=request_id
    )
    if access_request is None:
        raise Http404
    return access_request


@require_GET
def access_request_detail(request: HttpRequest, request_id: UUID) -> HttpResponse:
    access_request = _access_request(request, request_id)
    rows = selectors.access_report(access_request.child)
    _report_event(request, "audit.subject_access.viewed", access_request)
    return render(
        request,
        "audit/access_request.html",
        {"access_request": access_request, "child": access_request.child, "rows": rows},
    )


def _export(request: HttpRequest, access_request: Any, fmt: str) -> None:
    """Handing the report to the client is a disclosure to them."""
    _report_event(
        request,
        "audit.subject_access.exported",
        access_request,
        is_disclosure=True,
        recipient=access_request.requester,
        detail={"format": fmt},
    )


@require_GET
def access_request_csv(request: HttpRequest, request_id: UUID) -> HttpResponse:
    access_request = _access_request(request, request_id)
    rows = selectors.access_report(access_request.child)
    _export(request, access_request, "csv")
    response = HttpResponse(access_reports.report_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="access-report.csv"'
    return response


@require_GET
def access_request_pdf(request: HttpRequest, request_id: UUID) -> HttpResponse:
    access_request = _access_request(request, request_id)
    rows = selectors.access_report(access_request.child)
    _export(request, access_request, "pdf")
    language = translation.get_language() or settings.LANGUAGE_CODE
    content = access_reports.report_pdf(access_request, rows, language=language)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="access-report.pdf"'
    return response
