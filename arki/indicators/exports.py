"""The dashboard as CSV, XLSX and a printable PDF: the same suppressed figures as on screen."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Font

from arki.core.pdf import local_url_fetcher


def table_rows(sections: list[Any], referrals: Any) -> list[list[str]]:
    rows: list[list[str]] = []
    for section in sections:
        for figure in section.figures:
            rows.append([str(section.title), str(figure.label), figure.display])
    return rows


def as_csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def as_xlsx(header: list[str], rows: list[list[str]], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_number_or_text(v) for v in row])
    for column, width in zip("ABC", (32, 60, 12), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _number_or_text(value: str) -> Any:
    try:
        return int(value)
    except ValueError:
        try:
            return float(value.replace(" %", ""))
        except ValueError:
            return value


def as_pdf(context: dict[str, Any]) -> bytes:
    # WeasyPrint loads Pango and its fonts (seconds): only a process that renders a PDF pays.
    from weasyprint import HTML

    html = render_to_string("indicators/report_pdf.html", context)
    return HTML(string=html, url_fetcher=local_url_fetcher).write_pdf()
