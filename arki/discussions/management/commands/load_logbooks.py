from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from arki.discussions import logbooks
from arki.discussions.services import logbook_import
from arki.organisations.models import Tenant


class Command(BaseCommand):
    help = "Load log book templates (Arki's shipped ones, or an organisation's own files)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="JSON files; none = the shipped templates")
        parser.add_argument("--tenant", help="slug of the county/region that owns the templates")

    def handle(self, *args, paths, tenant, **options):
        owner = None
        if tenant:
            owner = Tenant.objects.filter(slug=tenant).first()
            if owner is None:
                raise CommandError(f"No county or region with the short name “{tenant}”.")
        files = [Path(p) for p in paths] or logbooks.shipped_files()
        missing = [str(p) for p in files if not p.is_file()]
        if missing:
            raise CommandError("File not found: " + ", ".join(missing))
        problems = []
        documents = []
        for path in files:
            try:
                documents.append(logbooks.read_file(path))
            except logbooks.LogbookFileError as exc:
                problems += [f"{exc.source}: {error}" for error in exc.errors]
        if problems:
            raise CommandError(
                "Nothing was loaded. Fix these problems:\n  " + "\n  ".join(problems)
            )
        created = 0
        with transaction.atomic():
            for data in documents:
                _template, new = logbook_import(data=data, tenant=owner)
                created += int(new)
        self.stdout.write(
            f"{created} new log book templates, {len(documents) - created} already loaded."
        )
