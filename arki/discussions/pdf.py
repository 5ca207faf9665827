"""The family's action plan as a PDF, in the guardian's language."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from arki.core.pdf import local_url_fetcher

from . import selectors
from .models import Discussion


def action_plan_html(discussion: Discussion, *, language: str) -> str:
    with translation.override(language):
        return render_to_string(
            "discussions/plan_pdf.html",
            {
                "discussion": discussion,
                "child": discussion.child,
                "language": language,
                "generated": timezone.localdate(),
                **selectors.plan_for_print(discussion),
            },
        )


def action_plan_pdf(discussion: Discussion, *, language: str) -> bytes:
    # WeasyPrint loads Pango and its fonts (seconds): only a process that renders a PDF pays.
    from weasyprint import HTML

    html = action_plan_html(discussion, language=language)
    return HTML(string=html, url_fetcher=local_url_fetcher).write_pdf()
