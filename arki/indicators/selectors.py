"""Indicator figures. Each source is aggregated per unit in one GROUP BY query; the figures for
the chosen filters and for their enclosing filters (used for differencing protection) are then
summed from those per-unit rows, so the query count does not grow with the data or the filters.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import median
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from arki.organisations.models import Sector, Unit

from .filters import Filters, Period
from .models import NationalReferralRate, ReferralStatistic
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
# The wait from "network meeting needed" to the meeting that the share is measured against.
NETWORK_WAIT_TARGET_DAYS = 30

SECTOR_TO_SETTING: dict[str, str] = {
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
        sector = self.units[unit_id][1] if unit_id in self.units else ""
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
        # Per period, the units that any figure (shown, or compared with for differencing)
        # sums over; None when that is every unit. A quarter of one area then reads the whole
        # tenant for the quarter (the tenant's figure is compared with) but only the area for
        # the year.
        self._scope: dict[str, list[str] | None] = {}
        every = set(self.index.units)
        for f in [filters, *filters.parents()]:
            units = self.index.matching(f)
            known = self._scope.get(f.period.code, [])
            merged = every if known is None else units | set(known)
            self._scope[f.period.code] = None if merged == every else sorted(merged)

    # -- sources: one GROUP BY query each, cached per period ------------------------------------
    def _source(self, name: str, period: Period, loader: Callable[[Period], PerUnit]) -> PerUnit:
        key = (name, period.code)
        if key not in self._cache:
            self._cache[key] = loader(period)
        return self._cache[key]

    def _in_scope(self, queryset: Any, period: Period, field: str) -> Any:
        scope = self._scope.get(period.code)
        return queryset if scope is None else queryset.filter(**{f"{field}__in": scope})

    def _discussions(self, period: Period) -> PerUnit:
        from arki.discussions.models import Discussion, DiscussionSession

        rows = (
            self._in_scope(
                Discussion.objects.filter(
                    tenant_id=self.filters.tenant_id,
                    offered_on__gte=period.start,
                    offered_on__lt=period.end,
                ),
                period,
                "unit_id",
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
            values: dict[str, Any] = dict(row)
            unit = str(values.pop("unit_id"))
            per_unit[unit].update(values)
        held_rows = (
            self._in_scope(
                DiscussionSession.objects.filter(
                    number=1,
                    discussion__tenant_id=self.filters.tenant_id,
                    discussion__offered_on__gte=period.start,
                    discussion__offered_on__lt=period.end,
                ),
                period,
                "discussion__unit_id",
            )
            .values("discussion__unit_id")
            .annotate(held=Count("id"))
        )
        for held in held_rows:
            per_unit[str(held["discussion__unit_id"])]["held"] += held["held"]
        return per_unit

    def _children(self, period: Period) -> PerUnit:
        from arki.people.models import Enrolment

        rows = (
            self._in_scope(
                Enrolment.objects.filter(unit__tenant_id=self.filters.tenant_id), period, "unit_id"
            )
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period.start))
            .filter(started_on__lt=period.end)
            .values("unit_id")
            .annotate(children=Count("child_id", distinct=True))
        )
        return {str(r["unit_id"]): Counter(children=r["children"]) for r in rows}

    def _meetings(self, period: Period) -> PerUnit:
        """Network meetings held in the period, per unit, with the days from the need to the
        meeting as a histogram (keys ``("days", n)``) so that medians can be taken over any set
        of units.

        A meeting belongs to the unit of the LT discussion that found it was needed; a meeting
        without a discussion (a follow-up, or one planned directly) belongs to its chair's unit
        (the chair's earliest active membership in the tenant that has a unit). The wait runs
        from the discussion's ``network_meeting_needed_on`` to the local date of ``held_at``;
        meetings with no recorded need, or held before it, count as held but are not timed.
        Two GROUP BY queries and one membership lookup, whatever the number of meetings.
        """
        from django.db.models import DurationField, ExpressionWrapper, F
        from django.db.models.functions import TruncDate

        from arki.accounts.models import Membership
        from arki.meetings.models import MeetingStatus, NetworkMeeting

        held = NetworkMeeting.objects.filter(
            tenant_id=self.filters.tenant_id,
            held_at__gte=_aware(period.start),
            held_at__lt=_aware(period.end),
        ).exclude(status=MeetingStatus.CANCELLED)
        wait = ExpressionWrapper(
            TruncDate("held_at") - F("discussion__network_meeting_needed_on"),
            output_field=DurationField(),
        )
        per_unit: PerUnit = defaultdict(Counter)
        rows = (
            self._in_scope(held.filter(discussion__isnull=False), period, "discussion__unit_id")
            .annotate(wait=wait)
            .values("discussion__unit_id", "wait")
            .annotate(n=Count("id"))
        )
        for row in rows:
            counter = per_unit[str(row["discussion__unit_id"])]
            counter["meetings_held"] += row["n"]
            if row["wait"] is not None and row["wait"] >= timedelta(0):
                days = row["wait"].days
                counter["meetings_timed"] += row["n"]
                counter[("days", days)] += row["n"]  # type: ignore[index]
                if days <= NETWORK_WAIT_TARGET_DAYS:
                    counter["meetings_within"] += row["n"]
        by_chair = dict(
            held.filter(discussion__isnull=True)
            .values("chair_id")
            .annotate(n=Count("id"))
            .values_list("chair_id", "n")
        )
        if by_chair:
            unit_of: dict[Any, Any] = {}
            for user_id, unit_id in (
                Membership.objects.active()
                .filter(
                    tenant_id=self.filters.tenant_id,
                    user_id__in=list(by_chair),
                    unit__isnull=False,
                )
                .order_by("created_at")
                .values_list("user_id", "unit_id")
            ):
                unit_of.setdefault(user_id, unit_id)
            # A chair with no unit in the tenant (rare: a tenant-wide role) leaves the meeting
            # unattributed; it then counts in no filter, not even the whole tenant's.
            for chair, n in by_chair.items():
                per_unit[str(unit_of.get(chair))]["meetings_held"] += n
        return per_unit

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

    def meetings_section(self) -> Section:
        """What a leader reads at a glance: how many network meetings were held, how long the
        family waited from the need to the meeting (the median, in days), and the share that
        met within the target (30 days). The median is shown only from five timed meetings."""
        m = self._meetings
        section = Section("meetings", _("Network meetings"))
        section.figures.append(
            Figure(
                "meetings_held",
                _("network meetings held"),
                self._count("meetings", m, "meetings_held"),
            )
        )
        timed = self._raw("meetings", m, "meetings_timed")
        timed_shown = suppress(
            timed,
            parents=[self._raw("meetings", m, "meetings_timed", p) for p in self.filters.parents()],
        )
        per_unit = self._source("meetings", self.filters.period, m)
        histogram: Counter = Counter()
        for unit in self.index.matching(self.filters):
            for key, n in per_unit.get(unit, Counter()).items():
                if isinstance(key, tuple):
                    histogram[key[1]] += n
        wait: float | str | None = None
        if timed_shown == SUPPRESSED:
            wait = SUPPRESSED
        elif timed:
            wait = _histogram_median(histogram)
        within = self._raw("meetings", m, "meetings_within")
        parents = [self._raw("meetings", m, "meetings_within", p) for p in self.filters.parents()]
        section.figures += [
            Figure(
                "meetings_wait_median",
                _("median days from 'network meeting needed' to the meeting"),
                wait,
                "days",
            ),
            Figure(
                "meetings_within_target",
                _("share of meetings held within 30 days of the need"),
                suppressed_share(within, timed, parents=parents),
                "percent",
            ),
        ]
        return section

    def _in_units(self, prefix: str) -> Q:
        """The filters' units as a condition on ``prefix`` + unit fields (a join, no id list)."""
        f = self.filters
        q = Q(**{f"{prefix}tenant_id": f.tenant_id})
        if f.unit_id:
            q &= Q(**{f"{prefix}id": f.unit_id})
        if f.area_id:
            q &= Q(**{f"{prefix}area_id": f.area_id})
        if f.sector:
            q &= Q(**{f"{prefix}sector": f.sector})
        return q

    def staff_section(self) -> Section:
        """Counted in SQL with subqueries (no lists of ids through Python): five queries
        whatever the number of staff."""
        from arki.accounts.models import Membership, Qualification, QualificationKind
        from arki.discussions.models import Discussion

        staff = (
            Membership.objects.active()
            .filter(self._in_units("unit__"), tenant_id=self.filters.tenant_id)
            .order_by()
            .values("user_id")
        )
        staff_count = staff.distinct().count()
        quals = Qualification.objects.filter(revoked_at__isnull=True, user_id__in=staff)
        holders = dict(
            quals.order_by()
            .values("kind")
            .annotate(n=Count("user_id", distinct=True))
            .values_list("kind", "n")
        )
        trained = holders.get(QualificationKind.DISCUSSION, 0)
        since = self.today - timedelta(days=365)
        leading = (
            Discussion.objects.filter(
                tenant_id=self.filters.tenant_id,
                offered_on__gte=since,
                lead_id__in=quals.filter(kind=QualificationKind.DISCUSSION).values("user_id"),
            )
            .order_by()
            .values("lead_id")
            .distinct()
            .count()
        )
        due = self._refreshers_due(quals)
        section = Section("staff", _("Training and use of the method"))
        section.figures += [
            Figure("staff", _("staff in the units"), suppress(staff_count)),
            Figure("qual_discussion", _("qualified for the LT discussion"), suppress(trained)),
            Figure(
                "qual_network",
                _("qualified for the network meeting"),
                suppress(holders.get(QualificationKind.NETWORK_MEETING, 0)),
            ),
            Figure(
                "qual_trainer", _("trainers"), suppress(holders.get(QualificationKind.TRAINER, 0))
            ),
            Figure("refresher_due", _("refresher training due"), suppress(due)),
            Figure(
                "trained_active",
                _("share of trained staff who led a discussion in the last 12 months"),
                suppressed_share(leading, trained),
                "percent",
            ),
        ]
        return section

    def _refreshers_due(self, quals: Any) -> int:
        """Staff qualified for the discussion or the network meeting whose refresher is due: the
        refresher falls due ``interval`` months after the latest of their qualification dates
        and their last refresher (``rules.refresher_due_on``). That is the same as the latest
        date being on or before one threshold day, so one COUNT answers it."""
        from django.db.models import Max, OuterRef, Subquery
        from django.db.models.functions import Coalesce, Greatest

        from arki.accounts.models import QualificationKind, User
        from arki.training.models import Attendance, ModuleKind
        from arki.training.selectors import refresher_interval

        last_refresher = (
            Attendance.objects.filter(
                enrolment__event__tenant_id=self.filters.tenant_id,
                enrolment__user_id=OuterRef("pk"),
                module__kind=ModuleKind.REFRESHER,
            )
            .order_by()
            .values("enrolment__user_id")
            .annotate(last=Max("completed_on"))
            .values("last")
        )
        qualified = quals.filter(
            kind__in=[QualificationKind.DISCUSSION, QualificationKind.NETWORK_MEETING]
        ).values("user_id")
        threshold = last_day_due(self.today, refresher_interval(self.filters.tenant_id))
        return (
            User.objects.filter(pk__in=qualified)
            .annotate(
                qualified_on=Max(
                    "qualifications__completed_on",
                    filter=Q(qualifications__revoked_at__isnull=True),
                ),
                refreshed_on=Subquery(last_refresher),
            )
            .annotate(latest=Greatest("qualified_on", Coalesce("refreshed_on", "qualified_on")))
            .filter(latest__lte=threshold)
            .count()
        )

    def consultations_section(self) -> Section:
        from arki.directory.selectors import answer_times

        period = self.filters.period
        rows = answer_times(
            tenant_id=self.filters.tenant_id, since=_aware(period.start), until=_aware(period.end)
        )
        if self.filters.sector:
            rows = [r for r in rows if r["sector"] == self.filters.sector]
        hours = sorted(r["hours_to_answer"] for r in rows if r["hours_to_answer"] is not None)
        section = Section("consultations", _("Consultations (one-contact principle)"))
        section.figures += [
            Figure("consultations", _("consultation requests sent"), suppress(len(rows))),
            Figure("consultations_answered", _("answered"), suppress(len(hours))),
            Figure(
                "consultation_hours",
                _("median time to answer (hours)"),
                round(median(hours), 1) if len(hours) >= 5 else (SUPPRESSED if hours else None),
                "hours",
            ),
        ]
        return section

    def feedback_section(self) -> Section:
        from arki.feedback.selectors import FeedbackFilters, feedback_summary
        from arki.organisations.models import Tenant

        period = self.filters.period
        summary = feedback_summary(
            tenant=Tenant.objects.get(pk=self.filters.tenant_id),
            filters=FeedbackFilters(
                period_from=period.start,
                period_to=period.end - timedelta(days=1),
                area_id=self.filters.area_id,
                unit_id=self.filters.unit_id,
                sector=self.filters.sector,
            ),
        )
        section = Section("feedback", _("Family feedback: share answering yes"))
        section.figures.append(
            Figure("feedback_n", _("answers"), summary.n if summary.n is not None else SUPPRESSED)
        )
        for item in summary.items:
            yes = next((c for c in item.cells if c.choice == "yes"), None)
            value: float | str | None = None
            if item.n is None:
                value = SUPPRESSED if summary.n is None and summary.items else None
            elif yes is not None:
                value = round(yes.percent, 1) if yes.percent is not None else SUPPRESSED
            section.figures.append(Figure(f"feedback_{item.key}", item.text, value, "percent"))
        return section

    def sections(self) -> list[Section]:
        return [
            self.discussions_section(),
            self.settings_section(),
            self.meetings_section(),
            self.staff_section(),
            self.consultations_section(),
            self.feedback_section(),
        ]


def last_day_due(today: date, interval_months: int) -> date:
    """The latest date from which a refresher ``interval_months`` later is due by ``today``
    (``rules.add_months(day, n) <= today`` exactly for the days up to this one)."""
    from arki.training.rules import add_months

    day = add_months(today, -interval_months)
    while add_months(day + timedelta(days=1), interval_months) <= today:
        day += timedelta(days=1)
    return day


def _aware(day: date) -> datetime:
    """The start of ``day`` in the current time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _histogram_median(histogram: Counter) -> float | None:
    """The median of values given as value → count (the mean of the two middle ones)."""
    n = sum(histogram.values())
    if not n:
        return None
    middle = [(n - 1) // 2, n // 2]
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        while len(found) < 2 and seen > middle[len(found)]:
            found.append(value)
    return round((found[0] + found[1]) / 2, 1)


@dataclass
class ReferralTrend:
    # year, referrals (suppressed), population, rate per 1,000, national rate per 1,000
    rows: list[tuple[int, int | str | None, int, float | None, float | None]]
    trend: Any
    national_trend: Any


def referral_trend(filters: Filters, country: str) -> ReferralTrend:
    """Yearly child protection referral rates (per 1,000 under-18s) for the chosen areas, the
    average annual percent change of the rate, and the national rate alongside."""
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


def referral_statistics(tenant: Any) -> QuerySet[ReferralStatistic]:
    """The tenant's imported child protection referral figures, each with its area."""
    return ReferralStatistic.objects.filter(tenant=tenant).select_related("area")
