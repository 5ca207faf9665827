"""The discussion page's log book sections and action plan (built in Python in
``arki.discussions.fragments``; these tags read what the templates read from the context)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from arki.discussions import fragments

register = template.Library()


def _section_args(context: template.Context) -> dict[str, Any]:
    return {
        "child": context["child"],
        "discussion": context["discussion"],
        "csrf_token": context.get("csrf_token"),
        "error": context.get("error"),
        "saved": bool(context.get("saved")),
        "focus_kind": context.get("focus_kind"),
    }


@register.simple_tag(takes_context=True)
def logbook_sections(context: template.Context) -> SafeString:
    """Every section of the page (``discussions/_section.html`` for each, in one go: the
    URLs and labels are made once for all of them)."""
    return fragments.logbook_sections_html(context.get("sections") or (), **_section_args(context))


@register.simple_tag(takes_context=True)
def logbook_section(context: template.Context) -> SafeString:
    """The section in ``section`` (``discussions/_section.html``, also the HTMX fragment)."""
    return fragments.logbook_section_html(context["section"], **_section_args(context))


@register.simple_tag(takes_context=True)
def action_plan(context: template.Context) -> SafeString:
    """``discussions/_actions.html``; the add form's fields through
    ``includes/form_fields.html`` as before."""
    discussion = context["discussion"]
    fields = ""
    if discussion.is_editable:
        engine = context.template.engine if context.template else template.Engine.get_default()
        form_fields = engine.get_template("includes/form_fields.html")
        with context.push(form=context.get("action_form")):
            fields = form_fields.render(context)
    return fragments.action_plan_html(
        context.get("actions") or (),
        child=context["child"],
        discussion=discussion,
        status_choices=context.get("action_status_choices") or (),
        csrf_token=context.get("csrf_token"),
        error=context.get("error"),
        oob=bool(context.get("oob")),
        add_form_fields=fields,
    )
