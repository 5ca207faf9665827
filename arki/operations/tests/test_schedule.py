"""The scheduled jobs' file is valid, names real commands, and each job runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from arki.operations.management.commands.run_schedule import run_job
from arki.operations.schedule import ScheduleError, read_schedule

CRONTAB = Path(settings.BASE_DIR) / "deploy" / "crontab"


def test_the_shipped_schedule_is_valid_and_complete():
    jobs = read_schedule(CRONTAB)
    commands = {job.command for job in jobs}
    # Every retention, reminder and chain job the project has is scheduled.
    assert {
        "seal_audit_chain",
        "verify_audit_chain",
        "run_outbox",
        "apply_retention",
        "send_meeting_reminders",
        "send_refresher_reminders",
    } <= commands


def test_a_bad_line_is_named(tmp_path):
    bad = tmp_path / "crontab"
    bad.write_text("* * * * * seal_audit_chain\n61 * * * * seal_audit_chain\n")
    with pytest.raises(ScheduleError, match="line 2"):
        read_schedule(bad)
    bad.write_text("# ok\n* * * * * no_such_command\n")
    with pytest.raises(ScheduleError, match="line 2: no management command 'no_such_command'"):
        read_schedule(bad)
    with pytest.raises(CommandError, match="line 2"):
        call_command("run_schedule", str(bad), "--check")


def test_check_counts_the_jobs(capsys):
    call_command("run_schedule", str(CRONTAB), "--check")
    assert f"{len(read_schedule(CRONTAB))} scheduled jobs" in capsys.readouterr().out


@pytest.mark.django_db
def test_each_job_runs_and_a_failure_is_logged_not_raised(world, caplog):
    from arki.audit import services as audit
    from arki.audit.models import AuditSeal

    audit.record(world.worker, "people.child.viewed", subjects=[world.child])
    [seal] = [job for job in read_schedule(CRONTAB) if job.command == "seal_audit_chain"]
    run_job(seal)
    assert AuditSeal.objects.count() == 1
    [verify] = [job for job in read_schedule(CRONTAB) if job.command == "verify_audit_chain"]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET basis = 'forged'")
    run_job(verify)  # does not raise: the scheduler goes on with the other jobs
    assert "scheduled job failed: verify_audit_chain" in caplog.text
