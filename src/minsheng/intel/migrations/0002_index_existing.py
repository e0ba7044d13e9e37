"""Index the petitions that existed before the near-duplicate index (later ones index themselves)."""

from django.db import migrations


def index_existing(apps, schema_editor):
    from minsheng.intel.neardup import BAND_FIELDS, petition_text, text_keys

    Petition = apps.get_model("petitions", "Petition")
    Signature = apps.get_model("intel", "NearDupSignature")
    batch = []
    rows = Petition.objects.exclude(status="merged").order_by("pk").values_list("pk", "title", "request", "facts")
    for pk, title, request, facts in rows.iterator(chunk_size=2000):
        _grams, keys, _sketch = text_keys(petition_text(title, request, facts))
        if keys is not None:
            batch.append(Signature(petition_id=pk, **dict(zip(BAND_FIELDS, keys))))
        if len(batch) >= 2000:
            Signature.objects.bulk_create(batch)
            batch = []
    Signature.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("intel", "0001_initial")]
    operations = [migrations.RunPython(index_existing, migrations.RunPython.noop)]
