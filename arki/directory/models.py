"""The one-contact directory (services and professionals) and consultation requests.

A consultation lets a worker bring in another service's expertise with one contact, without a
referral (lt-model.md §5). It is anonymous unless the family consented to sharing the child's
identity; the receiver never gets a relationship with the child.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arki.core.models import BaseModel
from arki.organisations.models import Area, Sector, Tenant, Unit
from arki.people.models import Child


class EntryKind(models.TextChoices):
    SERVICE = "service", _("service")
    PERSON = "person", _("professional")


class DirectoryEntryQuerySet(models.QuerySet["DirectoryEntry"]):
    def in_tenant(self, tenant_id) -> DirectoryEntryQuerySet:
        return self.filter(tenant_id=tenant_id)

    def active(self) -> DirectoryEntryQuerySet:
        return self.filter(is_active=True)


class DirectoryEntry(BaseModel):
    """A service (a unit's team) or a professional a worker can consult."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="directory_entries")
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="directory_entries",
        null=True,
        blank=True,
        verbose_name=_("unit"),
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="directory_entries",
        null=True,
        blank=True,
        verbose_name=_("municipality or area"),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="directory_entries",
        null=True,
        blank=True,
        verbose_name=_("professional's user account"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Name and every language's texts, casefolded: search works the same on SQLite and
    # PostgreSQL, for ä, ö, å, æ and ø too. Kept up to date by ``directory_entry_save``.
    search_text = models.TextField(blank=True, default="", editable=False)

    objects = DirectoryEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("directory entry")
        verbose_name_plural = _("directory entries")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def text_for(self, language: str) -> DirectoryEntryText | None:
        """The text in ``language``, else Finnish, else any (uses prefetched texts)."""
        texts = {text.language: text for text in self.texts.all()}
        return texts.get(language) or texts.get("fi") or next(iter(texts.values()), None)


class DirectoryEntryText(BaseModel):
    entry = models.ForeignKey(DirectoryEntry, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    expertise = models.TextField(
        _("expertise"), blank=True, help_text=_("What they can help with: keywords.")
    )

    class Meta:
        verbose_name = _("directory entry text")
        verbose_name_plural = _("directory entry texts")
        constraints = [
            models.UniqueConstraint(fields=["entry", "language"], name="directory_text_language")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class ConsultationStatus(models.TextChoices):
    SENT = "sent", _("sent")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")


class ConsentChannel(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    PHONE = "phone", _("by phone")
    WRITTEN = "written", _("in writing")
    ELECTRONIC = "electronic", _("electronically")


class ConsultationQuerySet(models.QuerySet["Consultation"]):
    def sent_by(self, user) -> ConsultationQuerySet:
        return self.filter(sender=user)

    def addressed_to(self, user, membership) -> ConsultationQuerySet:
        """Requests to the user's own entry, or to a service entry of the user's unit."""
        if membership is None:
            return self.none()
        return self.addressed_to_ids(user.pk, membership.tenant_id, membership.unit_id)

    def addressed_to_ids(self, user_id, tenant_id, unit_id) -> ConsultationQuerySet:
        """``addressed_to`` by the ids of the user, the membership's tenant and its unit
        (``None``: no unit)."""
        mine = Q(entry__user_id=user_id)
        if unit_id:
            mine |= Q(entry__kind=EntryKind.SERVICE, entry__unit_id=unit_id)
        return self.filter(mine, tenant_id=tenant_id)


class Consultation(BaseModel):
    """A question to a directory entry about a child, anonymous unless the family consented."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="consultations")
    entry = models.ForeignKey(
        DirectoryEntry, on_delete=models.PROTECT, related_name="consultations"
    )
    # The sender's side only: the child page the request came from. Never shown to the
    # receiver; what the receiver may see of the child is the snapshot below.
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="consultations")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consultations_sent"
    )
    sender_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="consultations_sent", null=True, blank=True
    )
    question = models.TextField(_("question"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ConsultationStatus.choices,
        default=ConsultationStatus.SENT,
    )
    identity_shared = models.BooleanField(_("child's identity shared"), default=False)
    shared_child_name = models.CharField(max_length=200, blank=True)
    shared_child_birth_date = models.DateField(null=True, blank=True)
    consent_given_by = models.CharField(_("consent given by"), max_length=200, blank=True)
    consent_channel = models.CharField(
        _("how consent was given"), max_length=20, choices=ConsentChannel.choices, blank=True
    )
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="consultations_answered",
        null=True,
        blank=True,
    )
    sent_at = models.DateTimeField(_("sent"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation request")
        verbose_name_plural = _("consultation requests")
        ordering = ["-sent_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(identity_shared=False, shared_child_name="")
                | Q(identity_shared=True, consent_given_at__isnull=False),
                name="consultation_identity_needs_consent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry} ({self.get_status_display()})"
