"""Shared LT calendar time: the recurring common slots that units and areas publish for network
meetings, and the busy times of staff (entered by hand or imported from an .ics file)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from arki.core.models import BaseModel
from arki.organisations.models import Area, Tenant, Unit


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Repeat(models.IntegerChoices):
    WEEKLY = 1, _("every week")
    FORTNIGHTLY = 2, _("every other week")


class CommonSlot(BaseModel):
    """A recurring time a unit or an area keeps free for network meetings, e.g. "Tuesdays
    13–15, every other week". Exactly one of ``unit`` and ``area`` is set. Fortnightly slots
    count their weeks from the first matching day on or after ``valid_from``."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="common_slots"
    )
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, null=True, blank=True, related_name="common_slots"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    every_weeks = models.PositiveSmallIntegerField(
        _("repeats"), choices=Repeat.choices, default=Repeat.WEEKLY
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("common time for network meetings")
        verbose_name_plural = _("common times for network meetings")
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(area__isnull=True))
                | (Q(unit__isnull=True) & Q(area__isnull=False)),
                name="calendars_slot_unit_or_area",
                violation_error_message=_("A common slot belongs to a unit or to an area."),
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="calendars_slot_ends_after_start",
                violation_error_message=_("The slot has to end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="calendars_slot_valid_range",
                violation_error_message=_("The slot cannot end before it starts to apply."),
            ),
            models.CheckConstraint(
                condition=Q(every_weeks__in=[1, 2]),
                name="calendars_slot_every_1_or_2_weeks",
                violation_error_message=_("A slot recurs every week or every second week."),
            ),
        ]

    def __str__(self) -> str:
        times = f"{self.start_time:%H:%M}–{self.end_time:%H:%M}"
        return f"{self.owner} {self.get_weekday_display()} {times}"

    @property
    def owner(self) -> Unit | Area:
        return self.unit if self.unit_id else self.area  # type: ignore[return-value]

    def dates_between(self, first: date, last: date) -> list[date]:
        """The days in ``first``..``last`` (inclusive) on which the slot occurs."""
        start = self.valid_from + timedelta(days=(self.weekday - self.valid_from.weekday()) % 7)
        last = min(last, self.valid_until) if self.valid_until else last
        if first > start:
            weeks = (first - start).days // 7
            weeks += -weeks % self.every_weeks  # stay on the slot's own weeks
            start += timedelta(weeks=weeks)
            if start < first:
                start += timedelta(weeks=self.every_weeks)
        days = []
        step = timedelta(weeks=self.every_weeks)
        while start <= last:
            days.append(start)
            start += step
        return days


class BusySource(models.TextChoices):
    MANUAL = "manual", _("entered by hand")
    IMPORTED = "imported", _("imported from a calendar file")


class BusyTime(BaseModel):
    """A time a staff member is not free. Only the times are kept: never the title,
    description, place or attendees of an imported event. ``uid_hash`` (SHA-256 of the
    imported event's UID) lets a re-import replace the event's earlier occurrences."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="busy_times"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    source = models.CharField(
        _("source"), max_length=10, choices=BusySource.choices, default=BusySource.MANUAL
    )
    uid_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("busy time")
        verbose_name_plural = _("busy times")
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["user", "ends_at", "starts_at"], name="calendars_busy_user_end")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="calendars_busy_ends_after_start",
                violation_error_message=_("A busy time has to end after it starts."),
            ),
            models.UniqueConstraint(
                fields=["user", "uid_hash", "starts_at"],
                condition=Q(source="imported"),
                name="calendars_busy_one_per_occurrence",
                violation_error_message=_("This imported busy time is already there."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"
