"""The slot finder benchmark: 15 invitees with six months of busy times each, in-process.

    uv run --frozen python -m arki.bench.slots [--runs 200] [--users 15]

Each invitee gets 3–6 busy times on every working day of the next six months (30–120 minutes,
on the quarter hour, between 8 and 17) and keeps their units' and area's common slots free most
of the time (one occurrence in twenty is taken anyway). ``find_times`` is timed with a fresh
database read on every run, for three searches: a 90-minute meeting with 15-minute buffers (the
usual case), a 60-minute meeting without buffers, and a four-hour meeting that fits nowhere (the
worst case: the whole horizon is read and walked). Alone it uses its own database
(bench-results/bench-slots.sqlite3, or arki_bench_slots when DATABASE_URL is set); from
``python -m arki.bench`` it runs in the bench database inside a transaction that is rolled back.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time as clock
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from arki.bench.stats import p50_p95

TARGET_P95_MS = 50.0
HORIZON_DAYS = 183


def build(users: int = 15, seed: int = 7, start: date | None = None) -> dict[str, Any]:
    """Invitees in three units of two areas, their busy times and their common slots."""
    from django.conf import settings

    from arki.accounts.models import Membership, Role, User
    from arki.calendars.models import BusySource, BusyTime, CommonSlot
    from arki.organisations.models import Area, Tenant, Unit

    rng = random.Random(seed)
    zone = ZoneInfo(settings.TIME_ZONE)
    start = start or date.today() + timedelta(days=1)
    tag = f"{rng.getrandbits(32):08x}"
    tenant = Tenant.objects.create(name=f"Slot bench {tag}", slug=f"slot-bench-{tag}", country="FI")
    areas = [Area.objects.create(tenant=tenant, name=f"Alue {i}") for i in range(2)]
    units = [
        Unit.objects.create(area=areas[i % 2], name=f"Yksikkö {i}", sector="family")
        for i in range(3)
    ]
    people = []
    for i in range(users):
        name = f"slots-{tag}-{i}"
        user = User.objects.create(username=name, email=f"{name}@bench.invalid")
        Membership.objects.create(user=user, unit=units[i % 3], role=Role.WORKER)
        people.append(user)
    publisher = people[0]
    slots = [
        CommonSlot(tenant=tenant, unit=units[0], weekday=1, start_time=time(13),
                   end_time=time(15), valid_from=start, published_by=publisher),
        CommonSlot(tenant=tenant, unit=units[1], weekday=3, start_time=time(9),
                   end_time=time(11), every_weeks=2, valid_from=start, published_by=publisher),
        CommonSlot(tenant=tenant, area=areas[0], weekday=2, start_time=time(12, 30),
                   end_time=time(14, 30), every_weeks=2, valid_from=start, published_by=publisher),
        CommonSlot(tenant=tenant, area=areas[1], weekday=4, start_time=time(9),
                   end_time=time(10, 30), valid_from=start, published_by=publisher),
    ]  # fmt: skip
    CommonSlot.objects.bulk_create(slots)
    slot_days = {
        (day, s.start_time, s.end_time)
        for s in slots
        for day in s.dates_between(start, start + timedelta(days=HORIZON_DAYS))
    }
    rows: list[BusyTime] = []
    for user in people:
        for offset in range(HORIZON_DAYS + 1):
            day = start + timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            kept_free = [
                (datetime.combine(day, a, tzinfo=zone), datetime.combine(day, b, tzinfo=zone))
                for d, a, b in slot_days
                if d == day and rng.random() >= 0.05
            ]
            for _ in range(rng.randint(3, 6)):
                begins = datetime.combine(day, time(8), tzinfo=zone) + timedelta(
                    minutes=15 * rng.randint(0, 32)
                )
                ends = begins + timedelta(minutes=rng.choice([30, 45, 60, 60, 90, 120]))
                if any(begins < b and ends > a for a, b in kept_free):
                    continue
                rows.append(
                    BusyTime(
                        user=user,
                        starts_at=begins,
                        ends_at=ends,
                        source=BusySource.IMPORTED,
                        uid_hash=f"{len(rows):064x}",
                    )
                )
    BusyTime.objects.bulk_create(rows, batch_size=2000)
    return {"users": people, "busy_times": len(rows), "slots": len(slots), "start": start}


SEARCHES = {
    "90 min, 15 min buffers": {"duration": 90, "before": 15, "after": 15},
    "60 min, no buffers": {"duration": 60, "before": 0, "after": 0},
    "4 hours, 15 min buffers (fits nowhere)": {"duration": 240, "before": 15, "after": 15},
}


def measure(runs: int = 200, users: int = 15) -> dict[str, Any]:
    """Build the data, time each search ``runs`` times, roll everything back."""
    from django.conf import settings
    from django.db import connection, transaction

    from arki.calendars.selectors import find_times

    zone = ZoneInfo(settings.TIME_ZONE)
    results: dict[str, Any] = {}
    with transaction.atomic():
        data = build(users=users)
        if connection.vendor == "sqlite":
            connection.cursor().execute("ANALYZE")
        earliest = datetime.combine(data["start"], time(7), tzinfo=zone)
        for name, search in SEARCHES.items():
            timings, cpu_times, found = [], [], []
            for i in range(runs + 5):
                started, cpu = clock.perf_counter(), clock.process_time()
                proposals = find_times(
                    users=data["users"],
                    duration=timedelta(minutes=search["duration"]),
                    earliest=earliest + timedelta(hours=i % 48),
                    buffer_before=timedelta(minutes=search["before"]),
                    buffer_after=timedelta(minutes=search["after"]),
                    limit=6,
                )
                if i >= 5:  # the first runs warm the caches
                    timings.append((clock.perf_counter() - started) * 1000)
                    cpu_times.append((clock.process_time() - cpu) * 1000)
                    found.append(len(proposals))
            p50, p95 = p50_p95(timings)
            cpu_p50, cpu_p95 = p50_p95(cpu_times)
            results[name] = {
                "p50_ms": p50,
                "p95_ms": p95,
                "max_ms": round(max(timings), 1),
                "cpu_p50_ms": cpu_p50,
                "cpu_p95_ms": cpu_p95,
                "proposals": round(statistics.mean(found), 1),
            }
        transaction.set_rollback(True)
    return {
        "users": users,
        "busy_times": data["busy_times"],
        "slots": data["slots"],
        "runs": runs,
        "database": connection.vendor,
        "searches": results,
    }


def markdown(result: dict[str, Any]) -> str:
    rows = [
        f"Slot finder ({result['database']}, in-process, {result['runs']} runs each): "
        f"{result['users']} invitees, {result['busy_times']} busy times over six months, "
        f"{result['slots']} common slots.",
        "",
        "| search | p50 ms | p95 ms | max ms | CPU p50 ms | CPU p95 ms | times found "
        "| p95 < 50 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r in result["searches"].items():
        ok = "pass" if r["p95_ms"] < TARGET_P95_MS else "**FAIL**"
        rows.append(
            f"| {name} | {r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} | {r['cpu_p50_ms']} "
            f"| {r['cpu_p95_ms']} | {r['proposals']} | {ok} |"
        )
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--users", type=int, default=15)
    args = parser.parse_args()
    from arki.bench.__main__ import RESULTS, _configure, _ensure_postgres_database, _manage

    RESULTS.mkdir(exist_ok=True)
    _configure(args, "slots")
    if os.environ.get("DATABASE_URL"):
        _ensure_postgres_database(False)
    _manage("migrate", "--no-input", "-v", "0")
    import django

    django.setup()
    result = measure(runs=args.runs, users=args.users)
    print(markdown(result))
    return 0 if all(r["p95_ms"] < TARGET_P95_MS for r in result["searches"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
