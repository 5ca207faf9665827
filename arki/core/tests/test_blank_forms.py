"""``BlankForm``: the cached markup of a blank form is ``{% form_fields %}`` of the form itself,
one entry per key, bounded; bound forms and forms it cannot key are refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django import forms
from django.template import engines
from django.test import override_settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from arki.core import blank_forms
from arki.core.blank_forms import BlankForm
from arki.core.tests.clock import freeze_now

FIELDS = "{% load form_tags %}{% form_fields form %}"


def _fields(form) -> str:
    return engines["django"].from_string(FIELDS).render({"form": form})


class Counted(forms.Form):
    built = 0
    day = forms.DateField(label=_("Date"), initial=timezone.localdate)
    kind = forms.ChoiceField(label=_("Status"), choices=[("a", _("Search")), ("b", "<b>")])
    text = forms.CharField(label="Text", help_text="Help & <more>", required=False)
    agree = forms.BooleanField(label=_("Yes"))

    def __init__(self, *args, extra_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        type(self).built += 1
        kind: forms.ChoiceField = self.fields["kind"]  # type: ignore[assignment]
        kind.choices = [*kind.choices, *extra_choices]


@pytest.fixture(autouse=True)
def empty_cache():
    blank_forms.clear()
    Counted.built = 0
    yield
    blank_forms.clear()


@pytest.mark.parametrize("language", ["fi", "sv", "en", "da"])
def test_the_markup_is_the_forms_and_is_built_once(language):
    with translation.override(language):
        expected = _fields(Counted())
        for _round in range(3):
            assert _fields(BlankForm(Counted)) == expected
    assert Counted.built == 2  # the reference form and one blank one
    assert blank_forms.cached_count() == 1


def test_every_argument_of_the_form_is_in_the_key():
    variants = [
        {},
        {"prefix": "p"},
        {"auto_id": "x-%s"},
        {"auto_id": False},
        {"label_suffix": ""},
        {"use_required_attribute": False},
        {"initial": {"text": "alku & <loppu>", "kind": "b"}},
        {"extra_choices": (("c", "C & <c>"),)},
    ]
    seen = set()
    for kwargs in variants:
        assert _fields(BlankForm(Counted, **kwargs)) == _fields(Counted(**kwargs)), kwargs
        seen.add(_fields(BlankForm(Counted, **kwargs)))
    assert len(seen) == len(variants) == blank_forms.cached_count()


def test_the_language_and_the_local_date_are_in_the_key(monkeypatch):
    # 00:30 on 16 March in Helsinki is still 15 March in UTC.
    freeze_now(monkeypatch, datetime(2027, 3, 15, 22, 30, tzinfo=UTC))
    with translation.override("sv"):
        sv = _fields(BlankForm(Counted))
        assert 'value="2027-03-16"' in sv and sv == _fields(Counted())
    with translation.override("en"):
        en = _fields(BlankForm(Counted))
        assert en == _fields(Counted()) and en != sv
    freeze_now(monkeypatch, datetime(2027, 3, 16, 22, 30, tzinfo=UTC))
    with translation.override("en"):
        next_day = _fields(BlankForm(Counted))
        assert 'value="2027-03-17"' in next_day and next_day == _fields(Counted())
    assert blank_forms.cached_count() == 3


def test_the_cache_is_bounded_and_keeps_the_recently_used(monkeypatch):
    monkeypatch.setattr(blank_forms, "MAX_ENTRIES", 2)
    a, b, c = (BlankForm(Counted, prefix=p) for p in "abc")
    _fields(a), _fields(b), _fields(a), _fields(c)  # b is the least recently used
    assert blank_forms.cached_count() == 2
    built = Counted.built
    _fields(a), _fields(c)
    assert Counted.built == built
    _fields(b)
    assert Counted.built == built + 1 and blank_forms.cached_count() == 2


def test_bound_forms_are_rendered_fresh_and_never_cached():
    bound = Counted(data={"day": "<x>", "kind": "zz"})
    with translation.override("en"):
        assert not bound.is_valid()
        html = _fields(bound)
    assert "Enter a valid date." in html and 'value="&lt;x&gt;"' in html
    assert blank_forms.cached_count() == 0
    with pytest.raises(TypeError):
        BlankForm(Counted, data={"day": "2027-01-01"})
    with pytest.raises(TypeError):
        BlankForm(Counted, files={})


def test_what_cannot_be_keyed_is_refused():
    with pytest.raises(TypeError):
        BlankForm(Counted, extra_choices=[("c", "C")])  # a list is not a value

    class Stamped(forms.Form):
        at = forms.DateTimeField(initial=timezone.now)

    with pytest.raises(ValueError, match="Stamped.at"):
        _fields(BlankForm(Stamped))
    with pytest.raises(ValueError, match="Counted.text"):
        _fields(BlankForm(Counted, initial={"text": timezone.now}))
    assert blank_forms.cached_count() == 0


def test_a_changed_setting_empties_the_cache():
    _fields(BlankForm(Counted))
    assert blank_forms.cached_count() == 1
    with override_settings(FORM_RENDERER="django.forms.renderers.DjangoTemplates"):
        assert blank_forms.cached_count() == 0
        assert _fields(BlankForm(Counted)) == _fields(Counted())
    assert blank_forms.cached_count() == 0
