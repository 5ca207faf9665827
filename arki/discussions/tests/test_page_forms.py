"""The discussion page's forms: only those its status shows are made, and the blank ones from
``arki.core.blank_forms`` are the bytes ``{% form_fields form %}`` gives the form itself."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import timezone, translation

from arki.core import blank_forms
from arki.core.blank_forms import BlankForm
from arki.core.tests.clock import freeze_now
from arki.discussions.forms import ActionForm, RespondForm, SessionForm, serves_choices
from arki.discussions.models import DiscussionStatus

from .conftest import url
from .test_page_fragments import AWKWARD, LANGUAGES, _fill, _put_in_state

FIELDS = "{% load form_tags %}{% form_fields form %}"
# 12:30 in Helsinki on 2 December; 00:30 on 16 March in Helsinki, still 15 March in UTC.
DAYS = {
    "2026-12-02": datetime(2026, 12, 2, 10, 30, tzinfo=UTC),
    "2027-03-16": datetime(2027, 3, 15, 22, 30, tzinfo=UTC),
}
OBSERVATIONS = [
    SimpleNamespace(
        pk="3f1c", text=f"{AWKWARD} " * 5, get_kind_display=lambda: translation.gettext("strength")
    ),
    SimpleNamespace(pk="<9>", text="Väsymys", get_kind_display=lambda: "haavoittuvuus & <x>"),
]


def _fields(form) -> str:
    return engines["django"].from_string(FIELDS).render({"form": form})


def _blank_forms():
    """(name, BlankForm, the same form built) for every blank form of the page."""
    choices = serves_choices(OBSERVATIONS)
    return [
        ("session", BlankForm(SessionForm), SessionForm()),
        ("respond", BlankForm(RespondForm), RespondForm()),
        (
            "action",
            BlankForm(ActionForm, serves_choices=choices),
            ActionForm(serves_choices=choices),
        ),
        ("action-empty", BlankForm(ActionForm, serves_choices=()), ActionForm()),
    ]


@pytest.mark.parametrize("day", list(DAYS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_blank_forms_are_the_bytes_of_the_forms_themselves(monkeypatch, day, language):
    freeze_now(monkeypatch, DAYS[day])
    with translation.override(language):
        assert str(timezone.localdate()) == day
        for name, blank, form in _blank_forms():
            expected = _fields(form)
            assert _fields(blank) == expected, name  # rendered, or from another test's cache
            blank_forms.clear()
            assert _fields(blank) == expected, name  # rendered now
            assert _fields(blank) == expected, name  # from the cache
            if name in ("session", "respond"):
                assert f'value="{day}"' in expected, name


def test_each_language_and_day_has_its_own_markup(monkeypatch):
    blank_forms.clear()
    seen = set()
    for instant in DAYS.values():
        freeze_now(monkeypatch, instant)
        for language in LANGUAGES:
            with translation.override(language):
                seen.add(_fields(BlankForm(SessionForm)))
    assert len(seen) == len(DAYS) * len(LANGUAGES)
    assert blank_forms.cached_count() == len(seen)


def test_a_bound_form_with_errors_is_rendered_fresh(monkeypatch):
    freeze_now(monkeypatch, DAYS["2026-12-02"])
    with translation.override("en"):
        blank = _fields(BlankForm(SessionForm))
        cached = blank_forms.cached_count()
        bound = SessionForm(data={"held_on": "<not a date>", "participants": "x" * 501})
        assert not bound.is_valid()
        html = _fields(bound)
    assert html != blank and blank_forms.cached_count() == cached
    assert 'value="&lt;not a date&gt;"' in html and "Enter a valid date." in html
    assert "at most 500 characters" in html
    with pytest.raises(TypeError):
        BlankForm(SessionForm, data={"held_on": "2026-12-02"})


@pytest.mark.django_db
@pytest.mark.parametrize(
    "state,forms",
    [
        ("offered", {"respond_form"}),
        ("accepted", {"session_form", "action_form", "summary_form", "close_form"}),
        ("closed", {"summary_form"}),
        ("declined", set()),
    ],
)
def test_the_page_makes_only_the_forms_it_shows(world, discussion, state, forms):
    if state == "declined":
        discussion.status = DiscussionStatus.DECLINED
        discussion.save(update_fields=["status"])
    else:
        discussion = _put_in_state(discussion, state)
    response = world.client_for(world.worker).get(url(discussion))
    assert response.status_code == 200
    names = response.context.keys()  # a ContextList: iterating it gives the contexts
    made = {name for name in names if name.endswith("_form")}
    assert made == forms
    blank = {"respond_form", "session_form", "action_form"}
    for key in made:
        assert isinstance(response.context[key], BlankForm) == (key in blank), key


@pytest.mark.django_db
def test_a_refused_closing_shows_its_errors_and_the_other_forms_blank(world, discussion):
    _fill(world, discussion)
    client = world.client_for(world.worker)
    blank_forms.clear()
    client.get(url(discussion))  # the blank forms are in the cache now
    response = client.post(
        url(discussion, "close/"), {"close-version": discussion.version, "close-outcome": "?"}
    )
    assert response.status_code == 400
    close_form = response.context["close_form"]
    assert close_form.is_bound and close_form.errors
    body = response.content.decode()
    assert 'id="id_close-outcome_error"' in body and 'id="id_close-closed_on_error"' in body
    assert isinstance(response.context["session_form"], BlankForm)
    assert 'name="held_on" value="' in body
