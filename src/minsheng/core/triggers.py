"""Append-only guards on the audit trail, per database vendor.

Used by the migration that installs them and by the test harness, which must lift them to empty
the database between transactional tests (SQLite empties tables with DELETE). PostgreSQL's
TRUNCATE is not a row operation and is left to the database's own privileges.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "core_auditrecord"
# The head row may move forward (UPDATE) but never disappear: without it the next writer would
# start a second chain at seq 1 (which the unique seq would refuse, stopping every write).
HEAD = "core_audithead"

_SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS {HEAD}_no_delete BEFORE DELETE ON {HEAD}
        BEGIN SELECT RAISE(ABORT, 'the audit head cannot be deleted'); END""",
]
_SQLITE_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete",
    f"DROP TRIGGER IF EXISTS {HEAD}_no_delete",
]
_PG_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'audit records are append-only'; END $$ LANGUAGE plpgsql""",
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"""CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only()""",
    f"""CREATE OR REPLACE FUNCTION {HEAD}_keep() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'the audit head cannot be deleted'; END $$ LANGUAGE plpgsql""",
    f"DROP TRIGGER IF EXISTS {HEAD}_keep ON {HEAD}",
    f"""CREATE TRIGGER {HEAD}_keep BEFORE DELETE ON {HEAD}
        FOR EACH ROW EXECUTE FUNCTION {HEAD}_keep()""",
]
_PG_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"DROP TRIGGER IF EXISTS {HEAD}_keep ON {HEAD}",
]


def _run(connection: BaseDatabaseWrapper, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install(connection: BaseDatabaseWrapper) -> None:
    _run(connection, _PG_INSTALL if connection.vendor == "postgresql" else _SQLITE_INSTALL)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    _run(connection, _PG_UNINSTALL if connection.vendor == "postgresql" else _SQLITE_UNINSTALL)
