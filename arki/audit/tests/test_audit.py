from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from arki.audit import dbguard
from arki.audit import services as audit
from arki.audit.models import AppendOnlyError, AuditEvent


@pytest.mark.django_db
def test_orm_cannot_change_or_delete_audit_rows(world):
    event = audit.record(world.worker, "people.child.viewed", subjects=[world.child])
    event.basis = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(basis="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.django_db
def test_database_refuses_update_and_delete_of_audit_rows(world):
    event = audit.record(world.worker, "people.child.viewed", subjects=[world.child])
    dbguard.install(connection)
    for sql in (
        "UPDATE audit_auditevent SET basis = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk.hex if connection.vendor == "sqlite" else event.pk])
    assert AuditEvent.objects.get(pk=event.pk).basis == ""


@pytest.mark.django_db
def test_unregistered_action_code_is_refused(world):
    with pytest.raises(ValueError):
        audit.record(world.worker, "people.child.peeked", subjects=[world.child])


@pytest.mark.django_db
def test_event_carries_actor_role_unit_subjects_and_basis(world):
    client = world.client_for(world.worker)
    client.get(f"/children/{world.child.pk}/")
    event = AuditEvent.objects.get(action="people.child.viewed")
    assert event.actor == world.worker
    assert event.role == "worker"
    assert event.unit_id == world.unit.pk
    assert event.basis == "relationship:responsible"
    assert event.occurred_at.utcoffset().total_seconds() == 0
    subjects = {s.subject_id for s in event.subjects.all()}
    assert subjects == {world.child.pk, world.guardian.pk}


@pytest.mark.django_db
def test_failed_audit_write_fails_the_request(world, monkeypatch):
    from arki.audit import models

    def boom(rows, *args, **kwargs):
        raise DatabaseError("audit store down")

    monkeypatch.setattr(models.AuditSubject.objects, "bulk_create", boom)
    client = world.client_for(world.worker)
    client.raise_request_exception = False
    response = client.post(
        "/children/new/",
        {
            "first_name": "Uusi",
            "last_name": "Lapsi",
            "birth_date": "2020-01-01",
            "preferred_language": "fi",
        },
    )
    assert response.status_code == 500
    from arki.people.models import Child

    assert not Child.objects.filter(first_name="Uusi").exists()


@pytest.mark.django_db
def test_child_log_lists_who_looked(world):
    world.client_for(world.worker).get(f"/children/{world.child.pk}/")
    response = world.client_for(world.worker).get(f"/audit/children/{world.child.pk}/")
    assert response.status_code == 200
    assert "Aino Työntekijä" in response.content.decode()


@pytest.mark.django_db
def test_coordinator_searches_audit_log_of_own_tenant_only(world):
    world.client_for(world.worker).get(f"/children/{world.child.pk}/")
    world.client_for(world.outsider).get("/children/")
    response = world.client_for(world.coordinator).get("/audit/?actor=Aino")
    assert response.status_code == 200
    events = response.context["events"]
    assert events and all(e.tenant_id == world.tenant.pk for e in events)
    assert world.client_for(world.worker).get("/audit/").status_code == 403


@pytest.mark.django_db
def test_audit_search_shows_roles_in_the_readers_language(world):
    from arki.people.models import Guardian

    world.client_for(world.worker).get(f"/children/{world.child.pk}/")
    guardian = Guardian.objects.get(guardianships__child=world.child)
    audit.record(guardian, "people.child.viewed", subjects=[world.child], tenant_id=world.tenant.pk)
    page = world.client_for(world.coordinator).get("/audit/").content.decode()
    assert "työntekijä" in page and "huoltaja" in page
    assert '<span class="muted">worker' not in page
    assert '<span class="muted">guardian' not in page
    with translation.override("sv"):
        event = AuditEvent.objects.filter(role="guardian").first()
        assert event is not None and event.role_display == "vårdnadshavare"
    assert AuditEvent(role="invitee").role_display == "neuvonpitoon kutsuttu"
    assert AuditEvent(role="something-new").role_display == "something-new"


@pytest.mark.django_db
def test_audit_search_says_the_basis_in_words_without_the_code(world):
    world.client_for(world.worker).get(f"/children/{world.child.pk}/")
    audit.record(
        world.worker,
        "people.child.viewed",
        subjects=[world.child],
        basis="consent:meeting_report",
        tenant_id=world.tenant.pk,
    )
    page = world.client_for(world.coordinator).get("/audit/").content.decode()
    assert "perheen suostumus: saa neuvonpidon muistion" in page
    assert "consent:meeting_report" not in page and "people.child.viewed" not in page
    from arki.audit.labels import basis_label

    assert basis_label("relationship:no-such-kind") == "relationship:no-such-kind"
    assert basis_label("consent:unknown") == "perheen suostumus: unknown"


@pytest.mark.django_db
def test_every_field_of_an_event_reads_back_as_written(world, rf):
    """``record`` writes with ``bulk_create``: each column must read back as written, on
    SQLite and PostgreSQL alike."""
    request = rf.get("/", REMOTE_ADDR="10.1.2.3")
    world.worker.current_membership = world.worker.memberships.select_related("unit").first()
    event = audit.record(
        world.worker,
        "people.child.viewed",
        subjects=[world.child, world.guardian, world.child],
        obj=world.child,
        basis="relationship:responsible",
        recipient="Kela <kela@example.org>",
        is_disclosure=True,
        request=request,
        detail={"filters": "q=ä&x=1", "n": 3, "nested": [1, None, "<b>"]},
    )
    assert not event._state.adding
    stored = AuditEvent.objects.get(pk=event.pk)
    for field in AuditEvent._meta.concrete_fields:
        assert getattr(stored, field.attname) == getattr(event, field.attname), field.name
    assert stored.object_type == "people.child" and stored.object_id == world.child.pk
    assert stored.ip_address == "10.1.2.3" and stored.is_disclosure
    assert stored.detail == {"filters": "q=ä&x=1", "n": 3, "nested": [1, None, "<b>"]}
    subjects = sorted((s.subject_type, s.subject_id, s.occurred_at) for s in stored.subjects.all())
    assert subjects == sorted(
        [
            ("child", world.child.pk, event.occurred_at),
            ("guardian", world.guardian.pk, event.occurred_at),
        ]
    )
    assert AuditEvent.objects.filter(subjects__subject_id=world.child.pk).count() == 1


@pytest.mark.django_db
def test_event_without_subjects_or_user(world):
    event = audit.record(None, "people.child.viewed", detail={"actor_label": "nightly purge"})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor_id is None and stored.actor_label == "nightly purge"
    assert stored.tenant_id is None and stored.detail == {}
    assert not stored.subjects.exists()
