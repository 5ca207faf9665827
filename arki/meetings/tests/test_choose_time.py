# ruff: noqa: F811  (the chair fixture is imported from test_meetings)
""" "Choose this time" on the "find a time" page: saved in one step when nothing is missing,
else the meeting page's form filled with the time and what is missing marked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from arki.core.tests.html import error_under, parse
from arki.meetings import services
from arki.meetings.models import MeetingStatus
from arki.meetings.tests.test_meetings import chair  # noqa: F401

pytestmark = pytest.mark.django_db
FMT = "%Y-%m-%dT%H:%M"


@pytest.fixture
def meeting(world, chair):
    return services.meeting_plan(actor=chair, child=world.child, reason="Arki on kuormittunut")


def _chosen(days=5):
    starts = (timezone.localtime() + timedelta(days=days)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    return {
        "chosen": "1",
        "starts_at": starts.strftime(FMT),
        "ends_at": (starts + timedelta(hours=1)).strftime(FMT),
    }


def _schedule_url(meeting):
    return f"/meetings/children/{meeting.child_id}/{meeting.pk}/schedule/"


def test_the_finder_buttons_say_the_time_was_chosen(world, chair, meeting):
    page = world.client_for(chair).get(f"/calendars/meetings/{world.child.pk}/{meeting.pk}/times/")
    assert page.status_code == 200
    forms = parse(page.content).find_all("form", action=_schedule_url(meeting))
    assert forms and all(f.find("input", name="chosen") for f in forms)


def test_a_chosen_time_without_a_place_opens_the_filled_form_with_the_place_marked(
    world, chair, meeting
):
    client = world.client_for(chair)
    chosen = _chosen()
    response = client.post(_schedule_url(meeting), chosen)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/meetings/children/{world.child.pk}/{meeting.pk}/?")
    assert response["Location"].endswith("#schedule-h")
    page = client.get(response["Location"])
    assert page.status_code == 200
    doc = parse(page.content)
    starts = doc.find("input", name="starts_at", id="schedule-starts_at")
    ends = doc.find("input", name="ends_at", id="schedule-ends_at")
    assert starts is not None and starts["value"] == chosen["starts_at"]
    assert ends is not None and ends["value"] == chosen["ends_at"]
    place = doc.find("input", name="location")
    assert place is not None and place.get("aria-invalid") == "true"
    assert "paikka" in error_under(place)
    meeting.refresh_from_db()
    assert meeting.starts_at is None and meeting.status == MeetingStatus.PLANNING
    # Adding the place saves the chosen time.
    saved = client.post(_schedule_url(meeting), {**chosen, "chosen": "", "location": "Perhekeskus"})
    assert saved.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED and meeting.location == "Perhekeskus"


def test_a_chosen_time_with_the_place_known_is_saved_in_one_step(world, chair, meeting):
    meeting.location = "Perhekeskus"
    meeting.save()
    chosen = _chosen()
    response = world.client_for(chair).post(_schedule_url(meeting), chosen)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED
    assert timezone.localtime(meeting.starts_at).strftime(FMT) == chosen["starts_at"]
    assert meeting.location == "Perhekeskus"
