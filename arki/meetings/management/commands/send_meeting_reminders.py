from django.core.management.base import BaseCommand

from arki.meetings.reminders import send_meeting_reminders


class Command(BaseCommand):
    help = (
        "Email reminders before network meetings (ARKI_MEETING_REMINDER_DAYS), and to the chair "
        "for agreed actions and follow-up meetings coming up. Running it twice sends once."
    )

    def handle(self, *args, **options):
        sent = send_meeting_reminders()
        self.stdout.write(f"{sent} meeting reminders queued")
