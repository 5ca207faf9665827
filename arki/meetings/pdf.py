"""The meeting report rendered from its snapshot, as HTML and PDF, in the reader's language."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from arki.core.pdf import local_url_fetcher

from .models import InviteeKind, MeetingReport, Phase, ProposalStatus


def _kind_label(kind: str) -> Any:
    if kind == "chair":
        return _("chair")
    return InviteeKind(kind).label if kind in InviteeKind.values else kind


def _date(value: str | None) -> Any:
    return parse_date(value) if value else None


def _datetime(value: str | None) -> Any:
    return parse_datetime(value) if value else None


def report_context(report: MeetingReport, *, language: str) -> dict[str, Any]:
    """The snapshot turned into what the templates show (labels resolve in ``language``)."""
    s = report.snapshot
    follow_up = s.get("follow_up")
    return {
        "report": report,
        "language": language,
        "child_first_name": s.get("child_first_name", ""),
        "reason": s.get("reason", ""),
        "topics": s.get("topics", ""),
        "location": s.get("location", ""),
        "chair": s.get("chair", ""),
        "starts_at": _datetime(s.get("starts_at")),
        "held_at": _datetime(s.get("held_at")),
        "participants": [
            {**p, "kind_label": _kind_label(p.get("kind", ""))} for p in s.get("participants", [])
        ],
        "phases": [
            {"label": Phase(p["phase"]).label, "text": p["text"]}
            for p in s.get("phases", [])
            if p.get("phase") in Phase.values
        ],
        "proposals": [
            {
                **p,
                "due_on": _date(p.get("due_on")),
                "status_label": ProposalStatus(p["status"]).label
                if p.get("status") in ProposalStatus.values
                else "",
            }
            for p in s.get("proposals", [])
        ],
        "actions": [{**a, "due_on": _date(a.get("due_on"))} for a in s.get("actions", [])],
        "responsible": s.get("responsible", []),
        "follow_up": ({"starts_at": _datetime(follow_up.get("starts_at"))} if follow_up else None),
    }


def render_report(
    report: MeetingReport, *, language: str, template: str, request: Any = None, **extra: Any
) -> str:
    """Render ``template`` with the report inside ``translation.override(language)``."""
    with translation.override(language):
        return render_to_string(
            template, {**report_context(report, language=language), **extra}, request=request
        )


# A version never changes (a correction is a new version), so its PDF in one language is kept
# for a while in the default cache (settings.CACHES): the chair's send, the family's download
# and a print soon after reuse one render (WeasyPrint needs ~0.4 s of CPU for a full report;
# docs/performance.md). Callers check access first.
REPORT_PDF_SECONDS = 600


def report_pdf(report: MeetingReport, *, language: str) -> bytes:
    key = f"meetings.report:{report.pk}:{language}"
    content = cache.get(key)
    if content is None:
        content = render_pdf(report, language=language)
        cache.set(key, content, REPORT_PDF_SECONDS)
    return content


def render_pdf(report: MeetingReport, *, language: str) -> bytes:
    """Render the PDF now (``report_pdf`` reuses a recent render of the same version)."""
    # WeasyPrint loads Pango and its fonts (seconds): only a process that renders a PDF pays.
    from weasyprint import HTML

    html = render_report(report, language=language, template="meetings/report_pdf.html")
    return HTML(string=html, url_fetcher=local_url_fetcher).write_pdf()


def filename(report: MeetingReport) -> str:
    day = (report.meeting.held_at or report.created_at).date().isoformat()
    return f"network-meeting-{day}-v{report.number}.pdf"


def attachment(report: MeetingReport, content: bytes) -> HttpResponse:
    """The report's PDF as a download named after the meeting and version."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename(report)}"'
    return response
