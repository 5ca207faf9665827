"""The discussion page's log book sections and action plan, built in Python
(``arki/discussions/fragments.py``), are the markup the templates used to produce.

``old_templates/discussions/`` holds the templates as they were (``_section.html``,
``_actions.html``, ``_observation_list.html`` and the page ``detail.html``); each case renders
them and the current templates with the same data and compares the bytes.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.template import Context, Engine, engines
from django.template.backends.django import DjangoTemplates
from django.test import override_settings
from django.utils import timezone, translation
from django.utils.formats import date_format

from arki.discussions import selectors, services
from arki.discussions.forms import ActionForm, serves_choices
from arki.discussions.models import ActionStatus, Discussion, DiscussionStatus, OwnerKind

from .conftest import url

OLD_DIR = Path(__file__).parent / "old_templates"
AWKWARD = "<b>&amp;</b> \"lainaus\" 'heittomerkki' & <script>"
LANGUAGES = ["fi", "sv", "en", "da"]
STATES = ["accepted", "closed", "closed_purged", "offered"]


def _old_engine() -> Engine:
    dirs = [OLD_DIR, *settings.TEMPLATES[0]["DIRS"]]
    return DjangoTemplates({"NAME": "old", "DIRS": dirs, "APP_DIRS": True, "OPTIONS": {}}).engine


def _fill(world, discussion: Discussion) -> None:
    """Observations, notes and actions with awkward texts, several statuses and dates."""
    sections = list(discussion.template.sections.all())
    strength = None
    for i, section in enumerate(sections[:3]):
        strength = services.observation_add(
            actor=world.worker, discussion=discussion, section_id=section.pk,
            kind="strength", text=f"{AWKWARD} {i}",
        )  # fmt: skip
        services.observation_add(
            actor=world.worker, discussion=discussion, section_id=section.pk,
            kind="vulnerability", text="Väsymys iltaisin",
        )  # fmt: skip
    services.note_save(
        actor=world.worker, discussion=discussion, section_id=sections[0].pk, text=AWKWARD
    )
    services.note_save(
        actor=world.worker, discussion=discussion, section_id=sections[1].pk, text=""
    )
    services.action_add(
        actor=world.worker, discussion=discussion, what=AWKWARD, owner_kind=OwnerKind.PARENT,
        owner_name=AWKWARD, serves=strength, due_on=date(2026, 10, 5),
        review_on=date(2026, 11, 30),
    )  # fmt: skip
    worker_item = services.action_add(
        actor=world.worker, discussion=discussion, what="Ulkoilu", owner_kind=OwnerKind.WORKER
    )
    services.action_update(actor=world.worker, item=worker_item, status=ActionStatus.DONE)
    child_item = services.action_add(
        actor=world.worker, discussion=discussion, what="Satu", owner_kind=OwnerKind.CHILD,
        review_on=date(2027, 1, 2),
    )  # fmt: skip
    services.action_update(actor=world.worker, item=child_item, status=ActionStatus.IN_PROGRESS)


def _put_in_state(discussion: Discussion, state: str) -> Discussion:
    if state == "offered":
        Discussion.objects.filter(pk=discussion.pk).update(status=DiscussionStatus.OFFERED)
    elif state.startswith("closed"):
        Discussion.objects.filter(pk=discussion.pk).update(
            status=DiscussionStatus.CLOSED,
            outcome="plan_made",
            closed_on=date(2026, 12, 1),
            agreed_summary=AWKWARD,
            notes_purged_at=timezone.now() if state == "closed_purged" else None,
        )
    return Discussion.objects.select_related("template", "unit", "lead", "child").get(
        pk=discussion.pk
    )


def _context(discussion: Discussion, **extra) -> dict:
    page = selectors.discussion_page(discussion)
    page["sections"][0].title = AWKWARD
    page["sections"][0].guiding_questions = (SimpleNamespace(text=AWKWARD),)
    return {
        "child": discussion.child,
        "discussion": discussion,
        "action_status_choices": ActionStatus.choices,
        "action_form": ActionForm(serves_choices=serves_choices(page["observations"])),
        **page,
        **extra,
    }


LOOP = '{% for section in sections %}{% include "discussions/_section.html" %}{% endfor %}'
NEW_LOOP = "{% load discussion_page_tags %}{% logbook_sections %}"


def _render_pairs(context: dict) -> list[tuple[str, str, str]]:
    """(what, old, new) for every way the page and its fragments render these parts."""
    old_engine, new_engine = _old_engine(), engines["django"].engine  # type: ignore[attr-defined]
    pairs = [
        ("sections", old_engine.from_string(LOOP), new_engine.from_string(NEW_LOOP)),
    ]
    for name in ("discussions/_actions.html", "discussions/_section.html",
                 "discussions/_section_response.html"):  # fmt: skip
        pairs.append((name, old_engine.get_template(name), new_engine.get_template(name)))
    rendered: list[tuple[str, str, str]] = []
    for what, old, new in pairs:
        for section in context["sections"]:
            if what != "discussions/_section.html" and section is not context["sections"][0]:
                continue
            data = {**context, "section": section}
            rendered.append((what, old.render(Context(data)), new.render(Context(data))))
    return rendered


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("filled", [True, False], ids=["filled", "empty"])
def test_sections_and_plan_match_the_old_templates(world, discussion, language, state, filled):
    if filled:
        _fill(world, discussion)
    discussion = _put_in_state(discussion, state)
    variants = [
        {},
        {"csrf_token": 'tok<&">en', "error": AWKWARD, "saved": True, "oob": True},
        {"csrf_token": "", "focus_kind": "vulnerability"},
    ]
    with translation.override(language):
        for extra in variants:
            for what, old, new in _render_pairs(_context(discussion, **extra)):
                assert new == old, (what, extra)


@pytest.mark.django_db
def test_the_comparison_sees_the_awkward_values(world, discussion):
    """The cases above do render the rows, forms and escaped texts they are about."""
    _fill(world, discussion)
    context = _context(discussion, csrf_token="tok", error=AWKWARD, saved=True)
    with translation.override("en"):
        html = engines["django"].engine.from_string(NEW_LOOP).render(Context(context))  # type: ignore[attr-defined]
        plan = engines["django"].get_template("discussions/_actions.html").render(context)
        due = date_format(date(2026, 10, 5), "SHORT_DATE_FORMAT")
    escaped = "&lt;b&gt;&amp;amp;&lt;/b&gt; &quot;lainaus&quot; &#x27;heittomerkki&#x27; &amp; "
    assert html.count(escaped) >= 6 and "<script>" not in html
    assert 'name="csrfmiddlewaretoken" value="tok"' in html and "Saved." in html
    assert "The family&#x27;s" not in html and "Working notes (the family's)" in html
    assert plan.count("<tr>") == 4 and f'<td data-label="By">{due}</td>' in plan
    assert '<td data-label="Serves">–</td>' in plan
    assert '<option value="done" selected>done</option>' in plan
    assert f"parent: {escaped}" in plan and "<script>" not in plan


def _masked(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "csrf", html)
    return re.sub(r'nonce="[^"]+"', "nonce", html)


def _old_templates():
    old = [{**settings.TEMPLATES[0], "DIRS": [OLD_DIR, *settings.TEMPLATES[0]["DIRS"]]}]
    return override_settings(TEMPLATES=old)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("state", STATES)
def test_the_whole_page_matches_the_old_templates(world, discussion, language, state):
    _fill(world, discussion)
    discussion = _put_in_state(discussion, state)
    client = world.client_for(world.worker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    new = client.get(url(discussion))
    with _old_templates():
        old = client.get(url(discussion))
    assert new.status_code == old.status_code == 200
    assert _masked(new.content.decode()) == _masked(old.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_htmx_fragments_match_the_old_templates(world, discussion, language):
    _fill(world, discussion)
    section = discussion.template.sections.first()
    item = discussion.action_items.first()
    client = world.client_for(world.worker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    posts = [
        # invalid: the section and the plan come back with the error
        (url(discussion, "observations/"), {"section": str(section.pk), "kind": "strength"}),
        # the same note saved twice: "Saved." and the same page either way
        (url(discussion, f"notes/{section.pk}/"), {"text": AWKWARD}),
        (url(discussion, f"actions/{item.pk}/"), {"status": "nonsense"}),
        (url(discussion, f"actions/{item.pk}/"), {"status": ActionStatus.DONE}),
        (url(discussion, "actions/"), {"what": "", "owner_kind": "nobody"}),
    ]
    for path, data in posts:
        new = client.post(path, data, HTTP_HX_REQUEST="true")
        with _old_templates():
            old = client.post(path, data, HTTP_HX_REQUEST="true")
        assert new.status_code == old.status_code == 200
        body = new.content.decode()
        assert body.lstrip().startswith("<section"), path
        assert _masked(body) == _masked(old.content.decode()), path
