"""Import already-trained staff from CSV or XLSX: parse, validate every row, then write all rows
in one transaction, or nothing at all when any row is bad.

Columns (header row, any order, case-insensitive; Finnish, Swedish and Danish names work too):
``email``, ``qualification`` (discussion | network_meeting | trainer, or its name in any
language), ``completed_on`` (2024-05-31 or 31.5.2024) and, optionally, ``trainer`` (the email of
the trainer who trained the person).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from arki.accounts.models import QualificationKind, User
from arki.core.tables import ImportFailed, RowError, header_columns, read_table
from arki.organisations.models import Tenant

from . import selectors, services

COLUMN_ALIASES = {
    "email": {"email", "e-mail", "sähköposti", "e-post", "e-mail-adresse", "mail"},
    "qualification": {"qualification", "pätevyys", "behörighet", "kvalifikation"},
    "completed_on": {
        "completed_on",
        "completed on",
        "date",
        "suoritettu",
        "päivämäärä",
        "avklarad",
        "datum",
        "gennemført",
        "dato",
    },
    "trainer": {"trainer", "kouluttaja", "utbildare", "underviser"},
}
REQUIRED = ("email", "qualification", "completed_on")


# Plain words (the domain's words table) accepted besides the codes and the translated names.
QUALIFICATION_WORDS = {
    "keskustelu": "discussion",
    "samtal": "discussion",
    "dialogsamtale": "discussion",
    "neuvonpito": "network_meeting",
    "nätverksmöte": "network_meeting",
    "netværksmøde": "network_meeting",
    "network meeting": "network_meeting",
    "kouluttaja": "trainer",
    "utbildare": "trainer",
    "underviser": "trainer",
}


def _qualification_names() -> dict[str, str]:
    names = {kind.value: kind.value for kind in QualificationKind} | QUALIFICATION_WORDS
    for code in ("fi", "sv", "en", "da"):
        with translation.override(code):
            for kind in QualificationKind:
                names[str(kind.label).strip().lower()] = kind.value
    return names


def _parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def validate(table: list[list[Any]], tenant: Tenant) -> list[services.ImportRow]:
    """Every row checked; raises ``ImportFailed`` listing each bad row (nothing is written)."""
    columns = header_columns(table, COLUMN_ALIASES, REQUIRED)
    staff = {u.email.lower(): u for u in selectors.staff_of_tenant(tenant.pk)}
    trainers = {u.email.lower(): u for u in selectors.trainers_of_tenant(tenant.pk)}
    names = _qualification_names()
    today = timezone.localdate()
    errors: list[RowError] = []
    rows: list[services.ImportRow] = []
    seen: dict[tuple[str, str], int] = {}

    def cell(values: list[Any], column: str) -> Any:
        index = columns.get(column)
        return values[index] if index is not None and index < len(values) else None

    for number, values in enumerate(table[1:], start=2):
        if all(str(v or "").strip() == "" for v in values):
            continue
        row_errors: list[RowError] = []
        email = str(cell(values, "email") or "").strip().lower()
        user = staff.get(email)
        if not email:
            row_errors.append(RowError(number, "email", _("The email address is missing.")))
        elif user is None:
            row_errors.append(
                RowError(number, "email", _("No staff member with this email works here."))
            )
        kind = names.get(str(cell(values, "qualification") or "").strip().lower())
        if kind is None:
            row_errors.append(
                RowError(
                    number,
                    "qualification",
                    _("Unknown qualification: use discussion, network_meeting or trainer."),
                )
            )
        completed_on = _parse_date(cell(values, "completed_on"))
        if completed_on is None:
            row_errors.append(
                RowError(number, "completed_on", _("Give the date as 2024-05-31 or 31.5.2024."))
            )
        elif completed_on > today:
            row_errors.append(
                RowError(number, "completed_on", _("The date cannot be in the future."))
            )
        trainer_email = str(cell(values, "trainer") or "").strip().lower()
        trainer: User | None = None
        if trainer_email:
            trainer = trainers.get(trainer_email)
            if trainer is None:
                row_errors.append(
                    RowError(number, "trainer", _("No trainer with this email works here."))
                )
        if user is not None and kind is not None:
            earlier = seen.setdefault((email, kind), number)
            if earlier != number:
                row_errors.append(
                    RowError(
                        number,
                        "qualification",
                        _("The same person and qualification are already on row %(row)s.")
                        % {"row": earlier},
                    )
                )
        if row_errors:
            errors.extend(row_errors)
        else:
            assert user is not None and kind is not None and completed_on is not None
            rows.append(services.ImportRow(number, user, kind, completed_on, trainer))
    if errors:
        raise ImportFailed(errors)
    if not rows:
        raise ImportFailed([RowError(0, "", _("The file has no rows to import."))])
    return rows


def import_file(*, actor: Any, tenant: Tenant, content: bytes, filename: str) -> int:
    """Read, validate and import; all rows or none. Returns the number of rows imported."""
    rows = validate(read_table(content, filename), tenant)
    return services.qualifications_import(actor=actor, tenant=tenant, rows=rows)
