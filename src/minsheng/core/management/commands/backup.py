"""`minsheng backup [--output FILE]`: the database and uploaded files in one archive."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from minsheng.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup, or pg_dump on PostgreSQL) and the uploaded files into "
        "one .tar.gz with a manifest of row counts and the audit chain's head. The data keys are not in it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", type=Path, default=None, help="archive to write (default: var/backups/)")

    def handle(self, *args: object, output: Path | None, **options: object) -> None:
        if output is None:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            output = Path(settings.VAR_DIR) / "backups" / f"minsheng-{stamp}.tar.gz"
        try:
            manifest = backup(output=output)
        except BackupError as exc:
            self.stderr.write(f"backup failed: {exc}")
            raise SystemExit(1) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"backup written: {output} ({manifest['vendor']}, {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['media'])} files, audit head seq {manifest['audit_head']['seq']})"
        )
