"""Writing audit events. Call inside the transaction of the read or write being logged."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta
from typing import Any, Protocol

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from arki.core.exceptions import DomainError

from .chain import GENESIS, chain_of, event_digest
from .models import AuditEvent, AuditSeal, AuditSubject, SubjectAccessRequest
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
        AuditEvent.objects.bulk_create([event])
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
        if rows:
            AuditSubject.objects.bulk_create(rows)
    return event


# Events are sealed from this long before the newest sealed one, so that an event whose
# transaction committed a little after later ones is still sealed.
SEAL_LATE_MARGIN = timedelta(hours=1)


def audit_chain_seal(*, batch_size: int = 2000) -> int:
    """Add every audit event not yet sealed to its tenant's hash chain, in the order written
    (time, then id). Idempotent; returns how many were sealed. Run by the scheduler every
    minute (``seal_audit_chain``); if two runs overlap, the chain's unique (chain, seq) makes
    the later one stop without sealing anything twice."""
    sealed = 0
    while True:
        with transaction.atomic():
            newest = AuditSeal.objects.order_by("-occurred_at").values_list(
                "occurred_at", flat=True
            )[:1]
            pending = AuditEvent.objects.filter(seal__isnull=True)
            if newest:
                pending = pending.filter(occurred_at__gte=newest[0] - SEAL_LATE_MARGIN)
            events = list(pending.order_by("occurred_at", "id")[:batch_size])
            if not events:
                return sealed
            subjects: dict[Any, list[tuple[str, Any]]] = defaultdict(list)
            for event_id, kind, pk in AuditSubject.objects.filter(
                event_id__in=[e.pk for e in events]
            ).values_list("event_id", "subject_type", "subject_id"):
                subjects[event_id].append((kind, pk))
            heads: dict[str, tuple[int, str]] = {}
            seals = []
            for event in events:
                chain = chain_of(event.tenant_id)
                if chain not in heads:
                    last = (
                        AuditSeal.objects.filter(chain=chain)
                        .order_by("-seq")
                        .values_list("seq", "hash")
                        .first()
                    )
                    heads[chain] = last or (0, GENESIS)
                seq, previous = heads[chain]
                digest = event_digest(event, subjects[event.pk], previous)
                seals.append(
                    AuditSeal(
                        chain=chain,
                        seq=seq + 1,
                        event=event,
                        hash=digest,
                        occurred_at=event.occurred_at,
                    )
                )
                heads[chain] = (seq + 1, digest)
            try:
                with transaction.atomic():
                    AuditSeal.objects.bulk_create(seals)
            except IntegrityError:
                return sealed  # another run sealed these first
            sealed += len(seals)


def record_child_read(
    request: HttpRequest,
    action: str,
    access: Any,
    *,
    subjects: Iterable[models.Model] = (),
    obj: models.Model | None = None,
    **kwargs: Any,
) -> AuditEvent:
    """A page or form about a child, opened through ``access`` (``ChildAccess``): the child and
    the other people it shows (``subjects``) are its data subjects, its basis the access's."""
    return record(
        request.user,
        action,
        subjects=[access.child, *subjects],
        obj=obj if obj is not None else access.child,
        basis=access.basis,
        request=request,
        **kwargs,
    )


# The basis of every read made to answer a client's subject access request.
SUBJECT_ACCESS_BASIS = "subject_access_request"


def subject_access_request_create(
    *, actor: Any, child: Any, requester: str, reason: str, request: HttpRequest | None = None
) -> SubjectAccessRequest:
    """Record that ``actor`` answers ``requester``'s request for the child's access report."""
    requester, reason = requester.strip(), reason.strip()
    if not requester or not reason:
        raise DomainError(_("Say who asked and why the report is made."))
    with transaction.atomic():
        access_request = SubjectAccessRequest.objects.create(
            tenant_id=child.tenant_id,
            child=child,
            requester=requester,
            reason=reason,
            handled_by=actor,
        )
        record(
            actor,
            "audit.subject_access.requested",
            subjects=[child],
            obj=access_request,
            basis=SUBJECT_ACCESS_BASIS,
            request=request,
            tenant_id=child.tenant_id,
            detail={"reason": reason[:500], "requester": requester},
        )
    return access_request
