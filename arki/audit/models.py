"""Audit events (käyttöloki and luovutusloki): append-only for the application."""

from __future__ import annotations

import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arki.core.models import BaseModel

from .labels import basis_label, role_label


class AppendOnlyError(RuntimeError):
    pass


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit rows cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit rows cannot be deleted.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit rows cannot be deleted.")


class AuditEvent(AppendOnlyModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    occurred_at = models.DateTimeField(_("time (UTC)"), default=timezone.now, db_index=True)
    tenant_id = models.UUIDField(null=True, blank=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField(_("actor"), max_length=200)
    role = models.CharField(_("role"), max_length=30, blank=True)
    unit_id = models.UUIDField(null=True, blank=True)
    unit_label = models.CharField(_("unit"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    basis = models.CharField(_("basis"), max_length=200, blank=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.UUIDField(null=True, blank=True)
    is_disclosure = models.BooleanField(_("disclosure"), default=False)
    recipient = models.CharField(_("recipient"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["tenant_id", "-occurred_at"], name="audit_tenant_time"),
            models.Index(
                fields=["tenant_id", "actor", "-occurred_at"], name="audit_tenant_actor_time"
            ),
            # "Disclosures only": the few disclosures, without walking the whole log for them.
            models.Index(
                fields=["tenant_id", "-occurred_at"],
                condition=models.Q(is_disclosure=True),
                name="audit_tenant_disclosure_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    @property
    def role_display(self) -> str:
        """The actor's role in the reader's language (an unknown code is shown as stored)."""
        return role_label(self.role)

    @property
    def basis_display(self) -> str:
        """The basis in plain words, in the reader's language."""
        return basis_label(self.basis)


class AuditSubject(AppendOnlyModel):
    """One data subject (a child or a guardian) an event touched."""

    id = models.BigAutoField(primary_key=True)
    event = models.ForeignKey(AuditEvent, on_delete=models.PROTECT, related_name="subjects")
    subject_type = models.CharField(max_length=20)
    subject_id = models.UUIDField()
    occurred_at = models.DateTimeField()

    class Meta:
        verbose_name = _("audit subject")
        verbose_name_plural = _("audit subjects")
        indexes = [
            models.Index(fields=["subject_id", "-occurred_at"], name="audit_subject_time"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_type} {self.subject_id}"


class AuditSeal(AppendOnlyModel):
    """One link of a tenant's hash chain over its audit events (tamper evidence).

    ``hash`` is SHA-256 over the previous link's hash and the event's content with its data
    subjects (``arki.audit.chain.event_digest``). Events are sealed in batches shortly after
    they are written (``audit_chain_seal``), so a page view never waits for a chain lock; a
    changed, deleted or removed-and-reinserted event then breaks the chain, which
    ``verify_audit_chain`` finds. Like the events, seals are append-only.
    """

    id = models.BigAutoField(primary_key=True)
    chain = models.CharField(max_length=36)  # the tenant's id, or "" for events without one
    seq = models.BigIntegerField()
    event = models.OneToOneField(
        AuditEvent, on_delete=models.PROTECT, related_name="seal", db_constraint=False
    )
    hash = models.CharField(max_length=64)
    occurred_at = models.DateTimeField()  # the event's time: where the next sealing run starts
    sealed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_seal_chain_seq"),
        ]
        indexes = [models.Index(fields=["-occurred_at"], name="audit_seal_time")]

    def __str__(self) -> str:
        return f"{self.chain or '-'} #{self.seq}"


class SubjectAccessRequest(BaseModel):
    """A client's request to know who has seen or changed the child's data (Client Data Act
    703/2023; GDPR art. 15), as the coordinator answered it: the record that it was answered."""

    tenant = models.ForeignKey("organisations.Tenant", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, related_name="access_requests"
    )
    requester = models.CharField(
        _("who asked"),
        max_length=200,
        help_text=_("For example: the child's mother, by letter of 2 December."),
    )
    reason = models.TextField(_("reason"), max_length=1000)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("subject access request")
        verbose_name_plural = _("subject access requests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.requester}"
