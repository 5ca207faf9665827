"""The meeting report's pages: making and sending versions (the chair), reading them (casework
workers: every version; an invitee whose consent covers the report: the latest one, as a
disclosure). Every read writes an audit event. The family's copy is a portal page
(``arki.portal.views.family_report``)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from arki.audit import services as audit
from arki.core.exceptions import DomainError
from arki.people import selectors as people_selectors
from arki.people.access import get_child_for

from .. import pdf, reports, selectors
from ..forms import ReportForm
from ..models import MeetingReport
from . import page


def _language(request: HttpRequest, default: str) -> str:
    asked = request.GET.get("language", "")
    return asked if asked in dict(settings.LANGUAGES) else default


def _reader(request: HttpRequest, child_id: UUID, meeting_id: UUID, report_id: UUID):
    """The report if the user may read it: casework sees every version; an invitee only the
    latest, and only while the family's ``meeting_report`` consent is active (else 404)."""
    access = get_child_for(request, child_id, "meetings.meeting:view")
    meeting = selectors.meeting_for_child(access.child, meeting_id)
    if meeting is None:
        raise Http404
    report = selectors.report_of_meeting(meeting, report_id)
    if report is None:
        raise Http404
    if access.is_full_case:
        return access, report, None
    consent = reports.report_consent(request.user, meeting)
    latest = reports.latest_report(meeting)
    if consent is None or latest is None or latest.pk != report.pk:
        raise Http404
    return access, report, consent.invitee


def _record_read(request: HttpRequest, access: Any, report: MeetingReport, code: str, **kw):
    user: Any = request.user
    audit.record(
        user,
        code,
        subjects=[access.child, *people_selectors.guardians_invited_to(report.meeting)],
        obj=report,
        basis=access.basis,
        request=request,
        is_disclosure=not access.is_full_case,
        recipient="" if access.is_full_case else user.get_full_name(),
        detail={"version": report.number, **kw},
    )


@require_GET
def report_view(
    request: HttpRequest, child_id: UUID, meeting_id: UUID, report_id: UUID
) -> HttpResponse:
    access, report, invitee = _reader(request, child_id, meeting_id, report_id)
    default = invitee.language if invitee else (translation.get_language() or "fi")
    language = _language(request, default)
    _record_read(request, access, report, "meetings.report.viewed", language=language)
    latest = reports.latest_report(report.meeting)
    html = pdf.render_report(
        report,
        language=language,
        template="meetings/report.html",
        request=request,
        full_case=access.is_full_case,
        report_languages=settings.LANGUAGES,
        newer=latest if latest and latest.pk != report.pk else None,
    )
    return HttpResponse(html)


@require_GET
def report_pdf(
    request: HttpRequest, child_id: UUID, meeting_id: UUID, report_id: UUID
) -> HttpResponse:
    access, report, invitee = _reader(request, child_id, meeting_id, report_id)
    if invitee is not None:
        default = invitee.language
    else:
        guardian = access.child.guardians.order_by("created_at").first()
        default = guardian.preferred_language if guardian else "fi"
    language = _language(request, default)
    content = pdf.report_pdf(report, language=language)
    _record_read(request, access, report, "meetings.report.printed", language=language)
    return pdf.attachment(report, content)


@require_POST
def report_create(request: HttpRequest, child_id: UUID, meeting_id: UUID) -> HttpResponse:
    access, meeting = page.load(request, child_id, meeting_id, "meetings.meeting:write")
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            report = reports.report_create(
                actor=request.user,
                meeting=meeting,
                correction_note=form.cleaned_data["correction_note"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request,
                _("Version %(n)s of the report was made. Check it, then send it.")
                % {"n": report.number},
            )
            return redirect(page.url(meeting, "reports"))
    return render(
        request,
        "meetings/detail.html",
        page.context(request, access, meeting, report_form=form),
        status=400,
    )


@require_POST
def report_send(
    request: HttpRequest, child_id: UUID, meeting_id: UUID, report_id: UUID
) -> HttpResponse:
    access, meeting = page.load(request, child_id, meeting_id, "meetings.report:send")
    report = selectors.report_of_meeting(meeting, report_id)
    if report is None:
        raise Http404
    try:
        result = reports.report_send(actor=request.user, report=report)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect(page.url(meeting, "reports"))
    if result.sent:
        messages.success(
            request,
            _("The report was sent to: %(names)s.")
            % {"names": ", ".join(d.name for d in result.sent)},
        )
    if result.already:
        messages.info(
            request,
            _("Already sent this version to: %(names)s.") % {"names": ", ".join(result.already)},
        )
    if result.missing:
        messages.warning(
            request,
            _("No email address, not sent: %(names)s.") % {"names": ", ".join(result.missing)},
        )
    return redirect(page.url(meeting, "reports"))
