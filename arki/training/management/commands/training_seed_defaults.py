from django.core.management.base import BaseCommand

from arki.organisations.models import Tenant
from arki.training.services import training_seed_defaults


class Command(BaseCommand):
    help = "Create the default training catalogue for each tenant (or one, with --tenant)."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", help="the tenant's short name (slug)")

    def handle(self, *args, tenant=None, **options):
        tenants = Tenant.objects.filter(slug=tenant) if tenant else Tenant.objects.all()
        created = sum(training_seed_defaults(t) for t in tenants)
        self.stdout.write(f"{created} courses created for {tenants.count()} tenants")
