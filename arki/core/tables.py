"""Tables uploaded as CSV or XLSX: read them, and report every bad row at once."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from arki.core.exceptions import DomainError

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: Any  # a lazy translation, rendered in the reader's language


class ImportFailed(DomainError):
    default_message = _("Nothing was imported. Correct the rows below and try again.")

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__()
        self.errors = errors


def read_table(content: bytes, filename: str) -> list[list[Any]]:
    """The rows of a CSV or XLSX file (the first row is the header)."""
    if len(content) > MAX_BYTES:
        raise ImportFailed([RowError(0, "", _("The file is too large (at most 2 MB)."))])
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    if filename.lower().endswith((".csv", ".txt")):
        return _read_csv(content)
    raise ImportFailed([RowError(0, "", _("Upload a CSV or XLSX file."))])


def _read_csv(content: bytes) -> list[list[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(
            [RowError(0, "", _("The file is not UTF-8 text. Save it as CSV UTF-8."))]
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _read_xlsx(content: bytes) -> list[list[Any]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ImportFailed([RowError(0, "", _("The file is not a readable XLSX file."))]) from exc
    sheet = workbook.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 1)]
    workbook.close()
    return rows


def header_columns(
    table: list[list[Any]], aliases: dict[str, set[str]], required: tuple[str, ...]
) -> dict[str, int]:
    """Each column's index in the header row, found by its aliases (any case, any language);
    raises ``ImportFailed`` for an empty or too long table and for each required column the
    header lacks."""
    if not table:
        raise ImportFailed([RowError(0, "", _("The file is empty."))])
    if len(table) > MAX_ROWS + 1:
        raise ImportFailed([RowError(0, "", _("The file has too many rows (at most 5000)."))])
    found: dict[str, int] = {}
    for index, name in enumerate(table[0]):
        key = str(name or "").strip().lower()
        for column, names in aliases.items():
            if key in names and column not in found:
                found[column] = index
    missing = [c for c in required if c not in found]
    if missing:
        raise ImportFailed(
            [RowError(1, c, _("The column is missing from the header row.")) for c in missing]
        )
    return found
