"""First-time setup of a real tenant: its areas and units from a file, and its first
administrator."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from arki.accounts.models import Membership, Role, User
from arki.audit import services as audit
from arki.core.tables import ImportFailed, RowError, header_columns
from arki.organisations.models import Area, Country, Sector, Setting, Tenant, Unit

from .retention import rules_for

COLUMN_ALIASES = {
    "area": {"area", "municipality", "kunta", "alue", "kommun", "område", "kommune"},
    "unit": {"unit", "yksikkö", "enhet", "enhed"},
    "sector": {"sector", "sektori", "toimiala", "sektor"},
    "setting": {"setting", "log book setting", "lokikirja", "loggbok", "logbog"},
}
REQUIRED = ("area", "unit", "sector")


@dataclass(frozen=True)
class UnitRow:
    area: str
    unit: str
    sector: str
    setting: str


@dataclass(frozen=True)
class SetupResult:
    tenant: Tenant
    areas_created: int
    units_created: int
    admin: User | None
    admin_password: str  # shown once to whoever ran the setup; empty when no admin was made


def _choice_lookup(choices: type[Sector] | type[Setting]) -> dict[str, str]:
    """Codes and their labels in every language, lower-cased, to the code."""
    lookup = {code: code for code in choices.values}
    for language in ("fi", "sv", "en", "da"):
        with translation.override(language):
            lookup.update({str(label).lower(): code for code, label in choices.choices})
    return lookup


def parse_units(table: list[list[Any]]) -> list[UnitRow]:
    """Every row checked; raises ``ImportFailed`` naming each bad row (nothing is written)."""
    columns = header_columns(table, COLUMN_ALIASES, REQUIRED)
    sectors, settings = _choice_lookup(Sector), _choice_lookup(Setting)
    rows, errors, seen = [], [], set()
    for number, raw in enumerate(table[1:], start=2):
        cells = {
            c: str(raw[i] if i < len(raw) and raw[i] is not None else "").strip()
            for c, i in columns.items()
        }
        if not any(cells.values()):
            continue
        for column in REQUIRED:
            if not cells[column]:
                errors.append(RowError(number, column, _("This cell is empty; it is required.")))
        sector = sectors.get(cells["sector"].lower())
        if cells["sector"] and sector is None:
            errors.append(RowError(number, "sector", _("Unknown sector.")))
        setting = settings.get(cells.get("setting", "").lower(), "") if cells.get("setting") else ""
        if cells.get("setting") and not setting:
            errors.append(RowError(number, "setting", _("Unknown log book setting.")))
        key = (cells["area"].lower(), cells["unit"].lower())
        if key in seen:
            errors.append(RowError(number, "unit", _("The same unit is listed twice.")))
        seen.add(key)
        rows.append(UnitRow(cells["area"], cells["unit"], sector or "", setting))
    if errors:
        raise ImportFailed(errors)
    if not rows:
        raise ImportFailed([RowError(0, "", _("The file has no units."))])
    return rows


@transaction.atomic
def tenant_setup(
    *,
    name: str,
    slug: str,
    country: str,
    units: list[UnitRow],
    admin_username: str = "",
    admin_email: str = "",
    admin_name: str = "",
) -> SetupResult:
    """Create the tenant (or find it by its short name), the areas and units missing from it,
    and, when asked, the first administrator with a random password shown once; that
    administrator sets up two-step login at the first sign-in. Running it again with the same
    file changes nothing."""
    if country not in Country.values:
        raise ImportFailed([RowError(0, "country", _("The country must be FI or DK."))])
    tenant, _created = Tenant.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "country": country,
            "default_language": "da" if country == "DK" else "fi",
        },
    )
    areas = {a.name.lower(): a for a in tenant.areas.all()}
    existing = {(u.area_id, u.name.lower()) for u in tenant.units.all()}
    areas_created = units_created = 0
    for row in units:
        area = areas.get(row.area.lower())
        if area is None:
            area = Area.objects.create(tenant=tenant, name=row.area)
            areas[row.area.lower()] = area
            areas_created += 1
        if (area.pk, row.unit.lower()) in existing:
            continue
        Unit.objects.create(
            tenant=tenant,
            area=area,
            name=row.unit,
            sector=row.sector,
            setting=row.setting or Setting.SERVICES,
        )
        existing.add((area.pk, row.unit.lower()))
        units_created += 1
    rules_for(tenant)  # the default retention rules, for the coordinator to review
    admin, password = None, ""
    if admin_username:
        admin = User.objects.filter(username=admin_username).first()
        if admin is None:
            password = secrets.token_urlsafe(12)
            first, _sep, last = admin_name.partition(" ")
            admin = User.objects.create_user(
                username=admin_username,
                email=admin_email,
                password=password,
                first_name=first,
                last_name=last,
            )
        Membership.objects.get_or_create(user=admin, tenant=tenant, role=Role.ADMIN, unit=None)
    audit.record(
        None,
        "operations.tenant.set_up",
        tenant_id=tenant.pk,
        detail={
            "actor_label": "setup_tenant",
            "areas_created": areas_created,
            "units_created": units_created,
            "admin": admin_username,
        },
    )
    return SetupResult(tenant, areas_created, units_created, admin, password)
