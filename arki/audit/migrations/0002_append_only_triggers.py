"""Make audit rows append-only in the database itself, not only in the ORM.

Test databases are flushed between tests, so they are created without the triggers
(settings.ARKI_AUDIT_DB_GUARD); arki/audit/tests installs them in a test and proves them.
"""

from django.conf import settings
from django.db import migrations

from arki.audit import dbguard


def create_triggers(apps, schema_editor):
    if settings.ARKI_AUDIT_DB_GUARD:
        dbguard.install(schema_editor.connection, ("audit_auditevent", "audit_auditsubject"))


def drop_triggers(apps, schema_editor):
    dbguard.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
