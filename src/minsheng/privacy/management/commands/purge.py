"""`minsheng purge`: clear the personal data of cases that ended before the retention period."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from minsheng.core.audit import audit_verify
from minsheng.privacy.retention import purge


class Command(BaseCommand):
    help = (
        "Clear names, resident IDs, phones, addresses, free text and attachments of cases that ended "
        "(closed, not accepted, withdrawn, merged) more than MINSHENG_RETENTION_DAYS ago; delete expired "
        "export files and old sign-in records. Counts for statistics and the audit trail stay."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="override MINSHENG_RETENTION_DAYS")
        parser.add_argument("--dry-run", action="store_true", help="only list what would be cleared")

    def handle(self, *args: object, days: int | None, dry_run: bool, **options: object) -> None:
        days = settings.MINSHENG_RETENTION_DAYS if days is None else days
        if days < 1:
            self.stderr.write("--days must be at least 1")
            raise SystemExit(2)
        report = purge(days=days, dry_run=dry_run)
        verb = "would be cleared" if dry_run else "cleared"
        self.stdout.write(
            f"{len(report.cases)} case(s) that ended before {report.cutoff:%Y-%m-%d} {verb}; "
            f"{report.exports} expired export file(s) {'would be ' if dry_run else ''}removed"
            + ("" if dry_run else f"; {report.login_records} old sign-in record(s) removed")
        )
        if not dry_run:
            self.stdout.write(audit_verify().message)
