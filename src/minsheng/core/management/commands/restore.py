"""`minsheng restore ARCHIVE --yes`: replace the database and uploaded files with a backup's."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from minsheng.core.backup import BackupError, read_manifest, restore


class Command(BaseCommand):
    help = (
        "Restore a `minsheng backup` archive: checks its checksums and that this instance has the data keys "
        "it needs, replaces the whole database (in one transaction) and the uploaded files, then checks the "
        "row counts and the audit chain. Stop the web server and worker first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args: object, archive: Path, yes: bool, **options: object) -> None:
        try:
            manifest = read_manifest(archive)
        except (BackupError, OSError) as exc:
            self.stderr.write(f"cannot read {archive}: {exc}")
            raise SystemExit(1) from None
        if not yes:
            name = connection.settings_dict["NAME"]
            answer = input(
                f"This replaces everything in the {connection.vendor} database {name} and the uploaded files "
                f"with the backup of {manifest['created_at']}. Type 'restore' to go on: "
            )
            if answer.strip() != "restore":
                self.stderr.write("nothing was changed")
                raise SystemExit(1)
        try:
            report = restore(archive=archive)
        except BackupError as exc:
            self.stderr.write(f"restore failed: {exc}")
            raise SystemExit(1) from None
        self.stdout.write(f"restored {report.tables} tables, {report.rows} rows from {archive}")
        self.stdout.write(report.audit_message)
