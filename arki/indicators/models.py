"""Data the indicator dashboard needs that no other app records: child protection referrals."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from arki.core.models import BaseModel
from arki.organisations.models import Area, Country, Tenant


class ReferralStatistic(BaseModel):
    """Child protection referrals in one municipality/area and year, entered or imported."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="referral_statistics")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    referrals = models.PositiveIntegerField(_("child protection referrals"))
    population_under_18 = models.PositiveIntegerField(
        _("population under 18"), validators=[MinValueValidator(1)]
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("child protection referral statistic")
        verbose_name_plural = _("child protection referral statistics")
        ordering = ["area__name", "year"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="referral_unique_area_year")
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.year}: {self.referrals}"


class NationalReferralRate(BaseModel):
    """The national figures the region's trend is compared with."""

    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    referrals = models.PositiveIntegerField(_("child protection referrals"))
    population_under_18 = models.PositiveIntegerField(
        _("population under 18"), validators=[MinValueValidator(1)]
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("national referral figure")
        verbose_name_plural = _("national referral figures")
        ordering = ["country", "year"]
        constraints = [
            models.UniqueConstraint(fields=["country", "year"], name="national_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.year}"
