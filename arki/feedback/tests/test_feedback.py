"""Family feedback: single-use links, anonymity, versions, translations, results."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import models

from arki.audit.models import AuditEvent
from arki.core.tests.factories import UnitFactory
from arki.feedback import selectors, services
from arki.feedback.models import (
    FeedbackAnswer,
    FeedbackLink,
    FeedbackResponse,
    Question,
    QuestionSet,
)

pytestmark = pytest.mark.django_db

ALL_YES = {
    "felt_heard": "yes",
    "parenting_tools": "partly",
    "useful_for_child": "yes",
    "comments": "Hyvä keskustelu",
}


@pytest.fixture
def link(world):
    services.feedback_seed_defaults()
    return services.feedback_link_create(
        context_kind="discussion", unit=world.unit, period=date(2026, 3, 17), language="fi"
    )


def test_seed_is_idempotent():
    first = services.feedback_seed_defaults()
    assert services.feedback_seed_defaults() == first
    assert QuestionSet.objects.count() == 1
    keys = list(first.questions.values_list("key", flat=True))
    assert keys[:3] == ["felt_heard", "parenting_tools", "mental_health_meaningful"]
    assert len(keys) == 8
    for question in first.questions.all():
        assert set(question.texts) == {"fi", "sv", "en", "da"} and all(question.texts.values())


def test_link_stores_only_a_hash_and_coarse_context(world, link):
    row = FeedbackLink.objects.get()
    assert link not in row.token_hash and row.token_hash == services.hash_token(link)
    assert row.period == date(2026, 3, 1)
    assert (row.unit, row.area, row.sector, row.setting) == (
        world.unit,
        world.unit.area,
        world.unit.sector,
        world.unit.setting,
    )


def test_family_answers_once_on_the_public_page(world, link):
    client = world.client_for(None)
    page = client.get(f"/feedback/{link}/")
    assert page.status_code == 200
    assert "Koitko tulleesi kuulluksi?" in page.content.decode()
    response = client.post(f"/feedback/{link}/", ALL_YES)
    assert response.status_code == 200
    assert FeedbackResponse.objects.count() == 1
    answers = dict(FeedbackAnswer.objects.values_list("question__key", "choice"))
    assert answers["felt_heard"] == "yes" and answers["parenting_tools"] == "partly"
    assert FeedbackAnswer.objects.get(question__key="comments").text == "Hyvä keskustelu"
    assert FeedbackLink.objects.get().is_spent

    again = client.post(f"/feedback/{link}/", {"felt_heard": "no"})
    assert again.status_code == 410
    assert "on jo käytetty" in again.content.decode()
    assert FeedbackResponse.objects.count() == 1
    assert FeedbackAnswer.objects.filter(choice="no").count() == 0


def test_service_refuses_a_second_answer(link):
    services.feedback_submit(token=link, answers={"felt_heard": "yes"})
    with pytest.raises(services.LinkSpent):
        services.feedback_submit(token=link, answers={"felt_heard": "no"})
    assert FeedbackAnswer.objects.count() == 1


def test_empty_answer_is_refused_and_link_stays_open(world, link):
    response = world.client_for(None).post(f"/feedback/{link}/", {})
    assert response.status_code == 200
    assert "Vastaa ainakin yhteen kysymykseen." in response.content.decode()
    assert not FeedbackLink.objects.get().is_spent


def test_bad_choice_is_refused(world, link):
    response = world.client_for(None).post(f"/feedback/{link}/", {"felt_heard": "maybe"})
    assert response.status_code == 200
    assert FeedbackResponse.objects.count() == 0


def test_unknown_token_is_404_not_500(world):
    assert world.client_for(None).get("/feedback/not-a-token/").status_code == 404


@pytest.mark.parametrize(
    ("lang", "text", "yes"),
    [
        ("fi", "Koitko tulleesi kuulluksi?", "Kyllä"),
        ("sv", "Kände du dig hörd?", "Ja"),
        ("en", "Did you feel heard?", "Yes"),
        ("da", "Følte du dig hørt?", "Ja"),
    ],
)
def test_page_renders_in_each_language(world, link, lang, text, yes):
    body = world.client_for(None).get(f"/feedback/{link}/?lang={lang}").content.decode()
    assert text in body
    assert f'<html lang="{lang}">' in body
    assert yes in body


def test_page_works_without_javascript_and_is_labelled(world, link):
    body = world.client_for(None).get(f"/feedback/{link}/").content.decode()
    assert '<form method="post"' in body and 'type="submit"' in body
    assert body.count("<fieldset") == 7 and body.count("<legend>") == 7
    assert 'type="radio"' in body
    assert 'style="' not in body and "onclick" not in body


def test_link_in_the_family_language_from_the_start(world):
    services.feedback_seed_defaults()
    token = services.feedback_link_create(
        context_kind="meeting", unit=world.unit, period=date(2026, 3, 1), language="sv"
    )
    body = world.client_for(None).get(f"/feedback/{token}/").content.decode()
    assert "Kände du dig hörd?" in body


# --- anonymity ----------------------------------------------------------------------------

FORBIDDEN_MODELS = {"child", "guardian", "guardianship", "networkperson", "user"}
FORBIDDEN_WORDS = ("family", "child", "guardian", "discussion_id", "meeting_id", "email", "token")


def _relations(model) -> set[str]:
    return {
        f.related_model._meta.model_name
        for f in model._meta.get_fields()
        if f.is_relation and f.related_model is not None and (f.many_to_one or f.one_to_one)
    }


@pytest.mark.parametrize("model", [FeedbackLink, FeedbackResponse, FeedbackAnswer])
def test_no_field_leads_to_a_family(model):
    related = _relations(model)
    assert not related & FORBIDDEN_MODELS
    assert not {"discussion", "meeting", "networkmeeting"} & related
    names = [f.name for f in model._meta.get_fields() if f.concrete]
    for name in names:
        assert not any(word in name for word in FORBIDDEN_WORDS if word != "token"), name


def test_answers_do_not_point_to_the_link_and_carry_no_time():
    assert "feedbacklink" not in _relations(FeedbackResponse)
    assert "feedbacklink" not in _relations(FeedbackAnswer)
    for model in (FeedbackResponse, FeedbackAnswer, FeedbackLink):
        timed = [f.name for f in model._meta.get_fields() if isinstance(f, models.DateTimeField)]
        assert timed == [], model


def test_submitting_writes_no_audit_event_that_could_time_the_answer(link):
    before = AuditEvent.objects.count()
    services.feedback_submit(token=link, answers={"felt_heard": "yes"})
    assert AuditEvent.objects.count() == before


# --- versions --------------------------------------------------------------------------------


def test_new_version_keeps_old_answers_on_their_version(world, link):
    services.feedback_submit(token=link, answers={"felt_heard": "yes"})
    old_set = FeedbackResponse.objects.get().question_set
    new = services.question_set_new_version(
        actor=world.coordinator,
        tenant=world.tenant,
        questions=[
            {"key": "felt_heard", "kind": "choice", "texts": {"fi": "Tulitko kuulluksi?"}},
            {"key": "extra", "kind": "text", "texts": {"fi": "Muuta?", "sv": "Annat?"}},
        ],
    )
    assert new.version == 2 and new.tenant == world.tenant
    assert QuestionSet.objects.current_for(world.tenant) == new
    assert FeedbackResponse.objects.get().question_set == old_set
    assert old_set.questions.count() == 8
    token = services.feedback_link_create(
        context_kind="discussion", unit=world.unit, period=date(2026, 4, 1)
    )
    body = world.client_for(None).get(f"/feedback/{token}/").content.decode()
    assert "Tulitko kuulluksi?" in body and "Muuta?" in body
    assert AuditEvent.objects.filter(action="feedback.questions.versioned").count() == 1


def test_coordinator_adapts_questions_on_the_page(world):
    services.feedback_seed_defaults()
    client = world.client_for(world.coordinator)
    page = client.get("/feedback/questions/")
    assert page.status_code == 200
    data = {}
    for q in Question.objects.all():
        data[f"{q.key}__keep"] = "on" if q.key != "mental_health_know_how" else ""
        for lang, text in q.texts.items():
            data[f"{q.key}__{lang}"] = text
    data["new__kind"] = "choice"
    data["new__fi"] = "Suosittelisitko keskustelua muille?"
    data["new__en"] = "Would you recommend the discussion to others?"
    assert client.post("/feedback/questions/", data).status_code == 302
    current = QuestionSet.objects.current_for(world.tenant)
    keys = list(current.questions.values_list("key", flat=True))
    assert "mental_health_know_how" not in keys and len(keys) == 8
    assert current.questions.get(key=keys[-1]).texts["en"].startswith("Would you recommend")


def test_question_without_finnish_text_is_refused(world):
    services.feedback_seed_defaults()
    with pytest.raises(services.FeedbackError):
        services.question_set_new_version(
            actor=world.coordinator,
            tenant=world.tenant,
            questions=[{"key": "x", "kind": "choice", "texts": {"en": "X?"}}],
        )
    assert QuestionSet.objects.count() == 1


# --- results ---------------------------------------------------------------------------------


def _answers(world, unit, n, choice="yes", month=date(2026, 3, 1)):
    for _i in range(n):
        token = services.feedback_link_create(context_kind="discussion", unit=unit, period=month)
        services.feedback_submit(token=token, answers={"felt_heard": choice})


def test_summary_counts_and_suppresses_small_cells(world):
    services.feedback_seed_defaults()
    _answers(world, world.unit, 6, "yes")
    _answers(world, world.unit, 2, "no")
    summary = selectors.feedback_summary(tenant=world.tenant)
    assert summary.n == 8
    heard = next(i for i in summary.items if i.key == "felt_heard")
    cells = {c.choice: c for c in heard.cells}
    assert cells["yes"].count == 6 and round(cells["yes"].percent) == 75
    assert cells["no"].count is None and cells["no"].display == "<5"
    assert cells["partly"].count == 0


def test_summary_filters_and_small_n_is_hidden(world):
    services.feedback_seed_defaults()
    _answers(world, world.unit, 5)
    _answers(world, world.other_unit, 3, month=date(2026, 5, 1))
    other = selectors.feedback_summary(
        tenant=world.tenant, filters=selectors.FeedbackFilters(unit_id=world.other_unit.pk)
    )
    assert other.n is None and other.n_display == "<5"
    assert all(c.count is None for c in other.items[0].cells if c.choice == "yes")
    march = selectors.feedback_summary(
        tenant=world.tenant,
        filters=selectors.FeedbackFilters(
            period_from=date(2026, 3, 1), period_to=date(2026, 3, 31)
        ),
    )
    assert march.n == 5
    by_area = selectors.feedback_summary(
        tenant=world.tenant, filters=selectors.FeedbackFilters(area_id=world.unit.area_id)
    )
    assert by_area.n == 5
    foreign = UnitFactory()
    assert selectors.feedback_summary(tenant=foreign.tenant).n == 0


def test_results_page_shows_counts_and_no_answer_identifiers(world):
    services.feedback_seed_defaults()
    _answers(world, world.unit, 5)
    client = world.client_for(world.coordinator)
    body = client.get("/feedback/results/").content.decode()
    assert "5 (100 %)" in body
    for response_id in FeedbackResponse.objects.values_list("id", flat=True):
        assert str(response_id) not in body
    for answer_id in FeedbackAnswer.objects.values_list("id", flat=True):
        assert str(answer_id) not in body
    filtered = client.get("/feedback/results/", {"unit": world.other_unit.pk}).content.decode()
    assert "5 (100 %)" not in filtered


def test_anonymous_cannot_see_results(world):
    response = world.client_for(None).get("/feedback/results/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_worker_cannot_see_results_or_edit_questions(world):
    client = world.client_for(world.worker)
    assert client.get("/feedback/results/").status_code == 403
    assert client.get("/feedback/questions/").status_code == 403
    assert client.post("/feedback/questions/", {}).status_code == 403
