"""The personal-data check: observations are about phenomena, never about persons.

``find_personal_data`` lists what looks like personal data in a text: Finnish personal identity
codes (with a valid check character), phone numbers, email addresses, and the names of the
tenant's children (first and last name as whole words, inflected forms included: "Eetun",
"Eetulle"). The writer is asked to remove it before the observation is saved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from arki.people.models import Child

HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
HETU_RE = re.compile(r"\b(\d{2})(\d{2})(\d{2})([-+ABCDEFYXWVU])(\d{3})([0-9A-Y])\b", re.IGNORECASE)
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Finnish and international numbers: +358 40 123 4567, 040-123 4567, 0401234567, (09) 123 456.
PHONE_RE = re.compile(r"(?<![\w])(?:\+\d{1,3}[\s-]?)?\(?0?\d{1,3}\)?(?:[\s-]?\d){6,10}(?![\w])")
WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Finnish case endings and Swedish genitive a name can carry ("Eetun", "Eetulle", "Emmas").
NAME_SUFFIXES = (
    "",
    "n",
    "a",
    "ä",
    "lla",
    "llä",
    "lle",
    "lta",
    "ltä",
    "ssa",
    "ssä",
    "sta",
    "stä",
    "han",
    "hin",
    "hen",
    "ksi",
    "na",
    "nä",
    "in",
    "ta",
    "tä",
    "s",
    "kin",
    "kaan",
    "kään",
)


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str

    @property
    def label(self) -> Any:
        return KIND_LABELS[self.kind]


KIND_LABELS = {
    "hetu": _("a personal identity code"),
    "phone": _("a phone number"),
    "email": _("an email address"),
    "name": _("a child's name"),
}


def is_valid_hetu(candidate: str) -> bool:
    match = HETU_RE.fullmatch(candidate.strip())
    if not match:
        return False
    day, month, year, _sep, serial, check = match.groups()
    if not (1 <= int(day) <= 31 and 1 <= int(month) <= 12):
        return False
    number = int(day + month + year + serial)
    return HETU_CHECK[number % 31] == check.upper()


def _name_forms(names: Iterable[str]) -> set[str]:
    return {name.lower() for name in names if len(name) >= 2}


def find_personal_data(text: str, *, child_names: Iterable[str] = ()) -> list[Finding]:
    findings: list[Finding] = []
    for match in HETU_RE.finditer(text):
        if is_valid_hetu(match.group(0)):
            findings.append(Finding("hetu", match.group(0)))
    for match in EMAIL_RE.finditer(text):
        findings.append(Finding("email", match.group(0)))
    hetus = {f.text for f in findings if f.kind == "hetu"}
    for match in PHONE_RE.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if 7 <= len(digits) <= 15 and not any(match.group(0).strip() in h for h in hetus):
            findings.append(Finding("phone", match.group(0).strip()))
    names = _name_forms(child_names)
    if names:
        for match in WORD_RE.finditer(text):
            word = match.group(0)
            if not word[0].isupper():
                continue  # names are written with a capital; "usko" is not "Usko"
            lowered = word.lower()
            if any(
                lowered.endswith(suffix) and lowered[: len(lowered) - len(suffix)] in names
                for suffix in NAME_SUFFIXES
                if len(lowered) > len(suffix)
            ):
                findings.append(Finding("name", word))
    return findings


def tenant_child_names(tenant_id: Any) -> set[str]:
    """First and last names of the tenant's children (what the check looks for)."""
    names: set[str] = set()
    for first, last in Child.objects.filter(tenant_id=tenant_id).values_list(
        "first_name", "last_name"
    ):
        names.update(part for part in re.split(r"[\s]+", f"{first} {last}") if part)
    return names
