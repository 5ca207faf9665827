"""Retention: each tenant's rules (how long each kind of record is kept, on what legal basis,
and what happens after) and the record of each run of the retention job."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from arki.core.models import BaseModel
from arki.organisations.models import Tenant


class RecordType(models.TextChoices):
    WORKING_NOTES = "working_notes", _("working notes of LT discussions")
    BUSY_TIMES = "busy_times", _("staff busy times")
    PORTAL_LINKS = "portal_links", _("portal links and sessions")
    PREPARATIONS = "preparations", _("the family's preparations")
    DISCUSSIONS = "discussions", _("LT discussions")
    MEETING_REPORTS = "meeting_reports", _("network meeting reports")
    FEEDBACK_ANSWERS = "feedback_answers", _("feedback answers")
    FEEDBACK_INVITATIONS = "feedback_invitations", _("feedback invitations")
    AUDIT_EVENTS = "audit_events", _("audit events")


class RetentionAction(models.TextChoices):
    DELETE = "delete", _("delete")
    ANONYMISE = "anonymise", _("anonymise")


class RetentionRule(BaseModel):
    """How long one kind of record is kept in one tenant. The action and the bounds of the
    period come from the record type (``arki.operations.retention.RECORD_TYPES``); the
    coordinator may change the period within them."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    record_type = models.CharField(_("record type"), max_length=30, choices=RecordType.choices)
    period_days = models.PositiveIntegerField(_("kept for (days)"))
    action = models.CharField(_("then"), max_length=20, choices=RetentionAction.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=300)

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["record_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "record_type"], name="retention_rule_unique_type"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()}: {self.period_days}"


class RetentionRun(BaseModel):
    """One run of the retention job for one tenant: what each rule deleted or anonymised."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    results = models.JSONField(default=dict)  # record type -> number of records acted on

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["tenant", "-started_at"], name="retention_run_tenant")]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"
