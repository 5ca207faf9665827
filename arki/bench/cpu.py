"""CPU time per request, in-process, for the pages `make bench` measures.

    python -m arki.bench.cpu [--data bench-results/bench-30000-…sqlite3] [--requests 40]
                             [--profile] [--sort tottime] [--top 40] [page ...]

The Django test client against an existing benchmark data set (``python -m arki.bench``
makes one). It counts the process's CPU time, so waiting for a busy machine's CPU is not
counted: the reliable before/after comparison of a change (the server benchmark's throughput
also moves with whatever else the machine runs). ``--profile`` prints a cProfile of the same
requests. Requests write audit events and sessions into the data set, as they do under load.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
from pathlib import Path

from arki.bench import production_environment

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = ROOT / "bench-results" / "bench-30000-60000-2000-1000000.sqlite3"
SHORT_NAMES = {
    "trivial": "trivial view (/health/)",
    "home": "teacher: home",
    "child": "teacher: child page",
    "discussion": "teacher: discussion page",
    "nurse": "nurse: child list",
    "nursestate": "nurse: child list, by state",
    "meeting": "social worker: meeting page",
    "audit": "coordinator: audit search",
    "audit0": "coordinator: audit search, no match",
    "dashboard": "coordinator: indicator dashboard",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pages", nargs="*", help=", ".join(SHORT_NAMES))
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)
    unknown = [p for p in args.pages if p not in SHORT_NAMES]
    if unknown:
        parser.error(f"unknown page {unknown[0]!r}: choose from {', '.join(SHORT_NAMES)}")
    ids_file = args.data.with_suffix(".json")
    if not args.data.exists() or not ids_file.exists():
        print(f"No data set at {args.data}: run `python -m arki.bench` first.", file=sys.stderr)
        return 2
    os.environ.update(production_environment())
    os.environ["ARKI_SQLITE_PATH"] = str(args.data)
    import django

    django.setup()
    from django.test import Client

    from arki.accounts.models import User
    from arki.bench.measure import PERSONA_KEYS
    from arki.bench.personas import pages as persona_pages

    ids = json.loads(ids_file.read_text())
    pages = persona_pages(ids)
    clients = {}
    for key in PERSONA_KEYS:
        clients[key] = Client()
        clients[key].force_login(User.objects.get(pk=ids[key]))
    for short in args.pages or list(SHORT_NAMES):
        key, path = pages[SHORT_NAMES[short]]
        client = clients[key]
        for _ in range(5):  # warm caches and the session
            response = client.get(path)
            if response.status_code != 200:
                print(f"{short}: {path} answered {response.status_code}", file=sys.stderr)
                return 1
        started = time.process_time()
        for _ in range(args.requests):
            client.get(path)
        cpu_ms = (time.process_time() - started) / args.requests * 1000
        print(f"{short}: {cpu_ms:.1f} ms CPU per request ({args.requests} requests)")
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.requests):
                client.get(path)
            profile.disable()
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
