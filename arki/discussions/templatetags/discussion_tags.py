from collections.abc import Iterable

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from arki.core.formatting import date_text, url_for_ids

register = template.Library()


def _short_date(value) -> str:
    return date_text(value, "SHORT_DATE_FORMAT") or "–"


@register.simple_tag
def open_discussion_rows(discussions: Iterable) -> SafeString:
    """The rows of the home page's "My LT discussions", built in Python (through the template
    engine each row cost ~0.2 ms: a URL, three dates, a choice label). The markup is the one
    the template loop produced (``arki/discussions/tests/test_home_rows.py`` compares them)."""
    esc = conditional_escape
    labels: dict[str, str] = {}  # the status labels, translated once per table
    detail_url = url_for_ids("discussions:detail", 2)
    parts = []
    for d in discussions:
        warn = " badge-warn" if d.status == "offered" else ""
        url = detail_url(d.child_id, d.pk)
        if d.status not in labels:
            labels[d.status] = esc(d.get_status_display())
        parts.append(
            "<tr>\n"
            f'      <td><a href="{esc(url)}">{esc(d.child.full_name)}</a></td>\n'
            f'      <td><span class="badge{warn}">{labels[d.status]}</span></td>\n'
            f"      <td>{esc(date_text(d.offered_on, 'SHORT_DATE_FORMAT'))}</td>\n"
            f"      <td>{esc(_short_date(d.last_session))}</td>\n"
            f"      <td>{esc(_short_date(d.next_date))}</td>\n"
            "    </tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def _csrf_input(context) -> str:
    """``{% csrf_token %}``."""
    value = context.get("csrf_token")
    if not value or value == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{conditional_escape(value)}">'


@register.simple_tag(takes_context=True)
def observation_list(context) -> SafeString:
    """A log book section's strengths or vulnerabilities with their remove and add forms, built
    in Python (the discussion page renders ten of these lists, each observation with a URL, a
    CSRF field and a translated label). The markup is the one of the template before
    (``arki/discussions/tests/test_observation_list.py`` compares them)."""
    esc = conditional_escape
    discussion = context.get("discussion")
    editable = bool(discussion is not None and discussion.is_editable)
    section_pk = esc(context["section"].pk)
    kind = esc(context.get("kind", ""))
    csrf = _csrf_input(context) if editable else ""
    parts = [f'<ul class="items" aria-label="{esc(context.get("list_label", ""))}">\n']
    items = context.get("items") or []
    for o in items:
        parts.append(f"<li><span>{esc(o.text)}</span>")
        if editable:
            url = esc(
                reverse(
                    "discussions:observation_remove",
                    args=[context["child"].pk, discussion.pk, o.pk],
                )
            )
            label = gettext("Remove “%(text)s”") % {"text": esc(o.text)}
            parts.append(
                f'\n  <form method="post" action="{url}" hx-post="{url}" '
                f'hx-target="#section-{section_pk}" hx-swap="outerHTML">{csrf}'
                f'<button type="submit" class="button-secondary button-small-inline" '
                f'aria-label="{label}">×</button></form>'
            )
        parts.append("</li>\n")
    if not items:
        parts.append(f'<li class="muted">{esc(gettext("None yet."))}</li>')
    parts.append("\n</ul>\n")
    if editable:
        add_url = esc(context.get("observation_add_url", ""))
        add_label = esc(context.get("add_label", ""))
        focus = " data-autofocus" if context.get("focus_kind") == context.get("kind") else ""
        parts.append(
            f'\n<form method="post" action="{add_url}" hx-post="{add_url}" '
            f'hx-target="#section-{section_pk}" hx-swap="outerHTML" class="inline-form">\n'
            f"  {csrf}\n"
            f'  <input type="hidden" name="section" value="{section_pk}">\n'
            f'  <input type="hidden" name="kind" value="{kind}">\n'
            f'  <label for="add-{kind}-{section_pk}" class="visually-hidden">{add_label}</label>\n'
            f'  <input type="text" id="add-{kind}-{section_pk}" name="text" maxlength="500" '
            f'required placeholder="{add_label}"{focus}>\n'
            f'  <button type="submit">{esc(gettext("Add"))}</button>\n'
            "</form>\n"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
