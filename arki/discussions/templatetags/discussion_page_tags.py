"""The discussion page's log book sections and action plan (built in Python in
``arki.discussions.fragments``; these tags read what the templates read from the context)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe

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


@register.simple_tag(takes_context=True)
def observation_list(context: template.Context) -> SafeString:
    """``discussions/_observation_list.html``: one list of a section, from the variables
    ``_section.html`` used to set (``items``, ``kind``, ``list_label``, ``add_label``,
    ``observation_add_url``)."""
    discussion: Any = context.get("discussion")
    editable = bool(discussion is not None and discussion.is_editable)
    remove_url = None
    if editable:
        remove_url = fragments.url_for_each(
            "discussions:observation_remove", context["child"].pk, discussion.pk
        )
    html = fragments.observation_list_html(
        context.get("items") or (),
        kind=context.get("kind") or "",
        section_pk=esc(context["section"].pk),
        list_label=esc(context.get("list_label") or ""),
        add_label=esc(context.get("add_label") or ""),
        add_url=esc(context.get("observation_add_url") or ""),
        remove_url=remove_url,
        csrf=fragments.csrf_input(context.get("csrf_token")) if editable else "",
        autofocus=context.get("focus_kind") == context.get("kind"),
    )
    return mark_safe(html)  # noqa: S308 - escaped in observation_list_html
