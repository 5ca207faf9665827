from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from arki.organisations.models import Tenant
from arki.training.imports import ImportFailed, import_file


class Command(BaseCommand):
    help = "Import already-trained staff from a CSV or XLSX file: all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("tenant", help="the tenant's short name (slug)")
        parser.add_argument("file", type=Path)
        parser.add_argument("--language", default=None, help="language of the error messages")

    def handle(self, *args, tenant, file, language=None, **options):
        try:
            tenant_row = Tenant.objects.get(slug=tenant)
        except Tenant.DoesNotExist as exc:
            raise CommandError(f"No tenant {tenant!r}") from exc
        with translation.override(language or tenant_row.default_language or "fi"):
            try:
                count = import_file(
                    actor=None, tenant=tenant_row, content=file.read_bytes(), filename=file.name
                )
            except ImportFailed as failure:
                for error in failure.errors:
                    self.stderr.write(f"row {error.row}, {error.column or '-'}: {error.message}")
                raise CommandError(str(failure.message)) from failure
        self.stdout.write(f"{count} qualifications imported")
