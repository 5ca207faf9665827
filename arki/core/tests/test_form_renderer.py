"""The fast form renderer gives exactly the markup of Django's own form templates."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

import arki
from arki.core.form_renderer import FAST, FastFormRenderer

FAST_RENDERER = FastFormRenderer()
DJANGO_RENDERER = DjangoTemplates()


def _both(form_class, *args, **kwargs) -> tuple[forms.Form, forms.Form]:
    return (
        form_class(*args, renderer=FAST_RENDERER, **kwargs),
        form_class(*args, renderer=DJANGO_RENDERER, **kwargs),
    )


def _assert_same_fields(fast: forms.Form, django: forms.Form) -> int:
    compared = 0
    for name in fast.fields:
        assert str(fast[name]) == str(django[name]), name
        assert fast[name].label_tag() == django[name].label_tag(), name
        compared += 1
    assert fast.render() == django.render()  # the whole form, errors included
    return compared


class Everything(forms.Form):
    text = forms.CharField(
        label='Name & "nick" <x>',
        max_length=20,
        help_text="Help & <more>",
        widget=forms.TextInput(attrs={"title": 'a "q" & <t>', "aria-label": "O'Brien"}),
    )
    placeholder = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"placeholder": _("Search"), "x": True})
    )
    hidden_false = forms.CharField(required=False, widget=forms.TextInput(attrs={"off": False}))
    safe = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"data-x": mark_safe("<b>")})
    )
    email = forms.EmailField(required=False)
    number = forms.IntegerField(required=False, min_value=1)
    decimal = forms.DecimalField(required=False, localize=True)
    password = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    when = forms.DateTimeField(required=False)
    url = forms.URLField(required=False)
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    agree = forms.BooleanField(required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    upload = forms.FileField(required=False, widget=forms.FileInput)
    colour = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "color"}))
    pick = forms.ChoiceField(choices=[("a", "A & a"), ("b", "<b>")], required=False)
    grouped = forms.ChoiceField(
        required=False,
        choices=[("", "–"), ("Group & <1>", [("x", "X"), ("y", _("Search"))]), ("z", "Z")],
        initial="y",
    )
    numbers = forms.TypedChoiceField(choices=[(1, 1234), (2, 5678)], coerce=int, required=False)
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", 'B "b"')], required=False)
    radio = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    no_label = forms.CharField(required=False, label="")
    safe_label = forms.CharField(required=False, label=mark_safe("<em>Safe</em>"))
    question = forms.CharField(required=False, label="Q & <A>?")


@pytest.mark.parametrize("language", ["fi", "en"])
def test_every_kind_of_field_renders_the_same_unbound_and_bound(language):
    with translation.override(language):
        assert _assert_same_fields(*_both(Everything, initial={"text": 'a "b" <c>'}))
        data = {
            "text": "x" * 30,  # too long: errors, aria-invalid
            "notes": "line 1\n<script>",
            "agree": "on",
            "password": "se<cret",
            "number": "0",
            "decimal": "1,5",
            "hidden": "h&",
            "radio": "a",
            "pick": "b",
            "many": ["a", "b"],
        }
        fast, django = _both(Everything, data=data)
        assert not fast.is_valid() and not django.is_valid()
        assert _assert_same_fields(fast, django)
        assert _assert_same_fields(*_both(Everything, auto_id=False))
        assert _assert_same_fields(*_both(Everything, prefix="p", auto_id="f_%s"))


def _project_forms():
    for module_info in pkgutil.walk_packages(arki.__path__, "arki."):
        if not module_info.name.endswith(".forms"):
            continue
        module = importlib.import_module(module_info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


@pytest.mark.django_db
def test_the_projects_forms_render_the_same_as_with_djangos_templates():
    compared = 0
    for form_class in _project_forms():
        try:
            fast, django = _both(form_class)
        except TypeError:  # needs constructor arguments (querysets, a user…)
            continue
        compared += _assert_same_fields(fast, django)
    assert compared > 20


def test_the_fast_renderer_is_the_projects_form_renderer():
    assert settings.FORM_RENDERER == "arki.core.form_renderer.FastFormRenderer"
    assert "django/forms/widgets/text.html" in FAST
