"""Exports: the maker's scope only, personal data masked, each creation and download audited."""

import io
from typing import Any

import pytest
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from conftest import VALID_ID, staff_login
from minsheng.core.actors import Actor
from minsheng.core.models import AuditRecord
from minsheng.core.testing.faults import audit_writes_fail
from minsheng.petitions.selectors import PetitionFilters
from minsheng.privacy.models import Export
from minsheng.privacy.services import petitions_export

pytestmark = pytest.mark.django_db


def cells(content: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def download(client: Client, export: Export) -> Any:
    response = client.get(reverse("privacy:export", args=[export.pk]))
    response.content_bytes = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response


def test_an_export_lists_the_makers_scope_with_personal_data_masked(client: Client, org: Any, register: Any) -> None:
    mine = register(org.units.a, title="本区事项").petition
    register(org.units.b, title="外区事项")
    staff_login(client, org.registrar_a)
    client.post(reverse("privacy:exports"), {"q": ""}, follow=True)
    export = Export.objects.get()
    response = download(client, export)
    rows = cells(response.content_bytes)
    assert [row[0] for row in rows[1:]] == [mine.number]
    assert rows[1][9:] == ["张三", "110105********0038", "138****8000", "芙蓉区五一大****"]
    flat = " ".join(str(cell) for row in rows for cell in row)
    assert VALID_ID not in flat and "13800138000" not in flat and "外区事项" not in flat
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_export_follows_the_list_filters(client: Client, org: Any, register: Any) -> None:
    register(org.units.a, title="路灯不亮", channel="phone")
    register(org.units.a, title="噪音扰民", channel="letter")
    staff_login(client, org.registrar_a)
    client.post(reverse("privacy:exports"), {"channel": "phone"})
    rows = cells(download(client, Export.objects.get()).content_bytes)
    assert [row[6] for row in rows[1:]] == ["路灯不亮"]


def test_making_and_fetching_an_export_are_both_audited(client: Client, org: Any, register: Any) -> None:
    register(org.units.a)
    staff_login(client, org.registrar_a)
    client.post(reverse("privacy:exports"), {"q": "油烟"})
    export = Export.objects.get()
    created = AuditRecord.objects.get(seq=export.audit_seq)
    assert (created.action, created.object_id, created.data) == (
        "export.create",
        str(export.pk),
        {"kind": "petitions", "rows": 1, "filters": ["q"]},  # which filters, never the search text
    )
    download(client, export)
    assert AuditRecord.objects.filter(action="export.download", object_id=str(export.pk)).count() == 1


def test_only_its_maker_may_download_it(client: Client, org: Any, register: Any) -> None:
    from minsheng.orgs.roles import Role
    from minsheng.orgs.services import user_create

    register(org.units.a)
    export = petitions_export(actor=Actor.staff(org.registrar_a), filters=PetitionFilters())
    colleague = user_create(
        actor=Actor.system("t"),
        username="colleague",
        password=None,
        full_name="",
        unit=org.units.a,
        roles=[Role.REGISTRAR],
    )
    for person in (colleague, org.city_registrar):
        assert download(staff_login(Client(), person), export).status_code == 404


def test_an_export_whose_audit_row_fails_leaves_neither_row_nor_file(
    org: Any, register: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    register(org.units.a)
    with audit_writes_fail(), pytest.raises(DatabaseError):
        petitions_export(actor=Actor.staff(org.registrar_a), filters=PetitionFilters())
    assert not Export.objects.exists()
    exports_dir = settings.MEDIA_ROOT / "exports" / str(org.registrar_a.pk)
    assert not exports_dir.exists() or not any(exports_dir.iterdir())


def test_the_exports_page_lists_only_my_files(client: Client, org: Any, register: Any) -> None:
    register(org.units.a)
    mine = petitions_export(actor=Actor.staff(org.registrar_a), filters=PetitionFilters())
    theirs = petitions_export(actor=Actor.staff(org.city_registrar), filters=PetitionFilters())
    html = staff_login(client, org.registrar_a).get(reverse("privacy:exports")).content.decode()
    assert reverse("privacy:export", args=[mine.pk]) in html
    assert reverse("privacy:export", args=[theirs.pk]) not in html
