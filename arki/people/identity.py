"""Personal identity codes: the Finnish henkilötunnus and the Danish CPR number.

Pure functions, no database. ``identity_code_problem`` says what is wrong with a code (a
translatable message) or returns None; forms and services show that message under the field.

Finnish code: ``DDMMYYCZZZQ`` — the birth date, the century sign (``+`` 1800s; ``-`` or
``Y X W V U`` 1900s; ``A B C D E F`` 2000s), an individual number 002–999 and a check character
(the nine digits as one number modulo 31, looked up in ``0123456789ABCDEFHJKLMNPRSTUVWXY``).

Danish CPR number: ``DDMMYY-SSSS`` — the birth date and a serial number whose first digit,
with the year, gives the century. Since 2007 the serial need not pass the old modulus-11
check, so only the format and the date are checked.
"""

from __future__ import annotations

import re
from datetime import date

from django.utils.translation import gettext_lazy as _

FINNISH_CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
FINNISH_CENTURIES = {
    "+": 1800,
    "-": 1900,
    "Y": 1900,
    "X": 1900,
    "W": 1900,
    "V": 1900,
    "U": 1900,
    "A": 2000,
    "B": 2000,
    "C": 2000,
    "D": 2000,
    "E": 2000,
    "F": 2000,
}
_FINNISH = re.compile(r"^(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-Y])$")
_DANISH = re.compile(r"^(\d{2})(\d{2})(\d{2})-(\d{4})$")


def normalise(code: str) -> str:
    """Without spaces around it, in capitals (how a code is stored)."""
    return code.strip().upper()


def finnish_check_character(digits: str) -> str:
    """The check character of the nine digits ``DDMMYYZZZ``."""
    return FINNISH_CHECK_CHARACTERS[int(digits) % 31]


def finnish_birth_date(code: str) -> date | None:
    """The birth date a valid Finnish code states, else None."""
    match = _FINNISH.match(normalise(code))
    if match is None:
        return None
    day, month, year, sign, _number, _check = match.groups()
    try:
        return date(FINNISH_CENTURIES[sign] + int(year), int(month), int(day))
    except ValueError:
        return None


def finnish_code_problem(code: str) -> str | None:
    code = normalise(code)
    match = _FINNISH.match(code)
    if match is None:
        return str(
            _("A Finnish personal identity code has the form DDMMYYCZZZQ, e.g. 131052-308T.")
        )
    day, month, year, _sign, number, check = match.groups()
    if finnish_birth_date(code) is None:
        return str(_("The personal identity code does not start with a real date."))
    if int(number) < 2:
        return str(_("The personal identity code's individual number is not valid."))
    if check != finnish_check_character(day + month + year + number):
        return str(_("The personal identity code's check character does not match."))
    return None


def danish_century(year: int, first_serial_digit: int) -> int:
    """The century of a CPR number from its two-digit year and the serial's first digit."""
    if first_serial_digit <= 3:
        return 1900
    if first_serial_digit in (4, 9):
        return 2000 if year <= 36 else 1900
    return 2000 if year <= 57 else 1800


def danish_birth_date(code: str) -> date | None:
    """The birth date a CPR number states, else None."""
    match = _DANISH.match(normalise(code))
    if match is None:
        return None
    day, month, year, serial = match.groups()
    century = danish_century(int(year), int(serial[0]))
    try:
        return date(century + int(year), int(month), int(day))
    except ValueError:
        return None


def danish_code_problem(code: str) -> str | None:
    code = normalise(code)
    if _DANISH.match(code) is None:
        return str(_("A CPR number has the form DDMMYY-XXXX, e.g. 010203-1234."))
    if danish_birth_date(code) is None:
        return str(_("The CPR number does not start with a real date."))
    return None


def birth_date_of(code: str, country: str) -> date | None:
    """The birth date the code states (``country``: "FI" or "DK")."""
    return danish_birth_date(code) if country == "DK" else finnish_birth_date(code)


def identity_code_problem(code: str, *, country: str, birth_date: date | None) -> str | None:
    """What is wrong with ``code`` for a child in ``country`` born on ``birth_date``, or None.
    An empty code is fine (the code is optional)."""
    code = normalise(code)
    if not code:
        return None
    problem = danish_code_problem(code) if country == "DK" else finnish_code_problem(code)
    if problem is not None:
        return problem
    if birth_date is None:
        return str(_("Give the birth date too: an expected baby has no identity code yet."))
    if birth_date_of(code, country) != birth_date:
        return str(_("The identity code does not agree with the birth date."))
    return None
