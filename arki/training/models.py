"""The training registry: courses and modules (data, per tenant), training events, enrolment
with a waiting list, attendance per module, qualifications granted, refresher reminders."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from arki.accounts.models import QualificationKind
from arki.core.models import BaseModel
from arki.organisations.models import Tenant


class TrainingSettings(BaseModel):
    tenant = models.OneToOneField(
        Tenant, on_delete=models.CASCADE, related_name="training_settings"
    )
    refresher_interval_months = models.PositiveSmallIntegerField(
        _("refresher interval (months)"), default=24
    )

    class Meta:
        verbose_name = _("training settings")
        verbose_name_plural = _("training settings")

    def __str__(self) -> str:
        return str(self.tenant)


class CourseKind(models.TextChoices):
    """Which qualification a course's modules count toward."""

    DISCUSSION = "discussion", _("LT discussion course")
    NETWORK_MEETING = "network_meeting", _("network-meeting module")
    TRAINER = "trainer", _("trainer training")
    REFRESHER = "refresher", _("refresher training")
    METHOD = "method", _("training in another method")


class Course(BaseModel):
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="courses")
    kind = models.CharField(_("kind"), max_length=20, choices=CourseKind.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # The method from the catalogue this course trains people in (the LT courses: LT itself).
    method = models.ForeignKey(
        "methods.Method",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="courses",
        verbose_name=_("method"),
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["kind", "name"]
        constraints = [
            # One course per LT kind; any number of courses in other methods.
            models.UniqueConstraint(
                fields=["tenant", "kind"],
                condition=~models.Q(kind="method"),
                name="training_course_unique_kind",
                violation_error_message=_("The region already has a course of this kind."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def total_hours(self) -> Decimal:
        return sum((m.hours for m in self.modules.all() if m.is_active), Decimal(0))


class ModuleKind(models.TextChoices):
    PREPARATORY = "preparatory", _("preparatory tasks")
    THEORY = "theory", _("theory")
    PRACTICE = "practice", _("supervised practice")
    NETWORK = "network", _("network meetings")
    TRAINER = "trainer", _("trainer training")
    REFRESHER = "refresher", _("refresher")
    OTHER = "other", _("other")


class CourseModule(BaseModel):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    kind = models.CharField(_("kind"), max_length=20, choices=ModuleKind.choices)
    name = models.CharField(_("name"), max_length=200)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["course", "order", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hours} h)"

    @property
    def needs_trainer_signoff(self) -> bool:
        """Supervised practice is signed off by the trainer of the event."""
        return self.kind == ModuleKind.PRACTICE


class TrainingEventQuerySet(models.QuerySet["TrainingEvent"]):
    def for_tenant(self, tenant_id) -> TrainingEventQuerySet:
        return self.filter(tenant_id=tenant_id)

    def upcoming(self, today) -> TrainingEventQuerySet:
        return self.filter(ends_on__gte=today)


class TrainingEvent(BaseModel):
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="training_events")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="events")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    place = models.CharField(_("place"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("places"))
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="training_events_as_trainer", blank=True
    )

    objects = TrainingEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("training event")
        verbose_name_plural = _("training events")
        ordering = ["starts_on"]

    def __str__(self) -> str:
        return f"{self.course} {date_format(self.starts_on, 'SHORT_DATE_FORMAT')}"

    def completion_day(self, today: date) -> date:
        """The date a module is completed on unless told otherwise: the training's own date
        (its last day once it is over; today while it runs; its first day before it starts)."""
        return max(self.starts_on, min(self.ends_on, today))


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("enrolled")
    WAITING = "waiting", _("on the waiting list")
    CANCELLED = "cancelled", _("cancelled")
    COMPLETED = "completed", _("completed")


# The statuses that hold a place in the training (a completed participant had one).
WITH_PLACE = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED)


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    def current(self) -> EnrolmentQuerySet:
        return self.exclude(status=EnrolmentStatus.CANCELLED)


class Enrolment(BaseModel):
    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="enrolments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_enrolments"
    )
    status = models.CharField(_("status"), max_length=20, choices=EnrolmentStatus.choices)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The waiting list is first come, first served: set when the person joins it.
    queued_at = models.DateTimeField(_("queued at"))

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["queued_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="training_enrolment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.event}"


class Attendance(BaseModel):
    """One person completed one module of an event (on a date, perhaps signed off)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    module = models.ForeignKey(CourseModule, on_delete=models.PROTECT, related_name="attendance")
    completed_on = models.DateField(_("completed on"))
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "module"], name="training_attendance_once")
        ]


class GrantSource(models.TextChoices):
    TRAINING = "training", _("training in Arki")
    IMPORT = "import", _("imported")


class QualificationGrant(BaseModel):
    """Where a qualification came from (the row in accounts.Qualification is what others read)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="qualification_grants"
    )
    kind = models.CharField(_("qualification"), max_length=20, choices=QualificationKind.choices)
    completed_on = models.DateField(_("completed on"))
    source = models.CharField(_("source"), max_length=20, choices=GrantSource.choices)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("qualification grant")
        verbose_name_plural = _("qualification grants")
        ordering = ["completed_on"]


class RefresherReminder(BaseModel):
    """A refresher reminder sent to one recipient about one person's due date: never twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(_("due on"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("refresher reminder")
        verbose_name_plural = _("refresher reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "due_on", "recipient"], name="training_reminder_once"
            )
        ]
