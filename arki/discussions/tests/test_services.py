from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone

from arki.core.exceptions import (
    ConflictError,
    DomainError,
    InvalidTransitionError,
    NotQualifiedError,
)
from arki.discussions import services
from arki.discussions.models import Discussion, Outcome, WorkingNote
from arki.people.models import ChildRelationship


@pytest.mark.django_db
def test_only_a_qualified_worker_can_offer(world, templates):
    world.worker.qualifications.all().delete()
    with pytest.raises(NotQualifiedError):
        services.discussion_offer(
            actor=world.worker,
            child=world.child,
            unit=world.unit,
            template=templates["test-ecec.fi"],
            offered_on=date(2026, 9, 1),
        )
    assert not Discussion.objects.exists()


@pytest.mark.django_db
def test_offer_gives_the_lead_a_relationship(world, templates):
    d = services.discussion_offer(
        actor=world.colleague,
        child=world.child,
        unit=world.unit,
        template=templates["test-ecec.fi"],
        offered_on=date(2026, 9, 1),
    )
    rel = ChildRelationship.objects.get(user=world.colleague, child=world.child)
    assert rel.kind == "discussion_lead" and rel.source_id == d.pk


@pytest.mark.django_db
def test_declined_discussion_cannot_be_accepted(world, templates):
    d = services.discussion_offer(
        actor=world.worker,
        child=world.child,
        unit=world.unit,
        template=templates["test-ecec.fi"],
        offered_on=date(2026, 9, 1),
    )
    services.discussion_decline(
        actor=world.worker, discussion=d, responded_on=date(2026, 9, 2), reason="Ei nyt"
    )
    d.refresh_from_db()
    assert d.status == "declined" and d.decline_reason == "Ei nyt"
    with pytest.raises(InvalidTransitionError):
        services.discussion_accept(actor=world.worker, discussion=d, responded_on=date(2026, 9, 3))


@pytest.mark.django_db
def test_at_most_three_sessions(discussion, world):
    for day in (4, 11, 18):
        services.session_add(actor=world.worker, discussion=discussion, held_on=date(2026, 9, day))
    with pytest.raises(DomainError):
        services.session_add(actor=world.worker, discussion=discussion, held_on=date(2026, 9, 25))
    assert [s.number for s in discussion.sessions.all()] == [1, 2, 3]


@pytest.mark.django_db
def test_plan_in_the_first_session_and_close(discussion, world):
    services.session_add(actor=world.worker, discussion=discussion, held_on=date(2026, 9, 4))
    section = discussion.template.sections.first()
    strength = services.observation_add(
        actor=world.worker,
        discussion=discussion,
        section_id=section.pk,
        kind="strength",
        text="Yhteiset iltasadut",
    )
    services.action_add(
        actor=world.worker,
        discussion=discussion,
        what="Luetaan iltaisin",
        owner_kind="parent",
        serves=strength,
        due_on=date(2026, 10, 1),
    )
    services.discussion_close(
        actor=world.worker,
        discussion=discussion,
        expected_version=discussion.version,
        outcome=Outcome.PLAN_MADE,
        agreed_summary="Sovittu",
        keep_working_notes=False,
        closed_on=date(2026, 9, 4),
    )
    discussion.refresh_from_db()
    assert discussion.status == "closed" and discussion.network_meeting_needed_on is None


@pytest.mark.django_db
def test_closing_with_network_meeting_needed_records_the_date(discussion, world):
    services.session_add(actor=world.worker, discussion=discussion, held_on=date(2026, 9, 4))
    services.discussion_close(
        actor=world.worker,
        discussion=discussion,
        expected_version=discussion.version,
        outcome=Outcome.NETWORK_MEETING_NEEDED,
        agreed_summary="",
        keep_working_notes=False,
        closed_on=date(2026, 9, 5),
    )
    discussion.refresh_from_db()
    assert discussion.network_meeting_needed_on == date(2026, 9, 5)


@pytest.mark.django_db
def test_closing_needs_a_session_and_a_plan_for_plan_made(discussion, world):
    with pytest.raises(DomainError):
        services.discussion_close(
            actor=world.worker,
            discussion=discussion,
            expected_version=discussion.version,
            outcome="plan_made",
            agreed_summary="",
            keep_working_notes=False,
            closed_on=date(2026, 9, 5),
        )
    services.session_add(actor=world.worker, discussion=discussion, held_on=date(2026, 9, 4))
    with pytest.raises(DomainError):
        services.discussion_close(
            actor=world.worker,
            discussion=discussion,
            expected_version=discussion.version,
            outcome="plan_made",
            agreed_summary="",
            keep_working_notes=False,
            closed_on=date(2026, 9, 5),
        )


@pytest.mark.django_db
def test_stale_summary_save_is_refused_and_changes_nothing(discussion, world):
    loaded = discussion.version
    services.summary_save(
        actor=world.worker,
        discussion=discussion,
        expected_version=loaded,
        agreed_summary="Ensimmäinen",
        keep_working_notes=False,
    )
    with pytest.raises(ConflictError):
        services.summary_save(
            actor=world.colleague,
            discussion=discussion,
            expected_version=loaded,
            agreed_summary="Toinen",
            keep_working_notes=True,
        )
    discussion.refresh_from_db()
    assert discussion.agreed_summary == "Ensimmäinen" and not discussion.keep_working_notes


@pytest.mark.django_db
def test_purge_deletes_notes_after_retention_keeps_plan_and_is_idempotent(
    discussion, world, settings
):
    settings.ARKI_WORKING_NOTES_RETENTION_DAYS = 30
    section = discussion.template.sections.first()
    services.note_save(
        actor=world.worker,
        discussion=discussion,
        section_id=section.pk,
        text="Perheen muistiinpanot",
    )
    services.session_add(actor=world.worker, discussion=discussion, held_on=date(2026, 9, 4))
    services.action_add(
        actor=world.worker, discussion=discussion, what="Ulkoillaan", owner_kind="parent"
    )
    closed_on = timezone.localdate() - timedelta(days=31)
    services.discussion_close(
        actor=world.worker,
        discussion=discussion,
        expected_version=discussion.version,
        outcome="plan_made",
        agreed_summary="Sovittu",
        keep_working_notes=False,
        closed_on=closed_on,
    )
    assert services.purge_working_notes() == 1
    assert services.purge_working_notes() == 0
    discussion.refresh_from_db()
    assert not WorkingNote.objects.filter(discussion=discussion).exists()
    assert discussion.notes_purged_at is not None
    assert discussion.agreed_summary == "Sovittu" and discussion.action_items.count() == 1
    assert discussion.offered_on == date(2026, 9, 1)


@pytest.mark.django_db
def test_purge_respects_the_family_keeping_notes_and_recent_closings(discussion, world):
    section = discussion.template.sections.first()
    services.note_save(actor=world.worker, discussion=discussion, section_id=section.pk, text="x")
    services.session_add(actor=world.worker, discussion=discussion, held_on=date(2026, 9, 4))
    services.discussion_close(
        actor=world.worker,
        discussion=discussion,
        expected_version=discussion.version,
        outcome="no_further_action",
        agreed_summary="",
        keep_working_notes=True,
        closed_on=date(2026, 9, 4),
    )
    assert services.purge_working_notes() == 0
    assert WorkingNote.objects.filter(discussion=discussion).exists()


@pytest.mark.django_db
def test_suggested_template_follows_setting_age_and_language(world, templates):
    assert (
        services.suggest_template(
            tenant_id=world.tenant.pk, unit=world.unit, child=world.child, language="sv"
        ).language
        == "sv"
    )
    world.unit.setting = "services"
    world.child.birth_date = date(2016, 1, 1)
    chosen = services.suggest_template(
        tenant_id=world.tenant.pk, unit=world.unit, child=world.child, on=date(2026, 1, 1)
    )
    assert chosen.code == "test-services-7-12"
    world.child.birth_date = date(2023, 1, 1)
    chosen = services.suggest_template(
        tenant_id=world.tenant.pk, unit=world.unit, child=world.child, on=date(2026, 1, 1)
    )
    assert chosen.code == "test-services-0-6"


def _refused_on(field, call, **kwargs):
    with pytest.raises(DomainError) as refused:
        call(**kwargs)
    assert refused.value.field == field
    return refused.value


@pytest.mark.django_db
def test_dates_that_order_a_discussion_cannot_contradict_each_other(world, templates):
    tomorrow = timezone.localdate() + timedelta(days=1)
    offer = {
        "actor": world.worker,
        "child": world.child,
        "unit": world.unit,
        "template": templates["test-ecec.fi"],
    }
    _refused_on("offered_on", services.discussion_offer, **offer, offered_on=tomorrow)
    d = services.discussion_offer(**offer, offered_on=date(2026, 9, 1))
    for answer in (services.discussion_accept, services.discussion_decline):
        _refused_on(
            "responded_on", answer, actor=world.worker, discussion=d, responded_on=date(2026, 8, 31)
        )
        _refused_on("responded_on", answer, actor=world.worker, discussion=d, responded_on=tomorrow)
    services.discussion_accept(actor=world.worker, discussion=d, responded_on=date(2026, 9, 3))
    add = {"actor": world.worker, "discussion": d}
    _refused_on("held_on", services.session_add, **add, held_on=date(2026, 9, 2))
    _refused_on("held_on", services.session_add, **add, held_on=tomorrow)
    services.session_add(**add, held_on=date(2026, 9, 10))
    close = {
        **add,
        "outcome": "no_further_action",
        "agreed_summary": "",
        "keep_working_notes": False,
    }
    for closed_on in (date(2020, 1, 1), date(2026, 9, 9), tomorrow):
        d.refresh_from_db()
        _refused_on(
            "closed_on",
            services.discussion_close,
            **close,
            expected_version=d.version,
            closed_on=closed_on,
        )
    d.refresh_from_db()
    assert d.status == "accepted" and d.closed_on is None
    services.discussion_close(**close, expected_version=d.version, closed_on=date(2026, 9, 10))
    d.refresh_from_db()
    assert d.closed_on == date(2026, 9, 10)


def _closed_with_notes(discussion, world, *, closed_on):
    section = discussion.template.sections.first()
    services.note_save(actor=world.worker, discussion=discussion, section_id=section.pk, text="x")
    services.session_add(actor=world.worker, discussion=discussion, held_on=date(2026, 9, 4))
    services.discussion_close(
        actor=world.worker,
        discussion=discussion,
        expected_version=discussion.version,
        outcome="no_further_action",
        agreed_summary="",
        keep_working_notes=False,
        closed_on=date(2026, 9, 4),
    )
    # A date written before the services checked it (or by hand in the database).
    Discussion.objects.filter(pk=discussion.pk).update(closed_on=closed_on)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "closed_on",
    [date(2020, 1, 1), date(2026, 9, 3)],
    ids=["before-the-offer", "before-the-last-session"],
)
def test_purge_never_acts_on_a_closing_date_before_the_discussion(
    discussion, world, settings, closed_on
):
    from django.core.management import call_command

    settings.ARKI_WORKING_NOTES_RETENTION_DAYS = 30
    _closed_with_notes(discussion, world, closed_on=closed_on)
    assert services.purge_working_notes() == 0
    call_command("apply_retention", stdout=io.StringIO())
    assert WorkingNote.objects.filter(discussion=discussion).exists()
    discussion.refresh_from_db()
    assert discussion.notes_purged_at is None


@pytest.mark.django_db
def test_purge_never_acts_on_a_closing_date_in_the_future(discussion, world, settings):
    settings.ARKI_WORKING_NOTES_RETENTION_DAYS = -5  # a misconfiguration must not matter
    _closed_with_notes(discussion, world, closed_on=timezone.localdate() + timedelta(days=3))
    assert services.purge_working_notes() == 0
    assert WorkingNote.objects.filter(discussion=discussion).exists()
