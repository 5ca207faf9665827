"""Field observations, the bodies that handle them, and the phenomena they become.

The structure is data per tenant: a chain of named ``Level`` rows (a local family-centre team →
a regional leadership group → a provincial group → the hyte board, or whatever a region uses),
``Body`` rows at each level with their members, and each body's parent at the next level.
Observations belong to a team and are about phenomena, never about persons: no observation is
linked to a child. A ``Phenomenon`` keeps its observations, its description and a timeline of
``PhenomenonEvent`` rows at every level it reached.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arki.core.models import BaseModel
from arki.organisations.models import Area, Sector, Tenant

TEXT_MAX = 1000


class Level(BaseModel):
    """One step of a tenant's chain, lowest (rank 1: the local teams) first."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="observation_levels")
    name = models.CharField(_("name"), max_length=120)
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("1 is the local teams."))

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["tenant", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "rank"], name="level_unique_rank"),
        ]

    def __str__(self) -> str:
        return self.name

    def next_level(self) -> Level | None:
        return (
            Level.objects.filter(tenant_id=self.tenant_id, rank__gt=self.rank)
            .order_by("rank")
            .first()
        )


class BodyQuerySet(models.QuerySet["Body"]):
    def in_tenant(self, tenant_id: Any) -> BodyQuerySet:
        return self.filter(tenant_id=tenant_id)

    def of_user(self, user: Any) -> BodyQuerySet:
        """The bodies the user sits in (as a member, the coordinator or the facilitator)."""
        return self.filter(
            Q(members__user=user) | Q(coordinator=user) | Q(facilitator=user)
        ).distinct()


class Body(BaseModel):
    """A team or group at one level: a local team, a leadership group, a board."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="observation_bodies")
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="bodies")
    name = models.CharField(_("name"), max_length=200)
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("reports to"),
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("coordinator"),
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("facilitator"),
    )
    meeting_rhythm = models.CharField(_("meeting rhythm"), max_length=120, blank=True)

    objects = BodyQuerySet.as_manager()

    class Meta:
        verbose_name = _("team or group")
        verbose_name_plural = _("teams and groups")
        ordering = ["level__rank", "name"]

    def __str__(self) -> str:
        return self.name

    def leads(self, user: Any) -> bool:
        return user.pk in (self.coordinator_id, self.facilitator_id)

    def has_member(self, user: Any) -> bool:
        return self.leads(user) or self.members.filter(user=user).exists()


class BodyMember(BaseModel):
    """Who sits in a body: a staff user, or a partner without an account (NGO, parish, police)."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="observation_bodies",
        verbose_name=_("staff user"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "user"], name="bodymember_unique_user"),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name=""),
                name="bodymember_has_name",
                violation_error_message=_("Choose a staff member or write the member's name."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.user) if self.user_id else self.name


class TenantObservationSettings(BaseModel):
    tenant = models.OneToOneField(
        Tenant, on_delete=models.CASCADE, related_name="observation_settings"
    )
    show_writer = models.BooleanField(
        _("show who wrote an observation"),
        default=False,
        help_text=_("Off: nobody sees an observation's writer, not even the team."),
    )

    class Meta:
        verbose_name = _("observation settings")
        verbose_name_plural = _("observation settings")


class AgeGroup(models.TextChoices):
    UNDER_3 = "0-2", _("0–2 years")
    PRESCHOOL = "3-6", _("3–6 years")
    PRIMARY = "7-12", _("7–12 years")
    TEEN = "13-17", _("13–17 years")
    FAMILY = "family", _("whole family")


class ObservationSetting(models.TextChoices):
    ECEC = "ecec", _("early childhood education")
    SCHOOL = "school", _("school")
    HEALTH = "health", _("health services")
    SOCIAL = "social", _("social services")
    FAMILY_WORK = "family_work", _("family work")
    LEISURE = "leisure", _("leisure and youth work")
    OTHER = "other", _("other")


class PhenomenonStatus(models.TextChoices):
    OPEN = "open", _("with the team")
    SENT = "sent", _("with a leadership group")
    DECIDED = "decided", _("decided")
    CLOSED = "closed", _("closed")


class Phenomenon(BaseModel):
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="phenomena")
    team = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="phenomena")
    current_body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="phenomena_here",
        verbose_name=_("handled by"),
    )
    title = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    status = models.CharField(
        _("status"), max_length=20, choices=PhenomenonStatus.choices, default=PhenomenonStatus.OPEN
    )
    indicators = models.JSONField(_("matching indicators"), default=list, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged"
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)

    class Meta:
        verbose_name = _("phenomenon")
        verbose_name_plural = _("phenomena")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Observation(BaseModel):
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="observations")
    team = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="observations")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sent_down",
        help_text=_("Set when a leadership group posted this to the team."),
    )
    text = models.TextField(_("observation"), max_length=TEXT_MAX)
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area"),
    )
    age_group = models.CharField(
        _("age group"), max_length=10, choices=AgeGroup.choices, blank=True
    )
    setting = models.CharField(
        _("setting"), max_length=20, choices=ObservationSetting.choices, blank=True
    )
    tags = models.CharField(_("tags"), max_length=200, blank=True)
    phenomenon = models.ForeignKey(
        Phenomenon,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observations",
    )
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    embedding_model = models.CharField(max_length=60, blank=True, editable=False)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["team", "created_at"], name="observation_team_created")]

    def __str__(self) -> str:
        return self.text[:60]

    def vector(self) -> np.ndarray | None:
        if self.embedding is None:
            return None
        return np.frombuffer(bytes(self.embedding), dtype=np.float32)


class TeamMeeting(BaseModel):
    team = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="team_meetings")
    held_on = models.DateField(_("date"))
    agenda = models.TextField(_("agenda"), blank=True, max_length=4000)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("attendance")
    )
    other_attendees = models.CharField(_("other attendees"), max_length=400, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("team meeting")
        verbose_name_plural = _("team meetings")
        ordering = ["-held_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.team} {self.held_on}"


class EventKind(models.TextChoices):
    CREATED = "created", _("named by the team")
    OBSERVATIONS = "observations", _("observations added")
    RENAMED = "renamed", _("renamed")
    MERGED = "merged", _("merged")
    SPLIT = "split", _("split")
    SENT = "sent", _("sent to the leadership group")
    RESPONSE = "response", _("response")
    INITIATIVE = "initiative", _("initiative")
    WORKING_GROUP = "working_group", _("working group named")
    ESCALATED = "escalated", _("escalated")
    INITIATIVE_STATUS = "initiative_status", _("initiative's status changed")
    CLOSED = "closed", _("closed")


class PhenomenonEvent(BaseModel):
    """One dated, attributed step on a phenomenon's timeline."""

    phenomenon = models.ForeignKey(Phenomenon, on_delete=models.CASCADE, related_name="events")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    to_body = models.ForeignKey(
        Body, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    meeting = models.ForeignKey(
        TeamMeeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("step"), max_length=20, choices=EventKind.choices)
    text = models.TextField(_("text"), blank=True, max_length=4000)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at"]


class InitiativeStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")


class Initiative(BaseModel):
    phenomenon = models.ForeignKey(Phenomenon, on_delete=models.CASCADE, related_name="initiatives")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="initiatives")
    what = models.CharField(_("what"), max_length=300)
    why = models.TextField(_("why"), max_length=2000)
    who = models.CharField(_("who"), max_length=300)
    due_on = models.DateField(_("by when"))
    methods = models.ManyToManyField(
        "methods.Method",
        blank=True,
        related_name="initiatives",
        verbose_name=_("methods from the catalogue"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.PLANNED,
    )

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["due_on"]

    def __str__(self) -> str:
        return self.what
