"""The scheduled jobs' file: five cron fields, then a management command and its arguments."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

from apscheduler.triggers.cron import CronTrigger
from django.core.management import get_commands


class ScheduleError(ValueError):
    pass


@dataclass(frozen=True)
class Job:
    line: int
    cron: str
    command: str
    args: tuple[str, ...]

    def trigger(self, timezone: str) -> CronTrigger:
        return CronTrigger.from_crontab(self.cron, timezone=timezone)


def read_schedule(path: Path) -> list[Job]:
    """Every job in the file, checked: a bad line or an unknown command is an error that names
    the line, so that a scheduler never starts with half a schedule."""
    jobs = []
    known = get_commands()
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        parts = shlex.split(text)
        if len(parts) < 6:
            raise ScheduleError(f"line {number}: five cron fields and a command are needed")
        cron, (command, *args) = " ".join(parts[:5]), parts[5:]
        if command not in known:
            raise ScheduleError(f"line {number}: no management command {command!r}")
        try:
            CronTrigger.from_crontab(cron)
        except ValueError as exc:
            raise ScheduleError(f"line {number}: {exc}") from exc
        jobs.append(Job(number, cron, command, tuple(args)))
    return jobs
