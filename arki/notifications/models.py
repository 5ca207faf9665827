"""The durable email outbox: every email Arki sends is first a row here (SECURITY.md 21, 23)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arki.core.models import BaseModel


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class OutboxMessageQuerySet(models.QuerySet["OutboxMessage"]):
    def due(self, now, stuck_before) -> OutboxMessageQuerySet:
        """Pending messages whose time has come, and claims a crashed worker left behind."""
        return self.filter(
            Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
            | Q(status=OutboxStatus.SENDING, claimed_at__lte=stuck_before)
        )

    def for_tenant(self, tenant_id) -> OutboxMessageQuerySet:
        return self.filter(tenant_id=tenant_id)


# What each kind of email is, in words (the outbox page never shows the code).
KIND_LABELS = {
    "meetings.invitation.request": _("network meeting invitation"),
    "meetings.invitation.cancel": _("network meeting cancellation"),
    "meetings.reminder": _("network meeting reminder"),
    "meetings.follow_up": _("reminder of agreed actions"),
    "meetings.report": _("network meeting report"),
    "portal.link": _("family portal link"),
    "portal.code": _("family portal code"),
    "directory.consultation.received": _("consultation request"),
    "directory.consultation.answered": _("consultation answer"),
    "training.refresher_reminder": _("refresher training reminder"),
    "feedback.invitation": _("family feedback invitation"),
}


class OutboxMessage(BaseModel):
    """One email, written in the caller's transaction and delivered after commit."""

    tenant_id = models.UUIDField(null=True, blank=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=80)
    to = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    # [{"filename": ..., "mimetype": ..., "content_b64": ...}]
    attachments = models.JSONField(default=list, blank=True)
    language = models.CharField(_("language"), max_length=5, default="fi")
    related_type = models.CharField(max_length=80, blank=True, default="")
    related_id = models.UUIDField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    # Secrets in the message (a sign-in link's token, a one-time code) that the delivery worker
    # replaces with a marker in the stored subject and bodies, in the same update that marks
    # the message sent (or failed for good); emptied then. Never shown anywhere.
    secrets_to_redact = models.JSONField(default=list, blank=True, editable=False)
    redacted_at = models.DateTimeField(_("secrets removed"), null=True, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["related_type", "related_id"], name="outbox_related"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to} ({self.status})"

    @property
    def kind_label(self) -> str:
        """The kind in words; an unknown kind is just "email", never its code."""
        return str(KIND_LABELS.get(self.kind, _("email")))
