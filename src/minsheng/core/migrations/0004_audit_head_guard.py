from django.db import migrations

from minsheng.core import triggers


def install(apps, schema_editor):
    # The head row exists from the start, so the first writers never race to create it.
    AuditHead = apps.get_model("core", "AuditHead")
    AuditHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": "0" * 64})
    triggers.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_rate_counter")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
