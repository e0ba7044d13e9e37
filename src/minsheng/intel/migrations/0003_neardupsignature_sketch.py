"""Add the b-bit sketch to each index row and fill it for the rows already there."""

from django.db import migrations, models


def fill_sketches(apps, schema_editor):
    from minsheng.intel.neardup import petition_text, text_keys

    Petition = apps.get_model("petitions", "Petition")
    Signature = apps.get_model("intel", "NearDupSignature")
    indexed = Signature.objects.values("petition_id")
    rows = Petition.objects.filter(pk__in=indexed).order_by("pk").values_list("pk", "title", "request", "facts")
    batch = []
    for pk, title, request, facts in rows.iterator(chunk_size=2000):
        _grams, keys, sketch = text_keys(petition_text(title, request, facts))
        if keys is not None:
            batch.append(Signature(petition_id=pk, sketch=sketch))
        if len(batch) >= 2000:
            Signature.objects.bulk_update(batch, ["sketch"])
            batch = []
    Signature.objects.bulk_update(batch, ["sketch"])


class Migration(migrations.Migration):
    dependencies = [("intel", "0002_index_existing")]
    operations = [
        migrations.AddField(
            model_name="neardupsignature",
            name="sketch",
            field=models.BinaryField(default=b"", editable=False),
        ),
        migrations.RunPython(fill_sketches, migrations.RunPython.noop),
    ]
