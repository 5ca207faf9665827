"""Writes about children and families. Each is one transaction with its own audit event."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arki.audit import services as audit
from arki.core.exceptions import DomainError
from arki.organisations.models import Unit

from .identity import identity_code_problem, normalise
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


def child_problems(
    *,
    country: str,
    birth_date: date | None,
    expected_date: date | None,
    national_id: str,
    preferred_language: str,
    today: date | None = None,
) -> list[tuple[str, str]]:
    """What is wrong with a child's details, as (field, message) pairs: none for details that
    can be true. One birth date or one expected date (an expected baby has no birth date yet),
    no birth in the future, an identity code valid in ``country`` that agrees with the birth
    date, and one of the languages Arki speaks."""
    today = today or timezone.localdate()
    problems: list[tuple[str, str]] = []
    if birth_date and expected_date:
        problems.append(
            (
                "expected_date",
                str(_("Give either the birth date or the expected date of birth, not both.")),
            )
        )
    elif not birth_date and not expected_date:
        problems.append(
            ("birth_date", str(_("Give the birth date or the expected date of birth.")))
        )
    if birth_date and birth_date > today:
        problems.append(
            (
                "birth_date",
                str(
                    _(
                        "The birth date cannot be in the future. For an expected baby, give the "
                        "expected date of birth."
                    )
                ),
            )
        )
    if preferred_language not in dict(settings.LANGUAGES):
        problems.append(("preferred_language", str(_("Choose one of the languages offered."))))
    problem = identity_code_problem(national_id, country=country, birth_date=birth_date)
    if problem is not None:
        problems.append(("national_id", problem))
    return problems


def _require_valid_child(*, country: str, **details: Any) -> None:
    problems = child_problems(country=country, **details)
    if problems:
        field, message = problems[0]
        raise DomainError(message, field=field)


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
    national_id = normalise(national_id)
    _require_valid_child(
        country=membership.tenant.country,
        birth_date=birth_date,
        expected_date=expected_date,
        national_id=national_id,
        preferred_language=preferred_language,
    )
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
    if "national_id" in fields:
        fields["national_id"] = normalise(fields["national_id"])
    changed = sorted(k for k, v in fields.items() if k in allowed and getattr(child, k) != v)
    for key in changed:
        setattr(child, key, fields[key])
    _require_valid_child(
        country=child.tenant.country,
        birth_date=child.birth_date,
        expected_date=child.expected_date,
        national_id=child.national_id,
        preferred_language=child.preferred_language,
    )
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
