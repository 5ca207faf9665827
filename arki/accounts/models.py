"""Staff users, their memberships in tenants and units, and their LT qualifications."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from arki.core.models import BaseModel
from arki.organisations.models import Tenant, Unit


class User(AbstractUser):
    """A staff member. Guardians do not log in with passwords (they use portal links)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(_("email address"), unique=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    title = models.CharField(_("job title"), max_length=120, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=5, default="fi")
    # "First Last" as the audit search matches it (unlike get_full_name(), not stripped when a
    # name is empty). Stored, so that a search reads it instead of building it for every user.
    # Not indexed: SQLite counts every column of the table as used by a query that reads a
    # generated column, so it never scans an index holding one as a covering index.
    full_name = models.GeneratedField(
        expression=Concat("first_name", models.Value(" "), "last_name"),
        output_field=models.CharField(max_length=301),
        db_persist=True,
        verbose_name=_("full name"),
    )

    objects = UserManager()  # type: ignore[misc]

    # Set per request by CurrentMembershipMiddleware: the role the user is acting in, and a
    # cache for this request only (tenant ids, valid qualifications, the home's children).
    current_membership: Membership | None = None
    request_cache: dict[str, Any] | None = None

    class Meta:
        verbose_name = _("staff user")
        verbose_name_plural = _("staff users")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def valid_qualifications(self) -> list[Qualification]:
        """The qualifications not revoked, by kind. Read once per request (the home page's
        panels and the refresher state all ask); outside a request, every call queries."""
        cache = self.request_cache
        if cache is not None and "qualifications" in cache:
            return list(cache["qualifications"])
        rows = list(Qualification.objects.filter(user_id=self.pk, revoked_at__isnull=True))
        if cache is not None:
            cache["qualifications"] = rows
        return list(rows)

    def has_qualification(self, kind: str, on: date | None = None) -> bool:
        if self.request_cache is None:
            return self.qualifications.filter(revoked_at__isnull=True, kind=kind).exists()
        return any(q.kind == kind for q in self.valid_qualifications())


class Role(models.TextChoices):
    WORKER = "worker", _("worker")
    UNIT_MANAGER = "unit_manager", _("unit manager")
    COORDINATOR = "coordinator", _("LT coordinator")
    LEADERSHIP = "leadership", _("leadership")
    ADMIN = "admin", _("administrator")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True)


class Membership(BaseModel):
    """A user's role in a tenant, usually in one unit. Permissions come from the role."""

    # Indexed by membership_user_tenant (user first), which also serves lookups by user.
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", db_index=False
    )
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="memberships")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="memberships", null=True, blank=True
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    # Set when a group mapping of the tenant's single sign-on granted the membership: it ends
    # when the identity provider no longer reports the group (at the next sign-on).
    granted_by = models.ForeignKey(
        "GroupMapping",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("granted by group mapping"),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["tenant__name", "role"]
        indexes = [
            # "Is this user a member of the tenant?" from the index alone (the audit search
            # asks it for every user whose name matches).
            models.Index(fields=["user", "tenant"], name="membership_user_tenant"),
        ]

    def __str__(self) -> str:
        where = self.unit.name if self.unit_id else self.tenant.name  # type: ignore[union-attr]
        return f"{self.get_role_display()} · {where}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.unit_id:
            self.tenant_id = self.unit.tenant_id  # type: ignore[union-attr]
        super().save(*args, **kwargs)


class QualificationKind(models.TextChoices):
    DISCUSSION = "discussion", _("LT discussion")
    NETWORK_MEETING = "network_meeting", _("LT network meeting")
    TRAINER = "trainer", _("LT trainer")


class Qualification(BaseModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="qualifications")
    kind = models.CharField(_("qualification"), max_length=20, choices=QualificationKind.choices)
    completed_on = models.DateField(_("completed on"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="qualification_unique_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.completed_on:%Y-%m-%d})"


class ExternalIdentity(BaseModel):
    """A staff member's account at a tenant's identity provider: the issuer and the subject
    (``iss`` and ``sub``, stable for the account), never the email address alone."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities")
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    issuer = models.CharField(_("issuer"), max_length=500)
    subject = models.CharField(_("subject"), max_length=255)
    last_login_at = models.DateTimeField(_("last signed in"), null=True, blank=True)

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        ordering = ["issuer", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="external_identity_unique_subject"
            ),
            models.UniqueConstraint(
                fields=["user", "issuer"], name="external_identity_one_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} @ {self.issuer}"


class GroupMapping(BaseModel):
    """Tenant data: staff whom the identity provider reports in ``group`` get ``role`` (in
    ``unit``, or in the whole tenant) at their next single sign-on."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="group_mappings")
    group = models.CharField(
        _("group at the identity provider"),
        max_length=255,
        help_text=_("The group's name or identifier exactly as the identity provider sends it."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="group_mappings",
        null=True,
        blank=True,
        verbose_name=_("unit"),
    )

    class Meta:
        verbose_name = _("group mapping")
        verbose_name_plural = _("group mappings")
        ordering = ["group", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "group", "role", "unit"],
                name="group_mapping_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} → {self.get_role_display()}"
