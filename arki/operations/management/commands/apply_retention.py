"""Apply every tenant's retention rules: apply_retention [--dry-run] [--tenant SLUG]."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from arki.operations.retention import RECORD_TYPES, Due, apply_retention
from arki.organisations.models import Tenant


class Command(BaseCommand):
    help = (
        "Delete or anonymise the records past each tenant's retention periods (idempotent, "
        "audited). With --dry-run, list what would be done and change nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list only, change nothing")
        parser.add_argument("--tenant", default="", help="one tenant's short name")

    def handle(self, *args, **options) -> None:
        tenants = None
        if options["tenant"]:
            tenants = list(Tenant.objects.filter(slug=options["tenant"]))
            if not tenants:
                raise CommandError(f"No tenant {options['tenant']!r}.")
        dry_run = options["dry_run"]
        runs = apply_retention(dry_run=dry_run, tenants=tenants)
        total = 0
        for run in runs:
            self.stdout.write(f"{run.tenant.slug}:")
            for code, result in run.results.items():
                spec = RECORD_TYPES[code]
                if isinstance(result, Due):
                    total += result.count
                    self.stdout.write(f"  {code}: would {spec.action} {result.count}")
                    for name in result.names:
                        self.stdout.write(f"    {name}")
                    if result.count > len(result.names):
                        self.stdout.write(f"    … and {result.count - len(result.names)} more")
                else:
                    total += result
                    self.stdout.write(f"  {code}: {spec.action} {result}")
        verb = "would be deleted or anonymised" if dry_run else "deleted or anonymised"
        self.stdout.write(f"{total} records {verb} in {len(runs)} tenants.")
