"""A form's fields as ``includes/form_fields.html`` lays them out, built in Python.

33 templates include that file, for every form of the app. Through the template engine its
loop cost ~0.1 ms a field on top of the widgets themselves (the label, the widget type check
twice, help text and errors, each a variable lookup with its own escaping); the audit search's
form alone took ~1 ms. The markup is the template's as it was
(``arki/core/tests/test_form_fields_tag.py`` compares them for every form of the project).
A ``arki.core.blank_forms.BlankForm`` in place of the form is laid out once and kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms, template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from arki.core.blank_forms import BlankForm

register = template.Library()


def _is_checkbox(field: forms.BoundField) -> bool:
    return getattr(field.field.widget, "input_type", None) == "checkbox"


@register.simple_tag
def form_fields(form: forms.BaseForm | BlankForm) -> SafeString:
    if isinstance(form, BlankForm):
        return form.fields_html()
    return render_form_fields(form)


def render_form_fields(form: forms.BaseForm) -> SafeString:
    esc: Callable[[Any], str] = conditional_escape
    out: list[str] = []
    errors = form.non_field_errors()
    if errors:
        items = "".join(f"<p>{esc(e)}</p>" for e in errors)
        out.append(f'<div class="errorlist" role="alert">{items}</div>')
    out.append("\n")
    out.extend(str(esc(field)) for field in form.hidden_fields())
    out.append("\n")
    for field in form.visible_fields():
        checkbox = _is_checkbox(field)
        out.append(f'\n<div class="field{" checkbox" if checkbox else ""}">\n  ')
        widget, label = esc(field), esc(field.label_tag())
        out.append(f"{widget} {label}" if checkbox else f"{label}{widget}")
        out.append("\n  ")
        if field.help_text:
            out.append(
                f'<div class="helptext" id="{esc(field.auto_id)}_helptext">'
                f"{esc(field.help_text)}</div>"
            )
        out.append("\n  ")
        if field.errors:
            items = "".join(f"<li>{esc(e)}</li>" for e in field.errors)
            out.append(
                f'<div role="alert"><ul class="errorlist" id="{esc(field.auto_id)}_error">'
                f"{items}</ul></div>"
            )
        out.append("\n</div>\n")
    out.append("\n")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
