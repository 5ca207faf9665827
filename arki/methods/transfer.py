"""Import and export of the catalogue as JSON and CSV, so a region can load another registry's
published data or share its own. An import is all or nothing: any bad row changes nothing and
every bad row is reported."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.validators import validate_slug
from django.db import transaction
from django.utils.translation import gettext as _

from arki.audit import services as audit
from arki.organisations.models import Tenant

from .models import (
    LANGUAGE_CODES,
    Method,
    MethodSetting,
    MethodStatus,
    MethodText,
    Reference,
    TargetGroup,
)
from .services import TEXT_FIELDS

FORMAT = "arki-methods"
FORMAT_VERSION = 1
LIST_FIELDS = ("target_groups", "settings", "training_languages", "tags")
CHOICES = {
    "target_groups": set(TargetGroup.values),
    "settings": set(MethodSetting.values),
    "training_languages": set(LANGUAGE_CODES),
}
CSV_COLUMNS = [
    "slug",
    "age_min",
    "age_max",
    "target_groups",
    "settings",
    "sessions",
    "duration",
    "training_provider",
    "training_length",
    "training_languages",
    "training_prerequisites",
    "trainer_network",
    "tags",
    *[f"{name}_{language}" for language in LANGUAGE_CODES for name in TEXT_FIELDS],
    "references",
]


def method_record(method: Method) -> dict[str, Any]:
    return {
        "slug": method.slug,
        "age_min": method.age_min,
        "age_max": method.age_max,
        "target_groups": list(method.target_groups),
        "settings": list(method.service_settings),
        "sessions": method.sessions,
        "duration": method.duration,
        "training_provider": method.training_provider,
        "training_length": method.training_length,
        "training_languages": list(method.training_languages),
        "training_prerequisites": method.training_prerequisites,
        "trainer_network": method.trainer_network,
        "tags": list(method.tags),
        "texts": {
            text.language: {name: getattr(text, name) for name in TEXT_FIELDS}
            for text in method.texts.all()
        },
        "references": [
            {"citation": ref.citation, "doi": ref.doi, "url": ref.url}
            for ref in method.references.all()
        ],
    }


def export_json(methods: list[Method]) -> str:
    return json.dumps(
        {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "methods": [method_record(m) for m in methods],
        },
        ensure_ascii=False,
        indent=2,
    )


def export_csv(methods: list[Method]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for method in methods:
        record = method_record(method)
        row: dict[str, Any] = {
            key: (";".join(value) if key in LIST_FIELDS else value)
            for key, value in record.items()
            if key not in ("texts", "references")
        }
        row["trainer_network"] = "1" if method.trainer_network else "0"
        row["sessions"] = "" if method.sessions is None else method.sessions
        for language, texts in record["texts"].items():
            for name, value in texts.items():
                row[f"{name}_{language}"] = value
        row["references"] = " | ".join(
            ref["citation"] + (f" doi:{ref['doi']}" if ref["doi"] else "")
            for ref in record["references"]
        )
        writer.writerow(row)
    return out.getvalue()


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


class ImportRejected(Exception):
    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__(f"{len(errors)} bad rows")
        self.errors = errors


def parse(content: bytes, filename: str) -> list[dict[str, Any]]:
    """The file's records in the JSON export's shape. Raises ImportRejected on a bad file."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRejected([(0, _("The file is not UTF-8 text."))]) from error
    if filename.lower().endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ImportRejected(
                [(0, _("The file is not valid JSON: %(error)s") % {"error": error})]
            ) from error
        if (
            not isinstance(data, dict)
            or data.get("format") != FORMAT
            or not isinstance(data.get("methods"), list)
        ):
            raise ImportRejected([(0, _("The JSON file is not a methods export."))])
        return [record if isinstance(record, dict) else {} for record in data["methods"]]
    if filename.lower().endswith(".csv"):
        reader = csv.DictReader(io.StringIO(text))
        if reader.fieldnames is None or "slug" not in reader.fieldnames:
            raise ImportRejected([(0, _("The CSV file has no header row with a slug column."))])
        return [_csv_record(row) for row in reader]
    raise ImportRejected([(0, _("Choose a .json or .csv file."))])


def _csv_record(row: dict[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for key in CSV_COLUMNS:
        value = (row.get(key) or "").strip()
        if key in LIST_FIELDS:
            record[key] = [item.strip() for item in value.split(";") if item.strip()]
        elif key == "trainer_network":
            record[key] = value.lower() in ("1", "true", "yes", "kyllä", "ja")
        elif key in ("age_min", "age_max", "sessions"):
            record[key] = value
        elif key != "references" and "_" in key and key.rsplit("_", 1)[1] in LANGUAGE_CODES:
            name, language = key.rsplit("_", 1)
            if value:
                record.setdefault("texts", {}).setdefault(language, {})[name] = value
        elif key == "references":
            record[key] = [{"citation": item.strip()} for item in value.split("|") if item.strip()]
        else:
            record[key] = value
    record.setdefault("texts", {})
    return record


def _int(value: Any, low: int, high: int, *, required: bool) -> int | None:
    if value in (None, ""):
        if required:
            raise ValueError
        return None
    number = int(value)
    if not low <= number <= high:
        raise ValueError
    return number


def validate(record: dict[str, Any], tenant: Tenant) -> tuple[dict[str, Any] | None, list[str]]:
    """The record's clean values, or the problems that make it a bad row."""
    problems: list[str] = []
    slug = str(record.get("slug") or "").strip()
    try:
        validate_slug(slug)
    except Exception:
        problems.append(_("the address name (slug) is missing or not valid"))
    existing = Method.objects.in_tenant(tenant.pk).filter(slug=slug).first() if slug else None
    if existing is not None and existing.status == MethodStatus.ARCHIVED:
        problems.append(_("the method is archived"))
    clean: dict[str, Any] = {"slug": slug}
    try:
        clean["age_min"] = _int(record.get("age_min", 0), 0, 17, required=True)
        clean["age_max"] = _int(record.get("age_max", 17), 0, 17, required=True)
        if clean["age_min"] > clean["age_max"]:
            problems.append(_("the youngest age is above the oldest"))
    except (TypeError, ValueError):
        problems.append(_("the ages must be whole numbers from 0 to 17"))
    try:
        clean["sessions"] = _int(record.get("sessions"), 1, 500, required=False)
    except (TypeError, ValueError):
        problems.append(_("the number of sessions must be a whole number from 1 to 500"))
    for key in LIST_FIELDS:
        value = record.get(key) or []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            problems.append(_("%(field)s must be a list of words") % {"field": key})
            continue
        unknown = [item for item in value if key in CHOICES and item not in CHOICES[key]]
        if unknown:
            problems.append(
                _("unknown values in %(field)s: %(values)s")
                % {"field": key, "values": ", ".join(unknown)}
            )
        clean[key] = value
    for key, limit in (
        ("duration", 200),
        ("training_provider", 200),
        ("training_length", 200),
        ("training_prerequisites", 5000),
    ):
        value = record.get(key) or ""
        if not isinstance(value, str) or len(value) > limit:
            problems.append(_("%(field)s is too long or not text") % {"field": key})
        clean[key] = value if isinstance(value, str) else ""
    clean["trainer_network"] = bool(record.get("trainer_network"))
    texts = record.get("texts") or {}
    if not isinstance(texts, dict) or not texts:
        problems.append(_("the method has no name and description in any language"))
        texts = {}
    for language, values in texts.items():
        if language not in LANGUAGE_CODES or not isinstance(values, dict):
            problems.append(_("unknown language %(language)s") % {"language": language})
            continue
        if not values.get("name") or not values.get("summary"):
            problems.append(
                _("the name or short description is missing in %(language)s")
                % {"language": language}
            )
        if len(str(values.get("name", ""))) > 200:
            problems.append(_("the name is too long in %(language)s") % {"language": language})
    clean["texts"] = texts
    references = record.get("references") or []
    if not isinstance(references, list) or not all(
        isinstance(r, dict) and r.get("citation") for r in references
    ):
        problems.append(_("every reference needs its citation"))
        references = []
    clean["references"] = references
    return (None if problems else clean), problems


@transaction.atomic
def import_records(*, actor: Any, tenant: Tenant, records: list[dict[str, Any]]) -> ImportResult:
    """Create or update the tenant's methods as drafts; raise ImportRejected (nothing saved)
    listing every bad row (numbered from 1, as a person counts data rows)."""
    cleaned: list[dict[str, Any]] = []
    errors: list[tuple[int, str]] = []
    seen: set[str] = set()
    for number, record in enumerate(records, start=1):
        clean, problems = validate(record, tenant)
        if clean is not None and clean["slug"] in seen:
            problems = [_("the address name appears twice in the file")]
            clean = None
        if clean is None:
            errors.append((number, "; ".join(problems)))
        else:
            seen.add(clean["slug"])
            cleaned.append(clean)
    if not records:
        errors.append((0, _("The file has no methods.")))
    if errors:
        raise ImportRejected(errors)
    result = ImportResult()
    for clean in cleaned:
        method, created = Method.objects.get_or_create(tenant=tenant, slug=clean["slug"])
        for key in (
            "age_min",
            "age_max",
            "sessions",
            "duration",
            "training_provider",
            "training_length",
            "training_languages",
            "training_prerequisites",
            "trainer_network",
            "tags",
            "target_groups",
        ):
            setattr(method, key, clean[key])
        method.service_settings = clean["settings"]
        if method.status in (MethodStatus.PUBLISHED, MethodStatus.REVIEW):
            method.status = MethodStatus.DRAFT
        method.save()
        for language, values in clean["texts"].items():
            MethodText.objects.update_or_create(
                method=method,
                language=language,
                defaults={name: str(values.get(name) or "") for name in TEXT_FIELDS},
            )
        known = set(method.references.values_list("citation", flat=True))
        for reference in clean["references"]:
            if reference["citation"] not in known:
                Reference.objects.create(
                    method=method,
                    citation=reference["citation"],
                    doi=str(reference.get("doi") or ""),
                    url=str(reference.get("url") or ""),
                )
        if created:
            result.created += 1
        else:
            result.updated += 1
    audit.record(
        actor,
        "methods.catalogue.imported",
        tenant_id=tenant.pk,
        detail={"created": result.created, "updated": result.updated},
    )
    return result
