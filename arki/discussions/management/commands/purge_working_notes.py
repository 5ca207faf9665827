from __future__ import annotations

from django.core.management.base import BaseCommand

from arki.discussions.services import purge_working_notes


class Command(BaseCommand):
    help = "Delete the working notes of closed discussions past the retention period (idempotent)."

    def handle(self, *args, **options):
        count = purge_working_notes()
        self.stdout.write(f"Working notes deleted from {count} discussions.")
