"""Measurements: query counts in-process, PDF render time, latency under concurrent clients."""

from __future__ import annotations

import http.client
import threading
import time
from typing import Any

from arki.bench import personas
from arki.bench.stats import summary_ms

MAX_REQUESTS_PER_THREAD = 5000


PERSONA_KEYS = ("worker", "nurse", "social_worker", "coordinator")


def query_counts(ids: dict) -> dict[str, dict[str, int]]:
    """Queries per page of every persona, then again after each persona with a caseload has
    ten more children (rolled back): the counts must not grow with the caseload."""
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from arki.accounts.models import User

    users = {key: User.objects.get(pk=ids[key]) for key in PERSONA_KEYS}

    def count_all() -> dict[str, int]:
        counts = {}
        for name, (key, path) in personas.pages(ids).items():
            client = Client()
            client.force_login(users[key])
            client.get(path)  # warm the session
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(path)
            assert response.status_code == 200, (name, response.status_code)
            counts[name] = len(ctx.captured_queries)
        return counts

    before = count_all()
    with transaction.atomic():
        personas.grow(users)
        after = count_all()
        transaction.set_rollback(True)
    return {name: {"before": before[name], "after": after[name]} for name in before}


def pdf_times(ids: dict, renders: int) -> dict[str, float]:
    from arki.discussions.models import Discussion
    from arki.discussions.pdf import action_plan_pdf

    discussion = Discussion.objects.select_related("child", "lead", "unit").get(
        pk=ids["discussion"]
    )
    action_plan_pdf(discussion, language="fi")  # warm fonts
    times = []
    for _ in range(renders):
        started = time.perf_counter()
        action_plan_pdf(discussion, language="fi")
        times.append((time.perf_counter() - started) * 1000)
    return summary_ms(times)


def _session_cookie(user_id: str) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from arki.accounts.models import User

    user = User.objects.get(pk=user_id)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "arki.accounts.backends.StaffBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"sessionid={session.session_key}"


def load(port: int, ids: dict, *, seconds: float, threads: int) -> dict[str, dict]:
    cookies = {key: _session_cookie(ids[key]) for key in PERSONA_KEYS}
    results = {}
    for name, (key, path) in personas.pages(ids).items():
        latencies: list[float] = []
        errors: list[int] = []
        lock = threading.Lock()
        deadline = time.perf_counter() + seconds

        def client(
            key: str = key,
            path: str = path,
            deadline: float = deadline,
            lock=lock,
            latencies: list[float] = latencies,
            errors: list[int] = errors,
        ) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine, bad = [], []
            for _ in range(MAX_REQUESTS_PER_THREAD):
                if time.perf_counter() >= deadline:
                    break
                started = time.perf_counter()
                conn.request("GET", path, headers={"Cookie": cookies[key]})
                response = conn.getresponse()
                response.read()
                mine.append((time.perf_counter() - started) * 1000)
                if response.status != 200:
                    bad.append(response.status)
            conn.close()
            with lock:
                latencies.extend(mine)
                errors.extend(bad)

        started = time.perf_counter()
        workers = [threading.Thread(target=client) for _ in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        elapsed = time.perf_counter() - started
        results[name] = {
            **summary_ms(latencies),
            "rps": round(len(latencies) / elapsed, 1),
            "errors": len(errors),
        }
    return results


def report(size, latency, queries, pdf, target_p95, target_ratio) -> dict[str, Any]:
    trivial = latency["trivial view (/health/)"]["rps"]
    rows = [
        "| page | p50 ms | p95 ms | req/s | ratio to trivial | queries (caseload +10) "
        f"| p95 < {target_p95:g} ms | ratio ≥ {target_ratio:g} |",
        "|---|---|---|---|---|---|---|---|",
    ]
    queries_ok = True
    for name, result in latency.items():
        ratio = round(result["rps"] / trivial, 2) if trivial else 0
        q = queries[name]
        grows = q["after"] > q["before"]
        queries_ok &= not grows
        rows.append(
            f"| {name} | {result['p50_ms']} | {result['p95_ms']} | {result['rps']} | {ratio} "
            f"| {q['before']} → {q['after']}{' GROWS' if grows else ''} "
            f"| {'pass' if result['p95_ms'] < target_p95 else 'FAIL'} "
            f"| {'pass' if ratio >= target_ratio or name.startswith('trivial') else 'FAIL'} |"
        )
        if result["errors"]:
            rows[-1] += f" ({result['errors']} non-200 responses)"
    rows.append("")
    rows.append(
        f"Action plan PDF: p50 {pdf['p50_ms']} ms, p95 {pdf['p95_ms']} ms "
        f"({pdf['n']} renders, in-process)."
    )
    rows.append(
        f"Data: {size.children} children, {size.discussions} discussions, "
        f"{size.staff} staff, {size.audit_events} audit events."
    )
    return {
        "size": size.__dict__,
        "latency": latency,
        "queries": queries,
        "pdf": pdf,
        "queries_ok": queries_ok,
        "markdown": "\n".join(rows),
    }
