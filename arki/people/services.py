"""Writes about children and families. Each is one transaction with its own audit event."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from arki.audit import services as audit
from arki.organisations.models import Unit

from .models import (
    Child,
    ChildRelationship,
    Enrolment,
    Guardian,
    Guardianship,
    NetworkPerson,
    RelationshipKind,
)


def relationship_start(
    *, child: Child, user: Any, kind: str, source_id: Any = None
) -> ChildRelationship:
    """Give ``user`` access to ``child`` (idempotent for the same kind and source)."""
    existing = (
        ChildRelationship.objects.active()
        .filter(child=child, user=user, kind=kind, source_id=source_id)
        .first()
    )
    if existing is not None:
        return existing
    return ChildRelationship.objects.create(child=child, user=user, kind=kind, source_id=source_id)


def relationship_end(*, child: Child, user: Any = None, kind: str, source_id: Any = None) -> int:
    qs = ChildRelationship.objects.active().filter(child=child, kind=kind)
    if user is not None:
        qs = qs.filter(user=user)
    if source_id is not None:
        qs = qs.filter(source_id=source_id)
    return qs.update(ended_at=timezone.now())


@transaction.atomic
def child_create(
    *,
    actor: Any,
    first_name: str,
    last_name: str,
    birth_date: date | None = None,
    expected_date: date | None = None,
    national_id: str = "",
    preferred_language: str = "fi",
    unit: Unit | None = None,
) -> Child:
    """Add a child the actor works with; the actor becomes the responsible worker."""
    membership = actor.current_membership
    child = Child.objects.create(
        tenant_id=membership.tenant_id,
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        expected_date=expected_date,
        national_id=national_id,
        preferred_language=preferred_language,
    )
    unit = unit or membership.unit
    if unit is not None:
        Enrolment.objects.create(child=child, unit=unit)
    relationship_start(child=child, user=actor, kind=RelationshipKind.RESPONSIBLE)
    audit.record(actor, "people.child.created", subjects=[child], obj=child, basis="new_client")
    return child


@transaction.atomic
def child_update(*, actor: Any, child: Child, basis: str, **fields: Any) -> Child:
    allowed = {
        "first_name",
        "last_name",
        "birth_date",
        "expected_date",
        "national_id",
        "preferred_language",
    }
    changed = sorted(k for k, v in fields.items() if k in allowed and getattr(child, k) != v)
    for key in changed:
        setattr(child, key, fields[key])
    child.full_clean()
    child.save()
    audit.record(
        actor,
        "people.child.updated",
        subjects=[child],
        obj=child,
        basis=basis,
        detail={"fields": changed},
    )
    return child


@transaction.atomic
def guardian_add(
    *,
    actor: Any,
    child: Child,
    basis: str,
    first_name: str,
    last_name: str,
    email: str = "",
    phone: str = "",
    preferred_language: str = "fi",
    relation: str = "",
) -> Guardian:
    guardian = Guardian.objects.create(
        tenant_id=child.tenant_id,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        preferred_language=preferred_language,
    )
    Guardianship.objects.create(child=child, guardian=guardian, relation=relation)
    audit.record(
        actor, "people.guardian.created", subjects=[child, guardian], obj=guardian, basis=basis
    )
    return guardian


@transaction.atomic
def network_person_add(
    *,
    actor: Any,
    child: Child,
    basis: str,
    name: str,
    relation: str,
    email: str = "",
    phone: str = "",
    preferred_language: str = "fi",
) -> NetworkPerson:
    person = NetworkPerson.objects.create(
        child=child,
        name=name,
        relation=relation,
        email=email,
        phone=phone,
        preferred_language=preferred_language,
    )
    audit.record(actor, "people.network.created", subjects=[child], obj=person, basis=basis)
    return person


@transaction.atomic
def responsible_worker_assign(
    *,
    actor: Any,
    child: Child,
    worker: Any,
    source_id: Any = None,
    basis: str = "unit_manager",
) -> ChildRelationship:
    """Name a responsible worker: by the unit manager, or by a network meeting's chair (then
    ``source_id`` is the meeting, so that the meeting can later end exactly this one)."""
    relationship = relationship_start(
        child=child, user=worker, kind=RelationshipKind.RESPONSIBLE, source_id=source_id
    )
    audit.record(
        actor,
        "people.child.worker_assigned",
        subjects=[child],
        obj=child,
        basis=basis,
        detail={"worker": str(worker.pk)},
    )
    return relationship
