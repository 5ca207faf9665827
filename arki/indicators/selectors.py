"""Indicator figures. Each source is aggregated per unit in one GROUP BY query; the figures for
the chosen filters and for their enclosing filters (used for differencing protection) are then
summed from those per-unit rows, so the query count does not grow with the data or the filters.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median
from typing import Any

from django.db.models import Count, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from arki.organisations.models import Sector, Unit

from .filters import Filters, Period
from .stats import SUPPRESSED, suppress, suppressed_share

# The regional report's setting categories (lt-model.md §5).
SETTING_GROUPS: dict[str, Promise] = {
    "school": _("school"),
    "ecec": _("early childhood education"),
    "health": _("health services"),
    "social": _("social services"),
    "family": _("family work"),
    "other": _("other"),
}
SECTOR_TO_SETTING = {
    Sector.SCHOOL: "school",
    Sector.ECEC: "ecec",
    Sector.HEALTH: "health",
    Sector.SOCIAL: "social",
    Sector.FAMILY: "family",
}


@dataclass
class Figure:
    key: str
    label: Promise | str
    value: int | float | str | None
    kind: str = "count"  # count | percent | days | per100

    @property
    def display(self) -> str:
        if self.value is None:
            return "–"
        if self.value == SUPPRESSED:
            return SUPPRESSED
        if self.kind == "percent":
            return f"{self.value} %"
        return str(self.value)

    @property
    def numeric(self) -> float | None:
        return self.value if isinstance(self.value, int | float) else None


@dataclass
class Section:
    key: str
    title: Promise | str
    figures: list[Figure] = field(default_factory=list)


class UnitIndex:
    """The tenant's units with their area and sector, to sum per-unit rows for any filter."""

    def __init__(self, tenant_id: Any) -> None:
        self.units = {
            str(pk): (str(area_id), sector)
            for pk, area_id, sector in Unit.objects.filter(tenant_id=tenant_id).values_list(
                "pk", "area_id", "sector"
            )
        }

    def matching(self, filters: Filters) -> set[str]:
        return {
            pk
            for pk, (area_id, sector) in self.units.items()
            if (not filters.unit_id or pk == str(filters.unit_id))
            and (not filters.area_id or area_id == str(filters.area_id))
            and (not filters.sector or sector == filters.sector)
        }

    def setting_of(self, unit_id: str) -> str:
        sector = self.units.get(unit_id, ("", ""))[1]
        return SECTOR_TO_SETTING.get(sector, "other")


PerUnit = dict[str, Counter]


def _sum(per_unit: PerUnit, units: Iterable[str], key: str) -> int:
    return sum(per_unit.get(u, Counter())[key] for u in units)


class Dashboard:
    """Computes every figure for one set of filters, suppressed for display."""

    def __init__(self, filters: Filters, *, today: date | None = None) -> None:
        self.filters = filters
        self.today = today or date.today()
        self.index = UnitIndex(filters.tenant_id)
        self._cache: dict[tuple[str, str], PerUnit] = {}

    # -- sources: one GROUP BY query each, cached per period ------------------------------------
    def _source(self, name: str, period: Period, loader: Callable[[Period], PerUnit]) -> PerUnit:
        key = (name, period.code)
        if key not in self._cache:
            self._cache[key] = loader(period)
        return self._cache[key]

    def _discussions(self, period: Period) -> PerUnit:
        from arki.discussions.models import Discussion, DiscussionSession

        rows = (
            Discussion.objects.filter(
                tenant_id=self.filters.tenant_id,
                offered_on__gte=period.start,
                offered_on__lt=period.end,
            )
            .values("unit_id")
            .annotate(
                offered=Count("id"),
                accepted=Count("id", filter=Q(status__in=["accepted", "closed"])),
                declined=Count("id", filter=Q(status="declined")),
                closed=Count("id", filter=Q(status="closed")),
                network_needed=Count("id", filter=Q(outcome="network_meeting_needed")),
            )
        )
        per_unit: PerUnit = defaultdict(Counter)
        for row in rows:
            unit = str(row.pop("unit_id"))
            per_unit[unit].update(row)
        held = (
            DiscussionSession.objects.filter(
                number=1,
                discussion__tenant_id=self.filters.tenant_id,
                discussion__offered_on__gte=period.start,
                discussion__offered_on__lt=period.end,
            )
            .values("discussion__unit_id")
            .annotate(held=Count("id"))
        )
        for row in held:
            per_unit[str(row["discussion__unit_id"])]["held"] += row["held"]
        return per_unit

    def _children(self, period: Period) -> PerUnit:
        from arki.people.models import Enrolment

        rows = (
            Enrolment.objects.filter(unit__tenant_id=self.filters.tenant_id)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period.start))
            .filter(started_on__lt=period.end)
            .values("unit_id")
            .annotate(children=Count("child_id", distinct=True))
        )
        return {str(r["unit_id"]): Counter(children=r["children"]) for r in rows}

    # -- figures --------------------------------------------------------------------------------
    def _count(self, name: str, loader, key: str) -> int | str | None:
        """A count for the filters, suppressed against the same count of every parent filter."""
        value = _sum(
            self._source(name, self.filters.period, loader), self.index.matching(self.filters), key
        )
        parents = [
            _sum(self._source(name, p.period, loader), self.index.matching(p), key)
            for p in self.filters.parents()
        ]
        return suppress(value, parents=parents)

    def _raw(self, name: str, loader, key: str, filters: Filters | None = None) -> int:
        f = filters or self.filters
        return _sum(self._source(name, f.period, loader), self.index.matching(f), key)

    def discussions_section(self) -> Section:
        d = self._discussions
        section = Section("discussions", _("LT discussions"))
        for key, label in (
            ("offered", _("discussions offered")),
            ("accepted", _("discussions accepted")),
            ("declined", _("discussions declined")),
            ("held", _("discussions held")),
        ):
            section.figures.append(Figure(key, label, self._count("discussions", d, key)))
        closed = self._raw("discussions", d, "closed")
        network = self._raw("discussions", d, "network_needed")
        parents = [self._raw("discussions", d, "network_needed", p) for p in self.filters.parents()]
        section.figures.append(
            Figure(
                "network_share",
                _("share of closed discussions ending in a network meeting"),
                suppressed_share(network, closed, parents=parents),
                "percent",
            )
        )
        children = self._raw("children", self._children, "children")
        held = self._raw("discussions", d, "held")
        reach: float | str | None = None
        if children and suppress(held) != SUPPRESSED and suppress(children) != SUPPRESSED:
            reach = round(100.0 * held / children, 1)
        elif children:
            reach = SUPPRESSED
        section.figures.append(
            Figure(
                "reach", _("reach: discussions held per 100 children in the units"), reach, "per100"
            )
        )
        return section

    def settings_section(self) -> Section:
        """Share of discussions held by setting, as in the regional report."""
        per_unit = self._source("discussions", self.filters.period, self._discussions)
        units = self.index.matching(self.filters)
        totals: Counter = Counter()
        for unit in units:
            totals[self.index.setting_of(unit)] += per_unit.get(unit, Counter())["held"]
        total = sum(totals.values())
        section = Section("settings", _("Discussions by setting"))
        for key, label in SETTING_GROUPS.items():
            section.figures.append(
                Figure(f"setting_{key}", label, suppressed_share(totals[key], total), "percent")
            )
        return section

    def staff_section(self) -> Section:
        from arki.accounts.models import Membership, Qualification, QualificationKind
        from arki.discussions.models import Discussion

        units = self.index.matching(self.filters)
        staff = set(
            str(u)
            for u in Membership.objects.active()
            .filter(tenant_id=self.filters.tenant_id, unit_id__in=list(units))
            .values_list("user_id", flat=True)
        )
        quals: dict[str, set[str]] = defaultdict(set)
        for user_id, kind in Qualification.objects.filter(
            user_id__in=list(staff), revoked_at__isnull=True
        ).values_list("user_id", "kind"):
            quals[kind].add(str(user_id))
        trained = quals[QualificationKind.DISCUSSION]
        since = self.today - timedelta(days=365)
        leading = set(
            str(u)
            for u in Discussion.objects.filter(
                tenant_id=self.filters.tenant_id, offered_on__gte=since, lead_id__in=list(trained)
            )
            .values_list("lead_id", flat=True)
            .distinct()
        )
        section = Section("staff", _("Training and use of the method"))
        section.figures += [
            Figure("staff", _("staff in the units"), suppress(len(staff))),
            Figure("qual_discussion", _("qualified for the LT discussion"), suppress(len(trained))),
            Figure(
                "qual_network",
                _("qualified for the network meeting"),
                suppress(len(quals[QualificationKind.NETWORK_MEETING])),
            ),
            Figure("qual_trainer", _("trainers"), suppress(len(quals[QualificationKind.TRAINER]))),
            Figure(
                "trained_active",
                _("share of trained staff who led a discussion in the last 12 months"),
                suppressed_share(len(leading & trained), len(trained)),
                "percent",
            ),
        ]
        return section

    def sections(self) -> list[Section]:
        return [self.discussions_section(), self.settings_section(), self.staff_section()]


def network_wait_days(pairs: Iterable[tuple[date, date]]) -> tuple[int, float | None]:
    """N and median days from 'network meeting needed' to the meeting."""
    days = [(held - needed).days for needed, held in pairs if held >= needed]
    return len(days), (median(days) if days else None)


@dataclass
class ReferralTrend:
    # year, referrals (suppressed), population, rate per 1,000, national rate per 1,000
    rows: list[tuple[int, int | str | None, int, float | None, float | None]]
    trend: Any
    national_trend: Any


def referral_trend(filters: Filters, country: str) -> ReferralTrend:
    """Yearly child protection referral rates (per 1,000 under-18s) for the chosen areas, the
    average annual percent change of the rate, and the national rate alongside."""
    from .models import NationalReferralRate, ReferralStatistic
    from .stats import aapc, rate_per_1000

    qs = ReferralStatistic.objects.filter(tenant_id=filters.tenant_id)
    if filters.area_id:
        qs = qs.filter(area_id=filters.area_id)
    by_year: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for year, referrals, population in qs.values_list("year", "referrals", "population_under_18"):
        by_year[year][0] += referrals
        by_year[year][1] += population
    national = {
        year: rate_per_1000(referrals, population)
        for year, referrals, population in NationalReferralRate.objects.filter(
            country=country
        ).values_list("year", "referrals", "population_under_18")
    }
    rows = []
    for year in sorted(by_year):
        referrals, population = by_year[year]
        shown = suppress(referrals)
        rate = rate_per_1000(referrals, population) if shown != SUPPRESSED else None
        rows.append((year, shown, population, rate, national.get(year)))
    years = [r[0] for r in rows if r[3] is not None]
    rates = [r[3] for r in rows if r[3] is not None]
    nat_years = sorted(national)
    return ReferralTrend(
        rows=rows,
        trend=aapc(years, rates),  # type: ignore[arg-type]
        national_trend=aapc(nat_years, [national[y] or 0 for y in nat_years]),
    )
