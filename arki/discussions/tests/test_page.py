"""The discussion page as the worker sees it: the forms each status shows, hostile text
coming out inert, refused input kept with each error under its field (with and without
HTMX), and no lost updates on the shared texts (working notes, action items, summary)."""

from __future__ import annotations

from datetime import date

import pytest

from arki.discussions import services
from arki.discussions.models import ActionItem, Discussion, Observation, WorkingNote

from .conftest import url

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
HTMX = {"HTTP_HX_REQUEST": "true"}


def _page(world, discussion, client=None) -> str:
    client = client or world.client_for(world.worker)
    response = client.get(url(discussion), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def _field_block(html: str, field_id: str) -> str:
    """The markup from a field's widget to the end of its block (where its errors go)."""
    start = html.index(f'id="{field_id}"')
    end = html.find('<div class="field', start)
    return html[start : end if end != -1 else len(html)]


def _item(world, discussion, what="Iltasatu") -> ActionItem:
    return services.action_add(
        actor=world.worker, discussion=discussion, what=what, owner_kind="parent"
    )


# -- what each status shows ---------------------------------------------------------------
def test_offered_discussion_asks_for_the_familys_answer(world, templates):
    offered = services.discussion_offer(
        actor=world.worker,
        child=world.child,
        unit=world.unit,
        template=templates["test-ecec.fi"],
        offered_on=date(2026, 9, 1),
    )
    html = _page(world, offered)
    assert "The family's answer" in html and 'name="answer"' in html
    assert 'id="sessions"' not in html and 'id="plan"' not in html
    assert "logbook-section" not in html and 'name="agreed_summary"' not in html


def test_accepted_discussion_shows_every_working_form(world, discussion):
    html = _page(world, discussion)
    sections = list(discussion.template.sections.all())
    assert 'name="answer"' not in html
    assert 'id="sessions"' in html and 'name="held_on"' in html
    assert html.count('class="card logbook-section"') == len(sections)
    for section in sections:
        assert f'id="add-strength-{section.pk}-text"' in html
        assert f'id="add-vulnerability-{section.pk}-text"' in html
        assert f'id="note-{section.pk}-text"' in html
    assert 'name="what"' in html and "Add to the plan" in html
    assert 'name="summary-agreed_summary"' in html and 'name="close-outcome"' in html


def test_closed_discussion_can_only_correct_the_summary(world, discussion):
    item = _item(world, discussion)
    services.session_add(actor=world.worker, discussion=discussion, held_on=date(2026, 9, 4))
    services.discussion_close(
        actor=world.worker,
        discussion=discussion,
        expected_version=discussion.version,
        outcome="plan_made",
        agreed_summary="Sovittu",
        keep_working_notes=False,
        closed_on=date(2026, 9, 20),
    )
    html = _page(world, discussion)
    assert "Correct the summary" in html and 'name="summary-agreed_summary"' in html
    assert 'name="close-outcome"' not in html and 'name="held_on"' not in html
    assert (
        'name="what"' not in html
        and "-text" not in html.split('id="plan"')[0].split("Everyday life")[1]
    )
    assert f'id="status-{item.pk}-status"' in html and 'name="remove"' not in html


def test_declined_discussion_shows_no_forms(world, templates):
    offered = services.discussion_offer(
        actor=world.worker,
        child=world.child,
        unit=world.unit,
        template=templates["test-ecec.fi"],
        offered_on=date(2026, 9, 1),
    )
    services.discussion_decline(
        actor=world.worker, discussion=offered, responded_on=date(2026, 9, 2), reason=XSS
    )
    html = _page(world, offered)
    main = html.split('<main id="main"')[1]
    assert "<textarea" not in main and "<select" not in main
    assert "&lt;script&gt;alert" in main and "<script>alert" not in html


def test_hostile_text_in_every_field_comes_out_inert(world, discussion):
    client = world.client_for(world.worker)
    section = discussion.template.sections.first()
    client.post(url(discussion, "sessions/"), {"held_on": "2026-09-04", "participants": XSS})
    client.post(
        url(discussion, "observations/"),
        {"section": str(section.pk), "kind": "strength", "text": XSS},
    )
    client.post(url(discussion, f"notes/{section.pk}/"), {"version": 0, "text": XSS})
    strength = Observation.objects.get()
    client.post(
        url(discussion, "actions/"),
        {"what": XSS, "owner_kind": "other_adult", "owner_name": XSS, "serves": strength.pk},
    )
    discussion.refresh_from_db()
    client.post(
        url(discussion, "summary/"),
        {"summary-version": discussion.version, "summary-agreed_summary": XSS},
    )
    html = _page(world, discussion, client)
    assert ActionItem.objects.get().what == XSS and WorkingNote.objects.get().text == XSS
    assert "<script>alert" not in html and "<img src=x" not in html
    assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") >= 6


# -- refused input is kept, each error under its field -------------------------------------
ACTION = {"what": "Luetaan iltasatu joka ilta", "owner_kind": "parent", "owner_name": "Äiti"}
BAD_DATES = {**ACTION, "due_on": "2026-10-10", "review_on": "2026-10-01"}


def test_action_plan_error_keeps_the_typed_text_without_javascript(world, discussion):
    response = world.client_for(world.worker).post(
        url(discussion, "actions/"), BAD_DATES, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Luetaan iltasatu joka ilta"' in html and 'value="Äiti"' in html
    assert 'value="2026-10-10"' in html and 'value="2026-10-01"' in html
    review = _field_block(html, "id_review_on")
    assert 'id="id_review_on_error"' in review
    assert "The review date cannot be before the due date." in review
    assert 'aria-describedby="id_review_on_error"' in html and 'aria-invalid="true"' in html
    assert not ActionItem.objects.exists()


def test_action_plan_error_keeps_the_typed_text_over_htmx(world, discussion):
    response = world.client_for(world.worker).post(
        url(discussion, "actions/"), BAD_DATES, HTTP_ACCEPT_LANGUAGE="en", **HTMX
    )
    assert response.status_code == 200  # HTMX swaps only 2xx answers
    html = response.content.decode()
    assert html.startswith('<section id="plan"') and "<html" not in html
    assert 'value="Luetaan iltasatu joka ilta"' in html and 'value="Äiti"' in html
    assert 'option value="parent" selected' in html
    review = _field_block(html, "id_review_on")
    assert "The review date cannot be before the due date." in review
    assert not ActionItem.objects.exists()


def test_missing_action_text_is_shown_under_its_field(world, discussion):
    response = world.client_for(world.worker).post(
        url(discussion, "actions/"),
        {"what": "", "owner_kind": "parent", "owner_name": "Isä"},
        HTTP_ACCEPT_LANGUAGE="en",
        **HTMX,
    )
    html = response.content.decode()
    assert "This field is required." in _field_block(html, "id_what")
    assert 'value="Isä"' in html


def test_a_saved_action_gives_a_blank_form(world, discussion):
    response = world.client_for(world.worker).post(url(discussion, "actions/"), ACTION, **HTMX)
    html = response.content.decode()
    assert "Luetaan iltasatu joka ilta</td>" in html
    assert 'value="Luetaan iltasatu joka ilta"' not in html and "errorlist" not in html
    no_js = world.client_for(world.worker).post(url(discussion, "actions/"), ACTION)
    assert no_js.status_code == 302 and no_js["Location"].endswith("#plan")


def test_session_error_keeps_what_was_typed(world, discussion):
    response = world.client_for(world.worker).post(
        url(discussion, "sessions/"),
        {"held_on": "2026-08-01", "participants": "äiti, isä"},
        HTTP_ACCEPT_LANGUAGE="en",
        **HTMX,
    )
    html = response.content.decode()
    assert html.startswith('<section id="sessions"')
    assert "A session cannot be before the discussion was offered." in html
    assert 'value="äiti, isä"' in html and 'value="2026-08-01"' in html
    assert not discussion.sessions.exists()


def test_empty_observation_is_refused_under_its_field(world, discussion):
    section = discussion.template.sections.first()
    response = world.client_for(world.worker).post(
        url(discussion, "observations/"),
        {"section": str(section.pk), "kind": "vulnerability", "text": "   "},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    html = response.content.decode()
    block = html.split(f'id="add-vulnerability-{section.pk}-text"')[1].split("</form>")[0]
    assert "Write a few words first." in block
    assert f'id="add-vulnerability-{section.pk}-text_error"' in block
    assert not Observation.objects.exists()


def test_too_long_observation_keeps_the_typed_text_over_htmx(world, discussion):
    section = discussion.template.sections.first()
    typed = "Iltasadut <b>" + "x" * 500
    response = world.client_for(world.worker).post(
        url(discussion, "observations/"),
        {"section": str(section.pk), "kind": "strength", "text": typed},
        HTTP_ACCEPT_LANGUAGE="en",
        **HTMX,
    )
    html = response.content.decode()
    assert html.startswith(f'<section id="section-{section.pk}"')
    field = f"add-strength-{section.pk}-text"
    block = html.split(f'id="{field}"')[1].split("</form>")[0]
    assert 'value="Iltasadut &lt;b&gt;xxx' in block and "<b>" not in html
    assert f'aria-describedby="{field}_error"' in block and f'id="{field}_error"' in block
    assert "at most 500 characters" in block
    assert not Observation.objects.exists()


def test_respond_error_stays_in_the_form(world, templates):
    offered = services.discussion_offer(
        actor=world.worker,
        child=world.child,
        unit=world.unit,
        template=templates["test-ecec.fi"],
        offered_on=date(2026, 9, 1),
    )
    response = world.client_for(world.worker).post(
        url(offered, "respond/"),
        {"responded_on": "2026-09-02", "reason": "Ei nyt"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ei nyt</textarea>" in html and 'id="id_answer_error"' in html


# -- no lost updates ------------------------------------------------------------------------
def test_second_save_of_the_same_notes_is_refused_and_both_texts_shown(world, discussion):
    section = discussion.template.sections.first()
    first, second = world.client_for(world.worker), world.client_for(world.worker)
    notes = url(discussion, f"notes/{section.pk}/")
    assert first.post(notes, {"version": 0, "text": "Ensimmäisen teksti"}).status_code == 302
    response = second.post(
        notes, {"version": 0, "text": "Toisen teksti"}, HTTP_ACCEPT_LANGUAGE="en", **HTMX
    )
    html = response.content.decode()
    assert WorkingNote.objects.get().text == "Ensimmäisen teksti"
    assert "Someone else saved these notes while you were writing." in html
    assert "Saved meanwhile by someone else" in html and "Ensimmäisen teksti" in html
    assert ">Toisen teksti</textarea>" in html  # the typed text is kept in the box
    saved = WorkingNote.objects.get()
    assert f'name="version" value="{saved.version}"' in html
    # Having seen the other text, the second editor saves deliberately.
    again = second.post(notes, {"version": saved.version, "text": "Yhdistetty"})
    assert again.status_code == 302 and WorkingNote.objects.get().text == "Yhdistetty"


def test_stale_notes_without_javascript_get_the_whole_page_with_both_texts(world, discussion):
    section = discussion.template.sections.first()
    services.note_save(
        actor=world.worker, discussion=discussion, section_id=section.pk, text="Vanha"
    )
    note = WorkingNote.objects.get()
    notes = url(discussion, f"notes/{section.pk}/")
    world.client_for(world.worker).post(notes, {"version": note.version, "text": "Uudempi"})
    response = world.client_for(world.worker).post(
        notes, {"version": note.version, "text": "Minun"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Uudempi" in html and ">Minun</textarea>" in html
    assert WorkingNote.objects.get().text == "Uudempi"


def test_second_status_change_of_an_item_is_refused(world, discussion):
    item = _item(world, discussion)
    change = url(discussion, f"actions/{item.pk}/")
    first, second = world.client_for(world.worker), world.client_for(world.worker)
    first.post(change, {"version": item.version, "status": "done"})
    response = second.post(
        change,
        {"version": item.version, "status": "dropped"},
        HTTP_ACCEPT_LANGUAGE="en",
        **HTMX,
    )
    html = response.content.decode()
    item.refresh_from_db()
    assert item.status == "done"
    assert html.startswith(f'<tr id="action-{item.pk}"')
    assert "Someone else changed this item while you were editing it" in html
    assert "Saved meanwhile by someone else" in html and ">done<" in html
    assert ">dropped<" in html.split("Yours, not saved yet")[1]
    assert f'name="version" value="{item.version}"' in html


def test_removing_an_item_changed_meanwhile_is_refused(world, discussion):
    item = _item(world, discussion)
    change = url(discussion, f"actions/{item.pk}/")
    client = world.client_for(world.worker)
    client.post(change, {"version": item.version, "status": "in_progress"})
    response = client.post(
        change, {"version": item.version, "status": "planned", "remove": "1"}, **HTMX
    )
    assert response.status_code == 200 and ActionItem.objects.filter(pk=item.pk).exists()
    item.refresh_from_db()
    ok = client.post(change, {"version": item.version, "status": "planned", "remove": "1"})
    assert ok.status_code == 302 and not ActionItem.objects.exists()


def test_second_save_of_the_summary_shows_both_texts(world, discussion):
    first, second = world.client_for(world.worker), world.client_for(world.worker)
    version = discussion.version
    first.post(
        url(discussion, "summary/"), {"summary-version": version, "summary-agreed_summary": "A1"}
    )
    response = second.post(
        url(discussion, "summary/"),
        {"summary-version": version, "summary-agreed_summary": "Toisen kirjoittama teksti"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 409
    html = response.content.decode()
    summary = _field_block(html, "id_summary-agreed_summary")
    assert "Someone else saved the summary while you were writing." in summary
    assert ">\nToisen kirjoittama teksti</textarea>" in html
    conflict = html.split("Saved meanwhile by someone else")[1]
    assert "A1" in conflict and "Toisen kirjoittama teksti" in conflict
    assert Discussion.objects.get().agreed_summary == "A1"


def test_services_refuse_stale_versions(world, discussion):
    from arki.core.exceptions import ConflictError

    section = discussion.template.sections.first()
    note = services.note_save(
        actor=world.worker, discussion=discussion, section_id=section.pk, text="a",
        expected_version=0,
    )  # fmt: skip
    with pytest.raises(ConflictError):  # written meanwhile: the editor saw none
        services.note_save(
            actor=world.worker, discussion=discussion, section_id=section.pk, text="b",
            expected_version=0,
        )  # fmt: skip
    services.note_save(
        actor=world.worker, discussion=discussion, section_id=section.pk, text="c",
        expected_version=note.version,
    )  # fmt: skip
    with pytest.raises(ConflictError):
        services.note_save(
            actor=world.worker, discussion=discussion, section_id=section.pk, text="d",
            expected_version=note.version,
        )  # fmt: skip
    assert WorkingNote.objects.get().text == "c"
    item = _item(world, discussion)
    services.action_update(actor=world.worker, item=item, status="done", expected_version=1)
    with pytest.raises(ConflictError):
        services.action_update(actor=world.worker, item=item, status="dropped", expected_version=1)
    with pytest.raises(ConflictError):
        services.action_remove(actor=world.worker, item=item, expected_version=1)
    assert ActionItem.objects.get().status == "done"
