"""Restore drill: back up, destroy, restore to a point in time, verify.

Runs a throw-away PostgreSQL cluster with continuous WAL archiving through pgBackRest
(encrypted repository), loads Arki's data (the demo county, or the benchmark's county at a
scale), takes a full backup, makes changes, notes the target time, makes more changes, destroys
the cluster, restores it with pgBackRest to the target time, and checks that:

- every table has the row count it had at the target time (later changes gone, earlier kept),
- every audit event is intact (``verify_audit_chain`` over the restored chains),
- the app serves the restored data (``/readyz`` and a worker's home page with their children).

Run as root on a machine with PostgreSQL's server binaries (Debian's postgresql package):
    python deploy/backup/restore_drill.py [--data demo|county] [--scale 0.1]
(`make restore-drill` installs pgBackRest with apt when it is missing.) Prints each step's time.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = Path("/tmp/arki-restore-drill")  # noqa: S108 - a throw-away cluster, removed first
PORT = 5499
STANZA = "drill"
DB_URL = f"postgres://postgres@127.0.0.1:{PORT}/arki"
TIMINGS: list[tuple[str, float]] = []


def pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        sys.exit("PostgreSQL server binaries not found (apt-get install postgresql)")
    return found[-1]


def as_postgres(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(  # noqa: S603
        ["runuser", "-u", "postgres", "--", *args], check=False, text=True, capture_output=True
    )
    if check and result.returncode:
        sys.exit(f"{' '.join(args[:3])} failed:\n{result.stdout}\n{result.stderr}")
    return result


def pgbackrest(*args: str) -> str:
    result = as_postgres(
        "pgbackrest", f"--config={WORK}/pgbackrest.conf", f"--stanza={STANZA}", *args
    )
    return result.stdout


def psql(sql: str) -> str:
    result = as_postgres(
        "psql", "-h", "127.0.0.1", "-p", str(PORT), "-d", "arki", "-At", "-c", sql
    )
    return result.stdout.strip()


def manage(*args: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": DB_URL, "ARKI_DEBUG": "1", **(env or {})},
        check=False,
        text=True,
        capture_output=True,
    )
    if result.returncode:
        sys.exit(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def python(code: str) -> str:
    return manage("shell", "-c", code)


def step(name: str):
    class Timer:
        def __enter__(self):
            self.start = time.perf_counter()
            print(f"… {name}", flush=True)

        def __exit__(self, *exc):
            TIMINGS.append((name, time.perf_counter() - self.start))

    return Timer()


def start_cluster() -> None:
    as_postgres(pg_bin("pg_ctl"), "-D", str(WORK / "data"), "-l", str(WORK / "pg.log"), "-w", "start")


def stop_cluster() -> None:
    as_postgres(pg_bin("pg_ctl"), "-D", str(WORK / "data"), "-m", "fast", "-w", "stop", check=False)


def row_counts() -> dict[str, int]:
    tables = psql(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    ).split()
    union = " UNION ALL ".join(
        f"SELECT '{t}', count(*) FROM \"{t}\"" for t in tables  # noqa: S608 - catalogue names
    )
    return {
        name: int(count)
        for name, count in (line.split("|") for line in psql(union).splitlines())
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", choices=["demo", "county"], default="demo")
    parser.add_argument("--scale", type=float, default=0.1, help="for --data county")
    args = parser.parse_args()
    if shutil.which("pgbackrest") is None:
        sys.exit("pgBackRest is not installed (apt-get install pgbackrest)")

    stop_cluster() if (WORK / "data").exists() else None
    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "repo").mkdir(parents=True)
    (WORK / "pgbackrest.conf").write_text(
        "[global]\n"
        f"repo1-path={WORK}/repo\n"
        "repo1-cipher-type=aes-256-cbc\n"
        "repo1-cipher-pass=restore-drill-only-not-a-real-key\n"
        "repo1-retention-full=2\n"
        f"log-path={WORK}\n"
        f"lock-path={WORK}\n"
        "start-fast=y\n"
        f"[{STANZA}]\n"
        f"pg1-path={WORK}/data\n"
        f"pg1-port={PORT}\n"
        "pg1-socket-path=/tmp\n"
    )
    shutil.chown(WORK, "postgres")
    for path in WORK.rglob("*"):
        shutil.chown(path, "postgres")

    with step("create a cluster with WAL archiving"):
        as_postgres(pg_bin("initdb"), "-D", str(WORK / "data"), "--auth=trust", "-E", "UTF8")
        with (WORK / "data" / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {PORT}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '/tmp'\n"
                "wal_level = replica\narchive_mode = on\n"
                f"archive_command = 'pgbackrest --config={WORK}/pgbackrest.conf "
                f"--stanza={STANZA} archive-push %p'\n"
            )
        start_cluster()
        psql_admin = ["psql", "-h", "127.0.0.1", "-p", str(PORT), "-d", "postgres", "-c"]
        as_postgres(*psql_admin, "CREATE DATABASE arki")
        pgbackrest("stanza-create")

    with step(f"load data ({args.data})"):
        manage("migrate", "--no-input", "-v", "0")
        if args.data == "demo":
            manage("load_demo")
        else:
            python(
                "from arki.bench.data import Size, generate; "
                f"generate(Size().scaled({args.scale}))"
            )
        manage("seal_audit_chain")

    with step("full backup"):
        pgbackrest("--type=full", "backup")

    # Changes after the backup that the restore must keep (they are before the target)...
    python(
        "from arki.audit import services as audit; from arki.accounts.models import User; "
        "from arki.people.models import Child; "
        "user = User.objects.filter(memberships__isnull=False).first(); "
        "[audit.record(user, 'people.child.viewed', subjects=[c]) "
        " for c in Child.objects.all()[:25]]"
    )
    manage("seal_audit_chain")
    time.sleep(1.1)
    target = psql("SELECT now()")
    expected = row_counts()
    time.sleep(1.1)
    # ...and changes after the target that it must not bring back.
    python(
        "from arki.audit import services as audit; from arki.accounts.models import User; "
        "from arki.people.models import Child; "
        "user = User.objects.filter(memberships__isnull=False).first(); "
        "[audit.record(user, 'people.child.viewed', subjects=[c]) "
        " for c in Child.objects.all()[:40]]; "
        "Child.objects.filter(pk=Child.objects.order_by('pk').values('pk')[:1]).update("
        "first_name='AFTER-TARGET')"
    )
    manage("seal_audit_chain")
    segment = psql("SELECT pg_walfile_name(pg_current_wal_lsn())")
    psql("SELECT pg_switch_wal()")
    for _ in range(60):
        if psql("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver") >= segment:
            break
        time.sleep(0.5)
    else:
        sys.exit("the WAL was not archived")
    after = row_counts()
    assert after != expected, "the changes after the target must show in the counts"

    with step("destroy the cluster"):
        stop_cluster()
        shutil.rmtree(WORK / "data")

    with step("restore to the target time"):
        pgbackrest(
            "--type=time",
            f"--target={target}",
            "--target-action=promote",
            "restore",
        )
        start_cluster()
        for _ in range(120):
            if psql("SELECT pg_is_in_recovery()") == "f":
                break
            time.sleep(0.5)
        else:
            sys.exit("the restored cluster did not leave recovery")

    with step("verify"):
        restored = row_counts()
        differences = {
            t: (expected.get(t), restored.get(t))
            for t in expected.keys() | restored.keys()
            if expected.get(t) != restored.get(t)
        }
        assert not differences, f"row counts differ from the target time: {differences}"
        assert psql("SELECT count(*) FROM people_child WHERE first_name = 'AFTER-TARGET'") == "0"
        print(manage("verify_audit_chain").strip())
        served = python(
            "import json; from django.test import Client; "
            "from arki.accounts.models import User; from arki.people.models import Child; "
            "child = Child.objects.filter(relationships__isnull=False).first(); "
            "user = User.objects.get(pk=child.relationships.first().user_id); "
            "c = Client(); c.force_login(user); page = c.get('/', HTTP_ACCEPT_LANGUAGE='fi'); "
            "ready = Client().get('/readyz'); "
            "print(json.dumps({'ready': ready.status_code, 'home': page.status_code, "
            "'child_shown': child.first_name in page.content.decode()}))"
        )
        result = json.loads(served.strip().splitlines()[-1])
        assert result == {"ready": 200, "home": 200, "child_shown": True}, result

    stop_cluster()
    print(f"Restore drill passed ({args.data}, {sum(expected.values())} rows in "
          f"{len(expected)} tables, {expected.get('audit_auditevent', 0)} audit events).")
    for name, seconds in TIMINGS:
        print(f"  {name}: {seconds:.1f} s")


if __name__ == "__main__":
    main()
