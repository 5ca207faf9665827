from __future__ import annotations

from django.core.management.base import BaseCommand

from arki.calendars.services import purge_past_busy_times


class Command(BaseCommand):
    help = "Delete staff busy times that ended more than 30 days ago (idempotent)."

    def handle(self, *args, **options):
        count = purge_past_busy_times()
        self.stdout.write(f"Past busy times deleted: {count}.")
