"""A client's access report as CSV and PDF, in the reader's language (subject access)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from arki.core.pdf import local_url_fetcher

from .selectors import AccessReportRow


def _header() -> list[str]:
    return [
        _("Time"),
        _("Who"),
        _("Role"),
        _("Unit"),
        _("What"),
        _("Basis"),
        _("Disclosure to"),
    ]


def report_csv(rows: list[AccessReportRow]) -> bytes:
    """The rows as CSV (semicolons, UTF-8 with a byte-order mark for spreadsheets)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(_header())
    for row in rows:
        recipient = row.recipient or (_("yes") if row.disclosure else "")
        writer.writerow(
            [
                timezone.localtime(row.occurred_at).strftime("%Y-%m-%d %H:%M"),
                row.actor,
                row.role,
                row.unit,
                row.action,
                row.basis,
                recipient,
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def report_pdf(access_request: Any, rows: list[AccessReportRow], *, language: str) -> bytes:
    # WeasyPrint loads Pango and its fonts (seconds): only a process that renders a PDF pays.
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(
            "audit/access_report_pdf.html",
            {
                "access_request": access_request,
                "child": access_request.child,
                "rows": rows,
                "language": language,
                "generated": timezone.localtime(),
            },
        )
    pdf: bytes = HTML(string=html, url_fetcher=local_url_fetcher).write_pdf()
    return pdf
