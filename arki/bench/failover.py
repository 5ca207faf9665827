"""`make failover`: two app processes behind Caddy and one task worker, under the bench's load;
one app process is killed mid-run.

    DATABASE_URL=postgres://... python -m arki.bench.failover [--seconds 12] [--threads 8]

On PostgreSQL (database ``arki_failover``, made anew each run), with the bench's data set at a
small scale. Three phases, each with the same mix of worker pages:

1. one app process behind the proxy: its throughput;
2. two app processes behind the proxy: their throughput, reported against one;
3. two app processes, while a writer sends portal links (each a committed outbox email) through
   the proxy; half-way through, one app process and all its workers are killed (SIGKILL).

It fails (exit code 1) when a request is lost beyond those in flight when the process died,
when an outbox message is lost (a link whose page answered has no email) or sent twice (the
SMTP sink counts each Message-ID), or when the worker leaves a message unsent.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse, urlunparse

from arki.bench import production_environment
from arki.bench.__main__ import ROOT, _free_port, _manage
from arki.bench.stats import summary_ms

PAGES = ("/", "/children/")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _configure(smtp_port: int) -> str:
    os.environ.update(production_environment())
    url = urlparse(os.environ["DATABASE_URL"])
    os.environ["DATABASE_URL"] = urlunparse(url._replace(path="/arki_failover"))
    os.environ.update(
        {
            # Shared by the processes: sessions are in the database, and so is the cache.
            "ARKI_CACHE_BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "ARKI_CACHE_LOCATION": "arki_cache",
            "EMAIL_BACKEND": "smtp",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "LOG_LEVEL": "CRITICAL",
        }
    )
    return os.environ["DATABASE_URL"]


def _fresh_database(database_url: str) -> None:
    import psycopg

    url = urlparse(database_url)
    admin = urlunparse(url._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "arki_failover" WITH (FORCE)')
        conn.execute('CREATE DATABASE "arki_failover"')


def _wait_http(port: int, path: str = "/health/", seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"nothing answered on port {port}")


def _app(port: int) -> subprocess.Popen:
    """One app process: a gunicorn master with two threaded workers, in its own group."""
    command = [sys.executable, "-m", "gunicorn", "arki.wsgi", "-b", f"127.0.0.1:{port}"]
    command += ["-w", "2", "-k", "gthread", "--threads", "2", "--log-level", "error"]
    command += ["--no-control-socket"]  # two masters would share ~/.gunicorn/gunicorn.ctl
    process = subprocess.Popen(command, cwd=ROOT, env=os.environ, start_new_session=True)
    _wait_http(port)
    return process


def _proxy(port: int, upstreams: list[int], directory: Path) -> subprocess.Popen:
    caddyfile = directory / f"Caddyfile-{port}"
    caddyfile.write_text(
        "{\n\tadmin off\n\tauto_https off\n}\n"
        f":{port} {{\n"
        f"\treverse_proxy {' '.join(f'127.0.0.1:{p}' for p in upstreams)} {{\n"
        "\t\tlb_policy round_robin\n"
        "\t\tlb_try_duration 5s\n"
        "\t\tlb_try_interval 100ms\n"
        "\t\tfail_duration 30s\n"
        "\t\thealth_uri /health/\n"
        "\t\thealth_interval 1s\n"
        "\t\thealth_timeout 2s\n"
        "\t}\n}\n"
    )
    caddy = shutil.which("caddy") or "/usr/bin/caddy"
    process = subprocess.Popen(
        [caddy, "run", "--config", str(caddyfile), "--adapter", "caddyfile"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    _wait_http(port)
    return process


def _stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.failures: list[str] = []
        self.in_flight = 0

    def start(self) -> None:
        with self.lock:
            self.in_flight += 1

    def done(self, millis: float | None, failure: str = "") -> None:
        with self.lock:
            self.in_flight -= 1
            if failure:
                self.failures.append(failure)
            elif millis is not None:
                self.latencies.append(millis)


def _reader(port: int, cookie: str, deadline: float, tally: Tally) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    turn = 0
    while time.monotonic() < deadline:
        path = PAGES[turn % len(PAGES)]
        turn += 1
        tally.start()
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as error:
            tally.done(None, f"GET {path}: {type(error).__name__}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        if response.status == 200:
            tally.done((time.perf_counter() - started) * 1000)
        else:
            tally.done(None, f"GET {path}: {response.status}")
    conn.close()


def _cookie_value(cookie: str, headers: list[tuple[str, str]], name: str) -> str:
    for key, value in headers:
        if key.lower() == "set-cookie" and value.startswith(f"{name}="):
            return value.split(";", 1)[0]
    return cookie


def _writer(
    port: int, cookie: str, path: str, guardian: str, deadline: float, writes: dict[str, Any]
) -> None:
    """Send a portal link every 0.2 s: GET the form (its CSRF token), POST it."""
    csrf_cookie = ""
    while time.monotonic() < deadline:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            cookies = "; ".join(filter(None, [cookie, csrf_cookie]))
            conn.request("GET", path, headers={"Cookie": cookies})
            response = conn.getresponse()
            page = response.read().decode()
            csrf_cookie = _cookie_value(csrf_cookie, response.getheaders(), "csrftoken")
            token = CSRF_INPUT.search(page)
            if response.status != 200 or token is None:
                writes["form_failed"] += 1
                continue
            body = urlencode(
                {
                    "csrfmiddlewaretoken": token.group(1),
                    "recipient": guardian,
                    "code_delivery": "none",
                }
            )
            headers = {
                "Cookie": "; ".join([cookie, csrf_cookie]),
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{port}{path}",
                "Origin": f"http://127.0.0.1:{port}",
            }
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            answer = response.read().decode()
            if response.status == 200 and "errorlist" in answer:
                # The form came back with an error: a bench bug, not a failover (reported).
                writes["rejected"] += 1
                errors = re.findall(r'<ul class="errorlist[^>]*>(.*?)</ul>', answer, re.S)
                writes.setdefault("first_rejection", " ".join(errors)[:300])  # type: ignore[arg-type]
            else:
                writes["ok" if response.status == 200 else "failed"] += 1
        except (OSError, http.client.HTTPException):
            writes["failed"] += 1
        finally:
            conn.close()
        time.sleep(0.2)


def _run_load(port: int, cookie: str, seconds: float, threads: int) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + seconds
    readers = [
        threading.Thread(target=_reader, args=(port, cookie, deadline, tally))
        for _ in range(threads)
    ]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=12.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--scale", type=float, default=0.01)
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL server (make failover does)")
    # The test's SMTP sink (aiosmtpd): it records every message the worker hands over.
    from arki.notifications.tests.smtp_server import LoopbackSMTPServer

    sink = LoopbackSMTPServer().start()
    database_url = _configure(sink.port)
    _fresh_database(database_url)
    _manage("migrate", "--no-input", "-v", "0")
    _manage("createcachetable")
    _manage("collectstatic", "--no-input", "-v", "0")
    import django

    django.setup()
    from arki.bench.data import Size, generate
    from arki.bench.measure import _session_cookie
    from arki.notifications.models import OutboxMessage
    from arki.people.models import Guardian, Guardianship

    ids = generate(Size().scaled(args.scale))
    cookie = _session_cookie(ids["worker"])
    child = ids["child"]
    guardian = str(
        Guardianship.objects.filter(child_id=child).values_list("guardian_id", flat=True)[0]
    )
    Guardian.objects.filter(pk=guardian).update(email="failover@example.org")
    link_path = f"/portal/staff/children/{child}/links/new/"

    directory = Path(tempfile.mkdtemp(prefix="arki-failover-"))
    port_a, port_b, one_proxy, two_proxy = (_free_port() for _ in range(4))
    processes: list[subprocess.Popen] = []
    try:
        app_a, app_b = _app(port_a), _app(port_b)
        processes += [app_a, app_b]
        processes.append(_proxy(one_proxy, [port_a], directory))
        processes.append(_proxy(two_proxy, [port_a, port_b], directory))
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker"],
            cwd=ROOT,
            env=os.environ,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        processes.append(worker)

        one = _run_load(one_proxy, cookie, args.seconds, args.threads)
        two = _run_load(two_proxy, cookie, args.seconds, args.threads)

        writes: dict[str, Any] = {"ok": 0, "failed": 0, "form_failed": 0, "rejected": 0}
        deadline = time.monotonic() + args.seconds
        writer = threading.Thread(
            target=_writer, args=(two_proxy, cookie, link_path, guardian, deadline, writes)
        )
        tally = Tally()
        readers = [
            threading.Thread(target=_reader, args=(two_proxy, cookie, deadline, tally))
            for _ in range(args.threads)
        ]
        for thread in [writer, *readers]:
            thread.start()
        time.sleep(args.seconds / 2)
        with tally.lock:
            in_flight_at_kill = tally.in_flight
            answered_before_kill = len(tally.latencies)
        _stop(app_b, signal.SIGKILL)
        killed = app_b.poll() is not None
        for thread in [writer, *readers]:
            thread.join()

        # The worker delivers what the outbox holds; wait until nothing is left to send.
        links = OutboxMessage.objects.filter(kind="portal.link")
        wait_until = time.monotonic() + 120
        while links.exclude(status="sent").exists() and time.monotonic() < wait_until:
            time.sleep(0.5)
        rows = links.count()
        unsent = links.exclude(status="sent").count()
        message_ids = [str(m["Message-ID"]) for m in sink.messages]
        duplicates = len(message_ids) - len(set(message_ids))
        sent_ids = set(links.values_list("message_id", flat=True))
        missing = len(sent_ids - set(message_ids))
    finally:
        for process in reversed(processes):
            _stop(process)
        sink.stop()
        shutil.rmtree(directory, ignore_errors=True)

    rps_one = len(one.latencies) / args.seconds
    rps_two = len(two.latencies) / args.seconds
    lost = len(tally.failures) + writes["failed"] + writes["form_failed"]
    checks = {
        "one app process was killed mid-run": killed,
        "requests answered after the kill": len(tally.latencies) > answered_before_kill,
        "no request lost beyond those in flight": lost <= in_flight_at_kill + 1,
        "every answered link has its email": rows >= writes["ok"],
        "the writes were accepted": writes["ok"] > 0 and not writes["rejected"],
        "no link email beyond the attempted writes": rows <= writes["ok"] + writes["failed"],
        "every outbox message sent": unsent == 0,
        "no message sent twice": duplicates == 0,
        "every sent message reached the SMTP sink": missing == 0,
        "one process phase answered": not one.failures,
        "two process phase answered": not two.failures,
    }
    result: dict[str, Any] = {
        "seconds_per_phase": args.seconds,
        "threads": args.threads,
        "one_process": {**summary_ms(one.latencies), "rps": round(rps_one, 1)},
        "two_processes": {**summary_ms(two.latencies), "rps": round(rps_two, 1)},
        "two_to_one": round(rps_two / rps_one, 2) if rps_one else None,
        "failover": {
            "requests_answered": len(tally.latencies),
            "answered_before_kill": answered_before_kill,
            "requests_failed": tally.failures[:20],
            "in_flight_at_kill": in_flight_at_kill,
            "writes": writes,
            "outbox_rows": rows,
            "emails_received": len(message_ids),
            "duplicates": duplicates,
        },
        "load_average": os.getloadavg(),
        "checks": checks,
    }
    print(json.dumps(result, indent=2))
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
