"""The discussion page's log book sections and action plan, built in Python.

Through the template engine these were most of the page's rendering: five sections, each
with two observation lists, a notes form, nested includes and a dozen ``{% url %}`` and
``{% translate %}`` tags, and an action plan with a URL, a CSRF field and a ``<select>`` of
statuses per row. Here each kind of URL is reversed once per render with a placeholder id
that is then replaced by each row's id (exactly what ``{% url %}`` gives: the ids are UUIDs,
which need no quoting), and each label is translated once per render. Translations are put
in as they are, like ``{% translate "…" %}`` does; every value from the database is escaped.

The markup is the one the templates produced before
(``arki/discussions/tests/test_page_fragments.py`` renders the old templates next to this).
The template tags in ``templatetags/discussion_page_tags.py`` call these functions, so the
include points (``discussions/_section.html``, ``discussions/_actions.html``) still serve
the HTMX fragment responses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.urls import reverse
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from arki.core.formatting import csrf_input, short_date, url_for_ids


def url_for_each(name: str, *args: Any) -> Callable[[Any], str]:
    """``reverse(name, args=[*args, pk])``, escaped, for any UUID ``pk``, with one reverse."""
    build = url_for_ids(name, len(args) + 1)
    return lambda pk: esc(build(*args, pk))


def _observation_texts() -> tuple[str, str, str]:
    return gettext("Remove “%(text)s”"), gettext("None yet."), gettext("Add")


def observation_list_html(
    items: Iterable[Any],
    *,
    kind: str,
    section_pk: str,
    list_label: str,
    add_label: str,
    add_url: str,
    remove_url: Callable[[Any], str] | None,
    csrf: str,
    autofocus: bool = False,
    texts: tuple[str, str, str] | None = None,
) -> str:
    """A section's strengths or vulnerabilities (``discussions/_observation_list.html``,
    whose newline follows it).
    ``remove_url`` is None when the discussion is not editable; ``section_pk``, the labels,
    ``add_url`` and ``csrf`` come escaped. ``texts``: the translations of "Remove “%(text)s”",
    "None yet." and "Add", when the caller has them already."""
    remove_label, none_yet, add = texts or _observation_texts()
    kind = esc(kind)
    parts = [f'<ul class="items" aria-label="{list_label}">\n']
    empty = True
    for o in items:
        empty = False
        text = esc(o.text)
        parts.append(f"<li><span>{text}</span>")
        if remove_url is not None:
            url = remove_url(o.pk)
            label = remove_label % {"text": text}
            parts.append(
                f'\n  <form method="post" action="{url}" hx-post="{url}" '
                f'hx-target="#section-{section_pk}" hx-swap="outerHTML">{csrf}'
                f'<button type="submit" class="button-secondary button-small-inline" '
                f'aria-label="{label}">×</button></form>'
            )
        parts.append("</li>\n")
    if empty:
        parts.append(f'<li class="muted">{none_yet}</li>')
    parts.append("\n</ul>\n")
    if remove_url is not None:
        focus = " data-autofocus" if autofocus else ""
        parts.append(
            f'\n<form method="post" action="{add_url}" hx-post="{add_url}" '
            f'hx-target="#section-{section_pk}" hx-swap="outerHTML" class="inline-form">\n'
            f"  {csrf}\n"
            f'  <input type="hidden" name="section" value="{section_pk}">\n'
            f'  <input type="hidden" name="kind" value="{kind}">\n'
            f'  <label for="add-{kind}-{section_pk}" class="visually-hidden">{add_label}</label>\n'
            f'  <input type="text" id="add-{kind}-{section_pk}" name="text" maxlength="500" '
            f'required placeholder="{add_label}"{focus}>\n'
            f'  <button type="submit">{add}</button>\n'
            "</form>\n"
        )
    return "".join(parts)


def logbook_sections_html(sections: Iterable[Any], **kwargs: Any) -> SafeString:
    """Log book sections one after the other, each with its newline, as
    ``{% for section in sections %}{% include "discussions/_section.html" %}{% endfor %}``
    gave (the URLs and labels are made once for all of them)."""
    return mark_safe("".join(f"{html}\n" for html in _sections(sections, **kwargs)))  # noqa: S308


def logbook_section_html(section: Any, **kwargs: Any) -> SafeString:
    """One log book section (``discussions/_section.html``, whose newline follows it)."""
    return mark_safe(_sections([section], **kwargs)[0])  # noqa: S308 - escaped in _sections


def _sections(
    sections: Iterable[Any],
    *,
    child: Any,
    discussion: Any,
    csrf_token: Any,
    error: Any = "",
    saved: bool = False,
    focus_kind: Any = None,
) -> list[str]:
    """Each section: the guiding questions, strengths and vulnerabilities, the working notes.
    Every value from the database is escaped here."""
    editable = bool(discussion.is_editable)
    purged = bool(discussion.notes_purged_at)
    csrf = csrf_input(csrf_token) if editable else ""
    add_url, remove_url = "", None
    if editable:
        add_url = esc(reverse("discussions:observation_add", args=[child.pk, discussion.pk]))
        remove_url = url_for_each("discussions:observation_remove", child.pk, discussion.pk)
    note_url = (
        url_for_each("discussions:note_save", child.pk, discussion.pk)
        if editable and not purged
        else None
    )
    guiding = gettext("Guiding questions")
    strengths, vulnerabilities = gettext("Strengths"), gettext("Vulnerabilities")
    add_strength, add_vulnerability = gettext("Add a strength"), gettext("Add a vulnerability")
    notes_label = gettext("Working notes (the family's)")
    texts = _observation_texts()
    error_html = f'<p class="errorlist" role="alert">{esc(error)}</p>' if error else ""
    notes_end = ""  # what closes the notes part of each section (the same for all)
    if purged:
        notes_end = (
            f'<p class="muted">{gettext("The working notes have been deleted as agreed.")}</p>\n  '
        )
    elif editable:
        saved_html = f'<span role="status">{gettext("Saved.")}</span>' if saved else ""
        notes_end = (
            f'\n    <div class="actions"><button type="submit" class="button-secondary">'
            f"{gettext('Save notes')}</button>{saved_html}</div>\n  </form>\n  "
        )
    parts = []
    for section in sections:
        pk = esc(section.pk)
        questions = "".join(f"<li>{esc(q.text)}</li>" for q in section.guiding_questions)
        lists = []
        for kind, items, list_label, add_label in (
            ("strength", getattr(section, "strengths", ()), strengths, add_strength),
            ("vulnerability", getattr(section, "vulnerabilities", ()), vulnerabilities,
             add_vulnerability),
        ):  # fmt: skip
            observations = observation_list_html(
                items,
                kind=kind,
                section_pk=pk,
                list_label=list_label,
                add_label=add_label,
                add_url=add_url,
                remove_url=remove_url,
                csrf=csrf,
                autofocus=focus_kind == kind,
                texts=texts,
            )
            lists.append(
                f"    <div>\n      <h4>{list_label}</h4>\n      \n      {observations}\n\n"
                "    </div>\n"
            )
        note = getattr(section, "note", None)
        note_text = note.text if note is not None else ""
        if purged:
            notes = notes_end
        elif note_url is not None:
            url = note_url(section.pk)
            notes = (
                f'\n  <form method="post" action="{url}" hx-post="{url}" '
                f'hx-target="#section-{pk}" hx-swap="outerHTML">\n'
                f"    {csrf}\n"
                f'    <label for="note-{pk}">{notes_label}</label>\n'
                f'    <textarea id="note-{pk}" name="text" rows="3">{esc(note_text or "")}'
                f"</textarea>{notes_end}"
            )
        elif note_text:
            notes = f'<h4>{notes_label}</h4><p class="prewrap">{esc(note_text)}</p>'
        else:
            notes = ""
        parts.append(
            f'<section id="section-{pk}" class="card logbook-section" '
            f'aria-labelledby="section-h-{pk}">\n'
            f'  <h3 id="section-h-{pk}">{esc(section.title)}</h3>\n'
            f"  <details><summary>{guiding}</summary>\n"
            f"    <ul>{questions}</ul>\n"
            "  </details>\n"
            f"  {error_html}\n"
            '  <div class="grid-2">\n'
            f"{lists[0]}{lists[1]}"
            "  </div>\n"
            f"  {notes}\n"
            "</section>"
        )
    return parts


def action_plan_html(
    actions: Iterable[Any],
    *,
    child: Any,
    discussion: Any,
    status_choices: Iterable[tuple[Any, Any]],
    csrf_token: Any,
    error: Any = "",
    oob: bool = False,
    add_form_fields: str = "",
) -> SafeString:
    """The action plan (``discussions/_actions.html``, whose newline follows it): a row per
    item with its status form, and for an editable discussion the add form around
    ``add_form_fields`` (the fields as ``includes/form_fields.html`` renders them)."""
    editable = bool(discussion.is_editable)
    what, who, serves, by, review, status = (
        gettext("What"),
        gettext("Who"),
        gettext("Serves"),
        gettext("By"),
        gettext("Review"),
        gettext("Status"),
    )
    swap_oob = ' hx-swap-oob="true"' if oob else ""
    error_html = f'<p class="errorlist" role="alert">{esc(error)}</p>' if error else ""
    parts = [
        f'<section id="plan" aria-labelledby="plan-h"{swap_oob}>\n'
        f'  <h2 id="plan-h">{gettext("Action plan")}</h2>\n'
        f"  {error_html}\n"
        '  <div class="table-wrap"><table class="stack-on-phone">\n'
        f'    <thead><tr><th scope="col">{what}</th><th scope="col">{who}</th>'
        f'<th scope="col">{serves}</th><th scope="col">{by}</th>'
        f'<th scope="col">{review}</th><th scope="col">{status}</th></tr></thead>\n'
        "    <tbody>\n    "
    ]
    options = [
        (value, f'<option value="{esc(value)}"', f">{esc(label)}</option>")
        for value, label in status_choices
    ]
    options_for: dict[Any, str] = {}
    change_url = url_for_each("discussions:action_change", child.pk, discussion.pk)
    csrf = csrf_input(csrf_token)
    update = gettext("Update")
    remove, remove_label = (
        (gettext("Remove"), gettext("Remove “%(what)s”")) if editable else ("", "")
    )
    empty = True
    for a in actions:
        empty = False
        pk = esc(a.pk)
        text = esc(a.what)
        if a.status not in options_for:
            options_for[a.status] = "".join(
                f"{head} selected{tail}" if value == a.status else f"{head}{tail}"
                for value, head, tail in options
            )
        url = change_url(a.pk)
        served = a.serves.text if a.serves is not None else ""
        remove_button = (
            f'<button type="submit" name="remove" value="1" class="button-secondary" '
            f'aria-label="{remove_label % {"what": text}}">{remove}</button>'
            if editable
            else ""
        )
        parts.append(
            "<tr>\n"
            f'      <td data-label="{what}">{text}</td><td data-label="{who}">'
            f'{esc(a.owner_label)}</td><td data-label="{serves}">{esc(served) or "–"}</td>\n'
            f'      <td data-label="{by}">{esc(short_date(a.due_on))}</td>'
            f'<td data-label="{review}">{esc(short_date(a.review_on))}</td>\n'
            f'      <td data-label="{status}">\n'
            f'        <form method="post" action="{url}" hx-post="{url}" hx-target="#plan" '
            'hx-swap="outerHTML" class="inline-form">\n'
            f"          {csrf}\n"
            f'          <label for="status-{pk}" class="visually-hidden">{status}</label>\n'
            f'          <select id="status-{pk}" name="status">{options_for[a.status]}</select>\n'
            f'          <button type="submit" class="button-secondary">{update}</button>\n'
            f"          {remove_button}\n"
            "        </form>\n"
            "      </td></tr>\n    "
        )
    if empty:
        parts.append(f'<tr><td colspan="6">{gettext("No action plan items yet.")}</td></tr>')
    parts.append("\n    </tbody>\n  </table></div>\n  ")
    if editable:
        add_url = esc(reverse("discussions:action_add", args=[child.pk, discussion.pk]))
        parts.append(
            f'\n  <form method="post" action="{add_url}" hx-post="{add_url}" hx-target="#plan" '
            'hx-swap="outerHTML" class="card" novalidate>\n'
            f"    <h3>{gettext('Add an action plan item')}</h3>\n"
            f"    {csrf}\n"
            f"    {add_form_fields}\n"
            f'    <div class="actions"><button type="submit">{gettext("Add to the plan")}'
            "</button></div>\n  </form>\n  "
        )
    parts.append("\n</section>")
    return mark_safe("".join(parts))  # noqa: S308 - values escaped, translations as {% translate %}
