"""The calendar pages: access, ownership of busy times, publishing rights, finding a time."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from arki.accounts.models import QualificationKind
from arki.audit.models import AuditEvent
from arki.calendars import services
from arki.calendars.models import BusyTime, CommonSlot
from arki.core.tests.factories import QualificationFactory
from arki.core.tests.test_i18n import compiled_messages  # noqa: F401  (a fixture)
from arki.meetings import services as meetings

from .conftest import at

MY_CALENDAR = reverse("calendars:my_calendar")
SLOTS = reverse("calendars:slots")


def en(world, user):
    """A client for ``user`` that reads the pages in English."""
    client = world.client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _future(days: int = 40):
    """A Monday some weeks from now (the pages only look forward from today)."""
    day = timezone.localdate() + timedelta(days=days)
    return day + timedelta(days=-day.weekday() % 7)


@pytest.mark.django_db
def test_a_worker_sees_only_their_own_busy_times(world):
    day = _future().isoformat()
    services.busy_add(actor=world.worker, starts_at=at(day, "9:00"), ends_at=at(day, "10:30"))
    services.busy_add(actor=world.colleague, starts_at=at(day, "14:00"), ends_at=at(day, "15:45"))
    html = world.client_for(world.worker).get(MY_CALENDAR).content.decode()
    assert "9.00" in html and "10.30" in html  # Finnish time format
    assert "15.45" not in html and "14.00" not in html


@pytest.mark.django_db
def test_the_calendar_is_in_the_navigation_of_every_staff_role(world):
    for user in (world.worker, world.manager, world.coordinator):
        html = world.client_for(user).get("/").content.decode()
        assert f'href="{MY_CALENDAR}"' in html


@pytest.mark.django_db
def test_adding_a_busy_time_and_bad_input_gets_a_clear_error(world):
    client = en(world, world.worker)
    day = _future().isoformat()
    response = client.post(
        reverse("calendars:busy_add"), {"starts_at": f"{day}T09:00", "ends_at": f"{day}T11:00"}
    )
    assert response.status_code == 302
    busy = BusyTime.objects.get(user=world.worker)
    assert busy.starts_at == at(day, "9:00") and busy.ends_at == at(day, "11:00")
    response = client.post(
        reverse("calendars:busy_add"), {"starts_at": f"{day}T12:00", "ends_at": f"{day}T11:00"}
    )
    assert response.status_code == 400
    assert "The end must be after the start." in response.content.decode()
    response = client.post(reverse("calendars:busy_add"), {"starts_at": "eilen", "ends_at": ""})
    assert response.status_code == 400
    assert BusyTime.objects.filter(user=world.worker).count() == 1


def _field_errors(html: str, field: str) -> str:
    """The error list shown under ``field`` ("" when there is none)."""
    start = html.find(f'<ul class="errorlist" id="id_{field}_error">')
    return "" if start < 0 else html[start : html.index("</ul>", start)]


@pytest.mark.django_db
def test_a_busy_time_ending_before_it_starts_is_refused_under_the_end_in_finnish(
    world,
    compiled_messages,  # noqa: F811
):
    day = _future().isoformat()
    response = world.client_for(world.worker).post(
        reverse("calendars:busy_add"), {"starts_at": f"{day}T12:00", "ends_at": f"{day}T11:00"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Loppumisajan on oltava alkamisajan jälkeen." in _field_errors(html, "ends_at")
    assert '<div class="errorlist" role="alert">' not in html  # nothing above the fields
    assert f'name="starts_at" value="{day}T12:00"' in html
    assert f'name="ends_at" value="{day}T11:00"' in html
    assert not BusyTime.objects.exists()


@pytest.mark.django_db
def test_a_busy_time_over_two_months_is_refused_above_the_fields(world):
    day = _future().isoformat()
    response = en(world, world.worker).post(
        reverse("calendars:busy_add"), {"starts_at": f"{day}T12:00", "ends_at": "2099-01-01T11:00"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        '<div class="errorlist" role="alert"><p>A busy time can be at most two months long. '
        "Add several.</p></div>"
    ) in html
    assert _field_errors(html, "ends_at") == ""
    assert 'name="ends_at" value="2099-01-01T11:00"' in html
    assert not BusyTime.objects.exists()


@pytest.mark.django_db
def test_a_common_time_with_bad_times_shows_each_error_under_its_field_with_the_input_kept(
    world,
):
    response = en(world, world.manager).post(
        SLOTS,
        _slot_post(f"unit:{world.unit.pk}", end_time="12:00", valid_until="2026-12-01"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The end must be after the start." in _field_errors(html, "end_time")
    assert "The time cannot stop being valid before it starts." in _field_errors(
        html, "valid_until"
    )
    assert '<div class="errorlist" role="alert">' not in html
    assert f'<option value="unit:{world.unit.pk}" selected>' in html
    assert 'name="start_time" value="13:00"' in html and 'name="end_time" value="12:00"' in html
    assert 'name="valid_from" value="2027-01-01"' in html
    assert 'name="valid_until" value="2026-12-01"' in html
    assert '<option value="2" selected>' in html  # every other week
    assert not CommonSlot.objects.exists()


@pytest.mark.django_db
def test_a_worker_can_delete_only_their_own_busy_times(world):
    day = _future().isoformat()
    mine = services.busy_add(
        actor=world.worker, starts_at=at(day, "9:00"), ends_at=at(day, "10:00")
    )
    theirs = services.busy_add(
        actor=world.colleague, starts_at=at(day, "9:00"), ends_at=at(day, "10:00")
    )
    client = world.client_for(world.worker)
    assert client.post(reverse("calendars:busy_delete", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("calendars:busy_delete", args=[mine.pk])).status_code == 405
    assert client.post(reverse("calendars:busy_delete", args=[mine.pk])).status_code == 302
    assert list(BusyTime.objects.all()) == [theirs]
    assert AuditEvent.objects.filter(action="calendars.busy.deleted").count() == 1
    # With HTMX the row is swapped out.
    again = services.busy_add(
        actor=world.worker, starts_at=at(day, "9:00"), ends_at=at(day, "10:00")
    )
    response = client.post(
        reverse("calendars:busy_delete", args=[again.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and response.content == b""


ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//T//FI\r\nBEGIN:VEVENT\r\nUID:a@x\r\n"
    "DTSTAMP:20261201T000000Z\r\nDTSTART;TZID=Europe/Helsinki:{day}T090000\r\n"
    "DTEND;TZID=Europe/Helsinki:{day}T100000\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


@pytest.mark.django_db
def test_importing_an_uploaded_or_pasted_calendar(world):
    client = en(world, world.worker)
    content = ICS.format(day=_future().strftime("%Y%m%d"))
    upload = SimpleUploadedFile("oma.ics", content.encode(), content_type="text/calendar")
    response = client.post(reverse("calendars:busy_import"), {"file": upload}, follow=True)
    assert "3 busy times" in response.content.decode()
    response = client.post(reverse("calendars:busy_import"), {"content": content}, follow=True)
    assert BusyTime.objects.filter(user=world.worker).count() == 3
    response = client.post(reverse("calendars:busy_import"), {"content": "BEGIN:VCALENDAR\nX"})
    assert response.status_code == 400
    assert "Nothing was imported" in response.content.decode()
    response = client.post(reverse("calendars:busy_import"), {})
    assert response.status_code == 400
    assert "Choose a calendar file or paste its content." in response.content.decode()
    assert BusyTime.objects.filter(user=world.worker).count() == 3
    client.post(reverse("calendars:busy_clear"))
    assert not BusyTime.objects.filter(user=world.worker).exists()


def _slot_post(target, **kw):
    return {
        "target": target,
        "weekday": "1",
        "start_time": "13:00",
        "end_time": "15:00",
        "every_weeks": "2",
        "valid_from": "2027-01-01",
        "valid_until": "",
    } | kw


@pytest.mark.django_db
def test_only_managers_and_coordinators_publish_common_slots(world):
    assert en(world, world.worker).get(SLOTS).status_code == 403
    worker_post = en(world, world.worker).post(SLOTS, _slot_post(f"unit:{world.unit.pk}"))
    assert worker_post.status_code == 403
    manager = en(world, world.manager)
    # A manager publishes for their own unit only.
    other = manager.post(SLOTS, _slot_post(f"unit:{world.other_unit.pk}"))
    assert other.status_code == 400 and not CommonSlot.objects.exists()
    assert manager.post(SLOTS, _slot_post(f"unit:{world.unit.pk}")).status_code == 302
    slot = CommonSlot.objects.get()
    assert (slot.unit, slot.every_weeks, slot.start_time) == (world.unit, 2, time(13))
    # A coordinator publishes for an area of the tenant.
    coordinator = en(world, world.coordinator)
    area = world.other_unit.area
    page = coordinator.get(SLOTS).content.decode()
    assert '<optgroup label="Areas">' in page and '<optgroup label="Units">' in page
    assert "optgroup" not in manager.get(SLOTS).content.decode()  # only their own unit
    assert coordinator.post(SLOTS, _slot_post(f"area:{area.pk}")).status_code == 302
    assert CommonSlot.objects.filter(area=area).exists()
    bad = coordinator.post(SLOTS, _slot_post(f"area:{area.pk}", end_time="12:00"))
    assert bad.status_code == 400 and "The end must be after the start." in bad.content.decode()


@pytest.mark.django_db
def test_removing_a_common_slot_needs_the_right_to_publish_it(world):
    mine = services.slot_publish(
        actor=world.manager, unit=world.unit, weekday=1, start_time=time(13),
        end_time=time(15), valid_from=date(2027, 1, 1),
    )  # fmt: skip
    theirs = services.slot_publish(
        actor=world.coordinator, area=world.other_unit.area, weekday=2, start_time=time(9),
        end_time=time(10), valid_from=date(2027, 1, 1),
    )  # fmt: skip
    manager = world.client_for(world.manager)
    html = manager.get(SLOTS).content.decode()
    assert world.unit.name in html and world.other_unit.area.name not in html.split("<form")[0]
    remove = "calendars:slot_remove"
    assert manager.post(reverse(remove, args=[theirs.pk])).status_code == 404
    assert world.client_for(world.worker).post(reverse(remove, args=[mine.pk])).status_code == 403
    assert manager.post(reverse(remove, args=[mine.pk])).status_code == 302
    assert list(CommonSlot.objects.all()) == [theirs]
    outsider = world.client_for(world.outsider)
    assert outsider.post(reverse(remove, args=[theirs.pk])).status_code == 403


@pytest.fixture
def meeting(world):
    QualificationFactory(user=world.worker, kind=QualificationKind.NETWORK_MEETING)
    meeting = meetings.meeting_plan(actor=world.worker, child=world.child, reason="Väsymys")
    meetings.invitee_add(
        actor=world.worker, meeting=meeting, kind="professional", user=world.other_area_worker
    )
    return meeting


def _times_url(meeting, **query):
    url = reverse("calendars:meeting_times", args=[meeting.child_id, meeting.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.django_db
def test_outsiders_and_network_members_get_404_on_the_meeting_times_page(world, meeting):
    url = _times_url(meeting)
    for user in (world.outsider, world.colleague, world.manager):
        assert world.client_for(user).get(url).status_code == 404
    invitee = meeting.invitees.get(user=world.other_area_worker)
    meetings.invitee_approve(actor=world.worker, invitee=invitee, approved=True, channel="paper")
    meetings.consent_give(
        actor=world.worker, invitee=invitee, scope="attend", channel="paper",
        guardian=world.guardian,
    )  # fmt: skip
    member = world.client_for(world.other_area_worker)
    assert member.get(f"/children/{world.child.pk}/").status_code == 200
    assert member.get(url).status_code == 404
    other_child_url = reverse("calendars:meeting_times", args=[world.child.pk, world.unit.pk])
    assert world.client_for(world.worker).get(other_child_url).status_code == 404


@pytest.mark.django_db
def test_the_chair_gets_the_earliest_common_times_as_forms_for_the_schedule_action(world, meeting):
    monday = _future()
    services.slot_publish(
        actor=world.coordinator, area=world.other_unit.area, weekday=0, start_time=time(9),
        end_time=time(12), valid_from=monday,
    )  # fmt: skip
    day = monday.isoformat()
    services.busy_add(
        actor=world.other_area_worker, starts_at=at(day, "8:00"), ends_at=at(day, "9:30")
    )
    client = world.client_for(world.worker)
    response = client.get(
        _times_url(meeting, duration=60, buffer_before=15, buffer_after=0, earliest=day)
    )
    assert response.status_code == 200
    html = response.content.decode()
    action = reverse("meetings:act", args=[world.child.pk, meeting.pk, "schedule"])
    assert f'action="{action}"' in html
    assert f'name="starts_at" value="{day}T09:45"' in html  # 9:30 + the 15-minute buffer
    assert f'name="ends_at" value="{day}T10:45"' in html
    assert world.other_area_worker.get_full_name() in html
    assert AuditEvent.objects.filter(
        action="calendars.meeting_times.viewed", object_id=meeting.pk
    ).exists()
    # Bad input is a clear error, not a 500.
    bad = client.get(_times_url(meeting, duration="pitkä", buffer_before=-5))
    assert bad.status_code == 200 and 'name="starts_at" value=' not in bad.content.decode()
    # The meeting page links here.
    detail = client.get(reverse("meetings:detail", args=[world.child.pk, meeting.pk]))
    assert f'href="{_times_url(meeting)}"' in detail.content.decode()


@pytest.mark.django_db
def test_a_closed_meeting_offers_no_times(world, meeting):
    meetings.meeting_close(actor=world.worker, meeting=meeting)
    html = en(world, world.worker).get(_times_url(meeting)).content.decode()
    assert "Choose this time" not in html


HEADINGS = {
    "fi": "Oma kalenteri",
    "sv": "Min kalender",
    "en": "My calendar",
    "da": "Min kalender",
}


@pytest.mark.parametrize("language", list(HEADINGS))
@pytest.mark.django_db
def test_my_calendar_renders_in_each_language(world, compiled_messages, language):  # noqa: F811
    client = world.client_for(world.worker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(MY_CALENDAR).content.decode()
    assert f"<h1>{HEADINGS[language]}</h1>" in html
