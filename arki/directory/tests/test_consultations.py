from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from arki.audit.models import AuditEvent, AuditSubject
from arki.directory import selectors, services
from arki.directory.models import Consultation, ConsultationStatus
from arki.notifications.models import OutboxMessage
from arki.people.models import ChildRelationship

pytestmark = pytest.mark.django_db


def _send(directory, entry=None, **data):
    client = directory.world.client_for(directory.world.worker)
    payload = {
        "entry": str((entry or directory.service).pk),
        "question": "Perheellä on vaikeuksia asumisen kanssa. Mitä tukea on tarjolla?",
        **data,
    }
    return client.post(f"/directory/children/{directory.world.child.pk}/consult/", payload)


def _identifiers(world) -> list[str]:
    child = world.child
    return [
        child.first_name,
        child.last_name,
        child.birth_date.strftime("%d.%m.%Y"),
        child.birth_date.strftime("%-d.%-m.%Y"),
        child.birth_date.isoformat(),
        str(child.pk),
        world.guardian.first_name + " " + world.guardian.last_name,
    ]


def test_consultation_is_anonymous_by_default(directory):
    world = directory.world
    response = _send(directory)
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert not consultation.identity_shared
    assert consultation.shared_child_name == ""
    receiver = world.client_for(directory.social_worker)
    inbox = receiver.get("/directory/inbox/").content.decode()
    detail = receiver.get(f"/directory/consultations/{consultation.pk}/").content.decode()
    assert "Mitä tukea on tarjolla?" in detail
    for page in (inbox, detail):
        for identifier in _identifiers(world):
            assert identifier not in page
    # No access to the child: no relationship, the child's page is 404.
    assert not ChildRelationship.objects.filter(user=directory.social_worker).exists()
    assert receiver.get(f"/children/{world.child.pk}/").status_code == 404


def test_receiver_email_has_no_child_identifiers(directory):
    _send(directory)
    email = OutboxMessage.objects.get(kind="directory.consultation.received")
    assert email.to == "perhesosiaalityo@example.fi"
    consultation = Consultation.objects.get()
    assert f"/directory/consultations/{consultation.pk}/" in email.body_text
    for identifier in _identifiers(directory.world):
        assert identifier not in email.body_text + email.subject
    assert "Mitä tukea" not in email.body_text


def test_identified_consultation_carries_name_and_birth_date_with_consent(directory):
    world = directory.world
    response = _send(
        directory,
        share_identity="on",
        consent_given_by="Äiti Maija",
        consent_channel="phone",
        consent_given_at=(timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.identity_shared
    assert consultation.shared_child_name == world.child.full_name
    assert consultation.shared_child_birth_date == world.child.birth_date
    assert consultation.consent_given_by == "Äiti Maija"
    assert consultation.consent_channel == "phone"
    detail = world.client_for(directory.social_worker).get(
        f"/directory/consultations/{consultation.pk}/"
    )
    html = detail.content.decode()
    assert world.child.full_name in html
    assert "Äiti Maija" in html
    # The email still says nothing about the child.
    email = OutboxMessage.objects.get(kind="directory.consultation.received")
    assert world.child.first_name not in email.body_text


def test_sharing_identity_without_consent_details_is_refused(directory):
    response = _send(directory, share_identity="on")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Record who gave the consent." in html or "Kirjaa" in html
    assert Consultation.objects.count() == 0
    future = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = _send(
        directory,
        share_identity="on",
        consent_given_by="Isä",
        consent_channel="in_person",
        consent_given_at=future,
    )
    assert response.status_code == 200
    assert Consultation.objects.count() == 0


def test_bad_input_gets_a_clear_error_and_nothing_is_sent(directory):
    assert _send(directory, question="").status_code == 200
    assert _send(directory, question="x" * 10000).status_code == 200
    assert _send(directory, entry=directory.service, consent_channel="pigeon").status_code == 200
    response = directory.world.client_for(directory.world.worker).post(
        f"/directory/children/{directory.world.child.pk}/consult/",
        {"entry": "not-a-uuid", "question": "Kysymys"},
    )
    assert response.status_code == 200
    assert Consultation.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_entry_of_another_tenant_cannot_be_chosen(directory):
    from arki.core.tests.factories import TenantFactory

    other = TenantFactory(slug="lolland")
    with pytest.raises(services.ConsultationError):
        services.consultation_send(
            actor=directory.world.worker,
            child=directory.world.child,
            entry=type(directory.service)(tenant=other, is_active=True),
            question="Kysymys",
        )


def test_only_the_childs_workers_can_send(directory):
    world = directory.world
    for user in (world.colleague, world.outsider, directory.social_worker):
        response = world.client_for(user).get(f"/directory/children/{world.child.pk}/consult/")
        assert response.status_code == 404


def test_inbox_scoping(directory):
    world = directory.world
    _send(directory)
    _send(directory, entry=directory.person)
    service_request = Consultation.objects.get(entry=directory.service)
    person_request = Consultation.objects.get(entry=directory.person)
    # The service's unit sees the service request, not the psychologist's.
    assert [
        c.pk
        for c in selectors.inbox(
            directory.social_colleague, _membership(directory.social_colleague)
        )
    ] == [service_request.pk]
    assert [
        c.pk for c in selectors.inbox(directory.psychologist, _membership(directory.psychologist))
    ] == [person_request.pk]
    for user in (world.outsider, world.colleague, world.other_area_worker):
        client = world.client_for(user)
        for consultation in (service_request, person_request):
            assert client.get(f"/directory/consultations/{consultation.pk}/").status_code == 404
            response = client.post(
                f"/directory/consultations/{consultation.pk}/answer/", {"answer": "Vastaus"}
            )
            assert response.status_code in (403, 404)
        assert "Mitä tukea" not in client.get("/directory/inbox/").content.decode()
    assert Consultation.objects.filter(status=ConsultationStatus.ANSWERED).count() == 0


def _membership(user):
    return user.memberships.get()


def test_answer_flow_records_times_and_shows_on_the_childs_page(directory):
    world = directory.world
    _send(directory, entry=directory.person)
    consultation = Consultation.objects.get()
    receiver = world.client_for(directory.psychologist)
    response = receiver.post(
        f"/directory/consultations/{consultation.pk}/answer/",
        {"answer": "Suosittelen perheneuvolan vanhemmuuden tukea."},
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.ANSWERED
    assert consultation.answered_by == directory.psychologist
    assert consultation.answered_at is not None
    assert consultation.answered_at >= consultation.sent_at
    sender = world.client_for(world.worker)
    child_page = sender.get(f"/children/{world.child.pk}/").content.decode()
    assert "Suosittelen perheneuvolan vanhemmuuden tukea." in child_page
    mine = sender.get("/directory/consultations/").content.decode()
    assert "Petra Psykologi" in mine
    # The sender is told by email, in their language, with no details.
    email = OutboxMessage.objects.get(kind="directory.consultation.answered")
    assert email.to == world.worker.email
    assert "Suosittelen" not in email.body_text
    # A second answer is refused.
    response = receiver.post(
        f"/directory/consultations/{consultation.pk}/answer/", {"answer": "Toinen"}
    )
    consultation.refresh_from_db()
    assert consultation.answer == "Suosittelen perheneuvolan vanhemmuuden tukea."
    rows = selectors.answer_times(tenant_id=world.tenant.pk)
    assert len(rows) == 1
    assert rows[0]["sector"] == "health"
    assert rows[0]["hours_to_answer"] is not None and rows[0]["hours_to_answer"] >= 0
    assert set(rows[0]) == {"sector", "entry_kind", "sent_at", "answered_at", "hours_to_answer"}


def test_empty_answer_is_refused(directory):
    _send(directory)
    consultation = Consultation.objects.get()
    response = directory.world.client_for(directory.social_worker).post(
        f"/directory/consultations/{consultation.pk}/answer/", {"answer": "  "}
    )
    assert response.status_code == 400
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.SENT


def test_sender_closes_and_receiver_cannot(directory):
    _send(directory)
    consultation = Consultation.objects.get()
    directory.world.client_for(directory.social_worker).post(
        f"/directory/consultations/{consultation.pk}/close/"
    )
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.SENT
    directory.world.client_for(directory.world.worker).post(
        f"/directory/consultations/{consultation.pk}/close/"
    )
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.CLOSED and consultation.closed_at


def test_anonymous_consultation_is_audited_without_subject(directory):
    _send(directory)
    consultation = Consultation.objects.get()
    sent = AuditEvent.objects.get(action="directory.consultation.sent")
    assert sent.object_id == consultation.pk
    assert not sent.is_disclosure
    assert sent.subjects.count() == 0
    directory.world.client_for(directory.social_worker).get(
        f"/directory/consultations/{consultation.pk}/"
    )
    viewed = AuditEvent.objects.get(action="directory.consultation.viewed")
    assert viewed.actor == directory.social_worker
    assert viewed.subjects.count() == 0
    assert (
        not AuditSubject.objects.filter(subject_id=directory.world.child.pk)
        .exclude(event__action="people.child.viewed")
        .exists()
    )


def test_identified_consultation_is_audited_with_the_child_as_subject(directory):
    world = directory.world
    _send(
        directory,
        share_identity="on",
        consent_given_by="Äiti",
        consent_channel="written",
        consent_given_at=timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    )
    consultation = Consultation.objects.get()
    sent = AuditEvent.objects.get(action="directory.consultation.sent")
    assert sent.is_disclosure
    assert "perhesosiaalityo@example.fi" in sent.recipient
    assert sent.basis == "consent:written"
    assert [s.subject_id for s in sent.subjects.all()] == [world.child.pk]
    receiver = world.client_for(directory.social_worker)
    receiver.get(f"/directory/consultations/{consultation.pk}/")
    receiver.post(f"/directory/consultations/{consultation.pk}/answer/", {"answer": "Vastaus"})
    for action in ("directory.consultation.viewed", "directory.consultation.answered"):
        event = AuditEvent.objects.get(action=action)
        assert event.actor == directory.social_worker
        assert [s.subject_id for s in event.subjects.all()] == [world.child.pk]
    # It shows in the child's "who has seen our data" report.
    log = world.client_for(world.worker).get(f"/audit/children/{world.child.pk}/")
    assert log.status_code == 200
    assert directory.social_worker.get_full_name() in log.content.decode()
    assert "vastasi konsultaatiopyyntöön" in log.content.decode()  # the label, not the code


def test_send_rolls_back_whole_when_the_email_cannot_be_written(directory, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("outbox down")

    monkeypatch.setattr(services, "enqueue_email", broken)
    with pytest.raises(RuntimeError):
        services.consultation_send(
            actor=directory.world.worker,
            child=directory.world.child,
            entry=directory.service,
            question="Kysymys",
        )
    assert Consultation.objects.count() == 0
    assert not AuditEvent.objects.filter(action="directory.consultation.sent").exists()


def test_child_panel_is_on_the_childs_page(directory):
    html = (
        directory.world.client_for(directory.world.worker)
        .get(f"/children/{directory.world.child.pk}/")
        .content.decode()
    )
    assert f"/directory/children/{directory.world.child.pk}/consult/" in html


def test_home_page_tells_the_receiver_about_waiting_requests(directory):
    receiver = directory.world.client_for(directory.social_worker)
    assert "/directory/inbox/" not in receiver.get("/").content.decode().split("<main", 1)[1]
    _send(directory)
    html = receiver.get("/").content.decode()
    assert "/directory/inbox/" in html.split("<main", 1)[1]
    other = directory.world.client_for(directory.psychologist)
    assert "/directory/inbox/" not in other.get("/").content.decode().split("<main", 1)[1]


def test_waiting_count_counts_what_the_inbox_holds_unanswered(directory):
    """The home's count against the inbox's own rule."""
    world = directory.world
    _send(directory)
    _send(directory)
    _send(directory, entry=directory.person)
    users = [
        directory.social_colleague,
        directory.psychologist,
        directory.social_worker,
        world.outsider,
        world.colleague,
    ]

    def expected(user):
        m = _membership(user)
        return Consultation.objects.addressed_to(user, m).filter(status="sent").count()

    for user in users:
        assert selectors.waiting_count(user, _membership(user)) == expected(user)
    assert selectors.waiting_count(directory.social_colleague, None) == 0
    assert (
        selectors.waiting_count(directory.social_colleague, _membership(directory.social_colleague))
        == 2
    )
    # A unit-less membership sees only requests to the user's own entry.
    m = _membership(directory.psychologist)
    m.unit_id = None
    assert selectors.waiting_count(directory.psychologist, m) == 1
    assert (
        Consultation.objects.addressed_to(directory.psychologist, m).filter(status="sent").count()
        == 1
    )
