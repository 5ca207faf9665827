"""The audit log's hash chain finds a changed, deleted or unsealed event."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from arki.audit import dbguard
from arki.audit import services as audit
from arki.audit.models import AuditSeal
from arki.audit.selectors import audit_chain_verify
from arki.audit.services import audit_chain_seal


def sql_id(pk):
    return pk.hex if connection.vendor == "sqlite" else pk


def raw(sql, *params):
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))


@pytest.fixture
def events(world):
    written = [
        audit.record(world.worker, "people.child.viewed", subjects=[world.child]),
        audit.record(world.worker, "people.child.viewed", subjects=[world.child]),
        audit.record(world.outsider, "accounts.password.changed"),
        audit.record(world.coordinator, "people.child.viewed", subjects=[world.child]),
        audit.record(None, "accounts.password.changed", detail={"actor_label": "system"}),
    ]
    return written


@pytest.mark.django_db
def test_events_are_sealed_once_per_tenant_chain(world, events):
    assert audit_chain_seal() == 5
    assert audit_chain_seal() == 0  # idempotent
    chains: dict[str, list[int]] = {seal.chain: [] for seal in AuditSeal.objects.all()}
    for seal in AuditSeal.objects.order_by("seq"):
        chains[seal.chain].append(seal.seq)
    assert chains[str(world.tenant.pk)] == [1, 2, 3]
    assert all(seqs == list(range(1, len(seqs) + 1)) for seqs in chains.values())
    report = audit_chain_verify()
    assert report.breaks == [] and report.sealed == 5
    # New events continue each chain.
    audit.record(world.worker, "people.child.viewed", subjects=[world.child])
    assert audit_chain_seal() == 1
    assert AuditSeal.objects.filter(chain=str(world.tenant.pk)).order_by("-seq")[0].seq == 4
    assert audit_chain_verify().breaks == []


@pytest.mark.django_db
def test_a_changed_event_breaks_the_chain_where_it_was_changed(world, events):
    audit_chain_seal()
    raw("UPDATE audit_auditevent SET basis = %s WHERE id = %s", "forged", sql_id(events[1].pk))
    [found] = audit_chain_verify().breaks
    assert (found.chain, found.seq, found.problem) == (str(world.tenant.pk), 2, "changed")
    assert found.event_id == events[1].pk


@pytest.mark.django_db
def test_a_changed_data_subject_breaks_the_chain(world, events):
    from arki.core.tests.factories import ChildFactory

    audit_chain_seal()
    other = ChildFactory(tenant=world.tenant)
    raw(
        "UPDATE audit_auditsubject SET subject_id = %s WHERE event_id = %s",
        sql_id(other.pk),
        sql_id(events[0].pk),
    )
    [found] = audit_chain_verify().breaks
    assert (found.seq, found.problem) == (1, "changed")


@pytest.mark.django_db
def test_a_deleted_event_or_link_is_found(world, events):
    audit_chain_seal()
    raw("DELETE FROM audit_auditsubject WHERE event_id = %s", sql_id(events[1].pk))
    raw("DELETE FROM audit_auditevent WHERE id = %s", sql_id(events[1].pk))
    [found] = audit_chain_verify().breaks
    assert (found.seq, found.problem) == (2, "missing event")

    raw("DELETE FROM audit_auditseal WHERE event_id = %s", sql_id(events[1].pk))
    [found] = audit_chain_verify().breaks
    assert (found.seq, found.problem) == (3, "missing link")


@pytest.mark.django_db
def test_an_event_slipped_in_behind_the_sealing_is_reported(world, events):
    from datetime import timedelta

    from django.utils import timezone

    from arki.audit.models import AuditEvent

    audit_chain_seal()
    late = audit.record(world.worker, "people.child.viewed", subjects=[world.child])
    raw(
        "UPDATE audit_auditevent SET occurred_at = %s WHERE id = %s",
        timezone.now() - timedelta(days=2),
        sql_id(late.pk),
    )
    # A later event advances the sealing past the backdated one.
    audit.record(world.worker, "people.child.viewed", subjects=[world.child])
    audit_chain_seal()
    breaks = audit_chain_verify().breaks
    assert [(b.event_id, b.problem) for b in breaks] == [(late.pk, "not sealed")]
    assert not AuditEvent.objects.get(pk=late.pk).basis


@pytest.mark.django_db
def test_the_commands_seal_and_verify(world, events, capsys):
    call_command("seal_audit_chain")
    call_command("verify_audit_chain")
    out = capsys.readouterr().out
    assert "5 audit events sealed." in out and "Audit chain intact: 5 events" in out
    raw("UPDATE audit_auditevent SET action = %s WHERE id = %s", "x.y", sql_id(events[0].pk))
    with pytest.raises(CommandError, match="broken in 1 place"):
        call_command("verify_audit_chain")
    assert "changed at link 1" in capsys.readouterr().err


@pytest.mark.django_db
def test_the_database_refuses_to_change_a_seal(world, events):
    audit_chain_seal()
    seal = AuditSeal.objects.order_by("seq").first()
    dbguard.install(connection)
    for sql in (
        "UPDATE audit_auditseal SET hash = 'x' WHERE id = %s",
        "DELETE FROM audit_auditseal WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [seal.pk])
    assert AuditSeal.objects.get(pk=seal.pk).hash == seal.hash
