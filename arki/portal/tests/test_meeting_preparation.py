# ruff: noqa: F811  (pytest fixtures imported from the meetings tests)
"""Preparing for a network meeting in the portal: the guardian's own form and the child's own
voice, plain form POSTs, read-only once the meeting is held, closed or cancelled; the chair
reads the answers on the meeting page and sees new ones on the home page; all audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from arki.accounts.models import QualificationKind
from arki.audit.models import AuditEvent
from arki.core.exceptions import DomainError
from arki.core.tests.factories import ChildFactory, GuardianshipFactory, QualificationFactory
from arki.discussions.tests.conftest import discussion, templates  # noqa: F401
from arki.meetings import services as meetings
from arki.meetings.models import MeetingStatus
from arki.meetings.tests.test_meetings import chair, meeting  # noqa: F401
from arki.portal import services
from arki.portal.models import Preparation

from .conftest import issue, open_portal

pytestmark = pytest.mark.django_db


def fi(msgid: str) -> str:
    """The words as the (Finnish) page shows them."""
    with translation.override("fi"):
        return translation.gettext(msgid)


def prepare_url(m) -> str:
    return f"/portal/children/{m.child_id}/meetings/{m.pk}/prepare/"


def meeting_page(m) -> str:
    return f"/meetings/children/{m.child_id}/{m.pk}/"


def child_client(world):
    world.child.birth_date = timezone.localdate() - timedelta(days=365 * 13)
    world.child.save()
    issued = services.link_issue(actor=world.worker, child=world.child, email="eetu@example.fi")
    return open_portal(issued.token)


@pytest.fixture
def colleague_chairs(world):
    """A meeting chaired by the colleague, who has no other relationship with the child."""
    QualificationFactory(user=world.colleague, kind=QualificationKind.NETWORK_MEETING)
    return meetings.meeting_plan(actor=world.colleague, child=world.child, reason="Arki on raskas")


def test_guardian_prepares_for_the_meeting_with_a_plain_form(world, meeting, portal_client):
    page = portal_client.get(f"/portal/children/{world.child.pk}/").content.decode()
    assert prepare_url(meeting) in page
    form = portal_client.get(prepare_url(meeting)).content.decode()
    assert 'method="post"' in form
    assert 'name="who_can_help"' in form and 'name="hopes"' in form
    assert fi("What do we hope from the meeting?") in form
    assert 'name="worker_should_know"' not in form  # the discussion's questions are not asked
    response = portal_client.post(
        prepare_url(meeting),
        {"hopes": "A calmer school day", "who_can_help": "Grandma on Tuesdays", "x": "ignored"},
    )
    assert response.status_code == 302
    prep = Preparation.objects.get()
    assert prep.meeting == meeting and prep.discussion is None
    assert prep.guardian == world.guardian and prep.respondent == "guardian"
    assert prep.answers["who_can_help"] == "Grandma on Tuesdays"
    assert set(prep.answers) == {
        "hopes",
        "worries",
        "who_can_help",
        "going_well",
        "chair_should_know",
    }
    event = AuditEvent.objects.get(action="portal.preparation.saved")
    assert event.actor_label == str(world.guardian) and event.role == "guardian"
    # Editing shows the answers and replaces them; the general preparation is separate.
    assert "Grandma on Tuesdays" in portal_client.get(prepare_url(meeting)).content.decode()
    portal_client.post(prepare_url(meeting), {"worries": "Mornings"})
    prep.refresh_from_db()
    assert prep.answers["worries"] == "Mornings" and prep.answers["who_can_help"] == ""
    assert Preparation.objects.count() == 1
    general = portal_client.get(f"/portal/children/{world.child.pk}/prepare/").content.decode()
    assert "Mornings" not in general and 'name="worker_should_know"' in general
    viewed = AuditEvent.objects.filter(action="portal.preparation.viewed", role="guardian")
    assert viewed.exists()


def test_empty_or_oversized_answers_are_refused_with_a_clear_error(world, meeting, portal_client):
    response = portal_client.post(prepare_url(meeting), {"hopes": "  "})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    portal_client.post(prepare_url(meeting), {"hopes": "Calm"})
    response = portal_client.post(prepare_url(meeting), {"hopes": "x" * 5000})
    assert response.status_code == 200
    assert Preparation.objects.get().answers["hopes"] == "Calm"


def test_child_writes_their_own_thoughts_in_child_friendly_words(world, meeting):
    client = child_client(world)
    assert (
        prepare_url(meeting) in client.get(f"/portal/children/{world.child.pk}/").content.decode()
    )
    form = client.get(prepare_url(meeting)).content.decode()
    assert "child-voice" in form and 'name="adults_should_know"' in form
    assert 'name="who_can_help"' not in form
    client.post(prepare_url(meeting), {"adults_should_know": "I like football", "hard": "Maths"})
    prep = Preparation.objects.get()
    assert prep.respondent == "child" and prep.guardian is None and prep.meeting == meeting
    assert AuditEvent.objects.get(action="portal.preparation.saved").role == "child"


@pytest.mark.parametrize("how", ["held", "held_at", "closed", "cancelled"])
def test_preparation_is_read_only_once_the_meeting_is_held_closed_or_cancelled(
    world, meeting, portal_client, how
):
    portal_client.post(prepare_url(meeting), {"hopes": "Calm mornings"})
    if how == "closed":
        meetings.meeting_close(actor=world.worker, meeting=meeting)
    elif how == "held_at":
        meeting.held_at = timezone.now()
        meeting.save()
    else:
        meeting.status = MeetingStatus.HELD if how == "held" else MeetingStatus.CANCELLED
        meeting.save()
    page = portal_client.get(prepare_url(meeting)).content.decode()
    assert 'name="hopes"' not in page and "Calm mornings" in page
    assert (
        fi(
            "The meeting has been held, closed or cancelled, so these answers can no longer be "
            "changed."
        )
        in page
    )
    portal_client.post(prepare_url(meeting), {"hopes": "Changed afterwards"})
    assert Preparation.objects.get().answers["hopes"] == "Calm mornings"
    meeting.refresh_from_db()
    with pytest.raises(services.PreparationClosedError):
        services.preparation_save(
            actor=world.guardian,
            child=world.child,
            guardian=world.guardian,
            answers={"hopes": "x"},
            meeting=meeting,
        )
    if how in ("held", "held_at"):  # still on the family's page, with a link to read it
        html = portal_client.get(f"/portal/children/{world.child.pk}/").content.decode()
        assert fi("See what you wrote before the meeting") in html


def test_a_scheduled_meeting_is_still_open(world, meeting, portal_client):
    meeting.status = MeetingStatus.SCHEDULED
    meeting.starts_at = timezone.now() + timedelta(days=3)
    meeting.save()
    assert portal_client.post(prepare_url(meeting), {"hopes": "Calm"}).status_code == 302
    assert Preparation.objects.get().meeting == meeting


def test_the_chair_sees_the_answers_on_the_meeting_page_and_the_read_is_audited(
    world, colleague_chairs, portal_client
):
    m = colleague_chairs
    chair_client = world.client_for(world.colleague)
    html = chair_client.get(meeting_page(m)).content.decode()
    assert 'id="meeting-preparation-h"' in html
    assert (
        fi(
            "No answers yet. The guardians and the child can prepare in the family portal "
            "until the meeting is held."
        )
        in html
    )
    assert not AuditEvent.objects.filter(action="portal.preparation.viewed").exists()
    portal_client.post(prepare_url(m), {"who_can_help": "Grandma on Tuesdays"})
    child_client(world).post(prepare_url(m), {"adults_should_know": "I like football"})
    html = chair_client.get(meeting_page(m)).content.decode()
    assert "Grandma on Tuesdays" in html and fi("Who could help us, and how?") in html
    assert "I like football" in html and str(world.guardian) in html
    event = AuditEvent.objects.get(action="portal.preparation.viewed", actor=world.colleague)
    assert event.basis == "relationship:network_chair"
    assert set(event.subjects.values_list("subject_id", flat=True)) == {
        world.child.pk,
        world.guardian.pk,
    }
    # The responsible worker sees them on the child page, marked as for the meeting.
    child_page = world.client_for(world.worker).get(f"/children/{world.child.pk}/").content.decode()
    assert "Grandma on Tuesdays" in child_page and meeting_page(m) in child_page


def test_others_do_not_see_the_answers(world, colleague_chairs, portal_client):
    portal_client.post(prepare_url(colleague_chairs), {"worries": "Secret worry"})
    for user in (world.outsider, world.other_area_worker, world.coordinator):
        response = world.client_for(user).get(meeting_page(colleague_chairs))
        assert response.status_code in (403, 404)
        assert "Secret worry" not in response.content.decode()
        home = world.client_for(user).get("/").content.decode()
        assert meeting_page(colleague_chairs) not in home


def test_the_chairs_home_page_lists_new_meeting_answers(world, colleague_chairs, portal_client):
    home = world.client_for(world.colleague).get("/").content.decode()
    # The meeting itself is listed (the chair's open meetings); no answers to read yet.
    assert f"{meeting_page(colleague_chairs)}#meeting-preparation-h" not in home
    portal_client.post(prepare_url(colleague_chairs), {"hopes": "Private hope"})
    home = world.client_for(world.colleague).get("/").content.decode()
    assert f"{meeting_page(colleague_chairs)}#meeting-preparation-h" in home
    assert world.child.full_name in home
    assert "Private hope" not in home  # names and dates only


def test_other_childrens_meetings_are_404_in_the_portal(world, meeting, chair):
    other_child = ChildFactory(tenant=world.tenant)
    GuardianshipFactory(child=other_child)
    other = meetings.meeting_plan(actor=chair, child=other_child, reason="Toinen perhe")
    client = open_portal(issue(world).token)
    assert (
        client.get(f"/portal/children/{world.child.pk}/meetings/{other.pk}/prepare/").status_code
        == 404
    )
    assert client.post(prepare_url(other), {"hopes": "x"}).status_code == 404
    assert not Preparation.objects.exists()
    with pytest.raises(services.PreparationClosedError):
        services.preparation_save(
            actor=world.guardian,
            child=world.child,
            guardian=world.guardian,
            answers={"hopes": "x"},
            meeting=other,
        )


def test_a_preparation_is_never_for_a_discussion_and_a_meeting_at_once(world, meeting, discussion):
    d = discussion
    with pytest.raises(DomainError):
        services.preparation_save(
            actor=world.guardian,
            child=world.child,
            guardian=world.guardian,
            answers={"hopes": "x"},
            discussion=d,
            meeting=meeting,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Preparation.objects.create(
            child=world.child, respondent="guardian", discussion=d, meeting=meeting
        )


def test_xss_in_meeting_answers_is_inert_for_the_chair(world, meeting, portal_client):
    xss = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    portal_client.post(prepare_url(meeting), {"worries": xss})
    html = world.client_for(world.worker).get(meeting_page(meeting)).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
