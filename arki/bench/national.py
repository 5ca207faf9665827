# ruff: noqa: S608 - the SQL is built from constants and integers; values are parameters
"""The indicator dashboard at national scale: 1,000,000 children and 2,000,000 discussions.

    python -m arki.bench.national [--scale 0.01] [--runs 15] [--regenerate]
    python -m arki.bench --national ...        (the same, from `make bench`)

The data set is written by the database itself (INSERT … SELECT over a number series), not by
the ORM, so that a million children take minutes, not hours, on two cores. It is kept in the
PostgreSQL database ``arki_bench_national`` (``--database-url`` or ``ARKI_BENCH_NATIONAL_URL``
to use another) and reused; one tenant per size holds everything, the worst case for a
dashboard that aggregates a whole tenant.

In one run it then times, over repeated runs, (a) the figures the dashboard computes (the
``Dashboard`` selector the view uses, every section), (b) the dashboard view itself through the
test client, and (c) bare SQL written by hand that computes the same numbers; it reports p50 and
p95 and the ratio of the dashboard's p95 to bare SQL's p95 (target: at most 2), and fails if any
number differs. The generator and the bare SQL also run on SQLite (the tests use them).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

from arki.bench import production_environment
from arki.bench.stats import p50_p95
from arki.indicators.stats import suppressed_share

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench-results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/arki_bench_national"
TARGET_RATIO = 2.0
TIME_ZONE = "Europe/Helsinki"
SECTORS = ("ecec", "school", "health", "social", "family", "other")
FIRST_OFFER = date(2024, 1, 1)
OFFER_DAYS = 975  # offers until early September 2026; needs, sessions, meetings follow


@dataclass(frozen=True)
class NationalSize:
    children: int = 1_000_000
    discussions: int = 2_000_000
    staff: int = 20_000
    units: int = 2_000
    areas: int = 20

    def scaled(self, factor: float) -> NationalSize:
        units = max(int(self.units * factor), 12)
        return NationalSize(
            children=max(int(self.children * factor), 60),
            discussions=max(int(self.discussions * factor), 120),
            staff=max(int(self.staff * factor), units * 2),
            units=units,
            areas=min(self.areas, max(units // 6, 2)),
        )

    @property
    def slug(self) -> str:
        return f"national-{self.children}-{self.discussions}"


# -- SQL that runs on PostgreSQL and SQLite ------------------------------------------------------


class Dialect:
    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.pg = connection.vendor == "postgresql"

    def series(self, n: int) -> str:
        """A FROM item with one row per i in 0 … n − 1."""
        if self.pg:
            return f"generate_series(0, {int(n) - 1}) AS s(i)"
        return (
            "(WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r"
            f" WHERE i < {int(n) - 1}) SELECT i FROM r) AS s"
        )

    def uid(self, prefix: str, index: str) -> str:
        """The deterministic UUID ``uid(prefix, k)`` below, as SQL."""
        if self.pg:
            return f"('{prefix}' || lpad(to_hex({index}), 24, '0'))::uuid"
        return f"('{prefix}' || printf('%024x', {index}))"

    def plus_days(self, day: str, days: str) -> str:
        if self.pg:
            return f"({day} + ({days})::int)"
        return f"date({day}, '+' || ({days}) || ' days')"

    def make_date(self, y: str, m: str, d: str) -> str:
        if self.pg:
            return f"make_date(({y})::int, ({m})::int, ({d})::int)"
        return f"printf('%04d-%02d-%02d', {y}, {m}, {d})"

    def date_param(self) -> str:
        return "%s::date" if self.pg else "%s"

    def at_utc_hour(self, day: str, hour: int) -> str:
        if self.pg:
            return f"(({day})::timestamp + interval '{hour} hours') AT TIME ZONE 'UTC'"
        return f"datetime({day}, '+{hour} hours')"

    def local_date(self, column: str) -> str:
        if self.pg:
            return f"(({column}) AT TIME ZONE '{TIME_ZONE}')::date"
        return f"django_datetime_cast_date({column}, '{TIME_ZONE}', 'UTC')"

    def days_between(self, later: str, earlier: str) -> str:
        if self.pg:
            return f"({later} - {earlier})"
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"

    def add_months(self, day: str, months: int) -> str:
        if self.pg:
            return f"(({day}) + make_interval(months => {int(months)}))::date"
        return f"date({day}, '+{int(months)} months')"

    def value(self, v: Any) -> Any:
        """A parameter as the backend stores it (UUIDs as hex on SQLite, datetimes in UTC)."""
        ops = self.connection.ops
        if isinstance(v, uuid.UUID):
            return v if self.pg else v.hex
        if isinstance(v, datetime):
            return ops.adapt_datetimefield_value(v)
        if isinstance(v, date):
            return ops.adapt_datefield_value(v)
        return v


def _escape(sql: str) -> str:
    """Double every literal % (modulo, printf) for the DB-API's %s parameter style."""
    return sql.replace("%", "%%").replace("%%s", "%s")


def uid(prefix: str, k: int) -> uuid.UUID:
    return uuid.UUID(hex=prefix + f"{k:024x}")


def h(index: str, salt: int, modulo: int) -> str:
    """A deterministic pseudo-random number 0 … modulo − 1 from the row index."""
    return f"((({index}) * 2654435761 + {salt * 40503}) % 1000003 % {modulo})"


# Prefixes (8 hex digits) keep each table's ids apart.
P = {
    "area": "a0000000",
    "unit": "b0000000",
    "user": "c0000000",
    "membership": "c1000000",
    "qual": "c2000000",
    "child": "d0000000",
    "enrolment": "d1000000",
    "discussion": "e0000000",
    "session": "e1000000",
    "meeting": "f0000000",
}


def prefixes(size: NationalSize) -> dict[str, str]:
    """Each table's id prefix, with a tag of the size so that several sizes can share one
    database."""
    import zlib

    tag = f"{zlib.crc32(size.slug.encode()) % 256:02x}"
    return {name: prefix[:6] + tag for name, prefix in P.items()}


def generate(size: NationalSize) -> Any:
    """Write the data set into the current database; returns the tenant."""
    from django.db import connection, transaction

    from arki.discussions.models import LogbookTemplate
    from arki.organisations.models import Area, Tenant, Unit

    d = Dialect(connection)
    P = prefixes(size)  # noqa: N806 - the module's table of prefixes, tagged
    now = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    with transaction.atomic():
        tenant = Tenant.objects.create(name=f"Bench nation {size.slug}", slug=size.slug)
        Area.objects.bulk_create(
            [
                Area(id=uid(P["area"], k), tenant=tenant, name=f"Municipality {k}")
                for k in range(size.areas)
            ]
        )
        Unit.objects.bulk_create(
            [
                Unit(
                    id=uid(P["unit"], k),
                    tenant=tenant,
                    area_id=uid(P["area"], k % size.areas),
                    name=f"Unit {k}",
                    sector=SECTORS[k % len(SECTORS)],
                    setting="ecec",
                )
                for k in range(size.units)
            ],
            batch_size=1000,
        )
        template = LogbookTemplate.objects.create(
            code=f"bench-{size.slug}", version="1", setting="ecec", language="fi", title="Bench"
        )
        with connection.cursor() as cursor:
            if d.pg:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            for sql, params in _statements(d, size, P, tenant.pk, template.pk, now):
                cursor.execute(_escape(sql), [d.value(p) for p in params])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return tenant


def _statements(
    d: Dialect,
    size: NationalSize,
    P: dict[str, str],
    tenant_id: Any,
    template_id: Any,
    now: datetime,
):  # noqa: N803
    u, s, c, n = size.units, size.staff, size.children, size.discussions
    per_unit = max(s // u, 1)
    tag = P["user"][6:]
    t = d.date_param()
    first = d.date_param()
    unit_of_child = f"{d.uid(P['unit'], f'(i % {c}) % {u}')}"
    yield (
        "INSERT INTO accounts_user (id, password, is_superuser, username, first_name, last_name,"
        " is_staff, is_active, date_joined, email, phone, title, preferred_language)"
        f" SELECT {d.uid(P['user'], 'i')}, '!', false, 'nat{tag}-' || i, 'Staff', '' || i,"
        f" false, true, %s, 'nat{tag}-' || i || '@bench.invalid', '', '', 'fi'"
        f" FROM {d.series(s)}",
        [now],
    )
    yield (
        "INSERT INTO accounts_membership (id, created_at, updated_at, role, is_active, tenant_id,"
        f" unit_id, user_id) SELECT {d.uid(P['membership'], 'i')}, %s, %s, 'worker', true, %s,"
        f" {d.uid(P['unit'], f'i % {u}')}, {d.uid(P['user'], 'i')} FROM {d.series(s)}",
        [now, now, tenant_id],
    )
    qual_date = d.make_date(
        f"2018 + {h('i', 2, 8)}", f"1 + {h('i', 3, 12)}", f"1 + {h('i', 4, 28)}"
    )
    for offset, kind, condition in (
        (0, "discussion", f"{h('i', 1, 10)} < 8"),
        (1, "network_meeting", f"{h('i', 1, 10)} < 3"),
        (2, "trainer", "i % 50 = 0"),
    ):
        yield (
            "INSERT INTO accounts_qualification (id, created_at, updated_at, kind, completed_on,"
            f" user_id) SELECT {d.uid(P['qual'], f'i * 3 + {offset}')}, %s, %s, '{kind}',"
            f" {qual_date}, {d.uid(P['user'], 'i')} FROM {d.series(s)} WHERE {condition}",
            [now, now],
        )
    yield (
        "INSERT INTO people_child (id, created_at, updated_at, first_name, last_name, birth_date,"
        " national_id, preferred_language, tenant_id)"
        f" SELECT {d.uid(P['child'], 'i')}, %s, %s, 'Lapsi', '' || i,"
        f" {d.make_date(f'2010 + {h("i", 5, 16)}', f'1 + {h("i", 6, 12)}', '1')}, '', 'fi', %s"
        f" FROM {d.series(c)}",
        [now, now, tenant_id],
    )
    yield (
        "INSERT INTO people_enrolment (id, created_at, updated_at, started_on, ended_on,"
        f" child_id, unit_id) SELECT {d.uid(P['enrolment'], 'i')}, %s, %s, {t},"
        f" CASE WHEN i % 20 = 0 THEN {t} END, {d.uid(P['child'], 'i')},"
        f" {d.uid(P['unit'], f'i % {u}')} FROM {d.series(c)}",
        [now, now, date(2023, 8, 1), date(2025, 6, 30)],
    )
    offered = d.plus_days(first, h("i", 7, OFFER_DAYS))
    status_r = h("i", 8, 20)
    status = (
        f"CASE WHEN {status_r} < 2 THEN 'declined' WHEN {status_r} < 3 THEN 'offered'"
        f" WHEN {status_r} < 6 THEN 'accepted' ELSE 'closed' END"
    )
    outcome_r = h("i", 9, 10)
    closed = f"{status_r} >= 6"
    network = f"({closed} AND {outcome_r} = 0)"
    lead = d.uid(P["user"], f"((i % {c}) % {u}) + {u} * {h('i', 10, per_unit)}")
    yield (
        "INSERT INTO discussions_discussion (id, created_at, updated_at, version, status,"
        " offered_on, decline_reason, closed_on, outcome, network_meeting_needed_on,"
        " agreed_summary, keep_working_notes, child_id, lead_id, tenant_id, unit_id, template_id)"
        f" SELECT {d.uid(P['discussion'], 'i')}, %s, %s, 1, {status}, {offered}, '',"
        f" CASE WHEN {closed} THEN {d.plus_days(offered, '30')} END,"
        f" CASE WHEN {network} THEN 'network_meeting_needed' WHEN {closed} AND {outcome_r} < 7"
        f" THEN 'plan_made' WHEN {closed} THEN 'no_further_action' ELSE '' END,"
        f" CASE WHEN {network} THEN {d.plus_days(offered, '30')} END, '', false,"
        f" {d.uid(P['child'], f'i % {c}')}, {lead}, %s, {unit_of_child}, %s FROM {d.series(n)}",
        [now, now, FIRST_OFFER, FIRST_OFFER, FIRST_OFFER, tenant_id, template_id],
    )
    yield (
        "INSERT INTO discussions_discussionsession (id, created_at, updated_at, number, held_on,"
        " participants, child_took_part, discussion_id)"
        f" SELECT {d.uid(P['session'], 'i')}, %s, %s, 1, {d.plus_days(offered, '14')}, '', false,"
        f" {d.uid(P['discussion'], 'i')} FROM {d.series(n)}"
        f" WHERE {status_r} >= 3 AND {h('i', 11, 10)} < 9",
        [now, now, FIRST_OFFER],
    )
    # Four in five needs get their meeting, 0–59 days later, at 08:00 UTC.
    meeting_day = d.plus_days(d.plus_days(offered, "30"), h("i", 12, 60))
    meeting_cols = (
        "INSERT INTO meetings_networkmeeting (id, created_at, updated_at, version, status, reason,"
        " topics, starts_at, location, video_link, sequence, chair_id, child_id, discussion_id,"
        " tenant_id, held_at)"
    )
    held_at = d.at_utc_hour(meeting_day, 8)
    yield (
        f"{meeting_cols} SELECT {d.uid(P['meeting'], 'i')}, %s, %s, 1, 'held', '', '', {held_at},"
        f" '', '', 0, {lead}, {d.uid(P['child'], f'i % {c}')}, {d.uid(P['discussion'], 'i')},"
        f" %s, {held_at} FROM {d.series(n)} WHERE {network} AND {h('i', 13, 5)} < 4",
        [now, now, FIRST_OFFER, tenant_id, FIRST_OFFER],
    )
    # Follow-up meetings without a discussion (one per 200 discussions), by the chair's unit.
    other_day = d.plus_days(first, h("i", 14, OFFER_DAYS + 60))
    other_at = d.at_utc_hour(other_day, 8)
    yield (
        f"{meeting_cols} SELECT {d.uid(P['meeting'], f'{n} + i')}, %s, %s, 1, 'held', '', '',"
        f" {other_at}, '', '', 0, {d.uid(P['user'], f'i % {s}')},"
        f" {d.uid(P['child'], f'i % {c}')}, NULL, %s, {other_at} FROM {d.series(max(n // 200, 1))}",
        [now, now, FIRST_OFFER, tenant_id, FIRST_OFFER],
    )


# -- bare SQL: the dashboard's numbers, written by hand -------------------------------------------


def bare_sql(filters: Any, today: date, *, staff: bool = True) -> dict[str, Any]:
    """Every figure of the dashboard's discussion, setting, meeting and staff sections, straight
    from SQL (one statement per source, as a person would write them). Consultations and family
    feedback are left out: the national data set has none (the dashboard computes them too, so
    its timing includes a little more work than this)."""
    from django.db import connection

    from arki.indicators.selectors import SECTOR_TO_SETTING, SETTING_GROUPS
    from arki.indicators.stats import SUPPRESSED, is_small, suppress
    from arki.training.selectors import refresher_interval

    d = Dialect(connection)
    period = filters.period
    unit_sql, unit_params = ["u.tenant_id = %s"], [filters.tenant_id]
    for column, value in (("u.id", filters.unit_id), ("u.area_id", filters.area_id)):
        if value:
            unit_sql.append(f"{column} = %s")
            unit_params.append(uuid.UUID(str(value)))
    if filters.sector:
        unit_sql.append("u.sector = %s")
        unit_params.append(filters.sector)
    units = " AND ".join(unit_sql)
    dp = d.date_param()
    out: dict[str, Any] = {}

    def run(sql: str, params: list[Any]) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(_escape(sql), [d.value(p) for p in params])
            return cursor.fetchall()

    ((offered, accepted, declined, closed, network),) = run(
        "SELECT COUNT(*), SUM(CASE WHEN d.status IN ('accepted', 'closed') THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN d.status = 'declined' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN d.status = 'closed' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN d.outcome = 'network_meeting_needed' THEN 1 ELSE 0 END)"
        " FROM discussions_discussion d JOIN organisations_unit u ON u.id = d.unit_id"
        f" WHERE d.tenant_id = %s AND d.offered_on >= {dp} AND d.offered_on < {dp} AND {units}",
        [filters.tenant_id, period.start, period.end, *unit_params],
    )
    held_by_sector = dict(
        run(
            "SELECT u.sector, COUNT(*) FROM discussions_discussionsession s"
            " JOIN discussions_discussion d ON d.id = s.discussion_id"
            " JOIN organisations_unit u ON u.id = d.unit_id WHERE s.number = 1"
            f" AND d.tenant_id = %s AND d.offered_on >= {dp} AND d.offered_on < {dp} AND {units}"
            " GROUP BY u.sector",
            [filters.tenant_id, period.start, period.end, *unit_params],
        )
    )
    ((children,),) = run(
        "SELECT COUNT(*) FROM (SELECT DISTINCT e.unit_id, e.child_id FROM people_enrolment e"
        " JOIN organisations_unit u ON u.id = e.unit_id"
        f" WHERE (e.ended_on IS NULL OR e.ended_on >= {dp}) AND e.started_on < {dp} AND {units})"
        " AS x",
        [period.start, period.end, *unit_params],
    )
    held = sum(held_by_sector.values())
    out.update(
        offered=suppress(offered),
        accepted=suppress(accepted or 0),
        declined=suppress(declined or 0),
        held=suppress(held),
        network_share=_pct(network or 0, closed or 0),
        reach=(
            (SUPPRESSED if is_small(held) or is_small(children) else _pct(held, children))
            if children
            else None
        ),
    )
    by_setting: dict[str, int] = {}
    for sector, count in held_by_sector.items():
        key = SECTOR_TO_SETTING.get(sector, "other")
        by_setting[key] = by_setting.get(key, 0) + count
    for key in SETTING_GROUPS:
        out[f"setting_{key}"] = _pct(by_setting.get(key, 0), held)

    wait = d.days_between(d.local_date("nm.held_at"), "nd.network_meeting_needed_on")
    start_at, end_at = (_aware(day) for day in (period.start, period.end))
    meetings = (
        "SELECT COALESCE(nd.unit_id, (SELECT m.unit_id FROM accounts_membership m"
        " WHERE m.user_id = nm.chair_id AND m.tenant_id = nm.tenant_id AND m.is_active"
        " AND m.unit_id IS NOT NULL ORDER BY m.created_at LIMIT 1)) AS unit_id,"
        f" {wait} AS wait FROM meetings_networkmeeting nm"
        " LEFT JOIN discussions_discussion nd ON nd.id = nm.discussion_id"
        " WHERE nm.tenant_id = %s AND nm.held_at >= %s AND nm.held_at < %s"
        " AND nm.status <> 'cancelled'"
    )
    ((m_held, timed, within, median),) = run(
        f"WITH x AS (SELECT x0.wait FROM ({meetings}) AS x0"
        f" JOIN organisations_unit u ON u.id = x0.unit_id WHERE {units})"
        " SELECT COUNT(*), SUM(CASE WHEN wait >= 0 THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN wait >= 0 AND wait <= 30 THEN 1 ELSE 0 END),"
        " (SELECT AVG(w) FROM (SELECT wait AS w, ROW_NUMBER() OVER (ORDER BY wait) AS rn,"
        " COUNT(*) OVER () AS c FROM x WHERE wait >= 0) AS t"
        " WHERE rn IN ((c + 1) / 2, (c + 2) / 2)) FROM x",
        [filters.tenant_id, start_at, end_at, *unit_params],
    )
    out.update(
        meetings_held=suppress(m_held),
        meetings_wait_median=(
            SUPPRESSED if is_small(timed) else round(float(median), 1) if timed else None
        ),
        meetings_within_target=_pct(within or 0, timed or 0),
    )

    if not staff:  # the enclosing figures the dashboard compares with have no staff part
        return out
    staff_sql = (
        "SELECT DISTINCT m.user_id FROM accounts_membership m"
        " JOIN organisations_unit u ON u.id = m.unit_id WHERE m.is_active AND m.tenant_id = %s"
        f" AND {units}"
    )
    staff_params = [filters.tenant_id, *unit_params]
    counts = dict(
        run(
            "SELECT 'staff', COUNT(*) FROM (" + staff_sql + ") AS st UNION ALL"
            " SELECT q.kind, COUNT(DISTINCT q.user_id) FROM accounts_qualification q"
            f" WHERE q.revoked_at IS NULL AND q.user_id IN ({staff_sql}) GROUP BY q.kind",
            staff_params + staff_params,
        )
    )
    trained = counts.get("discussion", 0)
    ((leading,),) = run(
        "SELECT COUNT(DISTINCT d.lead_id) FROM discussions_discussion d"
        f" WHERE d.tenant_id = %s AND d.offered_on >= {dp} AND d.lead_id IN ("
        " SELECT q.user_id FROM accounts_qualification q WHERE q.kind = 'discussion'"
        f" AND q.revoked_at IS NULL AND q.user_id IN ({staff_sql}))",
        [filters.tenant_id, today - timedelta(days=365), *staff_params],
    )
    latest = (
        "SELECT q.user_id AS user_id, q.completed_on AS day FROM accounts_qualification q"
        f" WHERE q.revoked_at IS NULL AND q.user_id IN ({staff_sql}) UNION ALL"
        " SELECT e.user_id, a.completed_on FROM training_attendance a"
        " JOIN training_enrolment e ON e.id = a.enrolment_id"
        " JOIN training_trainingevent ev ON ev.id = e.event_id"
        " JOIN training_coursemodule mo ON mo.id = a.module_id"
        " WHERE ev.tenant_id = %s AND mo.kind = 'refresher'"
    )
    qualified = (
        "SELECT q.user_id FROM accounts_qualification q WHERE q.revoked_at IS NULL"
        f" AND q.kind IN ('discussion', 'network_meeting') AND q.user_id IN ({staff_sql})"
    )
    interval = refresher_interval(filters.tenant_id)
    ((due,),) = run(
        f"SELECT COUNT(*) FROM (SELECT l.user_id, MAX(l.day) AS day FROM ({latest}) AS l"
        f" WHERE l.user_id IN ({qualified}) GROUP BY l.user_id) AS z"
        f" WHERE {d.add_months('z.day', interval)} <= {dp}",
        [*staff_params, filters.tenant_id, *staff_params, today],
    )
    out.update(
        staff=suppress(counts.get("staff", 0)),
        qual_discussion=suppress(trained),
        qual_network=suppress(counts.get("network_meeting", 0)),
        qual_trainer=suppress(counts.get("trainer", 0)),
        refresher_due=suppress(due),
        trained_active=_pct(leading, trained),
    )
    return out


def _pct(numerator: int, denominator: int) -> float | str | None:
    """A share as the dashboard shows it: hidden when a part is a small cell."""
    return suppressed_share(numerator, denominator)


def _aware(day: date) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def dashboard_figures(filters: Any, today: date) -> dict[str, Any]:
    from arki.indicators.selectors import Dashboard

    return {f.key: f.value for s in Dashboard(filters, today=today).sections() for f in s.figures}


def disagreements(dashboard: dict[str, Any], sql: dict[str, Any]) -> list[str]:
    """Figures where the dashboard and bare SQL differ. Bare SQL applies the small-cell rule
    but not the differencing rule (which compares with enclosing filters): choose filters whose
    figures differ enough from their enclosing ones (at national scale, all of them do)."""
    return [
        f"{key}: dashboard {dashboard.get(key)!r}, SQL {value!r}"
        for key, value in sql.items()
        if dashboard.get(key) != value
    ]


# -- timing --------------------------------------------------------------------------------------


def summary(times: list[float]) -> dict[str, float]:
    p50, p95 = p50_p95(times)
    return {"p50": p50, "p95": p95}


def measure(tenant: Any, runs: int, today: date) -> list[dict[str, Any]]:
    from django.test import Client

    from arki.accounts.models import Membership, Role, User
    from arki.indicators.filters import Filters, Period
    from arki.organisations.models import Area

    leader, _ = User.objects.get_or_create(
        username=f"leader-{tenant.slug}", defaults={"email": f"leader-{tenant.slug}@bench.invalid"}
    )
    Membership.objects.get_or_create(user=leader, tenant=tenant, role=Role.LEADERSHIP)
    client = Client()
    client.force_login(leader)
    area = Area.objects.filter(tenant=tenant).order_by("name").first()
    year = str(today.year)
    cases = [
        ("whole tenant, year", Filters(tenant.pk, Period(year)), f"period={year}"),
        (
            "one area, quarter",
            Filters(tenant.pk, Period(f"{year}-Q2"), area_id=str(area.pk)),  # type: ignore[union-attr]
            f"period={year}-Q2&area={area.pk}",  # type: ignore[union-attr]
        ),
    ]
    rows = []
    for name, filters, query in cases:
        parents = filters.parents()

        def dashboard(f: Any = filters) -> dict[str, Any]:
            return dashboard_figures(f, today)

        def sql(f: Any = filters) -> dict[str, Any]:
            return bare_sql(f, today)

        def enclosing(ps: list[Any] = parents) -> None:
            for p in ps:
                bare_sql(p, today, staff=False)

        def view(q: str = query) -> Any:
            return client.get(f"/indicators/?{q}")

        # Warm up once (caches, plans), then alternate so that all see the same machine load.
        dashboard()
        sql()
        times: dict[str, list[float]] = {"dashboard": [], "view": [], "sql": [], "sql_all": []}
        for _ in range(runs):
            ms, shown = _once(dashboard)
            times["dashboard"].append(ms)
            ms, expected = _once(sql)
            times["sql"].append(ms)
            times["sql_all"].append(ms + _once(enclosing)[0])
            ms, response = _once(view)
            times["view"].append(ms)
            if response.status_code != 200:
                raise SystemExit(f"the dashboard answered {response.status_code}")
        stats = {key: summary(values) for key, values in times.items()}
        base = stats["sql_all"]["p95"]
        rows.append(
            {
                "case": name,
                **stats,
                "ratio_p95": round(stats["dashboard"]["p95"] / base, 2) if base else None,
                "view_ratio_p95": round(stats["view"]["p95"] / base, 2) if base else None,
                "disagreements": disagreements(shown, expected),
                "figures": {k: expected[k] for k in ("offered", "held", "meetings_held")},
            }
        )
    return rows


def _once(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return (time.perf_counter() - started) * 1000, result


def markdown(size: NationalSize, rows: list[dict[str, Any]], generated: float | None) -> str:
    lines = [
        f"Data: {size.children:,} children, {size.discussions:,} discussions, {size.staff:,} "
        f"staff in {size.units:,} units and {size.areas} areas (one tenant)."
        + (f" Generated in {generated:.0f} s." if generated is not None else " Reused."),
        "",
        "| filters | dashboard selector p50 / p95 ms | dashboard view p50 / p95 ms "
        "| bare SQL, shown figures p50 / p95 ms | bare SQL, shown + enclosing p50 / p95 ms "
        "| selector ÷ SQL (p95) | view ÷ SQL (p95) | ≤ 2× | same numbers |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ok = r["ratio_p95"] is not None and r["ratio_p95"] <= TARGET_RATIO
        same = "yes" if not r["disagreements"] else "**no**: " + "; ".join(r["disagreements"])
        cells = [r["case"]] + [
            f"{r[k]['p50']} / {r[k]['p95']}" for k in ("dashboard", "view", "sql", "sql_all")
        ]
        cells += [str(r["ratio_p95"]), str(r["view_ratio_p95"]), "pass" if ok else "**fail**"]
        lines.append("| " + " | ".join([*cells, same]) + " |")
    return "\n".join(lines)


# -- the command ----------------------------------------------------------------------------------


def _configure(database_url: str) -> None:
    os.environ.update({**production_environment(), "DATABASE_URL": database_url})


def _ensure_database(url: str, regenerate: bool) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and regenerate:
            conn.execute(f'DROP DATABASE "{name}"')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 1 M children")
    parser.add_argument("--runs", type=int, default=None, help="timed runs per figure set")
    parser.add_argument("--regenerate", action="store_true", help="drop and regenerate")
    parser.add_argument(
        "--database-url", default=os.environ.get("ARKI_BENCH_NATIONAL_URL", DEFAULT_URL)
    )
    args = parser.parse_args(argv)
    size = NationalSize().scaled(args.scale) if args.scale != 1.0 else NationalSize()
    _configure(args.database_url)
    _ensure_database(args.database_url, args.regenerate)
    for command in (["migrate"], ["collectstatic"]):
        subprocess.run(
            [sys.executable, "manage.py", *command, "--no-input", "-v", "0"],
            cwd=ROOT,
            check=True,
            env=os.environ,
        )
    import django

    django.setup()
    from django.utils import timezone

    from arki.organisations.models import Tenant

    tenant = Tenant.objects.filter(slug=size.slug).first()
    generated = None
    if tenant is None:
        started = time.perf_counter()
        tenant = generate(size)
        generated = time.perf_counter() - started
        print(f"Generated {size} in {generated:.0f} s", flush=True)
    runs = args.runs or (15 if args.scale >= 0.5 else 30)
    rows = measure(tenant, runs, timezone.localdate())
    report = markdown(size, rows, generated)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "national.json").write_text(
        json.dumps({"size": size.__dict__, "runs": runs, "rows": rows}, indent=2, default=str)
    )
    print(report)
    agree = all(not r["disagreements"] for r in rows)
    fast = all(r["ratio_p95"] is not None and r["ratio_p95"] <= TARGET_RATIO for r in rows)
    return 0 if agree and fast else 1


if __name__ == "__main__":
    raise SystemExit(main())
