from django.core.management.base import BaseCommand
from django.utils import timezone

from arki.organisations.models import Tenant
from arki.training.reminders import send_refresher_reminders


class Command(BaseCommand):
    help = "Email refresher reminders to staff whose refresher is due and to their managers."

    def handle(self, *args, **options):
        today = timezone.localdate()
        sent = sum(send_refresher_reminders(tenant=t, today=today) for t in Tenant.objects.all())
        self.stdout.write(f"{sent} refresher reminders queued")
