from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import translation

from arki.demo.loader import PASSWORD, load


class Command(BaseCommand):
    help = "Load the demo county (idempotent) and print the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, default=300)

    def handle(self, *args, children, **options):
        translation.activate("en")
        result = load(children=children)
        self.stdout.write(
            "Demo county loaded." if result.created else "Demo county already loaded."
        )
        self.stdout.write(f"\nDemo accounts (password for all: {PASSWORD}):\n")
        width = max(len(row[0]) for row in result.accounts)
        for username, role, unit, what in result.accounts:
            self.stdout.write(f"  {username.ljust(width)}  {role} · {unit} — {what}")
        self.stdout.write("\nOpen http://127.0.0.1:8000 and log in.\n")
