"""Load the shipped deadline policies (R22 default, R05, Zhejiang) and the holiday calendar."""

from django.db import migrations


def seed(apps, schema_editor):
    from minsheng.workflow.seed import calendar_seed, policies_seed

    policies_seed(apps)
    calendar_seed(apps)


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_initial"), ("orgs", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
