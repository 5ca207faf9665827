from __future__ import annotations

import base64
import io
import time
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from pypdf import PdfReader

from arki.accounts.models import QualificationKind
from arki.audit.models import AuditEvent
from arki.core.exceptions import ConflictError, DomainError, InvalidTransitionError
from arki.core.tests.factories import (
    ChildFactory,
    GuardianshipFactory,
    QualificationFactory,
    RelationshipFactory,
)
from arki.meetings import reports, services
from arki.meetings.models import (
    Approval,
    Consent,
    MeetingReport,
    MeetingStatus,
    Phase,
    PhaseNote,
    ReportDelivery,
)
from arki.notifications.models import OutboxMessage
from arki.people.models import ChildRelationship, RelationshipKind
from arki.portal.tests.conftest import issue, open_portal

XSS = "<script>alert(1)</script>"
# When a meeting that had no time set was held (the chair gives it).
EARLIER = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=3)


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def chair(world):
    QualificationFactory(user=world.worker, kind=QualificationKind.NETWORK_MEETING)
    world.worker.email, world.worker.phone, world.worker.title = (
        "aino@example.fi",
        "040 123 4567",
        "sosiaalityöntekijä",
    )
    world.worker.save()
    return world.worker


@pytest.fixture
def meeting(world, chair):
    return services.meeting_plan(
        actor=chair, child=world.child, reason="Arki on kuormittunut", topics="Aamut ja uni"
    )


@pytest.fixture
def professional(world, meeting):
    invitee = services.invitee_add(
        actor=world.worker,
        meeting=meeting,
        kind="professional",
        user=world.other_area_worker,
        role_label="koulukuraattori",
    )
    services.invitee_approve(actor=world.guardian, invitee=invitee, approved=True, channel="portal")
    invitee.refresh_from_db()
    return invitee


@pytest.fixture
def uncle(world, meeting):
    invitee = services.invitee_add(
        actor=world.worker,
        meeting=meeting,
        kind="network_person",
        name="Eno Esa",
        email="esa@example.fi",
        language="sv",
        role_label="eno",
    )
    services.invitee_approve(actor=world.guardian, invitee=invitee, approved=True, channel="portal")
    return invitee


def base(meeting) -> str:
    return f"/meetings/children/{meeting.child_id}/{meeting.pk}/"


def give(world, invitee, scope="meeting_report"):
    return services.consent_give(
        actor=world.guardian, invitee=invitee, scope=scope, channel="portal"
    )


def held_with_record(world, meeting, professional):
    """A held meeting with notes, a decided proposal each way and a responsible worker."""
    services.phase_note_save(
        actor=world.worker,
        meeting=meeting,
        phase=Phase.HOPES_WORRIES,
        text="Toive: rauhalliset aamut",
        expected_version=0,
    )
    services.phase_note_save(
        actor=world.worker,
        meeting=meeting,
        phase=Phase.STRENGTHS,
        text=f"Eetu pitää piirtämisestä {XSS}",
        expected_version=0,
    )
    yes = services.proposal_add(
        actor=world.worker,
        meeting=meeting,
        text="Kuraattori tapaa Eetua viikoittain",
        owner="kuraattori",
        due_on=date(2026, 12, 15),
    )
    no = services.proposal_add(actor=world.worker, meeting=meeting, text="Leiri kesällä")
    services.proposal_decide(actor=world.guardian, proposal=yes, accepted=True, channel="portal")
    services.proposal_decide(actor=world.guardian, proposal=no, accepted=False, channel="portal")
    services.meeting_hold(
        actor=world.worker, meeting=meeting, took_part=[professional.pk], held_at=EARLIER
    )
    services.responsible_workers_name(actor=world.worker, meeting=meeting, workers=[world.worker])
    meeting.refresh_from_db()
    return meeting


# --- Notes per phase -------------------------------------------------------------------------


@pytest.mark.django_db
def test_meeting_page_shows_the_seven_phases_in_order(world, meeting):
    page = world.client_for(world.worker).get(base(meeting)).content.decode()
    positions = [page.index(f'id="phase-{phase.value}"') for phase in Phase]
    assert positions == sorted(positions) and len(positions) == 7
    assert "Avaus ja tarkoitus" in page  # Finnish labels by default
    assert 'hx-post="' + base(meeting) + 'phases/opening/"' in page


@pytest.mark.django_db
def test_phase_notes_save_with_htmx_and_a_stale_save_is_refused_keeping_the_text(world, meeting):
    client = world.client_for(world.worker)
    url = base(meeting) + "phases/hopes_worries/"
    first = client.post(
        url,
        {"hopes_worries-version": "0", "hopes_worries-text": "Äiti toivoo apua"},
        HTTP_HX_REQUEST="true",
    )
    assert first.status_code == 200
    assert 'id="notes-hopes_worries"' in first.content.decode()
    assert "Tallennettu." in first.content.decode()
    note = PhaseNote.objects.get(meeting=meeting, phase="hopes_worries")
    assert note.text == "Äiti toivoo apua" and note.version == 1
    # A colleague's page was loaded before that save: it still carries version 0.
    stale = client.post(
        url,
        {"hopes_worries-version": "0", "hopes_worries-text": "Isän huoli koulusta"},
        HTTP_HX_REQUEST="true",
    )
    body = stale.content.decode()
    assert stale.status_code == 200 and 'role="alert"' in body
    assert "Isän huoli koulusta" in body  # the typed text is kept in the box
    assert "Äiti toivoo apua" in body  # and what was saved meanwhile is shown
    note.refresh_from_db()
    assert note.text == "Äiti toivoo apua"
    # Without JavaScript: the whole page again, 409, the text kept.
    plain = client.post(
        url, {"hopes_worries-version": "0", "hopes_worries-text": "Isän huoli koulusta"}
    )
    assert plain.status_code == 409 and "Isän huoli koulusta" in plain.content.decode()
    # Having seen the other text, the editor's next save (with the version shown) succeeds.
    again = client.post(url, {"hopes_worries-version": "1", "hopes_worries-text": "Molemmat"})
    assert again.status_code == 302
    note.refresh_from_db()
    assert note.text == "Molemmat" and note.version == 2
    assert AuditEvent.objects.filter(action="meetings.phase.noted").count() == 2


@pytest.mark.django_db
def test_a_second_first_save_of_a_phase_is_refused(world, meeting):
    services.phase_note_save(
        actor=world.worker, meeting=meeting, phase="opening", text="a", expected_version=0
    )
    with pytest.raises(ConflictError):
        services.phase_note_save(
            actor=world.worker, meeting=meeting, phase="opening", text="b", expected_version=0
        )
    with pytest.raises(DomainError):
        services.phase_note_save(
            actor=world.worker, meeting=meeting, phase="nonsense", text="b", expected_version=0
        )
    assert (
        world.client_for(world.worker).post(base(meeting) + "phases/nonsense/").status_code == 404
    )


# --- Held, responsible worker, follow-up ------------------------------------------------------


@pytest.mark.django_db
def test_only_the_chair_marks_the_meeting_held_with_who_took_part(
    world, meeting, professional, uncle
):
    with pytest.raises(DomainError):
        services.meeting_hold(actor=world.colleague, meeting=meeting)
    response = world.client_for(world.worker).post(
        base(meeting) + "record/held/",
        {"took_part": [str(professional.pk)], "held_at": _local(EARLIER)},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.held_at is not None
    professional.refresh_from_db()
    uncle.refresh_from_db()
    assert professional.took_part is True and uncle.took_part is False
    with pytest.raises(InvalidTransitionError):
        services.meeting_hold(actor=world.worker, meeting=meeting, held_at=EARLIER)
    assert AuditEvent.objects.filter(action="meetings.meeting.held").count() == 1


@pytest.mark.django_db
def test_naming_a_responsible_worker_starts_the_relationship_and_gives_access(
    world, meeting, professional
):
    client = world.client_for(world.other_area_worker)
    assert client.get(base(meeting)).status_code == 404
    response = world.client_for(world.worker).post(
        base(meeting) + "record/responsible/",
        {"workers": [str(world.worker.pk), str(world.other_area_worker.pk)]},
    )
    assert response.status_code == 302
    rels = ChildRelationship.objects.active().filter(
        child=world.child, kind=RelationshipKind.RESPONSIBLE, source_id=meeting.pk
    )
    assert {r.user_id for r in rels} == {world.worker.pk, world.other_area_worker.pk}
    assert client.get(base(meeting)).status_code == 200  # a responsible worker sees the case
    page = world.client_for(world.worker).get(base(meeting)).content.decode()
    assert "aino@example.fi" in page and "040 123 4567" in page
    # Naming only the chair ends the other one's responsibility from this meeting.
    services.responsible_workers_name(actor=world.worker, meeting=meeting, workers=[world.worker])
    assert client.get(base(meeting)).status_code == 404
    with pytest.raises(DomainError):  # not invited: cannot be named
        services.responsible_workers_name(
            actor=world.worker, meeting=meeting, workers=[world.colleague]
        )
    with pytest.raises(DomainError):  # only the chair names
        services.responsible_workers_name(
            actor=world.colleague, meeting=meeting, workers=[world.worker]
        )


@pytest.mark.django_db
def test_follow_up_carries_the_approved_invitees_but_not_their_consents(
    world, meeting, professional, uncle
):
    give(world, professional)
    give(world, uncle, "attend")
    refused = services.invitee_add(
        actor=world.worker, meeting=meeting, kind="network_person", name="Naapuri"
    )
    services.invitee_approve(
        actor=world.guardian, invitee=refused, approved=False, channel="portal"
    )
    client = world.client_for(world.worker)
    form = client.get(f"/meetings/children/{world.child.pk}/new/?previous={meeting.pk}")
    text = form.content.decode()
    assert f'name="previous" value="{meeting.pk}"' in text
    assert "Aamut ja uni" in text  # topics pre-filled
    assert "suostumuksia ei siirretä" in text.lower() or "Suostumukset eivät siirry" in text
    response = client.post(
        f"/meetings/children/{world.child.pk}/new/",
        {"reason": "Seurantapalaveri", "topics": "Aamut", "previous": str(meeting.pk)},
    )
    assert response.status_code == 302
    follow = world.child.network_meetings.exclude(pk=meeting.pk).get()
    assert follow.previous_id == meeting.pk
    names = set(follow.invitees.values_list("name", flat=True))
    assert {professional.name, "Eno Esa"} <= names and "Naapuri" not in names
    carried = follow.invitees.exclude(kind="guardian")
    assert all(i.approval == Approval.APPROVED for i in carried)
    assert not Consent.objects.filter(invitee__meeting=follow).exists()
    assert follow.invitees.filter(kind="guardian").count() == 1  # guardians once, as always
    page = client.get(base(meeting)).content.decode()
    assert f"/meetings/children/{world.child.pk}/{follow.pk}/" in page


@pytest.mark.django_db
def test_meeting_page_reads_for_the_chair_and_another_reader_in_fixed_queries(
    world, meeting, professional, uncle, django_assert_num_queries
):
    """The invitees are read once; what only the chair sees (the responsible worker's
    choices, the report's recipients) is not read for anyone else."""
    RelationshipFactory(child=world.child, user=world.colleague)  # sees the whole case
    give(world, professional)
    held_with_record(world, meeting, professional)
    report = reports.report_create(actor=world.worker, meeting=meeting)
    send = base(meeting) + f"reports/{report.pk}/send/"
    pages = {}
    # Each page also lists the catalogue's methods in the proposal form (one query).
    for user, queries in ((world.worker, 29), (world.colleague, 24)):
        client = world.client_for(user)
        client.get(base(meeting))
        with django_assert_num_queries(queries):
            pages[user] = client.get(base(meeting)).content.decode()
    chair_page, reader_page = pages[world.worker], pages[world.colleague]
    assert send in chair_page and f"<li>{world.guardian} (fi)</li>" in chair_page
    assert base(meeting) + "record/responsible/" in chair_page
    assert send not in reader_page and str(world.guardian) + " (fi)" not in reader_page
    assert base(meeting) + "record/responsible/" not in reader_page
    assert base(meeting) + "reports/new/" not in reader_page


@pytest.mark.django_db
def test_each_post_on_the_meeting_page_returns_to_its_place_on_the_page(
    world, meeting, professional
):
    client = world.client_for(world.worker)
    page = base(meeting)

    def back_to(path, data=None):
        response = client.post(page + path, data or {})
        assert response.status_code == 302
        return response["Location"]

    assert back_to("proposal/", {"text": "Kerho"}) == page
    assert back_to("phases/opening/", {"opening-version": "0", "opening-text": "a"}) == (
        page + "#phase-opening"
    )
    held = {"took_part": [str(professional.pk)], "held_at": _local(EARLIER)}
    assert back_to("record/held/", held) == page + "#agenda"
    workers = {"workers": [str(world.worker.pk)]}
    assert back_to("record/responsible/", workers) == page + "#phase-follow_up"
    assert back_to("reports/new/") == page + "#reports"
    report = MeetingReport.objects.get(meeting=meeting)
    assert back_to(f"reports/{report.pk}/send/") == page + "#reports"


# --- The report --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_report_snapshot_holds_what_was_recorded(world, meeting, professional, uncle):
    held_with_record(world, meeting, professional)
    report = reports.report_create(actor=world.worker, meeting=meeting)
    s = report.snapshot
    assert report.number == 1 and s["child_first_name"] == "Eetu"
    people = {p["name"]: p for p in s["participants"]}
    assert people[world.worker.get_full_name()]["kind"] == "chair"
    assert people[professional.name]["role"] == "koulukuraattori"
    assert people[professional.name]["took_part"] is True
    assert people["Eno Esa"]["took_part"] is False
    assert [p["phase"] for p in s["phases"]] == ["hopes_worries", "strengths"]
    assert {(p["text"], p["status"]) for p in s["proposals"]} == {
        ("Kuraattori tapaa Eetua viikoittain", "accepted"),
        ("Leiri kesällä", "declined"),
    }
    assert s["actions"] == [
        {
            "what": "Kuraattori tapaa Eetua viikoittain",
            "owner": "kuraattori",
            "due_on": "2026-12-15",
        }
    ]
    assert s["responsible"][0]["email"] == "aino@example.fi"
    assert s["responsible"][0]["phone"] == "040 123 4567"
    assert s["follow_up"] is None
    assert AuditEvent.objects.filter(action="meetings.report.created").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_report_shows_each_invitees_role_as_the_meeting_page_does(
    world, meeting, professional, uncle, language
):
    kid = services.invitee_add(
        actor=world.worker, meeting=meeting, kind="child", name="Eetu", role_label="lapsi itse"
    )
    services.invitee_approve(actor=world.guardian, invitee=kid, approved=True, channel="portal")
    held_with_record(world, meeting, professional)
    report = reports.report_create(actor=world.worker, meeting=meeting)
    roles = {p["name"]: p["role"] for p in report.snapshot["participants"]}
    assert roles["Eetu"] == "" and roles["Eno Esa"] == "eno"  # the child's: not as typed
    client = world.client_for(world.worker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(base(meeting)).content.decode()
    minutes = client.get(base(meeting) + f"reports/{report.pk}/?language={language}")
    minutes_html = minutes.content.decode()
    with translation.override(language):
        for invitee in meeting.invitees.filter(approval=Approval.APPROVED):
            shown = f">{invitee.role_display}</td>"
            assert shown in page and shown in minutes_html, invitee.name
    assert "lapsi itse" not in page and "lapsi itse" not in minutes_html


@pytest.mark.django_db
def test_report_needs_a_held_meeting_and_the_chair(world, meeting):
    with pytest.raises(InvalidTransitionError):
        reports.report_create(actor=world.worker, meeting=meeting)
    services.meeting_hold(actor=world.worker, meeting=meeting, held_at=EARLIER)
    with pytest.raises(DomainError):
        reports.report_create(actor=world.colleague, meeting=meeting)


@pytest.mark.django_db
def test_a_correction_is_a_new_version_and_the_earlier_stays(world, meeting, professional):
    held_with_record(world, meeting, professional)
    client = world.client_for(world.worker)
    assert client.post(base(meeting) + "reports/new/", {}).status_code == 302
    first = MeetingReport.objects.get()
    note = PhaseNote.objects.get(meeting=meeting, phase="hopes_worries")
    services.phase_note_save(
        actor=world.worker,
        meeting=meeting,
        phase="hopes_worries",
        text="Toive: rauhalliset aamut ja illat",
        expected_version=note.version,
    )
    refused = client.post(base(meeting) + "reports/new/", {"correction_note": ""})
    assert refused.status_code == 400 and MeetingReport.objects.count() == 1
    client.post(base(meeting) + "reports/new/", {"correction_note": "Illat lisätty"})
    second = MeetingReport.objects.get(number=2)
    assert second.correction_note == "Illat lisätty"
    first.refresh_from_db()
    assert "illat" not in str(first.snapshot) and "illat" in str(second.snapshot)
    old = client.get(base(meeting) + f"reports/{first.pk}/")
    assert old.status_code == 200
    assert "Toive: rauhalliset aamut" in old.content.decode()
    assert "aiempi versio" in old.content.decode().lower()
    page = client.get(base(meeting)).content.decode()
    assert f"reports/{first.pk}/" in page and f"reports/{second.pk}/" in page
    assert "Illat lisätty" in client.get(base(meeting) + f"reports/{second.pk}/").content.decode()


@pytest.mark.django_db
def test_report_pdf_in_swedish_and_finnish(world, meeting, professional):
    held_with_record(world, meeting, professional)
    report = reports.report_create(actor=world.worker, meeting=meeting)
    world.guardian.preferred_language = "sv"
    world.guardian.save()
    client = world.client_for(world.worker)
    response = client.get(base(meeting) + f"reports/{report.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    sv = pdf_text(response.content)
    assert "Protokoll från nätverksmötet" in sv
    assert "Kuraattori tapaa Eetua viikoittain" in sv
    assert "avböjt av familjen" in sv  # the family's decision, in Swedish
    assert "vårdnadshavare" in sv and "huoltaja" not in sv  # roles in the reader's language
    assert "aino@example.fi" in sv
    assert "<script>" in sv  # shown as text, never run
    assert "Esimerkki" not in sv  # the child's first name only
    fi = pdf_text(client.get(base(meeting) + f"reports/{report.pk}/pdf/?language=fi").content)
    assert "Neuvonpidon muistio" in fi and "Protokoll" not in fi
    event = AuditEvent.objects.filter(action="meetings.report.printed").latest("occurred_at")
    assert event.detail["language"] == "fi" and not event.is_disclosure


@pytest.mark.django_db
def test_send_goes_to_guardians_and_consented_invitees_only(world, meeting, professional, uncle):
    world.guardian.preferred_language = "sv"
    world.guardian.save()
    other = services.invitee_add(
        actor=world.worker,
        meeting=meeting,
        kind="network_person",
        name="Mummi",
        email="mummi@example.fi",
    )
    services.invitee_approve(actor=world.guardian, invitee=other, approved=True, channel="portal")
    give(world, other, "attend")  # consent, but not to the report
    give(world, uncle)
    consent = give(world, professional)
    services.consent_withdraw(actor=world.guardian, consent=consent)  # withdrawn: not sent
    held_with_record(world, meeting, professional)
    report = reports.report_create(actor=world.worker, meeting=meeting)
    response = world.client_for(world.worker).post(base(meeting) + f"reports/{report.pk}/send/")
    assert response.status_code == 302
    reports_sent = OutboxMessage.objects.exclude(kind="feedback.invitation")
    to = set(reports_sent.values_list("to", flat=True))
    assert to == {world.guardian.email, "esa@example.fi"}
    guardian_mail = reports_sent.get(to=world.guardian.email)
    assert (
        guardian_mail.language == "sv" and guardian_mail.subject == "Protokoll från nätverksmötet"
    )
    assert guardian_mail.body_text.startswith(f"Hej {world.guardian},")
    assert "familjeportalen" in guardian_mail.body_text  # the family's own way in
    uncle_mail = OutboxMessage.objects.get(to="esa@example.fi")
    assert (
        "familjeportalen" not in uncle_mail.body_text and "Kuraattori" not in uncle_mail.body_text
    )
    attachment = guardian_mail.attachments[0]
    assert attachment["mimetype"] == "application/pdf"
    assert "Protokoll" in pdf_text(base64.b64decode(attachment["content_b64"]))
    deliveries = ReportDelivery.objects.filter(report=report)
    assert {d.email for d in deliveries} == to
    events = AuditEvent.objects.filter(action="meetings.report.sent")
    assert events.count() == 2 and all(e.is_disclosure for e in events)
    assert {e.basis for e in events} == {"guardian", "consent:meeting_report"}
    assert any("esa@example.fi" in e.recipient for e in events)
    # Sending the same version again sends nothing more.
    reports.report_send(actor=world.worker, report=report)
    assert reports_sent.count() == 2 and deliveries.count() == 2
    with pytest.raises(DomainError):
        reports.report_send(actor=world.colleague, report=report)


@pytest.mark.django_db
def test_invitee_reads_the_report_only_with_report_consent(world, meeting, professional):
    give(world, professional, "attend")  # in the network, but not the report
    held_with_record(world, meeting, professional)
    ChildRelationship.objects.filter(
        kind=RelationshipKind.RESPONSIBLE, source_id=meeting.pk
    ).update(ended_at="2026-12-01T00:00Z")
    first = reports.report_create(actor=world.worker, meeting=meeting)
    report = reports.report_create(actor=world.worker, meeting=meeting, correction_note="Korjaus")
    client = world.client_for(world.other_area_worker)
    url = base(meeting) + f"reports/{report.pk}/"
    assert client.get(url).status_code == 404
    assert client.get(url + "pdf/").status_code == 404
    consent = give(world, professional)
    professional.language = "sv"
    professional.save()
    response = client.get(url)
    assert response.status_code == 200
    assert "Protokoll från nätverksmötet" in response.content.decode()  # the invitee's language
    event = AuditEvent.objects.filter(action="meetings.report.viewed").latest("occurred_at")
    assert event.is_disclosure and event.basis == "relationship:network_member"
    assert client.get(url + "pdf/").status_code == 200
    assert url in client.get(f"/children/{world.child.pk}/").content.decode()  # found there
    assert client.get(base(meeting) + f"reports/{first.pk}/").status_code == 404  # latest only
    assert client.get(base(meeting)).status_code == 404  # never the meeting page
    services.consent_withdraw(actor=world.guardian, consent=consent)
    assert client.get(url).status_code == 404
    assert client.get(url + "pdf/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["colleague", "outsider", "coordinator", "other_area_worker"])
def test_outsiders_get_404_on_the_report(world, meeting, professional, persona):
    held_with_record(world, meeting, professional)
    ChildRelationship.objects.filter(
        kind=RelationshipKind.RESPONSIBLE, source_id=meeting.pk
    ).update(ended_at="2026-12-01T00:00Z")
    report = reports.report_create(actor=world.worker, meeting=meeting)
    client = world.client_for(getattr(world, persona))
    assert client.get(base(meeting) + f"reports/{report.pk}/").status_code == 404
    assert client.get(base(meeting) + f"reports/{report.pk}/pdf/").status_code == 404
    assert client.post(base(meeting) + f"reports/{report.pk}/send/").status_code == 404
    assert not OutboxMessage.objects.exclude(kind="feedback.invitation").exists()


# --- The child page for an invitee -----------------------------------------------------------


def another_meeting(world, *, scopes: list[str], withdraw: bool = False):
    """A further held meeting with a report, the professional approved and given ``scopes``."""
    again = services.meeting_plan(actor=world.worker, child=world.child, reason="Seuranta")
    invitee = services.invitee_add(
        actor=world.worker,
        meeting=again,
        kind="professional",
        user=world.other_area_worker,
        role_label="koulukuraattori",
    )
    services.invitee_approve(actor=world.guardian, invitee=invitee, approved=True, channel="portal")
    consents = [give(world, invitee, scope) for scope in scopes]
    held_with_record(world, again, invitee)
    report = reports.report_create(actor=world.worker, meeting=again)
    if withdraw:
        for consent in consents:
            services.consent_withdraw(actor=world.guardian, consent=consent)
    return again, report


def invitee_child_page(world) -> tuple[str, int]:
    client = world.client_for(world.other_area_worker)
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/children/{world.child.pk}/")
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


@pytest.mark.django_db
def test_invitee_sees_the_latest_consented_reports_only_in_fixed_queries(
    world, meeting, professional
):
    give(world, professional)
    held_with_record(world, meeting, professional)
    ChildRelationship.objects.filter(
        kind=RelationshipKind.RESPONSIBLE, source_id=meeting.pk
    ).update(ended_at="2026-12-01T00:00Z")
    first = reports.report_create(actor=world.worker, meeting=meeting)
    latest = reports.report_create(actor=world.worker, meeting=meeting, correction_note="Korjaus")
    html, queries_one = invitee_child_page(world)
    assert base(meeting) + f"reports/{latest.pk}/" in html
    assert f"reports/{first.pk}/" not in html  # the latest version only

    _, attend_only = another_meeting(world, scopes=["attend"])
    _, withdrawn = another_meeting(world, scopes=["attend", "meeting_report"], withdraw=True)
    third, consented = another_meeting(world, scopes=["attend", "meeting_report"])
    html, queries_four = invitee_child_page(world)
    assert f"reports/{attend_only.pk}/" not in html and f"reports/{withdrawn.pk}/" not in html
    assert base(third) + f"reports/{consented.pk}/" in html
    assert html.index(f"reports/{consented.pk}/") < html.index(f"reports/{latest.pk}/")  # newest
    assert queries_four == queries_one
    assert reports.consented_reports(world.other_area_worker, [meeting, third]) == [
        r
        for m in (meeting, third)
        if reports.report_consent(world.other_area_worker, m) is not None
        and (r := reports.latest_report(m)) is not None
    ]

    services.meeting_close(actor=world.worker, meeting=third)  # closed: consent access ends
    third.refresh_from_db()
    assert reports.consented_reports(world.other_area_worker, [third]) == []
    assert reports.report_consent(world.other_area_worker, third) is None


# --- The family portal ----------------------------------------------------------------------


@pytest.mark.django_db
def test_portal_shows_the_latest_report_in_the_guardians_language(world, meeting, professional):
    world.guardian.preferred_language = "sv"
    world.guardian.save()
    held_with_record(world, meeting, professional)
    reports.report_create(actor=world.worker, meeting=meeting)
    services.phase_note_save(
        actor=world.worker, meeting=meeting, phase="concerns", text="Oro unesta", expected_version=0
    )
    reports.report_create(actor=world.worker, meeting=meeting, correction_note="Oro lisätty")
    client = open_portal(issue(world).token)
    page = client.get(f"/portal/children/{world.child.pk}/").content.decode()
    link = f"/portal/children/{world.child.pk}/meeting-reports/{meeting.pk}/"
    assert link in page and "Protokoll från våra nätverksmöten" in page
    response = client.get(link)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Protokoll från nätverksmötet" in body and "Oro unesta" in body  # the latest version
    assert "Oro lisätty" in body
    event = AuditEvent.objects.filter(action="meetings.report.viewed").latest("occurred_at")
    assert event.role == "guardian" and event.basis == "guardian"
    pdf = client.get(link + "pdf/")
    assert pdf["Content-Type"] == "application/pdf" and "Oro unesta" in pdf_text(pdf.content)
    assert AuditEvent.objects.filter(action="meetings.report.printed").exists()


@pytest.mark.django_db
def test_portal_lists_the_latest_versions_reading_only_those_whatever_their_number(
    world, meeting, professional
):
    world.guardian.preferred_language = "en"
    world.guardian.save()
    held_with_record(world, meeting, professional)
    reports.report_create(actor=world.worker, meeting=meeting)
    again = services.meeting_plan(actor=world.worker, child=world.child, reason="Seuranta")
    services.meeting_hold(actor=world.worker, meeting=again, held_at=EARLIER)
    reports.report_create(actor=world.worker, meeting=again)
    client = open_portal(issue(world).token)
    url = f"/portal/children/{world.child.pk}/"
    client.get(url)

    def portal_page() -> tuple[str, int, list[MeetingReport]]:
        loaded: list[MeetingReport] = []

        def count(sender, instance, **kwargs):
            loaded.append(instance)

        post_init.connect(count, sender=MeetingReport)
        try:
            with CaptureQueriesContext(connection) as ctx:
                html = client.get(url).content.decode()
        finally:
            post_init.disconnect(count, sender=MeetingReport)
        return html, len(ctx.captured_queries), loaded

    html, queries_first, loaded = portal_page()
    assert "Corrected" not in html
    assert sorted(r.number for r in loaded) == [1, 1]
    for n in range(2, 5):
        reports.report_create(actor=world.worker, meeting=meeting, correction_note=f"Korjaus {n}")
    html, queries_corrected, loaded = portal_page()
    assert html.count("Corrected: version 4") == 1 and "Corrected: version 3" not in html
    assert queries_corrected == queries_first
    assert sorted(r.number for r in loaded) == [1, 4]  # one version per meeting is read
    assert all("snapshot" in r.get_deferred_fields() for r in loaded)  # the list shows none
    listed = reports.family_reports(world.child)
    assert [(fr.meeting, fr.report.number, fr.earlier) for fr in listed] == [
        (again, 1, False),
        (meeting, 4, True),
    ]


@pytest.mark.django_db
def test_portal_report_of_another_family_is_404(world, meeting, professional):
    held_with_record(world, meeting, professional)
    reports.report_create(actor=world.worker, meeting=meeting)
    other_child = ChildFactory(tenant=world.tenant)
    other = GuardianshipFactory(child=other_child).guardian
    client = open_portal(issue(world, guardian=other, child=other_child).token)
    assert (
        client.get(f"/portal/children/{other_child.pk}/meeting-reports/{meeting.pk}/").status_code
        == 404
    )
    assert (
        client.get(f"/portal/children/{world.child.pk}/meeting-reports/{meeting.pk}/").status_code
        == 404
    )
    anonymous = world.client_for(None)
    assert (
        anonymous.get(
            f"/portal/children/{world.child.pk}/meeting-reports/{meeting.pk}/"
        ).status_code
        == 403
    )


@pytest.mark.django_db
def test_bad_input_gets_a_clear_answer_never_a_500(world, meeting, professional):
    client = world.client_for(world.worker)
    url = base(meeting) + "phases/opening/"
    junk = client.post(url, {"opening-version": "abc", "opening-text": "x" * 30000})
    assert junk.status_code == 400 and not PhaseNote.objects.exists()
    htmx = client.post(url, {"opening-version": "-1"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and 'role="alert"' in htmx.content.decode()
    assert client.get(url).status_code == 405
    held = client.post(base(meeting) + "record/held/", {"took_part": ["not-an-id"]})
    assert held.status_code == 400  # the page again, the error under the choices
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNING  # refused, nothing changed
    named = client.post(base(meeting) + "record/responsible/", {"workers": ["nobody"]})
    assert named.status_code == 400 and not ChildRelationship.objects.filter(
        kind=RelationshipKind.RESPONSIBLE, source_id=meeting.pk
    )
    early = client.post(base(meeting) + "reports/new/", {})
    assert early.status_code == 400 and not MeetingReport.objects.exists()
    held_with_record(world, meeting, professional)
    report = reports.report_create(actor=world.worker, meeting=meeting)
    other = services.meeting_plan(actor=world.worker, child=world.child, reason="Toinen")
    assert client.post(base(other) + f"reports/{report.pk}/send/").status_code == 404
    assert client.get(base(other) + f"reports/{report.pk}/").status_code == 404
    page = client.get(base(meeting) + f"reports/{report.pk}/").content.decode()
    assert "&lt;script&gt;" in page and XSS not in page


@pytest.mark.django_db
def test_a_report_version_is_rendered_once_per_language_for_a_while(
    world, meeting, professional, monkeypatch
):
    from arki.meetings import pdf

    cache.clear()  # the default cache keeps the renders (settings.CACHES)
    held_with_record(world, meeting, professional)
    first = reports.report_create(actor=world.worker, meeting=meeting)
    renders: list[tuple[int, str]] = []
    real = pdf.render_pdf

    def counting(report, *, language):
        renders.append((report.number, language))
        return real(report, language=language)

    monkeypatch.setattr(pdf, "render_pdf", counting)
    before = time.time()
    sv = pdf.report_pdf(first, language="sv")
    after = time.time()
    assert pdf.report_pdf(first, language="sv") == sv
    assert "Protokoll från nätverksmötet" in pdf_text(sv)
    fi = pdf.report_pdf(first, language="fi")
    assert "Neuvonpidon muistio" in pdf_text(fi)
    assert renders == [(1, "sv"), (1, "fi")]
    # A correction is a new version: rendered anew, with the correction in it.
    second = reports.report_create(
        actor=world.worker, meeting=meeting, correction_note="Illat lisätty"
    )
    assert "Illat lisätty" in pdf_text(pdf.report_pdf(second, language="fi"))
    assert renders[-1] == (2, "fi")
    # Kept for ten minutes, then the render is made again.
    monkeypatch.setattr(time, "time", lambda: before + 599)
    pdf.report_pdf(first, language="sv")
    assert len(renders) == 3
    monkeypatch.setattr(time, "time", lambda: after + 601)
    pdf.report_pdf(first, language="sv")
    assert renders[-1] == (1, "sv") and len(renders) == 4


def _starting(meeting, moment):
    """The meeting's time (set directly: scheduling refuses a time in the past)."""
    type(meeting).objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.SCHEDULED, starts_at=moment, ends_at=moment + timedelta(hours=1)
    )
    meeting.refresh_from_db()


@pytest.mark.django_db
def test_a_meeting_is_not_marked_held_before_its_time_has_come(world, meeting, professional):
    _starting(meeting, timezone.now() + timedelta(days=30))
    with pytest.raises(DomainError) as refused:
        services.meeting_hold(actor=world.worker, meeting=meeting)
    assert refused.value.field == "held_at"
    client = world.client_for(world.worker)
    page = client.get(base(meeting)).content.decode()
    assert 'id="hold-not-yet"' in page and 'action="' + base(meeting) + 'record/held/"' not in page
    response = client.post(base(meeting) + "record/held/", {"took_part": [str(professional.pk)]})
    assert response.status_code == 400
    assert response.context["hold_form"].errors["held_at"]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED and meeting.held_at is None


@pytest.mark.django_db
def test_a_held_meeting_and_its_minutes_keep_the_meetings_own_time(world, meeting, professional):
    starts = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=2)
    _starting(meeting, starts)
    with pytest.raises(DomainError):  # not before it started
        services.meeting_hold(
            actor=world.worker, meeting=meeting, held_at=starts - timedelta(days=1)
        )
    response = world.client_for(world.worker).post(
        base(meeting) + "record/held/", {"took_part": [str(professional.pk)]}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.held_at == starts
    report = reports.report_create(actor=world.worker, meeting=meeting)
    assert report.snapshot["held_at"] == starts.isoformat()


@pytest.mark.django_db
def test_a_meeting_without_a_time_is_held_only_at_a_time_given(world, meeting):
    with pytest.raises(DomainError) as refused:
        services.meeting_hold(actor=world.worker, meeting=meeting)
    assert refused.value.field == "held_at"
    with pytest.raises(DomainError):
        services.meeting_hold(
            actor=world.worker, meeting=meeting, held_at=timezone.now() + timedelta(hours=1)
        )
    services.meeting_hold(actor=world.worker, meeting=meeting, held_at=EARLIER)
    meeting.refresh_from_db()
    assert meeting.held_at == EARLIER
