"""Database triggers that make audit rows append-only, whatever code runs the SQL."""

from __future__ import annotations

from typing import Any

TABLES = ("audit_auditevent", "audit_auditsubject", "audit_auditseal")


def install(connection: Any, tables: tuple[str, ...] = TABLES) -> None:
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            for table in tables:
                for op in ("update", "delete"):
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op} BEFORE {op.upper()} "
                        f"ON {table} BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;"
                    )
        elif vendor == "postgresql":
            cursor.execute(
                "CREATE OR REPLACE FUNCTION arki_audit_append_only() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION 'audit rows are append-only'; END; $$ LANGUAGE plpgsql;"
            )
            for table in tables:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
                cursor.execute(
                    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION arki_audit_append_only()"
                )
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
                cursor.execute(
                    f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION arki_audit_append_only()"
                )


def uninstall(connection: Any) -> None:
    vendor = connection.vendor
    with connection.cursor() as cursor:
        for table in TABLES:
            if vendor == "sqlite":
                for op in ("update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
            elif vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
