from django.core.management.base import BaseCommand

from minsheng.core.audit import audit_verify


class Command(BaseCommand):
    help = "Verify the hash chain of the audit trail; exit 1 and name the first bad row if broken."

    def handle(self, *args: object, **options: object) -> None:
        result = audit_verify()
        if result.ok:
            self.stdout.write(result.message)
        else:
            self.stderr.write(result.message)
            raise SystemExit(1)
