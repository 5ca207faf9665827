"""Deliver the email outbox: ``run_outbox --once`` (cron) or ``run_outbox --loop`` (service)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from arki.notifications.services import deliver_pending


class Command(BaseCommand):
    help = "Send due emails from the outbox (once, or in a loop)."

    def add_arguments(self, parser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--once", action="store_true", help="One pass, then exit (default).")
        mode.add_argument("--loop", action="store_true", help="Keep running.")
        parser.add_argument("--interval", type=float, default=10.0, help="Seconds between passes.")

    def handle(self, *args, once: bool, loop: bool, interval: float, **options) -> None:
        while True:
            total = {"sent": 0, "retry": 0, "failed": 0}
            while True:
                counts = deliver_pending()
                for key, value in counts.items():
                    total[key] += value
                if not any(counts.values()):
                    break
            if not loop or any(total.values()):
                self.stdout.write(
                    f"Outbox: {total['sent']} sent, {total['retry']} to retry, "
                    f"{total['failed']} failed."
                )
            if not loop:
                return
            time.sleep(interval)
