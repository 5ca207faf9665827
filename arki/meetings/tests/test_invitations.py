# ruff: noqa: F811  (the chair fixture is imported from test_meetings)
"""Time and place, invitations (.ics REQUEST/CANCEL), answers by link, reminders."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from arki.audit.models import AuditEvent
from arki.core.exceptions import DomainError
from arki.core.tests.factories import GuardianFactory, GuardianshipFactory
from arki.meetings import services
from arki.meetings.models import Invitee, MeetingStatus, Response
from arki.meetings.tests.test_meetings import chair  # noqa: F401
from arki.notifications.models import OutboxMessage
from arki.notifications.services import deliver_pending

REASON = "Isän masennus näkyy arjessa"  # the worker's words: never in any email
TOPICS = "Aamut ja uni"


def _at(days: int, hour: int = 12) -> datetime:
    local = timezone.localtime() + timedelta(days=days)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


def _ics(message: OutboxMessage) -> Calendar:
    (attachment,) = message.attachments
    assert attachment["filename"] == "invite.ics"
    calendar = Calendar.from_ical(base64.b64decode(attachment["content_b64"]))
    assert attachment["mimetype"] == f"text/calendar; method={calendar['METHOD']}"
    return calendar


def _event(message: OutboxMessage):
    return _ics(message).walk("VEVENT")[0]


def _everything(message: OutboxMessage) -> str:
    raw = base64.b64decode(message.attachments[0]["content_b64"]).decode()
    return "\n".join([message.subject, message.body_text, message.body_html, raw])


def _to(email: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(to=email).order_by("created_at"))


def _token(invitee: Invitee) -> str:
    """The answer link's token in the latest email to this invitee (before it is sent and
    redacted)."""
    match = re.search(r"/meetings/answer/([^/\s\"]+)/", _to(invitee.email)[-1].body_text)
    assert match is not None
    return match.group(1)


@pytest.fixture
def swedish_guardian(world):
    world.guardian.last_name = "Esimerkki"
    world.guardian.save()
    guardian = GuardianFactory(
        tenant=world.tenant, first_name="Sara", last_name="Esimerkki", preferred_language="sv"
    )
    GuardianshipFactory(child=world.child, guardian=guardian)
    return guardian


@pytest.fixture
def meeting(world, chair, swedish_guardian):
    return services.meeting_plan(actor=chair, child=world.child, reason=REASON, topics=TOPICS)


def _consented(world, meeting, user, *, role="koulukuraattori", scope="attend") -> Invitee:
    invitee = services.invitee_add(
        actor=world.worker, meeting=meeting, kind="professional", user=user, role_label=role
    )
    services.invitee_approve(actor=world.guardian, invitee=invitee, approved=True, channel="portal")
    services.consent_give(actor=world.guardian, invitee=invitee, scope=scope, channel="portal")
    return invitee


@pytest.fixture
def professional(world, meeting):
    world.other_area_worker.preferred_language = "da"
    world.other_area_worker.save()
    return _consented(world, meeting, world.other_area_worker)


@pytest.fixture
def no_consent(world, meeting):
    """Approved by the family, but only to receive the report: may not attend."""
    world.colleague.preferred_language = "en"
    world.colleague.save()
    return _consented(world, meeting, world.colleague, role="psykologi", scope="meeting_report")


@pytest.fixture
def pending(world, meeting):
    return services.invitee_add(
        actor=world.worker,
        meeting=meeting,
        kind="network_person",
        name="Mummo",
        email="mummo@example.fi",
        role_label="isoäiti",
    )


@pytest.fixture
def invited(world, meeting, professional, no_consent, pending):
    services.meeting_schedule(
        actor=world.worker,
        meeting=meeting,
        starts_at=_at(7),
        ends_at=_at(7, 13),
        location="Perhekeskus, huone 2",
    )
    sent = services.invitations_send(actor=world.worker, meeting=meeting)
    meeting.refresh_from_db()
    return meeting, sent


# Who gets an invitation, and what it says


@pytest.mark.django_db
def test_invitations_go_to_the_guardians_and_consented_invitees_only(
    world, invited, swedish_guardian, professional, no_consent, pending
):
    meeting, sent = invited
    recipients = set(OutboxMessage.objects.values_list("to", flat=True))
    assert recipients == {world.guardian.email, swedish_guardian.email, professional.email}
    assert sent == 3
    # A second press invites nobody twice.
    assert services.invitations_send(actor=world.worker, meeting=meeting) == 0
    assert OutboxMessage.objects.count() == 3
    professional.refresh_from_db()
    assert professional.invited_at is not None and professional.invited_sequence == 0
    no_consent.refresh_from_db()
    assert no_consent.invited_at is None


@pytest.mark.django_db
def test_the_ics_parses_and_carries_uid_sequence_utc_times_and_attendees(
    world, invited, professional
):
    meeting, _sent = invited
    (message,) = _to(professional.email)
    calendar = _ics(message)
    assert str(calendar["METHOD"]) == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == meeting.uid == f"{meeting.pk}@arki"
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == meeting.starts_at
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert event.decoded("DTEND") == meeting.ends_at
    assert "DTSTAMP" in event
    assert str(event["LOCATION"]) == "Perhekeskus, huone 2"
    assert str(event["ORGANIZER"]) == f"mailto:{world.worker.email}"
    raw = base64.b64decode(message.attachments[0]["content_b64"]).decode()
    assert "DTSTART:" in raw and raw.split("DTSTART:")[1].split("\r\n")[0].endswith("Z")
    addresses = [str(a) for a in event.get("ATTENDEE")]
    # The recipient's own address; the others by name only, never their email.
    assert f"mailto:{professional.email}" in addresses
    assert len(addresses) == 3
    assert sum(a.startswith("mailto:") for a in addresses) == 1
    assert world.guardian.email not in raw
    assert TOPICS in str(event["DESCRIPTION"])


@pytest.mark.django_db
def test_each_recipient_gets_the_email_in_their_own_language(
    world, invited, swedish_guardian, professional
):
    (fi,) = _to(world.guardian.email)
    (sv,) = _to(swedish_guardian.email)
    (da,) = _to(professional.email)
    assert (fi.language, sv.language, da.language) == ("fi", "sv", "da")
    assert "Milloin:" in fi.body_text and "Kutsu" in fi.subject
    assert "När:" in sv.body_text and "Inbjudan" in sv.subject
    assert "Hvornår:" in da.body_text and "Invitation" in da.subject
    assert "Hvornår" in da.body_html
    assert str(_event(sv)["SUMMARY"]) == "Nätverksmöte (Arki)"


@pytest.mark.django_db
def test_what_each_recipient_is_told_and_never_told(world, invited, swedish_guardian, professional):
    """Decision: the child is named by first name only, to everyone; the subject names no
    child; the surname, full name and birth date never go out. Guardians appear by first name
    to anyone but the guardians; the worker's reason never goes out; topics do."""
    child = world.child
    birth = child.birth_date
    (pro,) = _to(professional.email)
    (guardian,) = _to(world.guardian.email)
    for message in (pro, guardian):
        text = _everything(message)
        assert child.first_name in message.body_text
        assert child.first_name not in message.subject
        assert child.full_name not in text
        assert birth.isoformat() not in text
        assert f"{birth.day}.{birth.month}.{birth.year}" not in text
        assert REASON not in text
        assert TOPICS in message.body_text and TOPICS in message.body_html
        assert "koulukuraattori" in message.body_text  # who else is coming, in what role
        assert "/meetings/answer/" in message.body_text
        assert "Perhekeskus, huone 2" in message.body_text
    # The surname never reaches anyone outside the family (the guardians share it here).
    assert "Sara" in pro.body_text and child.last_name not in _everything(pro)
    assert "Sara Esimerkki" in guardian.body_text  # guardians see each other's full names
    assert "Mummo" not in _everything(guardian)  # not approved by the family: not listed


@pytest.mark.django_db
def test_an_invitee_without_the_attend_consent_gets_nothing_and_the_page_says_why(
    world, invited, no_consent, pending
):
    meeting, _sent = invited
    assert _to(no_consent.email) == [] and _to(pending.email) == []
    page = world.client_for(world.worker).get(
        f"/meetings/children/{world.child.pk}/{meeting.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    )
    content = page.content.decode()
    assert "waiting for the family&#x27;s consent to take part" in content
    assert "waiting for the family&#x27;s approval" in content


@pytest.mark.django_db
def test_every_invitation_is_a_recorded_disclosure(world, invited, professional):
    events = AuditEvent.objects.filter(action="meetings.invitation.sent")
    assert events.count() == 3 and all(e.is_disclosure for e in events)
    pro = events.get(recipient__contains=professional.email)
    assert pro.basis == "consent:attend" and pro.detail["sequence"] == 0


@pytest.mark.django_db
def test_the_email_goes_out_through_the_outbox_with_the_calendar_attached(invited, professional):
    deliver_pending()
    sent = next(m for m in mail.outbox if m.to == [professional.email])
    (name, content, mimetype) = sent.attachments[0]
    assert name == "invite.ics" and mimetype.startswith("text/calendar")
    raw = content if isinstance(content, bytes) else content.encode()
    assert Calendar.from_ical(raw).walk("VEVENT")[0]["UID"]
    assert sent.alternatives and "text/html" in sent.alternatives[0][1]


# Updates and cancellations reach the same event


@pytest.mark.django_db
def test_a_new_time_updates_the_same_event_with_a_higher_sequence(world, invited, professional):
    meeting, _sent = invited
    uid = meeting.uid
    services.meeting_schedule(
        actor=world.worker, meeting=meeting, starts_at=_at(8), ends_at=_at(8, 14)
    )
    assert meeting.sequence == 1 and meeting.location == "Perhekeskus, huone 2"
    first, update = _to(professional.email)
    old, new = _event(first), _event(update)
    assert str(new["UID"]) == str(old["UID"]) == uid
    assert int(new["SEQUENCE"]) > int(old["SEQUENCE"])
    assert new.decoded("DTSTART") == _at(8).astimezone(UTC)
    assert "Ændret" in update.subject or "ændret" in update.body_text
    professional.refresh_from_db()
    assert professional.invited_sequence == 1
    assert OutboxMessage.objects.count() == 6  # each of the three invited got one update
    # Saving the same time again changes nothing and sends nothing.
    services.meeting_schedule(
        actor=world.worker, meeting=meeting, starts_at=_at(8), ends_at=_at(8, 14)
    )
    assert meeting.sequence == 1 and OutboxMessage.objects.count() == 6
    # Cancelling: same UID, higher SEQUENCE again, METHOD:CANCEL.
    services.meeting_cancel(actor=world.worker, meeting=meeting, reason="kuraattori sairas")
    assert meeting.status == MeetingStatus.CANCELLED and meeting.sequence == 2
    cancel = _to(professional.email)[-1]
    calendar = _ics(cancel)
    assert str(calendar["METHOD"]) == "CANCEL"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 2
    assert str(event["STATUS"]) == "CANCELLED"
    assert "kuraattori sairas" not in _everything(cancel)


@pytest.mark.django_db
def test_an_invitee_the_family_refuses_after_the_invitation_gets_their_own_cancel(
    world, invited, professional
):
    meeting, _sent = invited
    before = OutboxMessage.objects.count()
    services.invitee_approve(
        actor=world.guardian, invitee=professional, approved=False, channel="portal"
    )
    assert OutboxMessage.objects.count() == before + 1
    cancel = _to(professional.email)[-1]
    calendar = _ics(cancel)
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(calendar.walk("VEVENT")[0]["UID"]) == meeting.uid
    assert int(calendar.walk("VEVENT")[0]["SEQUENCE"]) == 1
    assert TOPICS not in _everything(cancel) and "Sara" not in _everything(cancel)
    professional.refresh_from_db()
    assert professional.uninvited_at is not None and not professional.is_invited
    # The next update does not reach them.
    services.meeting_schedule(
        actor=world.worker, meeting=meeting, starts_at=_at(9), ends_at=_at(9, 13)
    )
    assert _to(professional.email)[-1] == cancel


@pytest.mark.django_db
def test_withdrawing_the_attend_consent_after_the_invitation_sends_a_cancel(
    world, invited, professional
):
    consent = professional.consents.active().get(scope="attend")
    services.consent_withdraw(actor=world.guardian, consent=consent)
    assert str(_ics(_to(professional.email)[-1])["METHOD"]) == "CANCEL"


# Answers by link


@pytest.mark.django_db
def test_the_recipient_answers_yes_no_or_another_time_and_the_worker_sees_it(
    world, invited, professional
):
    meeting, _sent = invited
    url = f"/meetings/answer/{_token(professional)}/"
    anonymous = world.client_for(None)
    page = anonymous.get(url)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Perhekeskus, huone 2" in content and TOPICS in content
    assert world.child.last_name not in content and "Hvornår" in content
    assert anonymous.post(url, {"response": "yes"}).status_code == 302
    professional.refresh_from_db()
    assert professional.response == Response.YES and professional.responded_at
    bad = anonymous.post(url, {"response": "propose"})
    assert bad.status_code == 400
    professional.refresh_from_db()
    assert professional.response == Response.YES
    proposed = _at(10, 9).strftime("%Y-%m-%dT%H:%M")
    anonymous.post(url, {"response": "propose", "proposed_starts_at": proposed, "comment": "Aamu"})
    professional.refresh_from_db()
    assert professional.response == Response.PROPOSE
    assert professional.proposed_starts_at == _at(10, 9)
    assert professional.response_comment == "Aamu"
    anonymous.post(url, {"response": "no"})
    professional.refresh_from_db()
    assert professional.response == Response.NO and professional.proposed_starts_at is None
    assert AuditEvent.objects.filter(action="meetings.invitation.answered").count() == 3
    worker_page = world.client_for(world.worker).get(
        f"/meetings/children/{world.child.pk}/{meeting.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "not coming" in worker_page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["nope", "x" * 200, "../../etc"])
def test_a_bad_answer_token_is_404(world, invited, token):
    assert world.client_for(None).get(f"/meetings/answer/{token}/").status_code == 404


@pytest.mark.django_db
def test_garbage_in_the_answer_form_is_a_clear_error(world, invited, professional):
    url = f"/meetings/answer/{_token(professional)}/"
    client = world.client_for(None)
    for data in (
        {"response": "maybe"},
        {"response": "propose", "proposed_starts_at": "tomorrow"},
        {"response": "propose", "proposed_starts_at": "2001-01-01T10:00"},
    ):
        assert client.post(url, data).status_code == 400
    professional.refresh_from_db()
    assert professional.response == ""


@pytest.mark.django_db
def test_a_cancelled_meeting_takes_no_answers(world, invited, professional):
    meeting, _sent = invited
    url = f"/meetings/answer/{_token(professional)}/"
    services.meeting_cancel(actor=world.worker, meeting=meeting)
    client = world.client_for(None)
    page = client.get(url)
    assert page.status_code == 200 and "aflyst" in page.content.decode()
    assert TOPICS not in page.content.decode()
    client.post(url, {"response": "yes"})
    professional.refresh_from_db()
    assert professional.response == ""
    with pytest.raises(DomainError):
        services.invitation_answer(actor=professional, invitee=professional, response="yes")


@pytest.mark.django_db
def test_the_link_of_someone_never_invited_shows_nothing(world, invited, no_consent):
    from arki.meetings import invitations

    token = invitations.answer_link_issue(no_consent)
    page = world.client_for(None).get(f"/meetings/answer/{token}/")
    content = page.content.decode()
    assert "Perhekeskus" not in content and TOPICS not in content


# The meeting page: scheduling by form, and the "find a time" page's POST


@pytest.mark.django_db
def test_the_schedule_action_accepts_only_start_and_end_when_a_place_is_set(world, meeting):
    client = world.client_for(world.worker)
    url = f"/meetings/children/{world.child.pk}/{meeting.pk}/schedule/"
    fmt = "%Y-%m-%dT%H:%M"
    first = client.post(
        url,
        {
            "starts_at": _at(5).strftime(fmt),
            "ends_at": _at(5, 13).strftime(fmt),
            "video_link": "https://meet.example.fi/abc",
        },
    )
    assert first.status_code == 302
    response = client.post(
        url, {"starts_at": _at(6, 9).strftime(fmt), "ends_at": _at(6, 10).strftime(fmt)}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at == _at(6, 9) and meeting.ends_at == _at(6, 10)
    assert meeting.video_link == "https://meet.example.fi/abc"
    assert meeting.status == MeetingStatus.SCHEDULED
    page = client.get(f"/meetings/children/{world.child.pk}/{meeting.pk}/").content.decode()
    assert 'value="' + _at(6, 9).strftime(fmt) + '"' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"starts_at": "garbage", "ends_at": "2030-01-01T10:00"},
        {"starts_at": "2030-13-45T99:99", "ends_at": ""},
        {},
        {"starts_at": "2030-01-01T10:00", "ends_at": "2030-01-01T11:00", "video_link": "nope::"},
    ],
)
def test_garbage_times_are_a_clear_error(world, meeting, data):
    client = world.client_for(world.worker)
    response = client.post(f"/meetings/children/{world.child.pk}/{meeting.pk}/schedule/", data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.starts_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "starts,hours,message",
    [
        (5, -1, "päättyä"),  # ends before it starts
        (5, 13, "12 tuntia"),  # far too long
        (-2, 1, "menneisyydessä"),  # in the past
        (5, 1, "paikka"),  # no place and no link yet
    ],
)
def test_impossible_times_are_refused_with_a_message(world, meeting, starts, hours, message):
    client = world.client_for(world.worker)
    fmt = "%Y-%m-%dT%H:%M"
    start = timezone.localtime() + timedelta(days=starts)
    data = {
        "starts_at": start.strftime(fmt),
        "ends_at": (start + timedelta(hours=hours)).strftime(fmt),
    }
    if message != "paikka":
        data["location"] = "Koulu"
    response = client.post(f"/meetings/children/{world.child.pk}/{meeting.pk}/schedule/", data)
    assert response.status_code == 400
    assert message in response.content.decode().lower()
    meeting.refresh_from_db()
    assert meeting.starts_at is None and meeting.status == MeetingStatus.PLANNING


@pytest.mark.django_db
def test_a_time_chosen_without_a_place_is_kept_in_the_form_until_the_place_is_added(world, meeting):
    """The "find a time" page sends only the start and the end; a meeting without a place yet
    is refused, but the chosen time stays filled in so the chair only adds the place."""
    client = world.client_for(world.worker)
    url = f"/meetings/children/{world.child.pk}/{meeting.pk}/schedule/"
    fmt = "%Y-%m-%dT%H:%M"
    chosen = {"starts_at": _at(5).strftime(fmt), "ends_at": _at(5, 13).strftime(fmt)}
    response = client.post(url, chosen)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Anna tapaamisen paikka tai videolinkki." in page
    assert f'value="{chosen["starts_at"]}"' in page and f'value="{chosen["ends_at"]}"' in page
    meeting.refresh_from_db()
    assert meeting.starts_at is None and meeting.status == MeetingStatus.PLANNING
    response = client.post(url, {**chosen, "location": "Perhekeskus"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.location) == (_at(5), "Perhekeskus")


@pytest.mark.django_db
def test_inviting_and_cancelling_through_the_page(world, meeting, professional):
    client = world.client_for(world.worker)
    base = f"/meetings/children/{world.child.pk}/{meeting.pk}/"
    early = client.post(base + "invite/", follow=True)
    assert early.status_code == 200 and OutboxMessage.objects.count() == 0
    client.post(
        base + "schedule/",
        {
            "starts_at": _at(4).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": _at(4, 13).strftime("%Y-%m-%dT%H:%M"),
            "location": "Koulu",
        },
    )
    assert client.post(base + "invite/").status_code == 302
    assert OutboxMessage.objects.count() == 3
    other_client = world.client_for(world.other_area_worker)
    assert other_client.get(f"/children/{world.child.pk}/").status_code == 200
    client.post(base + "cancel/", {"reason": "sairastuminen"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert OutboxMessage.objects.filter(kind="meetings.invitation.cancel").count() == 3
    # Consent-based access ends with the meeting.
    assert other_client.get(f"/children/{world.child.pk}/").status_code == 404
    event = AuditEvent.objects.get(action="meetings.meeting.cancelled")
    assert event.detail["reason"] == "sairastuminen"


# Reminders


@pytest.mark.django_db
def test_reminders_are_sent_once_however_often_the_command_runs(
    world, meeting, professional, chair
):
    services.meeting_schedule(
        actor=world.worker, meeting=meeting, starts_at=_at(1), ends_at=_at(1, 13), location="K"
    )
    services.invitations_send(actor=world.worker, meeting=meeting)
    guardian_invitee = meeting.invitees.get(guardian=world.guardian)
    services.invitation_answer(actor=guardian_invitee, invitee=guardian_invitee, response="no")
    proposal = services.proposal_add(
        actor=world.worker, meeting=meeting, text="Kuraattori soittaa", due_on=timezone.localdate()
    )
    services.proposal_decide(
        actor=world.guardian, proposal=proposal, accepted=True, channel="portal"
    )
    follow_up = services.meeting_plan(
        actor=chair, child=world.child, reason="Seuranta", previous=meeting
    )
    services.meeting_schedule(
        # Tomorrow morning: within the two reminder days at any hour the test runs.
        actor=chair,
        meeting=follow_up,
        starts_at=_at(1, 9),
        ends_at=_at(1, 10),
        location="K",
    )
    far = services.meeting_plan(actor=chair, child=world.child, reason="Myöhemmin")
    services.meeting_schedule(
        actor=chair, meeting=far, starts_at=_at(20), ends_at=_at(20, 13), location="K"
    )
    services.invitations_send(actor=chair, meeting=far)
    before = OutboxMessage.objects.count()
    call_command("send_meeting_reminders")
    reminders = OutboxMessage.objects.filter(kind="meetings.reminder")
    recipients = sorted(reminders.values_list("to", flat=True))
    # The Swedish guardian and the professional; not the guardian who declined; the chair for
    # the agreed action and for the follow-up meeting; nothing for the meeting weeks away.
    assert recipients == sorted(
        [
            meeting.invitees.get(kind="guardian", language="sv").email,
            professional.email,
            chair.email,
            chair.email,
        ]
    )
    da = reminders.get(to=professional.email)
    assert da.language == "da" and "Hvornår" in da.body_text
    assert world.child.last_name not in da.body_text
    call_command("send_meeting_reminders")
    assert OutboxMessage.objects.count() == before + 4


@pytest.mark.django_db
def test_a_cancelled_meeting_gets_no_reminders(world, invited):
    meeting, _sent = invited
    services.meeting_cancel(actor=world.worker, meeting=meeting)
    from arki.meetings.reminders import send_meeting_reminders

    assert send_meeting_reminders(now=timezone.now() + timedelta(days=6)) == 0


@pytest.mark.django_db
def test_a_held_meeting_takes_no_answers(world, invited, professional):
    meeting, _sent = invited
    type(meeting).objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
    client = world.client_for(None)
    url = f"/meetings/answer/{_token(professional)}/"
    assert "afholdt" in client.get(url).content.decode()
    client.post(url, {"response": "yes"})
    professional.refresh_from_db()
    assert professional.response == ""


@pytest.mark.django_db
def test_a_guardian_without_email_is_skipped_and_the_page_says_so(world, meeting):
    meeting.invitees.filter(guardian=world.guardian).update(email="")
    services.meeting_schedule(
        actor=world.worker, meeting=meeting, starts_at=_at(3), ends_at=_at(3, 13), location="K"
    )
    assert services.invitations_send(actor=world.worker, meeting=meeting) == 1
    page = world.client_for(world.worker).get(
        f"/meetings/children/{world.child.pk}/{meeting.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "no email address: invite in another way" in page.content.decode()


@pytest.mark.django_db
def test_the_answer_link_is_redacted_from_the_stored_invitation_once_sent(invited, professional):
    token = _token(professional)
    stored = _to(professional.email)[0]
    assert token in _everything(stored).replace("\r\n ", "")
    deliver_pending()
    sent = next(m for m in mail.outbox if m.to == [professional.email])
    raw = sent.attachments[0][1]
    ics = raw.decode() if isinstance(raw, bytes) else raw
    assert token in sent.body and token in ics.replace("\r\n ", "")
    stored.refresh_from_db()
    assert stored.status == "sent" and token not in _everything(stored).replace("\r\n ", "")
    kept = _ics(stored)  # the stored calendar stays readable, without the link's key
    assert kept.walk("VEVENT")[0]["UID"] == f"{professional.meeting.pk}@arki"
    # The link itself still works: only the stored copy lost it.
    from django.test import Client

    assert Client().get(f"/meetings/answer/{token}/").status_code == 200
