"""Write docs/workflow.md from the transition table (or check it with --check)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.workflow.docs import render

DEFAULT = Path(__file__).resolve().parents[5] / "docs" / "workflow.md"


class Command(BaseCommand):
    help = "Generate docs/workflow.md from the transition table and the shipped deadline policies."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, default=DEFAULT)
        parser.add_argument("--check", action="store_true", help="fail when the file differs from the code")

    def handle(self, *args: object, output: Path, check: bool, **options: object) -> None:
        text = render()
        if check:
            if not output.exists() or output.read_text(encoding="utf-8") != text:
                raise CommandError(f"{output} is out of date: run `minsheng workflow-docs`")
            self.stdout.write(f"{output} is up to date")
            return
        output.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {output}")
