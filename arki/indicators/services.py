"""Writes of indicator data: child protection referral figures, entered or imported."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from arki.audit import services as audit
from arki.core.exceptions import DomainError
from arki.organisations.models import Area

from .models import ReferralStatistic


@dataclass
class RowError:
    row: int
    message: str


class ImportFailed(DomainError):
    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(_("The file has errors; nothing was imported."))


@transaction.atomic
def referral_save(
    *, actor: Any, area: Area, year: int, referrals: int, population_under_18: int, source: str = ""
) -> ReferralStatistic:
    stat, _created = ReferralStatistic.objects.update_or_create(
        area=area,
        year=year,
        defaults={
            "tenant_id": area.tenant_id,
            "referrals": referrals,
            "population_under_18": population_under_18,
            "source": source,
            "entered_by": actor,
        },
    )
    audit.record(
        actor,
        "indicators.referrals.saved",
        obj=stat,
        tenant_id=area.tenant_id,
        detail={"area": area.name, "year": year},
    )
    return stat


def _read_rows(content: bytes, filename: str) -> list[list[str]]:
    if filename.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the user's error
            raise ImportFailed(
                [RowError(0, _("The file is not a readable XLSX workbook."))]
            ) from exc
        return [
            ["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)
        ]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed([RowError(0, _("The file is not UTF-8 text."))]) from exc
    dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t") if text.strip() else csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


@transaction.atomic
def referrals_import(*, actor: Any, tenant: Any, content: bytes, filename: str) -> int:
    """Import rows of municipality, year, referrals, population under 18. All or nothing."""
    rows = _read_rows(content, filename)
    if not rows:
        raise ImportFailed([RowError(0, _("The file is empty."))])
    header = [h.strip().lower() for h in rows[0]]
    expected = ["municipality", "year", "referrals", "population_under_18"]
    if header[:4] != expected:
        raise ImportFailed(
            [
                RowError(
                    1, _("The first row must be: %(columns)s.") % {"columns": ", ".join(expected)}
                )
            ]
        )
    areas = {a.name.casefold(): a for a in Area.objects.filter(tenant=tenant)}
    errors: list[RowError] = []
    parsed = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = [*row, "", "", "", ""][:4]
        area = areas.get(cells[0].strip().casefold())
        if area is None:
            errors.append(
                RowError(number, _("Unknown municipality “%(name)s”.") % {"name": cells[0]})
            )
            continue
        try:
            year, referrals, population = (int(float(c)) for c in cells[1:4])
        except ValueError:
            errors.append(
                RowError(number, _("Year, referrals and population must be whole numbers."))
            )
            continue
        if not 1990 <= year <= 2100:
            errors.append(
                RowError(number, _("The year %(year)s is out of range.") % {"year": year})
            )
        elif referrals < 0 or population <= 0:
            errors.append(
                RowError(
                    number, _("Referrals cannot be negative and the population must be positive.")
                )
            )
        else:
            parsed.append((area, year, referrals, population))
    if errors:
        raise ImportFailed(errors)
    for area, year, referrals, population in parsed:
        referral_save(
            actor=actor,
            area=area,
            year=year,
            referrals=referrals,
            population_under_18=population,
            source=filename[:200],
        )
    return len(parsed)
