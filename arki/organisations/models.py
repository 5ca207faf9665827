"""Tenants (counties, regions, Danish municipalities), their areas and units."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from arki.core.models import BaseModel


class Country(models.TextChoices):
    FINLAND = "FI", _("Finland")
    DENMARK = "DK", _("Denmark")


class Sector(models.TextChoices):
    ECEC = "ecec", _("early childhood education")
    SCHOOL = "school", _("school")
    HEALTH = "health", _("child health clinic and health services")
    FAMILY = "family", _("family centre and family work")
    SOCIAL = "social", _("social services")
    ADULT = "adult", _("adult mental health and substance services")
    NGO = "ngo", _("NGO")
    PARISH = "parish", _("parish")
    POLICE = "police", _("police")
    OTHER = "other", _("other")


class Setting(models.TextChoices):
    """Which log book family a unit uses by default."""

    ECEC = "ecec", _("early childhood education")
    SCHOOL_1_6 = "school_1_6", _("school, grades 1–6")
    SCHOOL_7_9 = "school_7_9", _("school, grades 7–9")
    SERVICES = "services", _("services (by the child's age)")


class Tenant(BaseModel):
    """A wellbeing services county, region or Danish municipality: the root of all data."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    default_language = models.CharField(_("default language"), max_length=5, default="fi")

    class Meta:
        verbose_name = _("county or region")
        verbose_name_plural = _("counties and regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Area(BaseModel):
    """A municipality or service area inside a tenant."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="areas")
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("municipality or area")
        verbose_name_plural = _("municipalities and areas")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="area_unique_name")]

    def __str__(self) -> str:
        return self.name


class Unit(BaseModel):
    """An ECEC centre, school, clinic, family centre, social service, NGO, parish…"""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="units")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    setting = models.CharField(
        _("log book setting"), max_length=20, choices=Setting.choices, default=Setting.SERVICES
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.tenant_id = self.area.tenant_id
        super().save(*args, **kwargs)
