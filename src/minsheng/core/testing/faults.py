"""Break the audit trail on purpose, to show that a change whose audit row fails does not happen."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

_SQLITE = [
    """CREATE TRIGGER core_auditrecord_refuse_insert BEFORE INSERT ON core_auditrecord
       BEGIN SELECT RAISE(ABORT, 'audit trail unavailable (test)'); END""",
]
_SQLITE_UNDO = ["DROP TRIGGER IF EXISTS core_auditrecord_refuse_insert"]
_PG = [
    """CREATE OR REPLACE FUNCTION core_auditrecord_refuse_insert() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit trail unavailable (test)'; END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER core_auditrecord_refuse_insert BEFORE INSERT ON core_auditrecord
       FOR EACH ROW EXECUTE FUNCTION core_auditrecord_refuse_insert()""",
]
_PG_UNDO = ["DROP TRIGGER IF EXISTS core_auditrecord_refuse_insert ON core_auditrecord"]


@contextmanager
def audit_writes_fail() -> Iterator[None]:
    """Within the block, the database refuses every new audit row (as a full disk or a revoked
    privilege would)."""
    install, undo = (_PG, _PG_UNDO) if connection.vendor == "postgresql" else (_SQLITE, _SQLITE_UNDO)
    with connection.cursor() as cursor:
        for sql in install:
            cursor.execute(sql)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for sql in undo:
                cursor.execute(sql)
