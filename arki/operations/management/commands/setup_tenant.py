"""Set up a real tenant from a CSV or XLSX file of its units: setup_tenant FILE --name … --slug …"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from arki.core.tables import ImportFailed, read_table
from arki.operations.services import parse_units, tenant_setup


class Command(BaseCommand):
    help = (
        "Create a tenant, its areas and units from a CSV/XLSX file (columns area, unit, sector, "
        "optional setting) and its first administrator. Idempotent."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--name", required=True, help="the county's or region's name")
        parser.add_argument("--slug", required=True, help="short name used in addresses")
        parser.add_argument("--country", default="FI", choices=["FI", "DK"])
        parser.add_argument("--admin-username", default="")
        parser.add_argument("--admin-email", default="")
        parser.add_argument("--admin-name", default="")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        try:
            units = parse_units(read_table(path.read_bytes(), path.name))
            result = tenant_setup(
                name=options["name"],
                slug=options["slug"],
                country=options["country"],
                units=units,
                admin_username=options["admin_username"],
                admin_email=options["admin_email"],
                admin_name=options["admin_name"],
            )
        except OSError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        except ImportFailed as failure:
            lines = [f"row {e.row} {e.column}: {e.message}" for e in failure.errors]
            raise CommandError("Nothing was set up.\n" + "\n".join(lines)) from failure
        self.stdout.write(
            f"{result.tenant.name}: {result.areas_created} areas and {result.units_created} "
            "units created."
        )
        if result.admin_password:
            self.stdout.write(
                f"Administrator {result.admin.username if result.admin else ''}: password "
                f"{result.admin_password} (shown once; two-step login is set up at first sign-in)."
            )
