"""Ship the product's default category tree, so every installation starts with one."""

import csv
from pathlib import Path

from django.db import migrations

TREE = Path(__file__).resolve().parent.parent / "data" / "default_categories.csv"


def load(apps, schema_editor):
    Category = apps.get_model("petitions", "Category")
    if Category.objects.exists():
        return
    by_code = {}
    with TREE.open(encoding="utf-8") as handle:
        for sort, row in enumerate(csv.DictReader(handle)):
            parent = by_code.get(row["parent_code"]) if row["parent_code"] else None
            by_code[row["code"]] = Category.objects.create(
                code=row["code"],
                name=row["name"],
                name_en=row["name_en"],
                parent=parent,
                level=parent.level + 1 if parent else 1,
                sort=sort,
            )


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
