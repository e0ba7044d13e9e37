"""`minsheng neardup-rebuild`: rebuild the near-duplicate index from the petitions' current text."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from minsheng.intel.services import index_rebuild


class Command(BaseCommand):
    help = "Rebuild the near-duplicate index (MinHash LSH band keys) of all petitions."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        count = index_rebuild()
        self.stdout.write(f"indexed {count} petitions in {time.perf_counter() - started:.1f} s")
