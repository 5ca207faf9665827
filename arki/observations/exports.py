"""The leadership view as CSV/XLSX, a leadership group's agenda and a team meeting's minutes
as PDF (WeasyPrint, nothing fetched from the network)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from arki.core.pdf import local_url_fetcher

from . import selectors
from .models import Body, InitiativeStatus, PhenomenonStatus, TeamMeeting


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    # WeasyPrint loads Pango and its fonts (seconds): only a process that renders a PDF pays.
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, url_fetcher=local_url_fetcher).write_pdf()  # type: ignore[no-any-return]


def minutes_pdf(meeting: TeamMeeting) -> bytes:
    return _pdf(
        "observations/minutes_pdf.html",
        {
            "meeting": meeting,
            "attendees": meeting.attendees.all(),
            "decided": meeting.events.select_related("phenomenon", "actor").order_by("created_at"),
            "now": timezone.now(),
        },
    )


def agenda_pdf(body: Body) -> bytes:
    waiting = [p for p in selectors.arrived_at(body) if p.current_body_id == body.pk]
    return _pdf(
        "observations/agenda_pdf.html",
        {
            "body": body,
            "items": [
                {"phenomenon": p, "timeline": selectors.timeline(p), "trend": selectors.trend(p)}
                for p in waiting
            ],
            "now": timezone.now(),
        },
    )


def _header() -> list[str]:
    return [
        _("Phenomenon"),
        _("Team"),
        _("Area"),
        _("Level"),
        _("Status"),
        _("Observations"),
        _("Days since sent"),
        _("Days to first response"),
        _("Initiatives"),
    ]


def _row(row: selectors.LeadershipRow) -> list[Any]:
    p = row.phenomenon
    initiatives = "; ".join(
        f"{i.what} ({InitiativeStatus(i.status).label}, {i.due_on.isoformat()})"
        for i in row.initiatives
    )
    return [
        p.title,
        p.team.name,
        row.area,
        row.level,
        str(PhenomenonStatus(p.status).label),
        row.count_shown,
        row.age_days,
        "" if row.first_response_days is None else row.first_response_days,
        initiatives,
    ]


def leadership_export(rows: list[selectors.LeadershipRow], fmt: str) -> HttpResponse:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(_header())
        for row in rows:
            writer.writerow(_row(row))
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="phenomena.csv"'
        return response
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(_header())
    for row in rows:
        sheet.append(_row(row))
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="phenomena.xlsx"'
    return response
