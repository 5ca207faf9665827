"""The retention job on a hand-checked data set: what a dry run lists, what a run deletes or
anonymises, and that a second run changes nothing."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from arki.audit import services as audit
from arki.audit.models import AuditEvent, AuditSubject
from arki.audit.selectors import audit_chain_verify
from arki.calendars.models import BusyTime
from arki.discussions.models import Discussion, WorkingNote
from arki.discussions.tests.conftest import templates  # noqa: F401 - the log book fixture
from arki.meetings.models import MeetingReport, NetworkMeeting, ReportDelivery
from arki.operations.models import RetentionRule, RetentionRun
from arki.operations.retention import apply_retention, rules_for
from arki.portal.models import FeedbackInvitation, PortalLink, Preparation

NOW = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)


def ago(days: int) -> datetime:
    return NOW - timedelta(days=days)


@pytest.fixture
def data(world, templates):  # noqa: F811
    """Per record type one record past the default period and one within it."""
    template = templates["test-ecec.fi"]
    section = template.sections.first()

    def discussion(closed_days: int, **kw):
        return Discussion.objects.create(
            tenant=world.tenant,
            child=world.child,
            unit=world.unit,
            lead=world.worker,
            template=template,
            status="closed",
            offered_on=ago(closed_days + 20).date(),
            closed_on=ago(closed_days).date(),
            **kw,
        )

    notes_due = discussion(40)
    WorkingNote.objects.create(discussion=notes_due, section=section, text="muistiinpano")
    notes_kept = discussion(40, keep_working_notes=True)
    WorkingNote.objects.create(discussion=notes_kept, section=section, text="säilytetään")
    old = discussion(6 * 365, agreed_summary="Sovittu yhteenveto", notes_purged_at=ago(2000))
    old.sessions.create(number=1, held_on=ago(6 * 365 + 10).date(), participants="Äiti, isä")
    recent = discussion(365, agreed_summary="Tuore yhteenveto", notes_purged_at=ago(300))

    BusyTime.objects.create(user=world.worker, starts_at=ago(41), ends_at=ago(40))
    BusyTime.objects.create(user=world.worker, starts_at=ago(11), ends_at=ago(10))

    def link(expired_days: int, n: int):
        return PortalLink.objects.create(
            child=world.child,
            guardian=world.guardian,
            email="huoltaja@example.fi",
            token_hash=f"{n:064d}",
            expires_at=ago(expired_days),
            created_by=world.worker,
        )

    link(100, 1)
    link(10, 2)
    for days in (800, 100):
        Preparation.objects.create(
            child=world.child,
            respondent="guardian",
            guardian=world.guardian,
            submitted_at=ago(days),
        )

    def meeting(held_days: int) -> MeetingReport:
        m = NetworkMeeting.objects.create(
            tenant=world.tenant,
            child=world.child,
            chair=world.worker,
            status="held",
            reason="Tarve",
            held_at=ago(held_days),
        )
        return MeetingReport.objects.create(meeting=m, number=1, created_by=world.worker)

    old_report = meeting(6 * 365)
    ReportDelivery.objects.create(
        report=old_report, name="Äiti", email="a@example.fi", language="fi", sent_by=world.worker
    )
    meeting(30)

    for days in (400, 30):
        invitation = FeedbackInvitation.objects.create(
            guardian=world.guardian,
            child=world.child,
            context_kind="discussion",
            source_id=notes_due.pk if days == 400 else old.pk,
            language="fi",
        )
        FeedbackInvitation.objects.filter(pk=invitation.pk).update(created_at=ago(days))

    ancient = AuditEvent.objects.create(
        occurred_at=ago(13 * 365),
        tenant_id=world.tenant.pk,
        actor_label="Aino",
        action="people.child.viewed",
    )
    AuditSubject.objects.create(
        event=ancient,
        subject_type="child",
        subject_id=world.child.pk,
        occurred_at=ancient.occurred_at,
    )
    audit.audit_chain_seal()
    return {"notes_due": notes_due, "old": old, "recent": recent, "ancient": ancient}


EXPECTED = {
    "working_notes": 1,
    "busy_times": 1,
    "portal_links": 1,
    "preparations": 1,
    "discussions": 1,
    "meeting_reports": 1,
    "feedback_answers": 0,
    "feedback_invitations": 1,
    "audit_events": 1,
}


def counts() -> dict[str, int]:
    return {
        "notes": WorkingNote.objects.count(),
        "busy": BusyTime.objects.count(),
        "links": PortalLink.objects.count(),
        "preparations": Preparation.objects.count(),
        "reports": MeetingReport.objects.count(),
        "deliveries": ReportDelivery.objects.count(),
        "invitations": FeedbackInvitation.objects.count(),
        "events": AuditEvent.objects.count(),
    }


@pytest.mark.django_db
def test_a_dry_run_lists_what_is_due_and_changes_nothing(data, world):
    before = counts()
    [run] = apply_retention(now=NOW, dry_run=True, tenants=[world.tenant])
    assert {code: due.count for code, due in run.results.items()} == EXPECTED
    assert run.results["discussions"].names == [f"discussion {data['old'].pk}"]
    assert counts() == before
    assert not RetentionRun.objects.exists()
    data["old"].refresh_from_db()
    assert data["old"].agreed_summary == "Sovittu yhteenveto"


@pytest.mark.django_db
def test_a_run_acts_on_exactly_the_due_records_and_a_second_run_changes_nothing(data, world):
    events_before = AuditEvent.objects.count()
    [run] = apply_retention(now=NOW, tenants=[world.tenant])
    assert run.results == EXPECTED
    after = counts()
    assert after.pop("events") < events_before + 20
    assert after == {
        "notes": 1,  # the family chose to keep the other discussion's notes
        "busy": 1,
        "links": 1,
        "preparations": 1,
        "reports": 1,
        "deliveries": 0,
        "invitations": 1,
    }
    assert WorkingNote.objects.get().text == "säilytetään"
    old, recent = data["old"], data["recent"]
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.agreed_summary == "" and old.sessions.get().participants == ""
    assert old.closed_on == ago(6 * 365).date()  # the dates stay for the statistics
    assert recent.agreed_summary == "Tuore yhteenveto"
    assert not AuditEvent.objects.filter(pk=data["ancient"].pk).exists()
    applied = AuditEvent.objects.filter(action="operations.retention.applied")
    assert {e.detail["record_type"] for e in applied} == {k for k, v in EXPECTED.items() if v}
    reports = applied.get(detail__record_type="meeting_reports")
    assert list(reports.subjects.values_list("subject_id", flat=True)) == [world.child.pk]
    # The chain still verifies: the purged event's link is older than the recorded horizon.
    audit.audit_chain_seal()
    assert audit_chain_verify().breaks == []
    assert RetentionRun.objects.get(tenant=world.tenant).results == EXPECTED

    after = counts()
    events = AuditEvent.objects.count()
    [again] = apply_retention(now=NOW, tenants=[world.tenant])
    assert set(again.results.values()) == {0}
    assert counts() == after and AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_the_command_prints_the_dry_run_and_other_tenants_are_untouched(data, world):
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "pohjanmaa:" in text and "lolland:" in text
    assert f"discussion {data['old'].pk}" in text
    assert "working_notes: would delete" in text
    # Every tenant got its rules; the Danish one has nothing due.
    assert RetentionRule.objects.filter(tenant__slug="lolland").count() == len(EXPECTED)


@pytest.mark.django_db
def test_the_coordinator_sees_the_rules_and_changes_a_period_within_bounds(world):
    client = world.client_for(world.coordinator)
    page = client.get("/retention/")
    assert page.status_code == 200
    assert b"703/2023" in page.content
    rule = next(r for r in rules_for(world.tenant) if r.record_type == "preparations")
    refused = client.post("/retention/", {"rule": rule.pk, f"{rule.pk}-period_days": 10})
    assert refused.status_code == 400
    rule.refresh_from_db()
    assert rule.period_days == 730
    done = client.post("/retention/", {"rule": rule.pk, f"{rule.pk}-period_days": 365})
    assert done.status_code == 302
    rule.refresh_from_db()
    assert rule.period_days == 365
    event = AuditEvent.objects.get(action="operations.retention.rule_changed")
    assert event.actor_id == world.coordinator.pk and event.detail["from"] == 730
    audit_rule = next(r for r in rules_for(world.tenant) if r.record_type == "audit_events")
    client.post("/retention/", {"rule": audit_rule.pk, f"{audit_rule.pk}-period_days": 365})
    audit_rule.refresh_from_db()
    assert audit_rule.period_days == 4383  # the law's twelve years is the minimum


@pytest.mark.django_db
def test_others_may_not_open_the_retention_page(world):
    assert world.client_for(world.worker).get("/retention/").status_code == 403
    assert world.client_for(world.outsider).get("/retention/").status_code == 403
