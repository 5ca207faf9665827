"""Writing audit events. Call inside the transaction of the read or write being logged."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.db import connections, models, router, transaction
from django.db.models.fields import AutoFieldMixin
from django.http import HttpRequest

from .models import AuditEvent, AuditSubject
from .registry import ACTIONS


class PortalActor(Protocol):
    """Someone acting without a staff account: a guardian or a child in the portal, an invitee
    through an invitation's link. What the audit log shows of them."""

    audit_role: str

    @property
    def audit_label(self) -> str: ...


# Who acts: a staff user (``request.user``; an anonymous one counts as the system), someone
# in the portal or with an invitation's link, or ``None`` for the system.
Actor = AbstractUser | AnonymousUser | PortalActor | None


def _subject_type(subject: models.Model) -> str:
    return subject._meta.model_name or ""


def insert_rows(model: type[models.Model], rows: Sequence[models.Model]) -> None:
    """INSERT new rows of an audit model with one ``executemany``.

    Every page view writes an event and a row per data subject; through ``create`` and
    ``bulk_create`` that cost ~1 ms of Python for a list of fifteen children (``save()``'s
    signals and checks, and an SQL compilation per call). The values go through each field's
    ``get_db_prep_save``, as the ORM's own insert does, so every backend gets what it expects.
    Primary keys must be set in Python (``AuditSubject``'s comes from the database and is not
    read back).
    """
    if not rows:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    qn = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, AutoFieldMixin)]
    # Table and column names come from the model, quoted; every value is a parameter.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        qn(model._meta.db_table),
        ", ".join(qn(str(f.column)) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    params = [
        [f.get_db_prep_save(f.pre_save(row, add=True), connection) for f in fields] for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    for row in rows:
        row._state.adding = False
        row._state.db = alias


def record(
    actor: Actor,
    action: str,
    *,
    subjects: Iterable[models.Model] = (),
    obj: models.Model | None = None,
    basis: str = "",
    recipient: str = "",
    is_disclosure: bool = False,
    request: HttpRequest | None = None,
    tenant_id: Any = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event with its data subjects. Raises if the code is not registered.

    ``actor`` is a staff user (its current membership gives role and unit); or any object with
    ``audit_label`` and ``audit_role`` (a guardian or child acting through the portal); or
    ``None`` for the system, with an optional ``actor_label`` in ``detail``.
    """
    if action not in ACTIONS:
        raise ValueError(f"Unregistered audit action code: {action}")
    detail = dict(detail or {})
    membership = getattr(actor, "current_membership", None) if actor is not None else None
    role = membership.role if membership is not None else ""
    actor_user: AbstractUser | None = None
    if isinstance(actor, AbstractUser) and actor.is_authenticated:
        actor_label = actor.get_full_name() or actor.get_username()
        actor_user = actor
    elif actor is not None and not isinstance(actor, AbstractUser | AnonymousUser):
        actor_label = str(actor.audit_label)
        role = str(actor.audit_role)
    else:
        actor_label = str(detail.pop("actor_label", "system"))
    subjects = list(subjects)
    if tenant_id is None:
        tenant_id = membership.tenant_id if membership is not None else None
        if tenant_id is None:
            for subject in subjects:
                tenant_id = getattr(subject, "tenant_id", None)
                if tenant_id:
                    break
    ip = request.META.get("REMOTE_ADDR") if request is not None else None
    with transaction.atomic():
        event = AuditEvent(
            tenant_id=tenant_id,
            actor_id=actor_user.pk if actor_user is not None else None,
            actor_label=actor_label,
            role=role,
            unit_id=membership.unit_id if membership is not None else None,
            unit_label=(
                membership.unit.name if membership is not None and membership.unit_id else ""
            ),
            action=action,
            basis=basis,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=obj.pk if obj is not None else None,
            is_disclosure=is_disclosure,
            recipient=recipient,
            ip_address=ip or None,
            detail=detail,
        )
        insert_rows(AuditEvent, [event])
        seen: set[Any] = set()
        rows = []
        for subject in subjects:
            if subject.pk in seen:
                continue
            seen.add(subject.pk)
            rows.append(
                AuditSubject(
                    event=event,
                    subject_type=_subject_type(subject),
                    subject_id=subject.pk,
                    occurred_at=event.occurred_at,
                )
            )
        insert_rows(AuditSubject, rows)
    return event
