"""Reads of the methods catalogue: the public catalogue (published snapshots only) and the
staff's figures (who is trained, where)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, QuerySet
from django.utils import timezone

from arki.accounts.models import Membership, Qualification, QualificationKind
from arki.core.protection import Cell, protect, shown
from arki.organisations.models import Tenant
from arki.training.models import Attendance, Course, CourseKind, TrainingEvent

from .models import (
    LANGUAGE_CODES,
    AppraisalArea,
    EvidenceLevel,
    ExternalRating,
    Method,
    MethodStatus,
    MethodVersion,
    localized,
)


@dataclass(frozen=True)
class PublicFilters:
    q: str = ""
    tag: str = ""
    age: int | None = None
    setting: str = ""
    level: str = ""
    training_language: str = ""


def public_tenants() -> QuerySet[Tenant]:
    """Regions with a public catalogue (at least one published method)."""
    return Tenant.objects.filter(methods__in=Method.objects.public()).distinct().order_by("name")


def public_tenant(slug: str) -> Tenant | None:
    return public_tenants().filter(slug=slug).first()


def _latest_public(tenant: Tenant) -> QuerySet[MethodVersion]:
    return MethodVersion.objects.filter(
        method__in=Method.objects.public().in_tenant(tenant.pk),
        number=F("method__published_version"),
    )


def public_versions(tenant: Tenant, filters: PublicFilters) -> list[MethodVersion]:
    """The latest published version of each of the region's public methods that matches
    ``filters``, by name in the active language. Filtering reads the snapshots, so only what
    was published counts (a catalogue is hundreds of methods, not millions)."""
    versions = _latest_public(tenant).select_related("method").order_by("method__slug")
    matched = [version for version in versions if _matches(version.snapshot, filters)]
    return sorted(matched, key=lambda version: display_name(version.snapshot).casefold())


def _matches(snapshot: dict[str, Any], filters: PublicFilters) -> bool:
    if filters.q:
        haystack = (
            " ".join(
                " ".join(str(value) for value in texts.values())
                for texts in snapshot["texts"].values()
            )
            + " "
            + " ".join(snapshot["tags"])
        )
        if filters.q.casefold() not in haystack.casefold():
            return False
    if filters.tag and filters.tag not in snapshot["tags"]:
        return False
    if filters.age is not None and not snapshot["age_min"] <= filters.age <= snapshot["age_max"]:
        return False
    if filters.setting and filters.setting not in snapshot["settings"]:
        return False
    if filters.level:
        level = snapshot["evidence_level"]
        if level is None or level["code"] != filters.level:
            return False
    return not (
        filters.training_language
        and filters.training_language not in snapshot["training"]["languages"]
    )


def display_name(snapshot: dict[str, Any], language: str | None = None) -> str:
    texts = localized(snapshot["texts"], language) or {}
    return texts.get("name", snapshot["slug"]) if texts else snapshot["slug"]


def public_tags(tenant: Tenant) -> list[str]:
    tags: set[str] = set()
    for snapshot in _latest_public(tenant).values_list("snapshot", flat=True):
        tags.update(snapshot["tags"])
    return sorted(tags, key=str.casefold)


def public_version(tenant: Tenant, slug: str, number: int | None = None) -> MethodVersion | None:
    """A public method's version (its latest when ``number`` is None)."""
    method = Method.objects.public().in_tenant(tenant.pk).filter(slug=slug).first()
    if method is None:
        return None
    return (
        method.versions.filter(number=number or method.published_version)
        .select_related("method")
        .first()
    )


def method_for_editor(tenant_id: Any, slug: str) -> Method | None:
    return (
        Method.objects.in_tenant(tenant_id)
        .filter(slug=slug)
        .select_related("evidence_level", "tenant")
        .prefetch_related("texts", "references", "ratings__registry", "versions")
        .first()
    )


def methods_for_editor(tenant_id: Any, status: str = "", query: str = "") -> list[Method]:
    """The region's methods, by status, and by a word in their tags or names (any language)."""
    methods = Method.objects.in_tenant(tenant_id).select_related("evidence_level")
    if status:
        methods = methods.filter(status=status)
    found = list(methods.prefetch_related("texts").order_by("slug"))
    if query:
        needle = query.casefold()
        found = [
            method
            for method in found
            if any(needle in tag.casefold() for tag in method.tags)
            or any(needle in text.name.casefold() for text in method.texts.all())
        ]
    return found


def ratings_due(tenant_id: Any) -> QuerySet[ExternalRating]:
    """Ratings from other registries whose re-review date has come."""
    return (
        ExternalRating.objects.filter(
            method__tenant_id=tenant_id, review_due_on__lte=timezone.localdate()
        )
        .exclude(method__status=MethodStatus.ARCHIVED)
        .select_related("method", "registry")
        .order_by("review_due_on")
    )


QUALIFIED_BY: dict[str, str] = {
    CourseKind.DISCUSSION: QualificationKind.DISCUSSION,
    CourseKind.NETWORK_MEETING: QualificationKind.NETWORK_MEETING,
}


@dataclass(frozen=True)
class TrainedInArea:
    area: str
    practitioners: int
    trainers: int


def trained_by_area(method: Method) -> list[TrainedInArea]:
    """How many of the region's active staff completed a module of a course in ``method``
    (practitioners) or train its courses (trainers), per area of their unit."""
    practitioners = set(
        Attendance.objects.filter(
            enrolment__event__course__method=method, enrolment__event__tenant_id=method.tenant_id
        ).values_list("enrolment__user_id", flat=True)
    )
    trainers = set(
        TrainingEvent.objects.filter(course__method=method, tenant_id=method.tenant_id)
        .values_list("trainers", flat=True)
        .exclude(trainers=None)
    )
    # The LT courses give qualifications (also granted from earlier training): their holders
    # are the method's practitioners and trainers.
    kinds = set(
        Course.objects.filter(method=method, tenant_id=method.tenant_id).values_list(
            "kind", flat=True
        )
    )
    held = Qualification.objects.filter(revoked_at__isnull=True)
    practicing = [QUALIFIED_BY[kind] for kind in kinds if kind in QUALIFIED_BY]
    if practicing:
        practitioners |= set(held.filter(kind__in=practicing).values_list("user_id", flat=True))
    if CourseKind.TRAINER in kinds:
        trainers |= set(
            held.filter(kind=QualificationKind.TRAINER).values_list("user_id", flat=True)
        )
    areas: dict[str, tuple[set[Any], set[Any]]] = {}
    memberships = (
        Membership.objects.active()
        .filter(tenant_id=method.tenant_id, user_id__in=practitioners | trainers)
        .select_related("unit__area")
        .order_by("created_at")
    )
    for membership in memberships:
        area = membership.unit.area.name if membership.unit is not None else ""
        doing, training = areas.setdefault(area, (set(), set()))
        if membership.user_id in practitioners:
            doing.add(membership.user_id)
        if membership.user_id in trainers:
            training.add(membership.user_id)
    return sorted(
        (
            TrainedInArea(area, len(doing), len(training))
            for area, (doing, training) in areas.items()
        ),
        key=lambda row: row.area.casefold(),
    )


def appraisal_areas() -> list[AppraisalArea]:
    return list(AppraisalArea.objects.all())


def methods_for_export(tenant_id: Any) -> list[Method]:
    """The tenant's whole catalogue with texts and references (the export's rows)."""
    return list(Method.objects.in_tenant(tenant_id).prefetch_related("texts", "references"))


def levels() -> QuerySet[EvidenceLevel]:
    return EvidenceLevel.objects.all()


def translation_gaps(method: Method) -> list[str]:
    present = {text.language for text in method.texts.all()}
    return [code for code in LANGUAGE_CODES if code not in present]


def status_counts(tenant_id: Any) -> dict[str, int]:
    rows = Method.objects.in_tenant(tenant_id).values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def methods_to_choose(tenant_id: Any) -> QuerySet[Method]:
    """The region's published methods, for naming one in an action plan or a meeting."""
    return Method.objects.public().in_tenant(tenant_id).prefetch_related("texts").order_by("slug")


@dataclass(frozen=True)
class UsageRow:
    area: str
    cells: list[int | str]  # per year, then the area's total: a count, "<5" or "x"


@dataclass(frozen=True)
class Usage:
    years: list[int]
    rows: list[UsageRow]
    totals: list[int | str]  # per year, then the grand total


def usage_in_plans(method: Method, *, years: int = 3, today: Any = None) -> Usage:
    """How often the method is named in the region's action plans and network meetings' agreed
    actions, per area and year (the last ``years`` years), with the indicators' small-cell
    rules: a count of 1–4 is "<5", and enough others are hidden ("x") that none of them can be
    worked out from the totals."""

    this_year = (today or timezone.localdate()).year
    span = list(range(this_year - years + 1, this_year + 1))
    counts: dict[tuple[str, int], int] = {}
    plan_rows = (
        method.plan_items.filter(created_at__year__in=span)
        .values_list("discussion__unit__area__name", "created_at__year")
        .annotate(n=Count("id"))
        .order_by()
    )
    meeting_rows = (
        method.agreed_actions.filter(created_at__year__in=span)
        .values_list("meeting__discussion__unit__area__name", "created_at__year")
        .annotate(n=Count("id"))
        .order_by()
    )
    for area, year, n in [*plan_rows, *meeting_rows]:
        key = (area or "–", year)
        counts[key] = counts.get(key, 0) + n
    areas = sorted({area for area, _year in counts}, key=str.casefold)
    cells = [Cell((a, y), frozenset({(a, y)})) for a in areas for y in span]
    cells += [Cell((a, None), frozenset((a, y) for y in span)) for a in areas]
    cells += [Cell((None, y), frozenset((a, y) for a in areas)) for y in span]
    cells.append(Cell((None, None), frozenset((a, y) for a in areas for y in span)))
    status = protect(cells, counts)

    def value(area: str | None, year: int | None) -> int | str:
        total = sum(n for (a, y), n in counts.items() if area in (None, a) and year in (None, y))
        return shown(total, status[(area, year)]) if areas else 0

    return Usage(
        years=span,
        rows=[UsageRow(a, [value(a, y) for y in span] + [value(a, None)]) for a in areas],
        totals=[value(None, y) for y in span] + [value(None, None)],
    )


def method_may_be_chosen(method: Method, tenant_id: Any) -> bool:
    """Whether a plan of the tenant may name the method: the region's own, and published."""
    return methods_to_choose(tenant_id).filter(pk=method.pk).exists()


def initiatives_choosing(method: Method) -> list[Any]:
    """The leadership groups' initiatives that chose the method (the observation pipeline),
    newest first."""
    return list(
        method.initiatives.select_related("phenomenon", "body").order_by("-created_at")[:50]
    )
