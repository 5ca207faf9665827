"""Django's own form templates, with the simplest ones rendered in Python.

Every ``<input>``, ``<textarea>`` and ``<label>`` of a form goes through the template engine:
a widget template that includes ``input.html`` that includes ``attrs.html``, about 0.2 ms each.
A page with a few forms renders dozens of them per request (the discussion page: ~35). This
renderer builds exactly the same markup for those templates and for ``<select>`` in Python and
leaves every other template (radio buttons, error lists, whole forms) to the engine.
``arki/core/tests/test_form_renderer.py`` checks the output against Django's templates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import conditional_escape

WIDGETS = "django/forms/widgets/"
# Widget templates whose whole content is {% include "django/forms/widgets/input.html" %}.
INPUT_TEMPLATES = frozenset(
    WIDGETS + name
    for name in (
        "input.html",
        "checkbox.html",
        "color.html",
        "date.html",
        "datetime.html",
        "email.html",
        "file.html",
        "hidden.html",
        "number.html",
        "password.html",
        "search.html",
        "tel.html",
        "text.html",
        "time.html",
        "url.html",
    )
)


def _attrs(attrs: Mapping[str, Any] | None) -> str:
    """django/forms/widgets/attrs.html and django/forms/attrs.html."""
    if not attrs:
        return ""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return "".join(parts)


def _input(context: Mapping[str, Any]) -> str:
    widget = context["widget"]
    value = widget["value"]
    shown = f' value="{conditional_escape(value)}"' if value is not None else ""
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def _textarea(context: Mapping[str, Any]) -> str:
    widget = context["widget"]
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{value}</textarea>"
    )


def _text(value: Any) -> str | None:
    """``{{ value }}`` for a string; None for anything the engine would localize."""
    if isinstance(value, str | Promise):
        return conditional_escape(str(value))
    return None


class _UseTemplates(Exception):
    pass


def _select(context: Mapping[str, Any]) -> str:
    """django/forms/widgets/select.html with select_option.html (each option included, so
    each ends with its template's newline)."""
    widget = context["widget"]
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        group = _text(group_name) if group_name else ""
        if group is None:
            raise _UseTemplates
        if group:
            parts.append(f'\n  <optgroup label="{group}">')
        for option in group_choices:
            label = _text(option["label"])
            if label is None or option["template_name"] != WIDGETS + "select_option.html":
                raise _UseTemplates
            parts.append(
                f'\n  <option value="{conditional_escape(option["value"])}"'
                f"{_attrs(option['attrs'])}>{label}</option>\n"
            )
        if group:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _label(context: Mapping[str, Any]) -> str:
    label = conditional_escape(context["label"])
    if not context["use_tag"]:
        return label
    tag = conditional_escape(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{label}</{tag}>"


FAST: dict[str, Callable[[Mapping[str, Any]], str]] = {
    **dict.fromkeys(INPUT_TEMPLATES, _input),
    WIDGETS + "textarea.html": _textarea,
    WIDGETS + "select.html": _select,
    "django/forms/label.html": _label,
}


class FastFormRenderer(DjangoTemplates):
    def render(self, template_name: str, context: Any, request: Any = None) -> str:
        fast = FAST.get(template_name)
        if fast is None or request is not None or not isinstance(context, Mapping):
            return super().render(template_name, context, request)
        try:
            return fast(context).strip()
        except _UseTemplates:
            return super().render(template_name, dict(context), request)
