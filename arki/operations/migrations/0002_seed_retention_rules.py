"""Every existing tenant gets the default retention rules (new tenants get them from
``setup_tenant`` and the retention job; the values are those of ``retention.RECORD_TYPES``
when this migration was written)."""

from django.conf import settings
from django.db import migrations

DEFAULTS = [
    ("working_notes", None, "delete", "GDPR 5(1)(e)"),
    ("busy_times", 30, "delete", "GDPR 5(1)(c), 5(1)(e)"),
    ("portal_links", 90, "delete", "GDPR 5(1)(e)"),
    ("preparations", 730, "delete", "GDPR 5(1)(e)"),
    ("discussions", 1826, "anonymise", "703/2023; GDPR 5(1)(e), 89"),
    ("meeting_reports", 1826, "delete", "703/2023; GDPR 5(1)(e)"),
    ("feedback_answers", 1096, "delete", "GDPR 5(1)(e), 89"),
    ("feedback_invitations", 365, "delete", "GDPR 5(1)(e)"),
    ("audit_events", 4383, "delete", "703/2023"),
]


def seed(apps, schema_editor):
    Tenant = apps.get_model("organisations", "Tenant")
    RetentionRule = apps.get_model("operations", "RetentionRule")
    notes_days = max(getattr(settings, "ARKI_WORKING_NOTES_RETENTION_DAYS", 30), 0)
    for tenant in Tenant.objects.all():
        for record_type, days, action, basis in DEFAULTS:
            RetentionRule.objects.get_or_create(
                tenant=tenant,
                record_type=record_type,
                defaults={
                    "period_days": notes_days if days is None else days,
                    "action": action,
                    "legal_basis": basis,
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("operations", "0001_retention_rules"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
