"""LT discussions: log book templates (data), the discussion, its sessions, strengths and
vulnerabilities, the family's working notes and the action plan."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from arki.core.models import BaseModel, VersionedModel
from arki.organisations.models import Setting, Tenant, Unit
from arki.people.models import Child


class Environment(models.TextChoices):
    HOME_FAMILY = "home_family", _("home and family")
    ECEC_SCHOOL = "ecec_school", _("early childhood education or school")
    LEISURE_FRIENDS = "leisure_friends", _("leisure, hobbies and friends")
    CHILD_DEVELOPMENT = "child_development", _("the child's own development and wellbeing")
    PARENTS_SITUATION = "parents_situation", _("how the parents' situation shows in the child")


class LogbookTemplateQuerySet(models.QuerySet["LogbookTemplate"]):
    def available_to(self, tenant_id) -> LogbookTemplateQuerySet:
        return self.filter(Q(tenant__isnull=True) | Q(tenant_id=tenant_id), is_active=True)


class LogbookTemplate(BaseModel):
    """One version of a log book in one language. Shipped ones have no tenant."""

    tenant = models.ForeignKey(
        Tenant, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    code = models.SlugField(_("code"), max_length=80)
    version = models.CharField(_("version"), max_length=20)
    setting = models.CharField(_("setting"), max_length=20, choices=Setting.choices)
    age_min_months = models.IntegerField(_("from age (months)"), null=True, blank=True)
    age_max_months = models.IntegerField(_("to age (months)"), null=True, blank=True)
    child_present = models.BooleanField(_("the child takes part"), default=False)
    language = models.CharField(_("language"), max_length=5)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = LogbookTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("log book template")
        verbose_name_plural = _("log book templates")
        ordering = ["setting", "age_min_months", "child_present", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "code", "version", "language"],
                name="logbook_unique_version",
                condition=Q(tenant__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["code", "version", "language"],
                name="logbook_unique_shipped_version",
                condition=Q(tenant__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version}, {self.language})"


class LogbookSection(BaseModel):
    template = models.ForeignKey(LogbookTemplate, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=40)
    environment = models.CharField(max_length=30, choices=Environment.choices)
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["order"]
        verbose_name = _("log book section")
        verbose_name_plural = _("log book sections")

    def __str__(self) -> str:
        return self.title


class LogbookQuestion(BaseModel):
    section = models.ForeignKey(LogbookSection, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    text = models.TextField(_("question"))

    class Meta:
        ordering = ["order"]
        verbose_name = _("guiding question")
        verbose_name_plural = _("guiding questions")

    def __str__(self) -> str:
        return self.text


class DiscussionStatus(models.TextChoices):
    OFFERED = "offered", _("offered")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    CLOSED = "closed", _("closed")


class Outcome(models.TextChoices):
    PLAN_MADE = "plan_made", _("action plan made")
    NETWORK_MEETING_NEEDED = "network_meeting_needed", _("network meeting needed")
    NO_FURTHER_ACTION = "no_further_action", _("no further action")


class DiscussionQuerySet(models.QuerySet["Discussion"]):
    def open(self) -> DiscussionQuerySet:
        return self.filter(status__in=[DiscussionStatus.OFFERED, DiscussionStatus.ACCEPTED])


class Discussion(VersionedModel):
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="discussions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="discussions")
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_discussions"
    )
    template = models.ForeignKey(LogbookTemplate, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DiscussionStatus.choices,
        default=DiscussionStatus.OFFERED,
    )
    offered_on = models.DateField(_("offered on"))
    responded_on = models.DateField(_("answered on"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    network_meeting_needed_on = models.DateField(
        _("network meeting needed on"), null=True, blank=True
    )
    agreed_summary = models.TextField(_("agreed summary for the client record"), blank=True)
    keep_working_notes = models.BooleanField(
        _("the family wants to keep the working notes"), default=False
    )
    notes_purged_at = models.DateTimeField(_("working notes purged"), null=True, blank=True)

    objects = DiscussionQuerySet.as_manager()

    class Meta:
        verbose_name = _("LT discussion")
        verbose_name_plural = _("LT discussions")
        ordering = ["-offered_on", "-created_at"]
        indexes = [
            models.Index(fields=["tenant", "offered_on"], name="discussion_tenant_offered"),
            models.Index(fields=["lead", "status"], name="discussion_lead_status"),
        ]

    def __str__(self) -> str:
        return f"{self.child} {self.offered_on:%Y-%m-%d}"

    @property
    def is_editable(self) -> bool:
        return self.status == DiscussionStatus.ACCEPTED


class DiscussionSession(BaseModel):
    MAX_SESSIONS = 3

    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("session"))
    held_on = models.DateField(_("held on"))
    participants = models.CharField(_("who took part"), max_length=500, blank=True)
    child_took_part = models.BooleanField(_("the child took part"), default=False)

    class Meta:
        ordering = ["number"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(fields=["discussion", "number"], name="session_unique_number"),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=3), name="session_number_1_to_3"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.held_on}"


class ObservationKind(models.TextChoices):
    STRENGTH = "strength", _("strength")
    VULNERABILITY = "vulnerability", _("vulnerability")


class Observation(BaseModel):
    """A strength or a vulnerability named in one developmental environment."""

    discussion = models.ForeignKey(
        Discussion, on_delete=models.CASCADE, related_name="observations"
    )
    section = models.ForeignKey(LogbookSection, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=ObservationKind.choices)
    text = models.CharField(_("text"), max_length=500)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "created_at"]
        verbose_name = _("strength or vulnerability")
        verbose_name_plural = _("strengths and vulnerabilities")

    def __str__(self) -> str:
        return self.text


class WorkingNote(VersionedModel):
    """The family's working notes for one section; purged after closing unless kept. Saves
    carry the version the editor loaded (no lost updates)."""

    discussion = models.ForeignKey(
        Discussion, on_delete=models.CASCADE, related_name="working_notes"
    )
    section = models.ForeignKey(LogbookSection, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("working notes"), blank=True)

    class Meta:
        verbose_name = _("working note")
        verbose_name_plural = _("working notes")
        constraints = [
            models.UniqueConstraint(fields=["discussion", "section"], name="note_unique_section")
        ]

    def __str__(self) -> str:
        return self.text[:40]


class OwnerKind(models.TextChoices):
    PARENT = "parent", _("parent")
    WORKER = "worker", _("worker")
    OTHER_ADULT = "other_adult", _("other adult")
    CHILD = "child", _("the child")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")


class ActionItem(VersionedModel):
    """One item of the action plan; status changes carry the version the editor loaded."""

    discussion = models.ForeignKey(
        Discussion, on_delete=models.CASCADE, related_name="action_items"
    )
    what = models.CharField(_("what will be done"), max_length=500)
    owner_kind = models.CharField(_("who"), max_length=20, choices=OwnerKind.choices)
    owner_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("worker"),
    )
    owner_name = models.CharField(_("name"), max_length=200, blank=True)
    serves = models.ForeignKey(
        Observation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("strength or vulnerability it serves"),
    )
    due_on = models.DateField(_("by"), null=True, blank=True)
    review_on = models.DateField(_("review on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    method = models.ForeignKey(
        "methods.Method",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_items",
        verbose_name=_("method from the catalogue"),
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("action plan item")
        verbose_name_plural = _("action plan items")

    def __str__(self) -> str:
        return self.what

    @property
    def owner_label(self) -> str:
        if self.owner_kind == OwnerKind.WORKER and self.owner_worker_id:
            return self.owner_worker.get_full_name()  # type: ignore[union-attr]
        if self.owner_name:
            return f"{self.get_owner_kind_display()}: {self.owner_name}"
        return str(self.get_owner_kind_display())
