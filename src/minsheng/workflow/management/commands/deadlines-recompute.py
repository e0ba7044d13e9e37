"""Recompute open deadlines (after editing holidays outside the admin, or to settle provisional ones)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from minsheng.workflow.deadlines import deadlines_recompute


class Command(BaseCommand):
    help = "Recompute open deadlines from the holiday table; each change is recorded on its petition's timeline."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, action="append", help="only periods touching this year (repeatable)")

    def handle(self, *args: object, year: list[int] | None, **options: object) -> None:
        with transaction.atomic():
            changed = deadlines_recompute(years=year)
        for item in changed:
            self.stdout.write(f"petition {item.petition_id} {item.step}: {item.before} -> {item.after}")
        self.stdout.write(f"{len(changed)} deadlines changed")
