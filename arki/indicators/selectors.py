"""Indicator figures. Each source is aggregated per unit in one GROUP BY query; the figures for
the chosen filters and for their enclosing filters (used for differencing protection) are then
summed from those per-unit rows, so the query count does not grow with the data or the filters.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import median
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, ExtractQuarter, Greatest, TruncDate
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from arki.accounts.models import Membership, Qualification, QualificationKind, User
from arki.core.protection import Cell, Status, protect
from arki.directory.selectors import answer_times
from arki.discussions.models import Discussion, DiscussionSession
from arki.feedback.selectors import FeedbackFilters, feedback_summary
from arki.meetings.models import MeetingStatus, NetworkMeeting
from arki.organisations.models import Sector, Tenant, Unit
from arki.people.models import Enrolment
from arki.training.models import Attendance, ModuleKind
from arki.training.rules import add_months
from arki.training.selectors import refresher_interval

from .filters import Filters, Period
from .models import NationalReferralRate, ReferralStatistic
from .stats import (
    PROTECTED,
    SUPPRESSED,
    aapc,
    rate_per_1000,
    share,
    shown,
    suppress,
    suppressed_share,
)

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


@contextmanager
def leadership_queries(timeout_ms: int | None = None) -> Iterator[None]:
    """One transaction for a leadership page's reads, in which PostgreSQL cancels any
    statement running longer than ``timeout_ms`` (``LEADERSHIP_STATEMENT_TIMEOUT_MS``): a few
    leaders asking for an expensive figure at once cannot hold the server's cores. A cancelled
    statement raises ``django.db.OperationalError``. SQLite has no statement timeout."""
    ms = settings.LEADERSHIP_STATEMENT_TIMEOUT_MS if timeout_ms is None else timeout_ms
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # is_local: until the transaction ends
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [str(ms)])
        yield


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
        if self.value in (SUPPRESSED, PROTECTED):
            return str(self.value)
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


# The quarters that each part of a year covers (the periods the filters offer).
PERIOD_QUARTERS: dict[str, tuple[int, ...]] = {
    "Y": (1, 2, 3, 4),
    "H1": (1, 2),
    "H2": (3, 4),
    "Q1": (1,),
    "Q2": (2,),
    "Q3": (3,),
    "Q4": (4,),
}


def period_part(period: Period) -> str:
    return period.code[5:] or "Y"


class UnitIndex:
    """The tenant's units with their area and sector, and every set of units that some choice
    of filters selects (the dashboard's breakdowns)."""

    def __init__(self, tenant_id: Any) -> None:
        self.units: dict[str, tuple[str, str]] = {}
        self.selectable: set[str] = set()
        for pk, area_id, sector, active in Unit.objects.filter(tenant_id=tenant_id).values_list(
            "pk", "area_id", "sector", "is_active"
        ):
            self.units[str(pk)] = (str(area_id), sector)
            if active:
                self.selectable.add(str(pk))

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

    def unit_sets(self) -> set[frozenset[str]]:
        """Every set of units a user can select or see a share of: the tenant, each area, each
        sector and each setting (a setting groups sectors), each of those within each area, and
        each unit the unit filter offers."""
        everything = frozenset(self.units)
        bases = [everything] + [
            frozenset(u for u, (a, _s) in self.units.items() if a == area)
            for area in {a for a, _s in self.units.values()}
        ]
        slices = [
            frozenset(u for u, (_a, s) in self.units.items() if s == sector)
            for sector in {s for _a, s in self.units.values()}
        ] + [
            frozenset(u for u in self.units if self.setting_of(u) == setting)
            for setting in SETTING_GROUPS
        ]
        sets = {base & piece for base in bases for piece in slices} | set(bases)
        sets |= {frozenset({u}) for u in self.selectable}
        return {s for s in sets if s}


Atom = tuple[str, int]  # (unit id, quarter)
PerAtom = dict[Atom, Counter]


class Dashboard:
    """Computes every figure for one set of filters, suppressed for display.

    Counts are read per unit and quarter for the whole tenant and year (one GROUP BY per
    source), so that the figure of any filter is a sum of those atoms. Each count is then
    protected across every breakdown the dashboard offers (``protection.protect``): a small
    figure is shown as "<5", and enough other figures are hidden that it cannot be worked out
    by subtracting visible ones, whichever filters the user tries.
    """

    def __init__(self, filters: Filters, *, today: date | None = None) -> None:
        self.filters = filters
        self.today = today or date.today()
        self.index = UnitIndex(filters.tenant_id)
        self.year = filters.period.year
        self.units = frozenset(self.index.matching(filters))
        self.part = period_part(filters.period)
        self._sources: dict[str, PerAtom] = {}
        self._protection: dict[tuple[str, str], dict[Any, Status]] = {}

    # -- sources: one GROUP BY query each, per unit and quarter of the year ---------------------
    def _source(self, name: str, loader: Callable[[], PerAtom]) -> PerAtom:
        if name not in self._sources:
            self._sources[name] = loader()
        return self._sources[name]

    def _year_bounds(self) -> tuple[date, date]:
        return date(self.year, 1, 1), date(self.year + 1, 1, 1)

    def _discussions(self) -> PerAtom:
        start, end = self._year_bounds()
        network = Q(outcome="network_meeting_needed")
        rows = (
            Discussion.objects.filter(
                tenant_id=self.filters.tenant_id, offered_on__gte=start, offered_on__lt=end
            )
            .annotate(quarter=ExtractQuarter("offered_on"))
            .values("unit_id", "quarter")
            .annotate(
                offered=Count("id"),
                accepted=Count("id", filter=Q(status__in=["accepted", "closed"])),
                declined=Count("id", filter=Q(status="declined")),
                closed_network=Count("id", filter=Q(status="closed") & network),
                closed_other=Count("id", filter=Q(status="closed") & ~network),
            )
            .order_by()
        )
        per_atom: PerAtom = defaultdict(Counter)
        for row in rows:
            values: dict[str, Any] = dict(row)
            atom = (str(values.pop("unit_id")), values.pop("quarter"))
            per_atom[atom].update(values)
        held_rows = (
            DiscussionSession.objects.filter(
                number=1,
                discussion__tenant_id=self.filters.tenant_id,
                discussion__offered_on__gte=start,
                discussion__offered_on__lt=end,
            )
            .annotate(quarter=ExtractQuarter("discussion__offered_on"))
            .values("discussion__unit_id", "quarter")
            .annotate(held=Count("id"))
            .order_by()
        )
        for held in held_rows:
            per_atom[(str(held["discussion__unit_id"]), held["quarter"])]["held"] += held["held"]
        return per_atom

    def _children(self, period: Period) -> dict[str, int]:
        rows = (
            Enrolment.objects.filter(unit__tenant_id=self.filters.tenant_id)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period.start))
            .filter(started_on__lt=period.end)
            .values("unit_id")
            .annotate(children=Count("child_id", distinct=True))
            .order_by()
        )
        return {str(r["unit_id"]): r["children"] for r in rows}

    def _meetings(self) -> PerAtom:
        """Network meetings held in the year, per unit and quarter, with the days from the need
        to the meeting as a histogram (keys ``("days", n)``) so that medians can be taken over
        any set of units and quarters.

        A meeting belongs to the unit of the LT discussion that found it was needed; a meeting
        without a discussion (a follow-up, or one planned directly) belongs to its chair's unit
        (the chair's earliest active membership in the tenant that has a unit). The wait runs
        from the discussion's ``network_meeting_needed_on`` to the local date of ``held_at``;
        meetings with no recorded need, or held before it, count as held but are not timed.
        Two GROUP BY queries and one membership lookup, whatever the number of meetings.
        """
        start, end = self._year_bounds()
        held = (
            NetworkMeeting.objects.filter(
                tenant_id=self.filters.tenant_id,
                held_at__gte=_aware(start),
                held_at__lt=_aware(end),
            )
            .exclude(status=MeetingStatus.CANCELLED)
            .annotate(quarter=ExtractQuarter("held_at"))
        )
        wait = ExpressionWrapper(
            TruncDate("held_at") - F("discussion__network_meeting_needed_on"),
            output_field=DurationField(),
        )
        per_atom: PerAtom = defaultdict(Counter)
        rows = (
            held.filter(discussion__isnull=False)
            .annotate(wait=wait)
            .values("discussion__unit_id", "quarter", "wait")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in rows:
            counter = per_atom[(str(row["discussion__unit_id"]), row["quarter"])]
            counter["meetings_held"] += row["n"]
            if row["wait"] is not None and row["wait"] >= timedelta(0):
                days = row["wait"].days
                counter["meetings_timed"] += row["n"]
                counter[("days", days)] += row["n"]  # type: ignore[index]
                if days <= NETWORK_WAIT_TARGET_DAYS:
                    counter["meetings_within"] += row["n"]
                else:
                    counter["meetings_late"] += row["n"]
        by_chair = list(
            held.filter(discussion__isnull=True)
            .values("chair_id", "quarter")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("chair_id", "quarter", "n")
        )
        if by_chair:
            unit_of: dict[Any, Any] = {}
            for user_id, unit_id in (
                Membership.objects.active()
                .filter(
                    tenant_id=self.filters.tenant_id,
                    user_id__in={chair for chair, _q, _n in by_chair},
                    unit__isnull=False,
                )
                .order_by("created_at")
                .values_list("user_id", "unit_id")
            ):
                unit_of.setdefault(user_id, unit_id)
            # A chair with no unit in the tenant (rare: a tenant-wide role) leaves the meeting
            # unattributed; it then counts in no filter, not even the whole tenant's.
            for chair, quarter, n in by_chair:
                per_atom[(str(unit_of.get(chair)), quarter)]["meetings_held"] += n
        return per_atom

    # -- figures --------------------------------------------------------------------------------
    def _value(self, per_atom: PerAtom, key: str, units: frozenset[str] | None = None) -> int:
        quarters = PERIOD_QUARTERS[self.part]
        return sum(
            per_atom.get((u, q), Counter())[key]
            for u in (self.units if units is None else units)
            for q in quarters
        )

    def _status(
        self, name: str, loader: Callable[[], PerAtom], key: str, units: frozenset[str]
    ) -> Status:
        """Whether the figure ``key`` of ``units`` in the chosen period may be shown, protected
        across every unit set and period of the year."""
        if not units:
            return Status.SHOWN
        if (name, key) not in self._protection:
            per_atom = self._source(name, loader)
            unit_sets = self.index.unit_sets()
            cells = [
                Cell((unit_set, part), frozenset((u, q) for u in unit_set for q in quarters))
                for unit_set in unit_sets
                for part, quarters in PERIOD_QUARTERS.items()
            ]
            values = {atom: counter[key] for atom, counter in per_atom.items() if counter[key]}
            # The same figures give the same pattern: kept in Django's cache under a digest of
            # the table, so that a leader moving between filters does not recompute it.
            digest = hashlib.sha256(
                repr((sorted(map(sorted, unit_sets)), sorted(values.items()))).encode()
            ).hexdigest()
            pattern: dict[Any, Status] | None = cache.get(f"indicators:protection:{digest}")
            if pattern is None:
                pattern = protect(cells, values)
                cache.set(f"indicators:protection:{digest}", pattern, 24 * 3600)
            self._protection[(name, key)] = pattern
        # A set of units that no filter offers is not a figure anyone sees; keep it hidden.
        return self._protection[(name, key)].get((units, self.part), Status.PROTECTED)

    def _count(self, name: str, loader: Callable[[], PerAtom], key: str) -> int | str | None:
        value = self._value(self._source(name, loader), key)
        return shown(value, self._status(name, loader, key, self.units))

    def _share(
        self, name: str, loader: Callable[[], PerAtom], part: str, rest: str
    ) -> float | str | None:
        """``part`` as a share of ``part`` + ``rest``: shown only when both counts could be."""
        per_atom = self._source(name, loader)
        numerator, other = self._value(per_atom, part), self._value(per_atom, rest)
        if not numerator + other:
            return None
        statuses = {
            self._status(name, loader, part, self.units),
            self._status(name, loader, rest, self.units),
        }
        if Status.SMALL in statuses:
            return SUPPRESSED
        if Status.PROTECTED in statuses:
            return PROTECTED
        return share(numerator, numerator + other)

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
        section.figures.append(
            Figure(
                "network_share",
                _("share of closed discussions ending in a network meeting"),
                self._share("discussions", d, "closed_network", "closed_other"),
                "percent",
            )
        )
        children = sum(
            n for unit, n in self._children(self.filters.period).items() if unit in self.units
        )
        held = self._count("discussions", d, "held")
        reach: float | str | None = None
        if children and isinstance(held, int) and suppress(children) != SUPPRESSED:
            reach = round(100.0 * held / children, 1)
        elif children:
            small = held == SUPPRESSED or suppress(children) == SUPPRESSED
            reach = SUPPRESSED if small else PROTECTED
        section.figures.append(
            Figure(
                "reach", _("reach: discussions held per 100 children in the units"), reach, "per100"
            )
        )
        return section

    def settings_section(self) -> Section:
        """Share of discussions held by setting, as in the regional report. A share is shown
        when the count of its setting and the count of all are both shown (each of them is a
        protected figure of its own)."""
        d = self._discussions
        per_atom = self._source("discussions", d)
        total = self._value(per_atom, "held")
        total_status = self._status("discussions", d, "held", self.units)
        section = Section("settings", _("Discussions by setting"))
        for key, label in SETTING_GROUPS.items():
            units = frozenset(u for u in self.units if self.index.setting_of(u) == key)
            value: float | str | None = None
            if total:
                statuses = {total_status, self._status("discussions", d, "held", units)}
                if Status.SMALL in statuses:
                    value = SUPPRESSED
                elif Status.PROTECTED in statuses:
                    value = PROTECTED
                else:
                    value = share(self._value(per_atom, "held", units), total)
            section.figures.append(Figure(f"setting_{key}", label, value, "percent"))
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
        timed = self._count("meetings", m, "meetings_timed")
        per_atom = self._source("meetings", m)
        histogram: Counter = Counter()
        for unit in self.units:
            for quarter in PERIOD_QUARTERS[self.part]:
                for key, n in per_atom.get((unit, quarter), Counter()).items():
                    if isinstance(key, tuple):
                        histogram[key[1]] += n
        wait: float | str | None = None
        if isinstance(timed, int) and timed:
            wait = _histogram_median(histogram)
        elif timed in (SUPPRESSED, PROTECTED):
            wait = timed
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
                self._share("meetings", m, "meetings_within", "meetings_late"),
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
    # Every area's figures, so that the region's total and each area's count are protected
    # together (a region minus its other areas must not give back a small count).
    by_area: dict[tuple[str, int], tuple[int, int]] = {}
    for area_id, year, referrals, population in ReferralStatistic.objects.filter(
        tenant_id=filters.tenant_id
    ).values_list("area_id", "year", "referrals", "population_under_18"):
        old = by_area.get((str(area_id), year), (0, 0))
        by_area[(str(area_id), year)] = (old[0] + referrals, old[1] + population)
    areas = {a for a, _y in by_area}
    all_years = {y for _a, y in by_area}
    cells = [
        Cell((area, year), frozenset({(area, year)})) for area in areas for year in all_years
    ] + [Cell(("", year), frozenset((a, year) for a in areas)) for year in all_years]
    status = protect(cells, {atom: counts[0] for atom, counts in by_area.items()})
    chosen = str(filters.area_id) if filters.area_id else ""
    by_year: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for (area, year), (referrals, population) in by_area.items():
        if not chosen or area == chosen:
            by_year[year][0] += referrals
            by_year[year][1] += population
    national = {
        year: rate_per_1000(referrals, population)
        for year, referrals, population in NationalReferralRate.objects.filter(
            country=country
        ).values_list("year", "referrals", "population_under_18")
    }
    rows: list[tuple[int, int | str | None, int, float | None, float | None]] = []
    for year in sorted(by_year):
        referrals, population = by_year[year]
        count = shown(referrals, status.get((chosen, year), Status.SHOWN))
        rate = rate_per_1000(referrals, population) if isinstance(count, int) else None
        rows.append((year, count, population, rate, national.get(year)))
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
