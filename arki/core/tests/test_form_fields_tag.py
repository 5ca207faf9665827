"""``{% form_fields %}`` lays out a form's fields exactly as ``includes/form_fields.html`` did."""

from __future__ import annotations

import pytest
from django import forms
from django.template import engines
from django.utils import translation
from django.utils.safestring import mark_safe

from arki.core.tests.test_form_renderer import Everything, _project_forms

# includes/form_fields.html as it was before the layout was built in Python.
OLD_TEMPLATE = """{% load i18n %}{% if form.non_field_errors %}<div class="errorlist" role="alert">{% for e in form.non_field_errors %}<p>{{ e }}</p>{% endfor %}</div>{% endif %}
{% for field in form.hidden_fields %}{{ field }}{% endfor %}
{% for field in form.visible_fields %}
<div class="field{% if field.field.widget.input_type == 'checkbox' %} checkbox{% endif %}">
  {% if field.field.widget.input_type == 'checkbox' %}{{ field }} {{ field.label_tag }}{% else %}{{ field.label_tag }}{{ field }}{% endif %}
  {% if field.help_text %}<div class="helptext" id="{{ field.auto_id }}_helptext">{{ field.help_text }}</div>{% endif %}
  {% if field.errors %}<div role="alert"><ul class="errorlist" id="{{ field.auto_id }}_error">{% for e in field.errors %}<li>{{ e }}</li>{% endfor %}</ul></div>{% endif %}
</div>
{% endfor %}
"""  # noqa: E501

NEW_TEMPLATE = '{% include "includes/form_fields.html" %}'


def _render(source: str, form: forms.BaseForm) -> str:
    return engines["django"].from_string(source).render({"form": form})


def _assert_same(form: forms.BaseForm) -> None:
    assert _render(NEW_TEMPLATE, form) == _render(OLD_TEMPLATE, form)


class WithHelpAndErrors(forms.Form):
    name = forms.CharField(max_length=3, help_text="Short & <sweet>")
    agree = forms.BooleanField(help_text=mark_safe("<em>must</em>"))
    secret = forms.CharField(required=False, widget=forms.HiddenInput)
    other = forms.CharField(required=False, widget=forms.HiddenInput)
    notes = forms.CharField(required=False, widget=forms.Textarea)

    def clean(self):
        raise forms.ValidationError(["First & <problem>", "Second"])


@pytest.mark.parametrize("language", ["fi", "sv", "en", "da"])
def test_unbound_bound_and_invalid_forms(language):
    with translation.override(language):
        _assert_same(Everything())
        _assert_same(Everything(auto_id=False))
        _assert_same(Everything(data={"text": "x" * 30, "agree": "on", "radio": "zz"}))
        invalid = WithHelpAndErrors(data={"name": "toolong", "secret": "<s>"})
        assert not invalid.is_valid() and invalid.non_field_errors()
        html = _render(NEW_TEMPLATE, invalid)
        assert "First &amp; &lt;problem&gt;" in html and 'class="field checkbox"' in html
        assert "Short &amp; &lt;sweet&gt;" in html and "<em>must</em>" in html
        _assert_same(invalid)
        _assert_same(WithHelpAndErrors(prefix="p"))
        _assert_same(forms.Form())


@pytest.mark.django_db
def test_every_form_of_the_project():
    compared = 0
    for form_class in _project_forms():
        try:
            unbound, bound = form_class(), form_class(data={})
        except TypeError:  # needs constructor arguments (querysets, a user…)
            continue
        bound.is_valid()
        _assert_same(unbound)
        _assert_same(bound)
        compared += 1
    assert compared > 10
