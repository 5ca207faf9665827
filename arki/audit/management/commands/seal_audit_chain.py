from django.core.management.base import BaseCommand

from arki.audit.services import audit_chain_seal


class Command(BaseCommand):
    help = "Add new audit events to their tenant's hash chain (run every minute)."

    def handle(self, *args: object, **options: object) -> None:
        count = audit_chain_seal()
        self.stdout.write(f"{count} audit events sealed.")
