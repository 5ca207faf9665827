"""Writes of the directory: entries (coordinators, admins) and consultation requests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from arki.audit import services as audit
from arki.core.exceptions import DomainError, InvalidTransitionError
from arki.notifications.services import enqueue_email
from arki.organisations.models import Area, Unit
from arki.people.models import Child

from .models import (
    ConsentChannel,
    Consultation,
    ConsultationStatus,
    DirectoryEntry,
    DirectoryEntryText,
    EntryKind,
)

QUESTION_MAX_LENGTH = 4000
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class DirectoryError(DomainError):
    default_message = _("The directory entry could not be saved.")


class ConsultationError(DomainError):
    default_message = _("The consultation request could not be sent.")


def _search_text(name: str, texts: dict[str, dict[str, str]]) -> str:
    parts = [name]
    for text in texts.values():
        parts += [text.get("title", ""), text.get("description", ""), text.get("expertise", "")]
    return " ".join(part for part in parts if part).casefold()


@transaction.atomic
def directory_entry_save(
    *,
    actor: Any,
    tenant: Any,
    kind: str,
    name: str,
    sector: str,
    texts: dict[str, dict[str, str]],
    entry: DirectoryEntry | None = None,
    unit: Unit | None = None,
    area: Area | None = None,
    user: Any = None,
    email: str = "",
    phone: str = "",
    is_active: bool = True,
) -> DirectoryEntry:
    """Create or update an entry with its texts per language (fi, sv, en, da).

    ``texts`` maps a language code to ``{"title", "description", "expertise"}``; a language
    without a title is removed. A professional needs a user account and a service a unit, so
    that a consultation request always has someone who can answer it in Arki.
    """
    texts = {
        lang: {key: (value or "").strip() for key, value in text.items()}
        for lang, text in texts.items()
        if lang in LANGUAGE_CODES and (text.get("title") or "").strip()
    }
    if not texts:
        raise DirectoryError(_("Give a title in at least one language."))
    if kind == EntryKind.PERSON and user is None:
        raise DirectoryError(_("A professional needs a user account to answer requests."))
    if kind == EntryKind.SERVICE and unit is None:
        raise DirectoryError(_("A service needs a unit whose staff answer requests."))
    if unit is not None and unit.tenant_id != tenant.pk:
        raise DirectoryError(_("The unit belongs to another organisation."))
    if area is not None and area.tenant_id != tenant.pk:
        raise DirectoryError(_("The area belongs to another organisation."))
    if user is not None and not user.memberships.filter(tenant=tenant, is_active=True).exists():
        raise DirectoryError(_("The user does not work in this organisation."))
    if entry is not None and entry.tenant_id != tenant.pk:
        raise DirectoryError
    created = entry is None
    entry = entry or DirectoryEntry(tenant=tenant)
    entry.kind = kind
    entry.name = name.strip()
    entry.sector = sector
    entry.unit = unit
    entry.area = area or (unit.area if unit is not None else None)
    entry.user = user
    entry.email = email
    entry.phone = phone
    entry.is_active = is_active
    entry.search_text = _search_text(entry.name, texts)
    entry.save()
    entry.texts.exclude(language__in=list(texts)).delete()
    for lang, text in texts.items():
        DirectoryEntryText.objects.update_or_create(
            entry=entry,
            language=lang,
            defaults={
                "title": text.get("title", ""),
                "description": text.get("description", ""),
                "expertise": text.get("expertise", ""),
            },
        )
    audit.record(
        actor,
        "directory.entry.saved",
        obj=entry,
        tenant_id=tenant.pk,
        basis="directory maintenance",
        detail={"created": created},
    )
    return entry


def _receiver_address(entry: DirectoryEntry) -> tuple[str, str]:
    """(email, language) to notify about a request to ``entry``."""
    if entry.kind == EntryKind.PERSON and entry.user is not None:
        return entry.email or entry.user.email, entry.user.preferred_language
    return entry.email, entry.tenant.default_language


def _link(name: str, pk: Any) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=[pk])


def _audit_subjects(consultation: Consultation) -> list[Child]:
    """The child is a data subject only when the request carries the child's identity."""
    return [consultation.child] if consultation.identity_shared else []


@transaction.atomic
def consultation_send(
    *,
    actor: Any,
    child: Child,
    entry: DirectoryEntry,
    question: str,
    share_identity: bool = False,
    consent_given_by: str = "",
    consent_channel: str = "",
    consent_given_at: datetime | None = None,
) -> Consultation:
    """Send a question about ``child`` to ``entry``: no referral, no access to the child.

    Anonymous unless ``share_identity``, which needs the family's recorded consent (who gave
    it, how, when); then the child's name and birth date go with the request.
    """
    question = question.strip()
    if not question:
        raise ConsultationError(_("Write the question."))
    if len(question) > QUESTION_MAX_LENGTH:
        raise ConsultationError(_("The question is too long."))
    if not entry.is_active or entry.tenant_id != child.tenant_id:
        raise ConsultationError(_("Choose a service or professional from the directory."))
    now = timezone.now()
    if share_identity:
        if not consent_given_by.strip() or consent_channel not in ConsentChannel.values:
            raise ConsultationError(
                _("Record who gave the consent and how before sharing the child's identity.")
            )
        if consent_given_at is None or consent_given_at > now:
            raise ConsultationError(_("The time of consent cannot be in the future."))
    membership = getattr(actor, "current_membership", None)
    consultation = Consultation.objects.create(
        tenant_id=child.tenant_id,
        entry=entry,
        child=child,
        sender=actor,
        sender_unit=membership.unit if membership is not None else None,
        question=question,
        identity_shared=share_identity,
        shared_child_name=child.full_name if share_identity else "",
        shared_child_birth_date=(child.birth_date or child.expected_date)
        if share_identity
        else None,
        consent_given_by=consent_given_by.strip() if share_identity else "",
        consent_channel=consent_channel if share_identity else "",
        consent_given_at=consent_given_at if share_identity else None,
        sent_at=now,
    )
    to, language = _receiver_address(entry)
    audit.record(
        actor,
        "directory.consultation.sent",
        subjects=_audit_subjects(consultation),
        obj=consultation,
        basis=f"consent:{consent_channel}" if share_identity else "anonymous consultation",
        is_disclosure=share_identity,
        recipient=f"{entry.name} <{to}>" if share_identity else "",
    )
    if to:
        with translation.override(language):
            enqueue_email(
                to=to,
                subject=str(_("New consultation request in Arki")),
                body_text=render_to_string(
                    "directory/email/consultation_received.txt",
                    {
                        "entry": entry,
                        "sender": actor,
                        "sender_unit": consultation.sender_unit,
                        "link": _link("directory:consultation_detail", consultation.pk),
                    },
                ),
                tenant_id=child.tenant_id,
                kind="directory.consultation.received",
                language=language,
                related_object=consultation,
                dedupe_key=f"directory.consultation.received:{consultation.pk}",
            )
    return consultation


@transaction.atomic
def consultation_answer(*, actor: Any, consultation: Consultation, answer: str) -> Consultation:
    """The receiver answers in Arki; the answer time is recorded for the indicators."""
    answer = answer.strip()
    if not answer:
        raise ConsultationError(_("Write the answer."))
    if len(answer) > QUESTION_MAX_LENGTH:
        raise ConsultationError(_("The answer is too long."))
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if locked.status != ConsultationStatus.SENT:
        raise InvalidTransitionError(_("This request has already been answered or closed."))
    locked.answer = answer
    locked.answered_by = actor
    locked.answered_at = timezone.now()
    locked.status = ConsultationStatus.ANSWERED
    locked.save(update_fields=["answer", "answered_by", "answered_at", "status", "updated_at"])
    audit.record(
        actor,
        "directory.consultation.answered",
        subjects=_audit_subjects(locked),
        obj=locked,
        tenant_id=locked.tenant_id,
        basis="consultation request",
    )
    sender = locked.sender
    with translation.override(sender.preferred_language):
        enqueue_email(
            to=sender.email,
            subject=str(_("Your consultation request was answered")),
            body_text=render_to_string(
                "directory/email/consultation_answered.txt",
                {
                    "entry": locked.entry,
                    "link": _link("directory:consultation_detail", locked.pk),
                },
            ),
            tenant_id=locked.tenant_id,
            kind="directory.consultation.answered",
            language=sender.preferred_language,
            related_object=locked,
            dedupe_key=f"directory.consultation.answered:{locked.pk}",
        )
    return locked


@transaction.atomic
def consultation_close(*, actor: Any, consultation: Consultation) -> Consultation:
    """The sender closes the request (answered, or no longer needed)."""
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if locked.sender_id != actor.pk:
        raise ConsultationError(_("Only the sender can close the request."))
    if locked.status == ConsultationStatus.CLOSED:
        raise InvalidTransitionError(_("The request is already closed."))
    locked.status = ConsultationStatus.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at", "updated_at"])
    audit.record(
        actor,
        "directory.consultation.closed",
        subjects=_audit_subjects(locked),
        obj=locked,
        basis="consultation request",
    )
    return locked
