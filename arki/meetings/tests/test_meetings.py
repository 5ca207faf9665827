from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from arki.accounts.models import QualificationKind
from arki.audit.models import AuditEvent
from arki.core.exceptions import DomainError, NotQualifiedError
from arki.core.tests.factories import GuardianFactory, QualificationFactory
from arki.discussions import services as discussions
from arki.meetings import services
from arki.meetings.models import Approval, Consent, MeetingAction

LOGBOOK = Path(__file__).resolve().parents[2] / "discussions" / "logbooks" / "arki-ecec.fi.json"


@pytest.fixture
def chair(world):
    QualificationFactory(user=world.worker, kind=QualificationKind.NETWORK_MEETING)
    return world.worker


@pytest.fixture
def meeting(world, chair):
    return services.meeting_plan(
        actor=chair, child=world.child, reason="Arki on kuormittunut", topics="Aamut ja uni"
    )


@pytest.fixture
def professional(world, meeting):
    return services.invitee_add(
        actor=world.worker,
        meeting=meeting,
        kind="professional",
        user=world.other_area_worker,
        role_label="koulukuraattori",
        expected_contribution="Tietoa koulun tuesta",
    )


@pytest.fixture
def plan_discussion(world):
    template, _ = discussions.logbook_import(data=json.loads(LOGBOOK.read_text()))
    d = discussions.discussion_offer(
        actor=world.worker,
        child=world.child,
        unit=world.unit,
        template=template,
        offered_on=date(2026, 9, 1),
    )
    discussions.discussion_accept(actor=world.worker, discussion=d, responded_on=date(2026, 9, 2))
    discussions.action_add(actor=world.worker, discussion=d, what="Iltasatu", owner_kind="parent")
    return d


@pytest.mark.django_db
def test_only_a_network_meeting_qualified_worker_can_chair(world):
    with pytest.raises(NotQualifiedError):
        services.meeting_plan(actor=world.worker, child=world.child, reason="x")


@pytest.mark.django_db
def test_guardians_are_invited_and_others_wait_for_the_family(meeting, professional, world):
    kinds = {i.kind: i.approval for i in meeting.invitees.all()}
    assert kinds["guardian"] == Approval.APPROVED
    assert professional.approval == Approval.PENDING
    with pytest.raises(DomainError):
        services.consent_give(
            actor=world.worker, invitee=professional, scope="action_plan", channel="paper"
        )


@pytest.mark.django_db
def test_consent_gives_exactly_the_scope_and_withdrawal_ends_it_at_once(
    world, meeting, professional, plan_discussion
):
    client = world.client_for(world.other_area_worker)
    pdf = f"/discussions/children/{world.child.pk}/{plan_discussion.pk}/plan.pdf"
    page = f"/discussions/children/{world.child.pk}/{plan_discussion.pk}/"
    assert client.get(pdf).status_code == 404
    services.invitee_approve(
        actor=world.guardian, invitee=professional, approved=True, channel="portal"
    )
    consent = services.consent_give(
        actor=world.guardian, invitee=professional, scope="meeting_report", channel="portal"
    )
    assert client.get(f"/children/{world.child.pk}/").status_code == 200
    assert client.get(pdf).status_code == 404  # the report is not the plan
    plan_consent = services.consent_give(
        actor=world.guardian, invitee=professional, scope="action_plan", channel="portal"
    )
    response = client.get(pdf)
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action="discussions.plan.printed").latest("occurred_at")
    assert event.is_disclosure and event.basis == "relationship:network_member"
    assert client.get(page).status_code == 404  # never the working material
    services.consent_withdraw(actor=world.guardian, consent=plan_consent)
    assert client.get(pdf).status_code == 404
    services.consent_withdraw(actor=world.guardian, consent=consent)
    assert client.get(f"/children/{world.child.pk}/").status_code == 404
    # History is kept: both consents remain, withdrawn.
    assert Consent.objects.filter(invitee=professional, withdrawn_at__isnull=False).count() == 2


@pytest.mark.django_db
def test_closing_the_network_work_ends_consent_based_access(world, meeting, professional):
    services.invitee_approve(
        actor=world.worker, invitee=professional, approved=True, channel="paper"
    )
    services.consent_give(
        actor=world.worker,
        invitee=professional,
        scope="attend",
        channel="paper",
        guardian=world.guardian,
    )
    client = world.client_for(world.other_area_worker)
    assert client.get(f"/children/{world.child.pk}/").status_code == 200
    services.meeting_close(actor=world.worker, meeting=meeting)
    assert client.get(f"/children/{world.child.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_guardian_cannot_decide_for_another_family(world, meeting, professional):
    stranger = GuardianFactory(tenant=world.tenant)
    with pytest.raises(DomainError):
        services.invitee_approve(
            actor=stranger, invitee=professional, approved=True, channel="portal"
        )


@pytest.mark.django_db
def test_accepted_proposal_becomes_an_action_declined_does_not(world, meeting):
    yes = services.proposal_add(
        actor=world.worker,
        meeting=meeting,
        text="Kuraattori tapaa",
        owner="kuraattori",
        due_on=date(2026, 12, 1),
    )
    no = services.proposal_add(actor=world.worker, meeting=meeting, text="Leiri")
    services.proposal_decide(actor=world.guardian, proposal=yes, accepted=True, channel="portal")
    services.proposal_decide(actor=world.guardian, proposal=no, accepted=False, channel="portal")
    assert list(MeetingAction.objects.values_list("what", flat=True)) == ["Kuraattori tapaa"]
    with pytest.raises(DomainError):
        services.proposal_decide(
            actor=world.guardian, proposal=yes, accepted=False, channel="portal"
        )
    event = AuditEvent.objects.filter(action="meetings.proposal.accepted").get()
    assert event.role == "guardian" and str(world.guardian) in event.actor_label


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona,expected",
    [
        ("worker", 200),
        ("colleague", 404),
        ("outsider", 404),
        ("coordinator", 404),
        ("other_area_worker", 404),
        (None, 302),
    ],
)
def test_meeting_page_by_persona(world, meeting, persona, expected):
    client = world.client_for(getattr(world, persona) if persona else None)
    assert client.get(f"/meetings/children/{world.child.pk}/{meeting.pk}/").status_code == expected


@pytest.mark.django_db
def test_planning_and_recording_through_the_pages(world, chair):
    client = world.client_for(chair)
    response = client.post(
        f"/meetings/children/{world.child.pk}/new/",
        {"reason": "Tarvitaan lisää tukea", "topics": "Koulu"},
    )
    assert response.status_code == 302
    meeting = world.child.network_meetings.get()
    base = f"/meetings/children/{world.child.pk}/{meeting.pk}/"
    client.post(
        base + "invitee/",
        {
            "kind": "professional",
            "professional": "otherarea",
            "language": "fi",
            "role_label": "kuraattori",
        },
    )
    invitee = meeting.invitees.get(kind="professional")
    client.post(base + "approve/", {"invitee": str(invitee.pk), "approved": "1"})
    client.post(
        base + "consent/",
        {"invitee": str(invitee.pk), "scope": "action_plan", "given_by": str(world.guardian.pk)},
    )
    assert Consent.objects.active().filter(invitee=invitee, scope="action_plan").exists()
    page = client.get(base).content.decode()
    assert "kuraattori" in page
    bad = client.post(
        base + "invitee/",
        {"kind": "professional", "professional": "nobody", "language": "fi"},
        follow=True,
    )
    assert bad.status_code == 400 and meeting.invitees.count() == 2
