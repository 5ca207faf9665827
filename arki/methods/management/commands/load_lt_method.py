from django.core.management.base import BaseCommand, CommandError

from arki.methods.lt import lt_method_load
from arki.organisations.models import Tenant


class Command(BaseCommand):
    help = "Add Let's Talk about Children, with its published rating, to a region's catalogue."

    def add_arguments(self, parser):
        parser.add_argument("tenant", help="the tenant's short name (slug)")

    def handle(self, *args, **options):
        tenant = Tenant.objects.filter(slug=options["tenant"]).first()
        if tenant is None:
            raise CommandError(f"No tenant with the short name {options['tenant']!r}.")
        method = lt_method_load(actor=None, tenant=tenant)
        self.stdout.write(f"{tenant.slug}: {method.slug} version {method.published_version}")
