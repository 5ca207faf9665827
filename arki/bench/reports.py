"""Meeting report rendering: snapshot, HTML and PDF of a realistic network meeting, in-process.

    python -m arki.bench.reports [--renders 20] [--invitees 14]

The meeting has 14 invitees (guardians, professionals, the family's own network), notes in
every agenda phase, ten proposals (seven accepted, so seven agreed actions) and a responsible
pair, made through the services as in the app. Measured: making the report (its snapshot) and
rendering it as the HTML page and as the PDF, each ``--renders`` times after one warm-up.
SQLite in bench-results/ (the file is rebuilt each run), or PostgreSQL when DATABASE_URL is set
(database ``arki_bench_reports``). Target: p95 under 500 ms for each. Wall-clock time is what
the target is about; CPU time (of this process) is shown next to it, because on a shared machine
the wall clock also counts the time spent waiting for a core. ``make bench`` runs it too, on its
own data set, and rolls the meeting back.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from arki.bench.stats import summary_ms

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench-results"
TARGET_P95_MS = 500.0
NAME = "reports"

NOTE = (
    "{who} kertoi, miten arki on sujunut viime viikkoina: aamut ovat kiireisiä, koulumatka "
    "jännittää ja illat venyvät. Yhdessä mietittiin, mikä on jo auttanut ja mitä voisi vielä "
    "kokeilla. Perhe toivoi, että asioista puhutaan heidän omin sanoin ja että kaikki tietävät, "
    "kuka tekee mitä ja milloin."
)


def _configure() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "arki.settings")
    os.environ.update({"ARKI_DEBUG": "0", "ARKI_TESTING": "0", "LOG_LEVEL": "ERROR"})
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-" + "x" * 40)
    if os.environ.get("DATABASE_URL"):
        from urllib.parse import urlparse, urlunparse

        url = urlparse(os.environ["DATABASE_URL"])
        os.environ["DATABASE_URL"] = urlunparse(url._replace(path=f"/arki_bench_{NAME}"))
    else:
        path = RESULTS / f"bench-{NAME}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        os.environ["ARKI_SQLITE_PATH"] = str(path)


def _setup_database() -> None:
    import django
    from django.core.management import call_command

    if os.environ.get("DATABASE_URL"):
        from arki.bench.__main__ import _ensure_postgres_database

        _ensure_postgres_database(regenerate=True)
    django.setup()
    call_command("migrate", "--no-input", verbosity=0)


def build_meeting(invitee_count: int = 14) -> Any:
    """A held meeting with everything its report shows; returns it (the chair is its chair)."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from arki.accounts.models import Membership, Qualification, Role, User
    from arki.meetings import services
    from arki.meetings.models import (
        ConsentChannel,
        ConsentScope,
        InviteeKind,
        NetworkMeeting,
        Phase,
    )
    from arki.organisations.models import Area, Sector, Setting, Tenant, Unit
    from arki.people.models import Child, ChildRelationship, Guardian, Guardianship

    stamp = timezone.now().strftime("%H%M%S%f")
    tenant = Tenant.objects.create(name="Bench county", slug=f"bench-{stamp}", country="FI")
    area = Area.objects.create(tenant=tenant, name="Vaasa")
    unit = Unit.objects.create(
        tenant=tenant, area=area, name="Perhekeskus", sector=Sector.ECEC, setting=Setting.ECEC
    )
    password = make_password(None)

    def staff(n: int, title: str) -> Any:
        user = User.objects.create(
            username=f"bench-{stamp}-{n}",
            email=f"staff{n}.{stamp}@bench.fi",
            first_name=f"Työntekijä{n}",
            last_name="Penkki",
            title=title,
            phone=f"040 000 {n:04d}",
            password=password,
        )
        Membership.objects.create(user=user, tenant=tenant, unit=unit, role=Role.WORKER)
        return user

    chair = staff(0, "sosiaaliohjaaja")
    Qualification.objects.create(user=chair, kind="network_meeting", completed_on=date(2024, 1, 1))
    child = Child.objects.create(
        tenant=tenant, first_name="Eetu", last_name="Esimerkki", birth_date=date(2017, 5, 4)
    )
    ChildRelationship.objects.create(child=child, user=chair, kind="responsible")
    guardians = []
    for n, language in enumerate(("fi", "sv")):
        guardian = Guardian.objects.create(
            tenant=tenant,
            first_name=f"Huoltaja{n}",
            last_name="Esimerkki",
            email=f"g{n}.{stamp}@bench.fi",
            preferred_language=language,
        )
        Guardianship.objects.create(child=child, guardian=guardian)
        guardians.append(guardian)
    family = guardians[0]

    meeting = services.meeting_plan(
        actor=chair,
        child=child,
        reason="Arki on perheelle raskasta ja koulunkäynti on alkanut takkuilla.",
        topics="Aamut, koulumatka, illat ja harrastukset",
    )
    starts = (timezone.localtime() + timedelta(days=1)).replace(hour=13, minute=0)
    services.meeting_schedule(
        actor=chair,
        meeting=meeting,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1, minutes=30),
        location="Perhekeskus, neuvotteluhuone 2",
    )
    professionals = []
    others = max(invitee_count - len(guardians), 0)
    for n in range(others):
        if n % 3 == 2:
            invitee = services.invitee_add(
                actor=chair,
                meeting=meeting,
                kind=InviteeKind.NETWORK_PERSON,
                name=f"Läheinen {n}",
                email=f"near{n}.{stamp}@bench.fi",
                role_label="isovanhempi",
                expected_contribution="Voi hakea Eetun koulusta tiistaisin",
            )
        else:
            user = staff(n + 1, "koulukuraattori" if n % 2 else "terveydenhoitaja")
            invitee = services.invitee_add(
                actor=chair,
                meeting=meeting,
                kind=InviteeKind.PROFESSIONAL,
                user=user,
                role_label=user.title,
                expected_contribution="Kertoo, miten koulussa on mennyt",
            )
            professionals.append(user)
        services.invitee_approve(
            actor=family, invitee=invitee, approved=True, channel=ConsentChannel.PORTAL
        )
        for scope in (ConsentScope.ATTEND, ConsentScope.MEETING_REPORT):
            services.consent_give(
                actor=family, invitee=invitee, scope=scope, channel=ConsentChannel.PORTAL
            )
    for phase in Phase:
        services.phase_note_save(
            actor=chair,
            meeting=meeting,
            phase=phase.value,
            text="\n\n".join(NOTE.format(who=f"Osallistuja {i}") for i in range(3)),
            expected_version=0,
        )
    for n in range(10):
        proposal = services.proposal_add(
            actor=chair,
            meeting=meeting,
            text=f"Ehdotus {n + 1}: tukea aamuihin ja koulumatkaan, kokeillaan kuukausi",
            proposed_by=f"Osallistuja {n}",
            owner=f"Työntekijä{n + 1} Penkki",
            due_on=timezone.localdate() + timedelta(days=14 + n),
        )
        if n < 7:
            services.proposal_decide(
                actor=family, proposal=proposal, accepted=True, channel=ConsentChannel.IN_MEETING
            )
    # The meeting's time comes (set directly: scheduling refuses a time in the past).
    NetworkMeeting.objects.filter(pk=meeting.pk).update(
        starts_at=starts - timedelta(days=2), ends_at=starts - timedelta(days=2, minutes=-90)
    )
    meeting.refresh_from_db()
    services.meeting_hold(
        actor=chair,
        meeting=meeting,
        took_part=[str(i.pk) for i in meeting.invitees.all()][:-1],
    )
    services.responsible_workers_name(
        actor=chair, meeting=meeting, workers=[chair, *professionals[:1]]
    )
    meeting.refresh_from_db()
    return meeting


def _time(fn: Any, runs: int) -> tuple[dict[str, float], Any]:
    result = fn()  # warm up: templates, translations, fonts
    times, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    summary = summary_ms(times)
    cpu_summary = summary_ms(cpu)
    summary.update(cpu_p50_ms=cpu_summary["p50_ms"], cpu_p95_ms=cpu_summary["p95_ms"])
    return summary, result


def measure(meeting: Any, *, renders: int = 20, language: str = "sv") -> dict[str, Any]:
    """p50/p95 of making the snapshot, rendering the HTML page and rendering the PDF."""
    from django.db import transaction

    from arki.meetings import pdf, reports
    from arki.meetings.models import MeetingReport

    class Rollback(Exception):
        pass

    def create() -> Any:
        # Each run makes version 1 again: the version made is rolled back.
        made = None
        try:
            with transaction.atomic():
                made = reports.report_create(actor=meeting.chair, meeting=meeting)
                raise Rollback
        except Rollback:
            return made

    snapshot, _ = _time(create, renders)
    report = reports.report_create(actor=meeting.chair, meeting=meeting)
    report = MeetingReport.objects.select_related("meeting").get(pk=report.pk)
    html, page = _time(
        lambda: pdf.render_report(
            report, language=language, template="meetings/report.html", full_case=True
        ),
        renders,
    )
    printed, content = _time(lambda: pdf.render_pdf(report, language=language), renders)
    kept, _ = _time(lambda: pdf.report_pdf(report, language=language), renders)
    return {
        "load": " ".join(f"{v:.1f}" for v in os.getloadavg()),
        "invitees": meeting.invitees.count(),
        "phases": len(report.snapshot["phases"]),
        "proposals": len(report.snapshot["proposals"]),
        "actions": len(report.snapshot["actions"]),
        "responsible": len(report.snapshot["responsible"]),
        "html_bytes": len(page),
        "pdf_bytes": len(content),
        "snapshot": snapshot,
        "html": html,
        "pdf": printed,
        "pdf_kept": kept,
    }


def markdown(result: dict[str, Any], target: float = TARGET_P95_MS) -> str:
    rows = [
        "| step | p50 ms | p95 ms | CPU p50 ms | CPU p95 ms | runs | p95 < 500 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, label in (
        ("snapshot", "make the report (snapshot)"),
        ("html", "render the HTML page"),
        ("pdf", "render the PDF"),
        ("pdf_kept", "the PDF again (a kept render)"),
    ):
        t = result[key]
        verdict = "pass" if t["p95_ms"] < target else "**fail**"
        rows.append(
            f"| {label} | {t['p50_ms']} | {t['p95_ms']} | {t['cpu_p50_ms']} | {t['cpu_p95_ms']} "
            f"| {t['n']} | {verdict} |"
        )
    rows.append("")
    rows.append(f"Load average while measuring: {result['load']}.")
    rows.append(
        f"Meeting: {result['invitees']} invitees, {result['phases']} phases with notes, "
        f"{result['proposals']} proposals, {result['actions']} agreed actions, "
        f"{result['responsible']} responsible workers; PDF {result['pdf_bytes'] // 1024} KiB."
    )
    return "\n".join(rows)


def passed(result: dict[str, Any], target: float = TARGET_P95_MS) -> bool:
    return all(result[key]["p95_ms"] < target for key in ("snapshot", "html", "pdf"))


def measure_rolled_back(renders: int = 20, invitees: int = 14) -> dict[str, Any]:
    """Build, measure and roll back, in a database already set up (``make bench`` uses this)."""
    from django.db import transaction

    class Done(Exception):
        pass

    try:
        with transaction.atomic():
            result = measure(build_meeting(invitees), renders=renders)
            raise Done
    except Done:
        pass
    result["markdown"] = markdown(result)
    result["passed"] = passed(result)
    return result


def run(renders: int = 20, invitees: int = 14) -> dict[str, Any]:
    """Set up the bench database, build the meeting and measure (for ``arki.bench``)."""
    RESULTS.mkdir(exist_ok=True)
    _configure()
    _setup_database()
    result = measure_rolled_back(renders=renders, invitees=invitees)
    (RESULTS / "reports.json").write_text(json.dumps(result, indent=2))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("--invitees", type=int, default=14)
    args = parser.parse_args(argv)
    result = run(renders=args.renders, invitees=args.invitees)
    print(result["markdown"])
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
