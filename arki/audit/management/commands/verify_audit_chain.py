from django.core.management.base import BaseCommand, CommandError

from arki.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Recompute the audit log's hash chains and report the first break in each."

    def handle(self, *args: object, **options: object) -> None:
        report = audit_chain_verify()
        for found in report.breaks:
            self.stderr.write(
                f"chain {found.chain or '-'}: {found.problem} at link {found.seq or '-'}"
                f" (event {found.event_id})"
            )
        if report.breaks:
            raise CommandError(f"The audit chain is broken in {len(report.breaks)} place(s).")
        self.stdout.write(
            f"Audit chain intact: {report.sealed} events in {report.chains} chain(s)."
        )
