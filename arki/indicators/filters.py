"""The dashboard's filters: a fixed period (year, half, quarter), area, unit and sector."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from arki.organisations.models import Sector


@dataclass(frozen=True)
class Period:
    """A calendar year, half-year or quarter. Only these are offered, so that figures for
    overlapping date ranges cannot be subtracted from each other."""

    code: str  # "2026", "2026-H1", "2026-Q3"

    @property
    def year(self) -> int:
        return int(self.code[:4])

    @property
    def start(self) -> date:
        if "-H" in self.code:
            return date(self.year, 1 if self.code.endswith("H1") else 7, 1)
        if "-Q" in self.code:
            return date(self.year, 3 * (int(self.code[-1]) - 1) + 1, 1)
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        """Exclusive end."""
        if "-H" in self.code:
            return date(self.year, 7, 1) if self.code.endswith("H1") else date(self.year + 1, 1, 1)
        if "-Q" in self.code:
            q = int(self.code[-1])
            return date(self.year + 1, 1, 1) if q == 4 else date(self.year, 3 * q + 1, 1)
        return date(self.year + 1, 1, 1)

    @property
    def enclosing(self) -> Period | None:
        return Period(str(self.year)) if len(self.code) > 4 else None

    @classmethod
    def parse(cls, code: str) -> Period:
        if not re.fullmatch(r"(19|20)\d\d(-H[12]|-Q[1-4])?", code or ""):
            raise ValueError(code)
        return cls(code)


def period_choices(today: date, years: int = 5) -> list[tuple[str, str]]:
    choices = []
    for year in range(today.year, today.year - years, -1):
        choices.append((str(year), str(year)))
        choices += [(f"{year}-H{h}", f"{year} H{h}") for h in (1, 2)]
        choices += [(f"{year}-Q{q}", f"{year} Q{q}") for q in (1, 2, 3, 4)]
    return choices


@dataclass(frozen=True)
class Filters:
    tenant_id: Any
    period: Period
    area_id: Any = None
    unit_id: Any = None
    sector: str = ""

    def parents(self) -> list[Filters]:
        """The same figure with one dimension widened: what a user could subtract from."""
        parents = []
        if self.unit_id:
            parents.append(replace(self, unit_id=None))
        if self.sector:
            parents.append(replace(self, sector=""))
        if self.area_id:
            parents.append(replace(self, area_id=None, unit_id=None))
        if self.period.enclosing is not None:
            parents.append(replace(self, period=self.period.enclosing))
        return parents


class FilterForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"))
    area = forms.ChoiceField(label=_("Municipality or area"), required=False)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices]
    )

    def __init__(self, *args, tenant, today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        period: forms.ChoiceField = self.fields["period"]  # type: ignore[assignment]
        area: forms.ChoiceField = self.fields["area"]  # type: ignore[assignment]
        unit: forms.ChoiceField = self.fields["unit"]  # type: ignore[assignment]
        period.choices = period_choices(today)
        self.fields["period"].initial = str(today.year)
        area.choices = [("", _("All areas"))] + [
            (str(a.pk), a.name) for a in tenant.areas.order_by("name")
        ]
        unit.choices = [("", _("All units"))] + [
            (str(u.pk), u.name) for u in tenant.units.filter(is_active=True).order_by("name")
        ]

    def filters(self, tenant_id: Any) -> Filters:
        data = self.cleaned_data
        return Filters(
            tenant_id=tenant_id,
            period=Period.parse(data["period"]),
            area_id=data.get("area") or None,
            unit_id=data.get("unit") or None,
            sector=data.get("sector") or "",
        )
