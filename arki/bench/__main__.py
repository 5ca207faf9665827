"""`make bench`: county-scale data, a production server, concurrent clients, a report.

    python -m arki.bench [--quick] [--scale 0.1] [--regenerate] [--seconds 8] [--threads 8]
    python -m arki.bench --national [--scale 0.01] [--runs 15]    (see national.py)

SQLite by default (bench-results/), PostgreSQL when DATABASE_URL is set (database arki_bench).
Only loopback is used; every load loop is bounded in time and count.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from arki.bench import production_environment

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench-results"
TARGET_P95_MS = 100.0
TARGET_RATIO = 0.25


def _configure(args: argparse.Namespace, name: str) -> None:
    os.environ.update(production_environment())
    if os.environ.get("DATABASE_URL"):
        url = urlparse(os.environ["DATABASE_URL"])
        os.environ["DATABASE_URL"] = urlunparse(url._replace(path=f"/arki_bench_{name}"))
    else:
        os.environ["ARKI_SQLITE_PATH"] = str(RESULTS / f"bench-{name}.sqlite3")


def _ensure_postgres_database(regenerate: bool) -> bool:
    """Create the bench database if needed; True if it was (re)created."""
    import psycopg

    url = urlparse(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    admin = urlunparse(url._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and regenerate:
            conn.execute(f'DROP DATABASE "{name}"')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            return True
    return False


def _manage(*argv: str) -> None:
    subprocess.run([sys.executable, "manage.py", *argv], cwd=ROOT, check=True, env=os.environ)


def prepare(args: argparse.Namespace, size, name: str) -> dict[str, object]:
    # The ids of the generated rows, one file per database (SQLite and PostgreSQL runs of the
    # same size must not read each other's ids).
    backend = "-pg" if os.environ.get("DATABASE_URL") else ""
    marker = RESULTS / f"bench-{name}{backend}.json"
    fresh = args.regenerate or not marker.exists()
    if os.environ.get("DATABASE_URL"):
        fresh = _ensure_postgres_database(args.regenerate) or fresh
    elif fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(os.environ["ARKI_SQLITE_PATH"] + suffix).unlink(missing_ok=True)
    # Always: a data set made by an older version gets the newer migrations (indexes too).
    _manage("migrate", "--no-input", "-v", "0")
    _manage("collectstatic", "--no-input", "-v", "0")
    import django

    django.setup()
    if fresh:
        from arki.bench.data import generate

        started = time.perf_counter()
        ids: dict[str, object] = dict(generate(size))
        ids["generated_seconds"] = round(time.perf_counter() - started, 1)
        marker.write_text(json.dumps(ids))
        print(f"Generated {size} in {ids['generated_seconds']} s")
    return json.loads(marker.read_text())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve() -> tuple[subprocess.Popen, int]:
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "arki.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "3",
            "-k",
            "gthread",
            "--threads",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ,
    )
    import http.client

    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/health/")
            if conn.getresponse().status == 200:
                return server, port
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start")


def main() -> int:
    if "--national" in sys.argv:  # the indicator dashboard at national scale (national.py)
        from arki.bench import national

        return national.main([a for a in sys.argv[1:] if a != "--national"])
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small data, short run")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    from arki.bench.data import Size

    size = Size().scaled(0.01 if args.quick else args.scale)
    # "p": the data set with the personas (personas.py); an older one is generated anew.
    name = f"{size.children}-{size.discussions}-{size.staff}-{size.audit_events}-p"
    _configure(args, name)
    ids = prepare(args, size, name)
    from arki.bench import measure

    queries = measure.query_counts(ids)
    pdf = measure.pdf_times(ids, renders=5 if args.quick else 20)
    from arki.bench import reports as meeting_reports  # the meeting report (issue #3)

    report_rendering = meeting_reports.measure_rolled_back(renders=5 if args.quick else 20)
    server, port = serve()
    try:
        seconds = args.seconds or (2.0 if args.quick else 8.0)
        latency = measure.load(port, ids, seconds=seconds, threads=args.threads)
    finally:
        server.terminate()
        server.wait(timeout=20)
    report = measure.report(size, latency, queries, pdf, TARGET_P95_MS, TARGET_RATIO)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, default=str))
    print(report["markdown"])
    print("\n## Meeting report rendering\n\n" + report_rendering["markdown"])
    from arki.bench import slots  # the slot finder, in-process (arki/bench/slots.py)

    print("\n" + slots.markdown(slots.measure(runs=20 if args.quick else 200)))
    return 0 if report["queries_ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
