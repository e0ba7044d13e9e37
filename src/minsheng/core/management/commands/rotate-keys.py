"""`minsheng rotate-keys`: re-seal personal data with the newest key in MINSHENG_DATA_KEYS."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from minsheng.core.actors import Actor
from minsheng.core.audit import audit_append
from minsheng.core.crypto import current_key_version, key_versions_in_use, reseal_with_newest_key


class Command(BaseCommand):
    help = (
        "Re-encrypt every resident ID, phone and address sealed with an older key version under the newest "
        "one. Add the new key to MINSHENG_DATA_KEYS first (e.g. '1:<old>,2:<new>'); afterwards the old key "
        "can be removed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="only report which key versions are in use")
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args: object, check: bool, batch: int, **options: object) -> None:
        current = current_key_version()
        if not check:
            done = reseal_with_newest_key(batch=batch)
            audit_append(
                actor=Actor.system("rotate-keys"),
                action="crypto.reseal",
                object_type="data_key",
                object_id=current,
                data={"resealed": done},
            )
            for column, count in done.items():
                self.stdout.write(f"{column}: {count} value(s) re-sealed with key v{current}")
        usage = key_versions_in_use()
        old = {column: counts for column, counts in usage.items() if set(counts) - {current}}
        for column, counts in usage.items():
            summary = ", ".join(f"v{version}: {n}" for version, n in sorted(counts.items())) or "empty"
            self.stdout.write(f"{column}: {summary}")
        if old:
            self.stdout.write(f"values under older keys remain: run `minsheng rotate-keys` (newest key is v{current})")
        else:
            self.stdout.write(
                f"all personal data is sealed with key v{current}; older keys may be removed from MINSHENG_DATA_KEYS"
            )
