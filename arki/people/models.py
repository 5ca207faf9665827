"""Children, guardians, the family's own network, and workers' relationships with a child."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arki.accounts.models import Membership, User
from arki.core.models import BaseModel
from arki.organisations.models import Tenant, Unit

# Relationship kinds that come from casework and see the whole case. Any other kind (a
# professional invited to the network with the family's consent) sees only what the family
# consented to (``arki.people.access``).
FULL_CASE_KINDS = frozenset(
    {"responsible", "discussion_lead", "discussion_participant", "network_chair"}
)


class ChildQuerySet(models.QuerySet["Child"]):
    def visible_to(self, viewer: Membership | User | AnonymousUser) -> ChildQuerySet:
        """Which children ``viewer`` may see: the one rule (SECURITY.md 2).

        A staff user sees a child when they have an active relationship with it
        (``ChildRelationship`` not ended) and the child belongs to the tenant of one of their
        active memberships. Given a membership, only that membership's tenant counts (and
        nothing when the membership has ended). Anyone else sees nothing."""
        if isinstance(viewer, Membership):
            if not viewer.is_active:
                return self.none()
            user_id = viewer.user_id
            tenants: object = [viewer.tenant_id]
        elif isinstance(viewer, User) and viewer.is_authenticated:
            user_id = viewer.pk
            tenants = Membership.objects.active().filter(user_id=user_id).values("tenant_id")
        else:
            return self.none()
        # From the user's own relationships (index rel_user_child): the cost follows how many
        # children the user works with, not how many the county has.
        related = ChildRelationship.objects.active().filter(user_id=user_id).values("child_id")
        return self.filter(pk__in=related, tenant_id__in=tenants)

    def in_unit(self, unit: Unit) -> ChildQuerySet:
        return self.filter(enrolments__unit=unit, enrolments__ended_on__isnull=True)


class Child(BaseModel):
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="children")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    expected_date = models.DateField(
        _("expected date of birth"),
        null=True,
        blank=True,
        help_text=_("For an expected baby, instead of the birth date."),
    )
    national_id = models.CharField(
        _("personal identity code"),
        max_length=20,
        blank=True,
        help_text=_("Optional. Shown masked; never part of a web address."),
    )
    preferred_language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="fi"
    )

    objects = ChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_date__isnull=False) | Q(expected_date__isnull=False),
                name="child_has_birth_or_expected_date",
                violation_error_message=_("Give the birth date or the expected date of birth."),
            ),
            models.CheckConstraint(
                condition=Q(birth_date__isnull=True) | Q(expected_date__isnull=True),
                name="child_not_both_birth_and_expected_date",
                violation_error_message=_(
                    "Give either the birth date or the expected date of birth, not both."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return str(self)

    @property
    def masked_national_id(self) -> str:
        if not self.national_id:
            return ""
        return self.national_id[:6] + "*" * max(len(self.national_id) - 6, 0)

    def age_in_months(self, on=None) -> int | None:
        """Age in whole months; negative for an expected baby; None without dates."""
        on = on or timezone.localdate()
        born = self.birth_date or self.expected_date
        if born is None:
            return None
        months = (on.year - born.year) * 12 + (on.month - born.month)
        if on.day < born.day:
            months -= 1
        return months


class Enrolment(BaseModel):
    """The units a child attends (ECEC centre, school, clinic…)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="enrolments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="enrolments")
    started_on = models.DateField(_("from"), default=timezone.localdate)
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")


class Guardian(BaseModel):
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="guardians")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default="fi"
    )
    children = models.ManyToManyField(Child, through="Guardianship", related_name="guardians")

    class Meta:
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    # How a guardian acting through the family portal appears in the audit log.
    audit_role = "guardian"

    @property
    def audit_label(self) -> str:
        return str(self)


class GuardianRelation(models.TextChoices):
    """How a guardian is related to the child: stored as a code, shown in the reader's
    language."""

    MOTHER = "mother", _("mother")
    FATHER = "father", _("father")
    PARENT = "parent", _("parent")
    GUARDIAN = "guardian", _("guardian")
    OTHER = "other", _("other guardian")


class Guardianship(BaseModel):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="guardianships")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="guardianships")
    relation = models.CharField(
        _("relation"), max_length=60, blank=True, choices=GuardianRelation.choices
    )

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")
        constraints = [
            models.UniqueConstraint(fields=["child", "guardian"], name="guardianship_unique")
        ]


class NetworkPerson(BaseModel):
    """Someone from the family's own network: a grandparent, coach, neighbour…"""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="network")
    name = models.CharField(_("name"), max_length=200)
    relation = models.CharField(_("relation to the child"), max_length=100)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="fi"
    )

    class Meta:
        verbose_name = _("network person")
        verbose_name_plural = _("the family's own network")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relation})"


class RelationshipKind(models.TextChoices):
    RESPONSIBLE = "responsible", _("responsible worker")
    DISCUSSION_LEAD = "discussion_lead", _("leads the LT discussion")
    DISCUSSION_PARTICIPANT = "discussion_participant", _("takes part in the LT discussion")
    NETWORK_CHAIR = "network_chair", _("chairs the network meeting")
    NETWORK_MEMBER = "network_member", _("invited to the network with consent")


class ChildRelationshipQuerySet(models.QuerySet["ChildRelationship"]):
    def active(self) -> ChildRelationshipQuerySet:
        return self.filter(ended_at__isnull=True)


class ChildRelationship(BaseModel):
    """The customer/care relationship that gives a worker access to a child (SECURITY.md 2).

    ``source_id`` names the record that created it (a discussion, a meeting, a consent), so that
    ending that record ends exactly this access.
    """

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="relationships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="child_relationships"
    )
    kind = models.CharField(_("relationship"), max_length=30, choices=RelationshipKind.choices)
    source_id = models.UUIDField(null=True, blank=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    objects = ChildRelationshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("relationship with the child")
        verbose_name_plural = _("relationships with the child")
        indexes = [models.Index(fields=["user", "child"], name="rel_user_child")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_kind_display()}"
