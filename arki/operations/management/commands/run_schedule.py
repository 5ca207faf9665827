"""Run the scheduled jobs of a crontab-style file, one at a time, until stopped."""

from __future__ import annotations

import logging
from pathlib import Path

from apscheduler.schedulers.blocking import BlockingScheduler
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connections

from arki.operations.schedule import Job, ScheduleError, read_schedule

logger = logging.getLogger("arki.schedule")


def _drop_stale_connections() -> None:
    """Between jobs, as Django does between requests: close connections that broke or outlived
    CONN_MAX_AGE (never inside a transaction, where the connection is still in use)."""
    if not any(connection.in_atomic_block for connection in connections.all()):
        close_old_connections()


def run_job(job: Job) -> None:
    _drop_stale_connections()
    try:
        call_command(job.command, *job.args)
    except Exception:  # noqa: BLE001 - one failing job must not stop the others
        logger.exception("scheduled job failed: %s", job.command)
    finally:
        _drop_stale_connections()


class Command(BaseCommand):
    help = "Run the scheduled jobs listed in a crontab-style file (deploy/crontab)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", nargs="?", default="deploy/crontab")
        parser.add_argument("--check", action="store_true", help="Only check the file.")

    def handle(self, *args, file: str, check: bool, **options) -> None:
        try:
            jobs = read_schedule(Path(file))
        except (OSError, ScheduleError) as exc:
            raise CommandError(f"{file}: {exc}") from exc
        if check:
            self.stdout.write(f"{len(jobs)} scheduled jobs in {file}.")
            return
        scheduler = BlockingScheduler(timezone=settings.TIME_ZONE)
        for job in jobs:
            scheduler.add_job(
                run_job,
                job.trigger(settings.TIME_ZONE),
                args=[job],
                id=f"line-{job.line}",
                max_instances=1,
                coalesce=True,
                misfire_grace_time=300,
            )
        self.stdout.write(f"Running {len(jobs)} scheduled jobs from {file}.")
        scheduler.start()
